package auth

import (
	"net"
	"net/netip"
	"strings"
	"sync"
	"time"
)

// LimiterConfig says how failed sign-ins are slowed and stopped. Failures are
// counted per user name and per client address within Window; the stricter
// of the two applies.
type LimiterConfig struct {
	// FreeFailures may fail without delay (a typo or two).
	FreeFailures int
	// BaseDelay is the wait after the first failure beyond FreeFailures; it
	// doubles with each further failure, up to MaxDelay.
	BaseDelay, MaxDelay time.Duration
	// LockAfter failures within Window lock the name (or address) out until
	// the oldest of them is Window old.
	LockAfter int
	Window    time.Duration
	// MaxKeys bounds memory (each key holds at most LockAfter times):
	// beyond it, stale keys are dropped, then new keys are not tracked.
	MaxKeys int
}

// DefaultLimits: after 3 failures wait 1s, 2s, 4s … (at most a minute)
// between attempts; after 10 failures in 15 minutes, wait until 15 minutes
// have passed since the first of them.
var DefaultLimits = LimiterConfig{
	FreeFailures: 3,
	BaseDelay:    time.Second,
	MaxDelay:     time.Minute,
	LockAfter:    10,
	Window:       15 * time.Minute,
	MaxKeys:      100_000,
}

// Limiter slows and then stops repeated failed sign-ins, by user name and by
// client address. It is safe for concurrent use. It keeps its counts in
// memory: a restart forgets them, which is fine for a single server (each
// failure also costs the attacker a bcrypt check and leaves an audit entry).
type Limiter struct {
	cfg LimiterConfig
	now func() time.Time

	mu       sync.Mutex
	failures map[string][]time.Time // key -> failure times within the window, oldest first
	pruned   time.Time              // when prune last ran
}

// NewLimiter makes a limiter; now is the clock (time.Now if nil).
func NewLimiter(cfg LimiterConfig, now func() time.Time) *Limiter {
	if now == nil {
		now = time.Now
	}
	return &Limiter{cfg: cfg, now: now, failures: map[string][]time.Time{}}
}

// Decision is what the limiter says about one sign-in attempt.
type Decision struct {
	Allowed bool
	// RetryAfter is how long to wait before the next attempt is allowed
	// (for a Retry-After header); 0 when Allowed.
	RetryAfter time.Duration
	// Locked is true when the attempt is refused because of LockAfter
	// failures, not just slowed.
	Locked bool
}

func userKey(name string) string { return "user:" + strings.ToLower(strings.TrimSpace(name)) }
func addrKey(addr string) string { return "addr:" + ClientKey(addr) }

// Check says whether a sign-in by name from client address addr may be
// attempted now. A refused attempt must not check the password at all, so
// that guessing on gets no answer.
func (l *Limiter) Check(name, addr string) Decision {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	var worst Decision
	worst.Allowed = true
	for _, key := range []string{userKey(name), addrKey(addr)} {
		d := l.decide(key, now)
		if !d.Allowed && (worst.Allowed || d.RetryAfter > worst.RetryAfter) {
			worst = d
		}
	}
	return worst
}

// decide applies the rules to key's failures. l.mu is held.
func (l *Limiter) decide(key string, now time.Time) Decision {
	times := l.recent(key, now)
	n := len(times)
	if n >= l.cfg.LockAfter && l.cfg.LockAfter > 0 {
		until := times[n-l.cfg.LockAfter].Add(l.cfg.Window)
		return Decision{RetryAfter: until.Sub(now), Locked: true}
	}
	if n > l.cfg.FreeFailures {
		delay := l.cfg.BaseDelay
		for i := l.cfg.FreeFailures + 1; i < n && delay < l.cfg.MaxDelay; i++ {
			delay *= 2
		}
		delay = min(delay, l.cfg.MaxDelay)
		if wait := times[n-1].Add(delay).Sub(now); wait > 0 {
			return Decision{RetryAfter: wait}
		}
	}
	return Decision{Allowed: true}
}

// recent is key's failures within the window, dropping older ones. l.mu is
// held.
func (l *Limiter) recent(key string, now time.Time) []time.Time {
	times := l.failures[key]
	i := 0
	for i < len(times) && now.Sub(times[i]) >= l.cfg.Window {
		i++
	}
	if i > 0 {
		times = times[i:]
		if len(times) == 0 {
			delete(l.failures, key)
		} else {
			l.failures[key] = times
		}
	}
	return times
}

// Fail records a failed sign-in by name from addr.
func (l *Limiter) Fail(name, addr string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if len(l.failures) >= l.cfg.MaxKeys && now.Sub(l.pruned) >= l.cfg.Window/15 {
		l.prune(now)
	}
	for _, key := range []string{addrKey(addr), userKey(name)} {
		times := l.recent(key, now)
		if times == nil && len(l.failures) >= l.cfg.MaxKeys {
			// Full of live keys: a flood from many addresses or of made-up
			// names. Keys already tracked go on counting; new ones wait for
			// room (each failure still costs the sender a bcrypt check).
			continue
		}
		// Keep no more than LockAfter: older ones cannot change a decision.
		if len(times) >= max(l.cfg.LockAfter, l.cfg.FreeFailures+1) {
			times = times[1:]
		}
		l.failures[key] = append(times, now)
	}
}

// Succeed forgets the failures of name (its owner has just proved the
// password). The address keeps its count: one good account must not let a
// guesser go on trying others from the same place.
func (l *Limiter) Succeed(name string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.failures, userKey(name))
}

// prune drops keys whose failures are all outside the window. It runs when
// the map is full, at most every Window/15, so that a flood does not make
// each failure scan the whole map. l.mu is held.
func (l *Limiter) prune(now time.Time) {
	l.pruned = now
	for key := range l.failures {
		l.recent(key, now)
	}
}

// ClientKey is the part of a client address that identifies a client for
// the limiter: the IP without the port, and for IPv6 its /64 (one host
// usually has a whole /64 to pick addresses from).
func ClientKey(addr string) string {
	host := addr
	if h, _, err := net.SplitHostPort(addr); err == nil {
		host = h
	}
	ip, err := netip.ParseAddr(strings.Trim(host, "[]"))
	if err != nil {
		return host
	}
	ip = ip.Unmap().WithZone("")
	if ip.Is6() {
		p, _ := ip.Prefix(64)
		return p.String()
	}
	return ip.String()
}

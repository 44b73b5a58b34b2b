package auth

import (
	"fmt"
	"testing"
	"time"
)

type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time              { return c.t }
func (c *fakeClock) add(d time.Duration)         { c.t = c.t.Add(d) }
func newClock() *fakeClock                       { return &fakeClock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)} }
func newTestLimiter(c *fakeClock) *Limiter       { return NewLimiter(DefaultLimits, c.now) }
func allowed(l *Limiter, name, addr string) bool { return l.Check(name, addr).Allowed }

// failWhenAllowed makes one attempt as soon as the limiter allows it, and
// returns how long it had to wait.
func failWhenAllowed(t *testing.T, l *Limiter, c *fakeClock, name, addr string) time.Duration {
	t.Helper()
	d := l.Check(name, addr)
	waited := time.Duration(0)
	if !d.Allowed {
		waited = d.RetryAfter
		c.add(d.RetryAfter)
		if d2 := l.Check(name, addr); !d2.Allowed {
			t.Fatalf("still refused after waiting %v: %+v", d.RetryAfter, d2)
		}
	}
	l.Fail(name, addr)
	return waited
}

func TestLimiterSlowsThenLocks(t *testing.T) {
	c := newClock()
	l := newTestLimiter(c)
	var waits []time.Duration
	for range 10 {
		waits = append(waits, failWhenAllowed(t, l, c, "ana", "192.0.2.1:5000"))
	}
	// Three free failures, then 1s, 2s, 4s, … between attempts.
	want := []time.Duration{0, 0, 0, 0, time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second, 32 * time.Second}
	if fmt.Sprint(waits) != fmt.Sprint(want) {
		t.Errorf("waits %v, want %v", waits, want)
	}
	// Ten failures within 15 minutes: locked until the first is 15 minutes
	// old.
	d := l.Check("ana", "192.0.2.1:5000")
	elapsed := 63 * time.Second // the waits above
	if d.Allowed || !d.Locked || d.RetryAfter != 15*time.Minute-elapsed {
		t.Fatalf("after 10 failures: %+v, want locked for %v", d, 15*time.Minute-elapsed)
	}
	c.add(d.RetryAfter - time.Second)
	if allowed(l, "ana", "192.0.2.1:5000") {
		t.Error("allowed a second before the lock ends")
	}
	c.add(time.Second)
	if !allowed(l, "ana", "192.0.2.1:5000") {
		t.Error("still locked when the first failure is 15 minutes old")
	}
	// Much later, everything is forgotten.
	c.add(time.Hour)
	for range 3 {
		l.Fail("ana", "192.0.2.1:5000")
	}
	if !allowed(l, "ana", "192.0.2.1:5000") {
		t.Error("old failures still count")
	}
}

func TestLimiterCountsByNameAndByAddress(t *testing.T) {
	c := newClock()
	l := newTestLimiter(c)

	// A guesser trying one name from many addresses is slowed by the name.
	for i := range 5 {
		l.Fail("ana", fmt.Sprintf("192.0.2.%d:1", i))
	}
	if allowed(l, "ana", "198.51.100.7:1") {
		t.Error("a name failed 5 times is not slowed from a new address")
	}
	if !allowed(l, "bob", "198.51.100.7:1") {
		t.Error("another name from a clean address is slowed")
	}

	// A guesser trying many names from one address is slowed by the
	// address, and one good account does not clear it.
	for i := range 10 {
		l.Fail(fmt.Sprint("user", i), "203.0.113.9:4444")
	}
	d := l.Check("zed", "203.0.113.9:5555")
	if d.Allowed || !d.Locked {
		t.Errorf("address with 10 failures: %+v, want locked", d)
	}
	l.Succeed("user3")
	if allowed(l, "zed", "203.0.113.9:1") {
		t.Error("a success cleared the address's failures")
	}
	if !allowed(l, "zed", "203.0.113.10:1") {
		t.Error("a neighbouring address is locked too")
	}

	// A success clears the name.
	l.Succeed("ANA ")
	if !allowed(l, "ana", "198.51.100.7:1") {
		t.Error("a success did not clear the name's failures (names ignore case)")
	}

	// IPv6: one /64 is one client.
	for i := range 10 {
		l.Fail("x", fmt.Sprintf("[2001:db8:1:2::%x]:443", i+1))
	}
	if allowed(l, "y", "[2001:db8:1:2:ffff::1]:443") {
		t.Error("another address in the same /64 is not locked")
	}
	if !allowed(l, "y", "[2001:db8:1:3::1]:443") {
		t.Error("another /64 is locked")
	}
}

func TestLimiterMemoryIsBounded(t *testing.T) {
	c := newClock()
	cfg := DefaultLimits
	cfg.MaxKeys = 100
	l := NewLimiter(cfg, c.now)
	l.Fail("ana", "192.0.2.1:1")
	for i := range 10_000 {
		l.Fail(fmt.Sprint("made-up-", i), fmt.Sprintf("10.0.%d.%d:1", i/256%256, i%256))
	}
	l.mu.Lock()
	n := len(l.failures)
	l.mu.Unlock()
	if n > cfg.MaxKeys {
		t.Errorf("%d keys tracked, bound %d", n, cfg.MaxKeys)
	}
	// A key tracked before the flood goes on counting.
	for range 4 {
		l.Fail("ana", "192.0.2.1:1")
	}
	if allowed(l, "ana", "198.51.100.1:1") {
		t.Error("a name tracked before the flood stopped counting")
	}
	// Stale keys are dropped once the window passes.
	c.add(16 * time.Minute)
	l.Fail("late", "10.9.9.9:1")
	l.mu.Lock()
	n = len(l.failures)
	l.mu.Unlock()
	if n != 2 {
		t.Errorf("%d keys after the window, want the 2 of the last failure", n)
	}
}

func TestClientKey(t *testing.T) {
	for _, tc := range []struct{ addr, want string }{
		{"192.0.2.1:5000", "192.0.2.1"},
		{"192.0.2.1", "192.0.2.1"},
		{"[::ffff:192.0.2.1]:80", "192.0.2.1"},
		{"[2001:db8::1]:443", "2001:db8::/64"},
		{"2001:db8:0:0:abcd::1", "2001:db8::/64"},
		{"[fe80::1%eth0]:22", "fe80::/64"},
		{"not an address", "not an address"},
	} {
		if got := ClientKey(tc.addr); got != tc.want {
			t.Errorf("ClientKey(%q) = %q, want %q", tc.addr, got, tc.want)
		}
	}
}

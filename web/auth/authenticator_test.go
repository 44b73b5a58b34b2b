package auth

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"blockplan/model"
)

// fakeStore keeps users, tokens and sessions in maps, as store/sqlite does
// in tables (this package may not import it).
type fakeStore struct {
	mu       sync.Mutex
	users    map[string]model.User
	hashes   map[string]string
	tokens   map[string]model.Token // by hash
	sessions map[string]model.Session
	audit    []model.AuditEntry
	lookups  int // UserPasswordHash calls
	fail     error
	now      func() time.Time
}

func newFakeStore(now func() time.Time) *fakeStore {
	return &fakeStore{users: map[string]model.User{}, hashes: map[string]string{},
		tokens: map[string]model.Token{}, sessions: map[string]model.Session{}, now: now}
}

func (f *fakeStore) CreateUser(ctx context.Context, name string, role model.Role, hash string) (model.User, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	u := model.User{ID: int64(len(f.users) + 1), Name: name, Role: role}
	f.users[name], f.hashes[name] = u, hash
	return u, nil
}

func (f *fakeStore) GetUser(ctx context.Context, name string) (model.User, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	u, ok := f.users[name]
	if !ok {
		return u, model.Errorf(model.ENOTFOUND, "no user %s", name)
	}
	return u, nil
}

func (f *fakeStore) ListUsers(ctx context.Context) ([]model.User, error) { return nil, nil }

func (f *fakeStore) UserPasswordHash(ctx context.Context, name string) (model.User, string, error) {
	f.mu.Lock()
	f.lookups++
	fail := f.fail
	f.mu.Unlock()
	if fail != nil {
		return model.User{}, "", fail
	}
	u, err := f.GetUser(ctx, name)
	return u, f.hashes[name], err
}

func (f *fakeStore) DeleteUser(ctx context.Context, name string) error { return nil }
func (f *fakeStore) SetPasswordHash(ctx context.Context, name, hash string) error {
	return nil
}
func (f *fakeStore) SetRole(ctx context.Context, name string, role model.Role) error { return nil }

func (f *fakeStore) CreateToken(ctx context.Context, user, label string, role model.Role, hash string) (model.Token, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	t := model.Token{ID: int64(len(f.tokens) + 1), UserName: user, Label: label, Role: role}
	f.tokens[hash] = t
	return t, nil
}

func (f *fakeStore) TokenUser(ctx context.Context, hash string) (model.User, model.Token, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail != nil {
		return model.User{}, model.Token{}, f.fail
	}
	t, ok := f.tokens[hash]
	if !ok {
		return model.User{}, model.Token{}, model.Errorf(model.EUNAUTHORIZED, "the API token is not valid")
	}
	if t.Revoked() {
		return model.User{}, model.Token{}, model.Errorf(model.EUNAUTHORIZED, "the API token was revoked")
	}
	u := f.users[t.UserName]
	if t.Role != "" {
		u.Role = u.Role.Lesser(t.Role)
	}
	return u, t, nil
}

func (f *fakeStore) ListTokens(ctx context.Context, user string) ([]model.Token, error) {
	return nil, nil
}

func (f *fakeStore) RevokeToken(ctx context.Context, idOrLabel string) (model.Token, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for h, t := range f.tokens {
		if t.Label == idOrLabel {
			now := f.now()
			t.RevokedAt = &now
			f.tokens[h] = t
			return t, nil
		}
	}
	return model.Token{}, model.Errorf(model.ENOTFOUND, "no token %s", idOrLabel)
}

func (f *fakeStore) CreateSession(ctx context.Context, s model.Session) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sessions[s.IDHash] = s
	f.audit = append(f.audit, model.AuditEntry{Actor: model.Actor(ctx), Action: model.ActionLogin, EntityID: s.User.Name})
	return nil
}

func (f *fakeStore) SessionByHash(ctx context.Context, hash string) (model.Session, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, ok := f.sessions[hash]
	if !ok {
		return s, model.Errorf(model.EUNAUTHORIZED, "not signed in")
	}
	if !f.now().Before(s.ExpiresAt) {
		return model.Session{}, model.Errorf(model.EUNAUTHORIZED, "the session has expired; sign in again")
	}
	s.User = f.users[s.User.Name]
	return s, nil
}

func (f *fakeStore) DeleteSession(ctx context.Context, hash string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.sessions, hash)
	return nil
}

func (f *fakeStore) DeleteExpiredSessions(ctx context.Context) (int, error) { return 0, nil }

func (f *fakeStore) RecordAudit(ctx context.Context, e model.AuditEntry) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.audit = append(f.audit, e)
	return nil
}

func (f *fakeStore) ListAudit(ctx context.Context, flt model.AuditFilter) ([]model.AuditEntry, error) {
	return nil, nil
}

func (f *fakeStore) GetAudit(ctx context.Context, id int64) (model.AuditEntry, error) {
	return model.AuditEntry{}, nil
}

var _ Stores = (*fakeStore)(nil)

func newTestAuthenticator(t *testing.T) (*Authenticator, *fakeStore, *fakeClock) {
	t.Helper()
	c := newClock()
	st := newFakeStore(c.now)
	h, err := HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	st.CreateUser(context.Background(), "ana", model.RolePlanner, h)
	a := &Authenticator{Store: st, Limiter: NewLimiter(DefaultLimits, c.now), Now: c.now}
	return a, st, c
}

func requestWith(header, cookie string) *http.Request {
	r := httptest.NewRequest(http.MethodGet, "/api/v1/portfolios", nil)
	if header != "" {
		r.Header.Set("Authorization", header)
	}
	if cookie != "" {
		r.AddCookie(&http.Cookie{Name: SessionCookie, Value: cookie})
	}
	return r
}

func TestLoginAndSessions(t *testing.T) {
	a, st, c := newTestAuthenticator(t)
	ctx := context.Background()

	id, s, err := a.Login(ctx, "ana", "correct horse battery", "192.0.2.1:1234")
	if err != nil {
		t.Fatal(err)
	}
	if !ValidSessionID(id) || s.IDHash != HashSessionID(id) || s.CSRFToken == "" || s.User.Name != "ana" ||
		!s.ExpiresAt.Equal(c.t.Add(SessionLifetime)) {
		t.Fatalf("Login = %q, %+v", id, s)
	}
	if _, stored := st.sessions[HashSessionID(id)]; !stored {
		t.Fatal("the session was not stored by its hash")
	}
	if _, stored := st.sessions[id]; stored {
		t.Fatal("the session id itself was stored")
	}
	if last := st.audit[len(st.audit)-1]; last.Action != model.ActionLogin || last.Actor != "ana" {
		t.Errorf("login recorded as %+v", last)
	}

	got, err := a.Authenticate(ctx, requestWith("", id))
	if err != nil || got.User == nil || got.User.Name != "ana" || got.Via != ViaCookie || got.Session == nil ||
		got.Session.CSRFToken != s.CSRFToken || got.Actor() != "ana" {
		t.Fatalf("Authenticate(cookie) = %+v, %v", got, err)
	}

	// Wrong cookie, no cookie, expired cookie: anonymous.
	for name, r := range map[string]*http.Request{
		"none":    requestWith("", ""),
		"garbage": requestWith("", "not-a-session-id"),
		"unknown": requestWith("", func() string { id, _ := NewSessionID(); return id }()),
	} {
		got, err := a.Authenticate(ctx, r)
		if err != nil || got.User != nil || got.Actor() != "anonymous" {
			t.Errorf("%s cookie: %+v, %v", name, got, err)
		}
	}
	c.add(SessionLifetime)
	got, err = a.Authenticate(ctx, requestWith("", id))
	if err != nil || got.User != nil || !strings.Contains(got.Reason, "expired") {
		t.Errorf("expired session: %+v, %v", got, err)
	}

	// Logout ends the session.
	id2, _, err := a.Login(ctx, "ana", "correct horse battery", "192.0.2.1:1234")
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Logout(ctx, requestWith("", id2)); err != nil {
		t.Fatal(err)
	}
	if got, _ := a.Authenticate(ctx, requestWith("", id2)); got.User != nil {
		t.Error("signed in after logout")
	}

	// A store failure is an error, not an anonymous request.
	st.fail = errors.New("disk on fire")
	if _, _, err := a.Login(ctx, "ana", "correct horse battery", "192.0.2.1:1"); err == nil {
		t.Error("Login hid a store failure")
	}
	tok, hash := NewToken()
	st.CreateToken(ctx, "ana", "", "", hash)
	if _, err := a.Authenticate(ctx, requestWith("Bearer "+tok, "")); err == nil {
		t.Error("Authenticate hid a store failure")
	}
}

func TestFailedLoginsAreLimitedAndRecorded(t *testing.T) {
	a, st, c := newTestAuthenticator(t)
	ctx := context.Background()

	_, _, errUnknown := a.Login(ctx, "nobody", "correct horse battery", "192.0.2.1:1")
	_, _, errWrong := a.Login(ctx, "ana", "wrong password", "192.0.2.2:1")
	if model.ErrorCode(errUnknown) != model.EUNAUTHORIZED || model.ErrorCode(errWrong) != model.EUNAUTHORIZED ||
		errUnknown.Error() != errWrong.Error() {
		t.Errorf("unknown name: %v; wrong password: %v; want the same EUNAUTHORIZED", errUnknown, errWrong)
	}
	var failed []string
	for _, e := range st.audit {
		if e.Action == model.ActionLoginFailed {
			failed = append(failed, e.EntityID+" "+e.Detail)
		}
	}
	if strings.Join(failed, "; ") != "nobody from 192.0.2.1; ana from 192.0.2.2" {
		t.Errorf("failed logins recorded: %q", failed)
	}

	// Three more failures for ana: the fifth attempt must wait, and is
	// refused without looking at the password (the right one included).
	for range 3 {
		a.Login(ctx, "ana", "wrong password", "192.0.2.3:1")
	}
	lookups := st.lookups
	_, _, err := a.Login(ctx, "ana", "correct horse battery", "192.0.2.4:1")
	var limited *LimitedError
	if !errors.As(err, &limited) || limited.Locked || limited.RetryAfter <= 0 {
		t.Fatalf("after 4 failures: %v, want a LimitedError", err)
	}
	if st.lookups != lookups {
		t.Error("a refused attempt looked the user up")
	}
	c.add(limited.RetryAfter)
	if _, _, err := a.Login(ctx, "ana", "correct horse battery", "192.0.2.4:1"); err != nil {
		t.Fatalf("after waiting %v: %v", limited.RetryAfter, err)
	}

	// Guessing on locks the name; a long name is recorded cut short.
	long := strings.Repeat("<script>", 100)
	for fails := 0; fails < 10; {
		_, _, err := a.Login(ctx, long, "x", "198.51.100.1:1")
		if errors.As(err, &limited) {
			c.add(limited.RetryAfter)
		} else {
			fails++
		}
	}
	_, _, err = a.Login(ctx, long, "x", "198.51.100.1:1")
	if !errors.As(err, &limited) || !limited.Locked {
		t.Fatalf("after 10 failures: %v, want locked", err)
	}
	if !strings.Contains(limited.Error(), "locked") {
		t.Errorf("message %q", limited.Error())
	}
	for _, e := range st.audit {
		if len(e.EntityID) > 64*4+3 {
			t.Errorf("a %d-byte name was recorded whole", len(e.EntityID))
		}
	}
}

func TestBearerTokens(t *testing.T) {
	a, st, _ := newTestAuthenticator(t)
	ctx := context.Background()
	tok, hash := NewToken()
	st.CreateToken(ctx, "ana", "ci", "", hash)
	ro, roHash := NewToken()
	st.CreateToken(ctx, "ana", "dash", model.RoleViewer, roHash)
	sid, _, err := a.Login(ctx, "ana", "correct horse battery", "192.0.2.1:1")
	if err != nil {
		t.Fatal(err)
	}

	got, err := a.Authenticate(ctx, requestWith("Bearer "+tok, ""))
	if err != nil || got.User == nil || got.User.Role != model.RolePlanner || got.Via != ViaBearer || got.Token == nil {
		t.Fatalf("Authenticate(bearer) = %+v, %v", got, err)
	}
	got, _ = a.Authenticate(ctx, requestWith("Bearer "+ro, ""))
	if got.User == nil || got.User.Role != model.RoleViewer {
		t.Errorf("read-only token acts as %+v", got.User)
	}
	// A bearer token wins over a cookie: the request means it.
	got, _ = a.Authenticate(ctx, requestWith("Bearer "+tok, sid))
	if got.Via != ViaBearer {
		t.Errorf("with both, Via = %q", got.Via)
	}
	// A bad Authorization header is not excused by a good cookie.
	for _, h := range []string{"Bearer nope", "Basic YW5hOnB3", "Bearer " + tok + "x"} {
		got, err := a.Authenticate(ctx, requestWith(h, sid))
		if err != nil || got.User != nil || got.Reason == "" {
			t.Errorf("Authorization %q: %+v, %v; want anonymous with a reason", h, got, err)
		}
	}

	// Revocation takes effect on the next request.
	st.RevokeToken(ctx, "ci")
	got, err = a.Authenticate(ctx, requestWith("Bearer "+tok, ""))
	if err != nil || got.User != nil || !strings.Contains(got.Reason, "revoked") {
		t.Errorf("revoked token: %+v, %v", got, err)
	}
}

func TestCookie(t *testing.T) {
	c := Cookie("abc", SessionLifetime, true)
	if c.Name != SessionCookie || !c.HttpOnly || !c.Secure || c.SameSite != http.SameSiteLaxMode || c.Path != "/" ||
		c.MaxAge != int(SessionLifetime/time.Second) {
		t.Errorf("Cookie = %+v", c)
	}
	if c := Cookie("", -1, false); c.MaxAge != -1 || c.Secure {
		t.Errorf("deleting cookie = %+v", c)
	}
	if s := Cookie("x", 0, true).String(); !strings.Contains(s, "HttpOnly") || !strings.Contains(s, "SameSite=Lax") || !strings.Contains(s, "Secure") {
		t.Errorf("Set-Cookie %q", s)
	}
}

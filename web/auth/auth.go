// Package auth holds the parts of signing in that do not depend on the web
// framework: password hashing, API tokens, session ids, CSRF tokens, the
// login limiter, and an Authenticator that turns a request's bearer token or
// session cookie into a user through the stores declared in model.
//
// It imports model, golang.org/x/crypto/bcrypt and the standard library
// (net/http for requests and cookies). It must not import gin, web or any
// store: web wraps it in middleware, cmd/blockplan uses it to make users and
// tokens.
//
// Secrets leave this package only to their owner: a token or session id is
// returned once, to be shown or put in a cookie; what is stored is its hash.
package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"

	"blockplan/model"
)

// Password rules. bcrypt reads at most 72 bytes of a password; a longer one
// is refused rather than silently cut, so that what the user typed is what is
// checked.
const (
	MinPasswordChars = 10
	MaxPasswordBytes = 72
	// BcryptCost is the bcrypt work factor: about a quarter of a second per
	// check on a server of 2025, which slows guessing without making a
	// sign-in wait.
	BcryptCost = 12
)

// CheckPasswordRules says why pw may not be a password, or nil.
func CheckPasswordRules(pw string) error {
	switch {
	case !utf8.ValidString(pw):
		return model.Errorf(model.EINVALID, "the password is not valid UTF-8 text")
	case utf8.RuneCountInString(pw) < MinPasswordChars:
		return model.Errorf(model.EINVALID, "a password needs at least %d characters", MinPasswordChars)
	case len(pw) > MaxPasswordBytes:
		return model.Errorf(model.EINVALID, "a password may be at most %d bytes long (%d here); bcrypt would ignore the rest", MaxPasswordBytes, len(pw))
	}
	return nil
}

// HashPassword checks pw against the rules and hashes it with bcrypt.
func HashPassword(pw string) (string, error) {
	if err := CheckPasswordRules(pw); err != nil {
		return "", err
	}
	h, err := bcrypt.GenerateFromPassword([]byte(pw), BcryptCost)
	if err != nil {
		return "", err
	}
	return string(h), nil
}

// dummyHash is checked when there is no user by the name given, so that a
// sign-in takes as long for an unknown name as for a wrong password and its
// timing does not tell which names exist. It is a bcrypt hash, at
// BcryptCost, of a random password that was thrown away; it is a constant so
// that starting the program costs no bcrypt run.
const dummyHash = "$2a$12$0iL0yAWgw23vuB2xAI2UKef0ePy2iiuBirCOjsC5cw.1Z6CM453GW"

// CheckPassword reports whether pw is the password of hash, in constant
// time. An empty hash (no such user) spends the same time and is false, and
// so is a password longer than bcrypt reads (bcrypt would check only its
// first 72 bytes).
func CheckPassword(hash, pw string) bool {
	if hash == "" || len(pw) > MaxPasswordBytes {
		bcrypt.CompareHashAndPassword([]byte(dummyHash), []byte(pw[:min(len(pw), MaxPasswordBytes)]))
		return false
	}
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(pw)) == nil
}

// NeedsRehash reports whether hash was made with a lower cost than
// BcryptCost (or cannot be read): after a successful sign-in the caller may
// store a new hash of the same password.
func NeedsRehash(hash string) bool {
	cost, err := bcrypt.Cost([]byte(hash))
	return err != nil || cost < BcryptCost
}

// randomString is n random bytes, base64url without padding.
func randomString(n int) string {
	b := make([]byte, n)
	rand.Read(b) // never fails: crypto/rand panics rather than return short
	return base64.RawURLEncoding.EncodeToString(b)
}

// TokenPrefix marks blockplan API tokens, so that one pasted by mistake into
// a chat or a repository can be recognised (and found by secret scanners).
const TokenPrefix = "bp_"

// tokenBytes is the randomness of tokens and session ids: 256 bits.
const tokenBytes = 32

// NewToken makes an API token and the hash to store. The token is shown to
// its owner once and never stored.
func NewToken() (token, hash string) {
	token = TokenPrefix + randomString(tokenBytes)
	return token, HashToken(token)
}

// HashToken is the hex SHA-256 of a token or session id, as stores keep it.
// A fast hash is right here (unlike for passwords): the value has 256 random
// bits, so there is nothing to guess.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// LooksLikeToken reports whether s has the shape NewToken makes.
func LooksLikeToken(s string) bool {
	rest, ok := strings.CutPrefix(s, TokenPrefix)
	if !ok {
		return false
	}
	b, err := base64.RawURLEncoding.DecodeString(rest)
	return err == nil && len(b) == tokenBytes
}

// ParseBearer reads an Authorization header of the form "Bearer TOKEN" (the
// scheme in any case). ok is false for any other header, empty included.
func ParseBearer(header string) (token string, ok bool) {
	scheme, token, found := strings.Cut(strings.TrimSpace(header), " ")
	if !found || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}

// NewSessionID makes a session id, for the cookie, and its hash, for the
// store. It has no prefix: it never leaves the browser's cookie jar.
func NewSessionID() (id, hash string) {
	id = randomString(tokenBytes)
	return id, HashSessionID(id)
}

// HashSessionID is the hash of a session id as the store keeps it.
func HashSessionID(id string) string { return HashToken(id) }

// ValidSessionID reports whether s has the shape NewSessionID makes; a
// cookie holding anything else is ignored without asking the store.
func ValidSessionID(s string) bool {
	b, err := base64.RawURLEncoding.DecodeString(s)
	return err == nil && len(b) == tokenBytes
}

// NewCSRFToken makes the random CSRF token of a new session (kept in the
// session's row, put in every form of its pages).
func NewCSRFToken() string { return randomString(tokenBytes) }

// CSRFToken derives a CSRF token from a browser's cookie value with a server
// key: for pages shown before sign-in (the login form), where there is no
// stored session to hold a random one. key must be secret and at least 32
// bytes.
func CSRFToken(key []byte, cookieValue string) string {
	if len(key) < 32 || cookieValue == "" {
		return ""
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte("blockplan csrf\x00"))
	mac.Write([]byte(cookieValue))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// CheckCSRF reports whether got is the expected token want, in constant
// time. An empty token never matches.
func CheckCSRF(want, got string) bool {
	return want != "" && got != "" && subtle.ConstantTimeCompare([]byte(want), []byte(got)) == 1
}

// NewKey makes a random server key for CSRFToken.
func NewKey() []byte {
	b := make([]byte, 32)
	rand.Read(b)
	return b
}

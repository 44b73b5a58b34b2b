package auth

import (
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"blockplan/model"
)

func TestHashPassword(t *testing.T) {
	for _, tc := range []struct {
		name, pw string
		wantErr  bool
	}{
		{"empty", "", true},
		{"nine characters", "123456789", true},
		{"ten characters", "1234567890", false},
		{"ten accented characters (20 bytes)", strings.Repeat("é", 10), false},
		{"nine accented characters", strings.Repeat("é", 9), true},
		{"72 bytes", strings.Repeat("x", 72), false},
		{"73 bytes", strings.Repeat("x", 73), true},
		{"37 two-byte characters (74 bytes)", strings.Repeat("é", 37), true},
		{"not UTF-8", "abcdefghij\xff", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, err := HashPassword(tc.pw)
			if tc.wantErr {
				if model.ErrorCode(err) != model.EINVALID {
					t.Fatalf("HashPassword = %q, %v; want an EINVALID error", h, err)
				}
				t.Log(err)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(h, tc.pw) {
				t.Errorf("the hash holds the password")
			}
			if !CheckPassword(h, tc.pw) {
				t.Errorf("CheckPassword(hash, pw) = false")
			}
		})
	}
	// bcrypt is slow on purpose: the checks of wrong passwords and of the
	// cost are made once, on one hash.
	h, err := HashPassword(strings.Repeat("x", 72))
	if err != nil {
		t.Fatal(err)
	}
	if cost, err := bcrypt.Cost([]byte(h)); err != nil || cost != BcryptCost || NeedsRehash(h) {
		t.Errorf("cost %d, %v; want %d", cost, err, BcryptCost)
	}
	for _, wrong := range []string{"", strings.Repeat("x", 71), strings.Repeat("x", 73), strings.Repeat("x", 71) + "y"} {
		if CheckPassword(h, wrong) {
			t.Errorf("CheckPassword accepts %q", wrong)
		}
	}
	if again, _ := HashPassword(strings.Repeat("x", 72)); again == h {
		t.Errorf("two hashes of one password are equal: no salt")
	}
	low, _ := bcrypt.GenerateFromPassword([]byte("correct horse battery"), bcrypt.MinCost)
	if !NeedsRehash(string(low)) || !NeedsRehash("garbage") {
		t.Errorf("NeedsRehash misses a cheap or unreadable hash")
	}
}

// An unknown user costs as much time as a wrong password, so that timing
// does not tell which names exist.
func TestCheckPasswordWithoutUserTakesAsLong(t *testing.T) {
	if cost, err := bcrypt.Cost([]byte(dummyHash)); err != nil || cost != BcryptCost {
		t.Fatalf("dummyHash has cost %d, %v; make a new one at cost %d", cost, err, BcryptCost)
	}
	h, _ := HashPassword("correct horse battery")
	start := time.Now()
	if CheckPassword(h, "wrong password!") {
		t.Fatal("wrong password accepted")
	}
	known := time.Since(start)
	start = time.Now()
	if CheckPassword("", "wrong password!") {
		t.Fatal("password accepted for no user")
	}
	unknown := time.Since(start)
	if unknown < known/3 {
		t.Errorf("no user: %v, wrong password: %v; the difference tells names apart", unknown, known)
	}
}

func TestTokens(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		tok, hash := NewToken()
		if !strings.HasPrefix(tok, TokenPrefix) || !LooksLikeToken(tok) {
			t.Fatalf("token %q lacks its shape", tok)
		}
		if len(tok) != len(TokenPrefix)+43 {
			t.Errorf("token %q is %d long", tok, len(tok))
		}
		if hash != HashToken(tok) || len(hash) != 64 || strings.Trim(hash, "0123456789abcdef") != "" {
			t.Fatalf("hash %q of %q", hash, tok)
		}
		if seen[tok] {
			t.Fatalf("token %q made twice", tok)
		}
		seen[tok] = true
	}
	for _, s := range []string{"", "bp_", "bp_short", "xx_" + strings.Repeat("A", 43), "bp_" + strings.Repeat("!", 43)} {
		if LooksLikeToken(s) {
			t.Errorf("LooksLikeToken(%q) = true", s)
		}
	}
	if HashToken("a") == HashToken("b") {
		t.Error("HashToken ignores its input")
	}
}

func TestParseBearer(t *testing.T) {
	for _, tc := range []struct {
		header, want string
		ok           bool
	}{
		{"Bearer bp_abc", "bp_abc", true},
		{"bearer bp_abc", "bp_abc", true},
		{"  Bearer   bp_abc  ", "bp_abc", true},
		{"Bearer", "", false},
		{"Bearer ", "", false},
		{"Basic dXNlcjpwYXNz", "", false},
		{"bp_abc", "", false},
		{"", "", false},
	} {
		got, ok := ParseBearer(tc.header)
		if got != tc.want || ok != tc.ok {
			t.Errorf("ParseBearer(%q) = %q, %v; want %q, %v", tc.header, got, ok, tc.want, tc.ok)
		}
	}
}

func TestSessionIDsAndCSRF(t *testing.T) {
	id, hash := NewSessionID()
	id2, _ := NewSessionID()
	if id == id2 || !ValidSessionID(id) || hash != HashSessionID(id) || len(hash) != 64 {
		t.Fatalf("NewSessionID = %q, %q", id, hash)
	}
	for _, s := range []string{"", "abc", id + "x", strings.Repeat("A", 44)} {
		if ValidSessionID(s) {
			t.Errorf("ValidSessionID(%q) = true", s)
		}
	}

	if a, b := NewCSRFToken(), NewCSRFToken(); a == b || len(a) < 40 {
		t.Errorf("NewCSRFToken = %q, %q", a, b)
	}
	key, other := NewKey(), NewKey()
	tok := CSRFToken(key, id)
	switch {
	case tok == "" || tok != CSRFToken(key, id):
		t.Errorf("CSRFToken is not a function of key and cookie: %q", tok)
	case tok == CSRFToken(other, id), tok == CSRFToken(key, id2):
		t.Errorf("CSRFToken ignores the key or the cookie")
	case CSRFToken(key[:16], id) != "", CSRFToken(key, "") != "":
		t.Errorf("CSRFToken made a token from a short key or no cookie")
	}
	for _, tc := range []struct {
		want, got string
		ok        bool
	}{
		{tok, tok, true},
		{tok, tok[:len(tok)-1], false},
		{tok, strings.ToUpper(tok), false},
		{tok, "", false},
		{"", "", false},
	} {
		if CheckCSRF(tc.want, tc.got) != tc.ok {
			t.Errorf("CheckCSRF(%q, %q) = %v", tc.want, tc.got, !tc.ok)
		}
	}
}

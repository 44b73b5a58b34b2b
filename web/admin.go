package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"blockplan/model"
	"blockplan/web/auth"
)

// The administrator's pages: users (add, change role, reset password,
// remove) and API tokens (make, shown once; revoke), over the same store
// methods as the command line's "user" and "token". Every change is written
// to the audit log by the store, under the signed-in admin's name. The
// audit log's pages and API are in audit.go.

// adminBase is the common part of an admin page.
func (s *Server) adminBase(c *gin.Context, titleKey, section string) (Base, error) {
	infos, err := s.listInfos(c)
	if err != nil {
		return Base{}, err
	}
	b := s.newBase(c, s.msg.must(requestLang(c), titleKey), infos, nil)
	b.Section, b.Admin = section, true
	return b, nil
}

func (s *Server) adminHome(c *gin.Context) error {
	c.Redirect(http.StatusSeeOther, "/admin/users")
	return nil
}

// when formats a time for the admin's tables, in the server's time zone.
func when(t *time.Time) string {
	if t == nil || t.IsZero() {
		return ""
	}
	return t.Local().Format("2006-01-02 15:04")
}

// usersPage lists the users, with a form to add one and, per user, forms to
// change the role and reset the password.
type usersPage struct {
	Base
	Users  []userView
	Roles  []string
	Add    addUserFields
	Errors []string // why the last change was refused
}

type userView struct {
	Name, Role, Created, Updated string
	Self                         bool
	RoleURL, PasswordURL         string
	DeleteURL                    string
}

type addUserFields struct {
	Name string `form:"name"`
	Role string `form:"role"`
	// Password is never shown again: a refused form comes back without it.
	Password string `form:"password"`
}

var roleNames = []string{string(model.RoleViewer), string(model.RolePlanner), string(model.RoleAdmin)}

func (s *Server) buildUsersPage(c *gin.Context) (*usersPage, error) {
	b, err := s.adminBase(c, "admin.users.title", "users")
	if err != nil {
		return nil, err
	}
	users, err := s.store.ListUsers(c.Request.Context())
	if err != nil {
		return nil, err
	}
	p := &usersPage{Base: b, Roles: roleNames, Add: addUserFields{Role: string(model.RoleViewer)}}
	me := currentUser(c)
	for _, us := range users {
		p.Users = append(p.Users, userView{Name: us.Name, Role: string(us.Role), Created: when(&us.CreatedAt), Updated: when(&us.UpdatedAt),
			Self:        me != nil && strings.EqualFold(me.Name, us.Name),
			RoleURL:     u("admin", "users", us.Name, "role"),
			PasswordURL: u("admin", "users", us.Name, "password"),
			DeleteURL:   u("admin", "users", us.Name, "delete")})
	}
	return p, nil
}

func (s *Server) usersPage(c *gin.Context) error {
	p, err := s.buildUsersPage(c)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "admin_users", p)
}

// refuseUsers shows the users page again with why a change was refused.
func (s *Server) refuseUsers(c *gin.Context, err error, add addUserFields) error {
	status := statusOf(err)
	if status >= 500 {
		return err
	}
	p, perr := s.buildUsersPage(c)
	if perr != nil {
		return perr
	}
	add.Password = ""
	if add.Role == "" {
		add.Role = string(model.RoleViewer)
	}
	p.Add = add
	p.Errors = []string{s.accountError(requestLang(c), err)}
	return s.render(c, status, "admin_users", p)
}

// accountError is a refused account change in the user's language: the
// store's and web/auth's messages are English, so the common ones are
// matched by code and what was asked.
func (s *Server) accountError(lang string, err error) string {
	if ae, ok := errors.AsType[*accountErr](err); ok {
		return s.msg.must(lang, ae.key, ae.args...)
	}
	return model.ErrorMessage(err)
}

// accountErr is a refused account change with its message key.
type accountErr struct {
	code string
	key  string
	args []any
}

func (e *accountErr) Error() string { return e.key }

// Unwrap lets model.ErrorCode and statusOf see the code.
func (e *accountErr) Unwrap() error { return &model.Error{Code: e.code, Message: e.key} }

func refused(code, key string, args ...any) error {
	return &accountErr{code: code, key: key, args: args}
}

// storeRefusal names the usual refusals of the user and token stores.
func storeRefusal(err error, name string, what string) error {
	switch model.ErrorCode(err) {
	case model.ENOTFOUND:
		return refused(model.ENOTFOUND, "admin.user.not_found", name)
	case model.ECONFLICT:
		switch what {
		case "create":
			return refused(model.ECONFLICT, "admin.user.exists", name)
		case "role", "remove":
			return refused(model.ECONFLICT, "admin.user.last_admin", name)
		}
	}
	return err
}

// checkNewPassword checks a password typed by an admin against the rules.
func checkNewPassword(pw string) error {
	if auth.CheckPasswordRules(pw) != nil {
		return refused(model.EINVALID, "admin.user.password_rules", auth.MinPasswordChars, auth.MaxPasswordBytes)
	}
	return nil
}

func (s *Server) addUser(c *gin.Context) error {
	var f addUserFields
	if err := c.ShouldBind(&f); err != nil {
		return malformed(err.Error(), nil)
	}
	f.Name = strings.TrimSpace(f.Name)
	role, err := model.ParseRole(f.Role)
	switch {
	case err != nil:
		return s.refuseUsers(c, refused(model.EINVALID, "admin.user.bad_role"), f)
	case model.ValidUserName(f.Name) != nil:
		return s.refuseUsers(c, refused(model.EINVALID, "admin.user.bad_name"), f)
	}
	if err := checkNewPassword(f.Password); err != nil {
		return s.refuseUsers(c, err, f)
	}
	hash, err := auth.HashPassword(f.Password)
	if err != nil {
		return err
	}
	if _, err := s.store.CreateUser(c.Request.Context(), f.Name, role, hash); err != nil {
		return s.refuseUsers(c, storeRefusal(err, f.Name, "create"), f)
	}
	redirectDone(c, "/admin/users", "user_added")
	return nil
}

func (s *Server) changeRole(c *gin.Context) error {
	name := c.Param("name")
	role, err := model.ParseRole(c.PostForm("role"))
	if err != nil {
		return s.refuseUsers(c, refused(model.EINVALID, "admin.user.bad_role"), addUserFields{})
	}
	if err := s.store.SetRole(c.Request.Context(), name, role); err != nil {
		return s.refuseUsers(c, storeRefusal(err, name, "role"), addUserFields{})
	}
	redirectDone(c, "/admin/users", "role_changed")
	return nil
}

func (s *Server) resetPassword(c *gin.Context) error {
	name := c.Param("name")
	pw := c.PostForm("password")
	if err := checkNewPassword(pw); err != nil {
		return s.refuseUsers(c, err, addUserFields{})
	}
	hash, err := auth.HashPassword(pw)
	if err != nil {
		return err
	}
	if err := s.store.SetPasswordHash(c.Request.Context(), name, hash); err != nil {
		return s.refuseUsers(c, storeRefusal(err, name, "password"), addUserFields{})
	}
	redirectDone(c, "/admin/users", "password_reset")
	return nil
}

func (s *Server) confirmRemoveUser(c *gin.Context) error {
	name := c.Param("name")
	us, err := s.store.GetUser(c.Request.Context(), name)
	if err != nil {
		return storeRefusal(err, name, "get")
	}
	b, err := s.adminBase(c, "admin.users.title", "users")
	if err != nil {
		return err
	}
	lang := requestLang(c)
	b.Title = s.msg.must(lang, "admin.user.remove_title", us.Name)
	p := &confirmPage{Base: b, Heading: b.Title, Message: s.msg.must(lang, "admin.user.remove_message", us.Name),
		Action: u("admin", "users", us.Name, "delete"), Cancel: "/admin/users", ButtonKey: "admin.user.remove"}
	return s.render(c, http.StatusOK, "confirm", p)
}

func (s *Server) removeUser(c *gin.Context) error {
	name := c.Param("name")
	if err := s.store.DeleteUser(c.Request.Context(), name); err != nil {
		return s.refuseUsers(c, storeRefusal(err, name, "remove"), addUserFields{})
	}
	redirectDone(c, "/admin/users", "user_removed")
	return nil
}

// tokensPage lists every API token, with the form to make one. A token just
// made is shown once, at the top; only its hash is stored.
type tokensPage struct {
	Base
	Tokens []tokenView
	Users  []string
	Roles  []string
	Form   tokenFields
	newToken
	Errors []string
}

// newToken is a token just made, as the page after it shows it once.
type newToken struct {
	NewToken string
	NewInfo  tokenView
}

type tokenView struct {
	ID                         int64
	User, Label, Role          string
	Created, LastUsed, Revoked string
	RevokeURL                  string
}

type tokenFields struct {
	User  string `form:"user"`
	Label string `form:"label"`
	Role  string `form:"role"`
}

func tokenViewOf(t model.Token) tokenView {
	v := tokenView{ID: t.ID, User: t.UserName, Label: t.Label, Role: string(t.Role), Created: when(&t.CreatedAt),
		LastUsed: when(t.LastUsed), Revoked: when(t.RevokedAt)}
	if !t.Revoked() {
		v.RevokeURL = u("admin", "tokens", strconv.FormatInt(t.ID, 10), "revoke")
	}
	return v
}

func (s *Server) buildTokensPage(c *gin.Context) (*tokensPage, error) {
	b, err := s.adminBase(c, "admin.tokens.title", "tokens")
	if err != nil {
		return nil, err
	}
	ctx := c.Request.Context()
	tokens, err := s.store.ListTokens(ctx, "")
	if err != nil {
		return nil, err
	}
	users, err := s.store.ListUsers(ctx)
	if err != nil {
		return nil, err
	}
	p := &tokensPage{Base: b, Roles: roleNames}
	for _, t := range tokens {
		p.Tokens = append(p.Tokens, tokenViewOf(t))
	}
	for _, us := range users {
		p.Users = append(p.Users, us.Name)
	}
	return p, nil
}

func (s *Server) tokensPage(c *gin.Context) error {
	p, err := s.buildTokensPage(c)
	if err != nil {
		return err
	}
	if key := currentIdentity(c).SessionKey; key != "" {
		p.newToken, _ = s.newTokens.take(key)
	}
	return s.render(c, http.StatusOK, "admin_tokens", p)
}

func (s *Server) createToken(c *gin.Context) error {
	var f tokenFields
	if err := c.ShouldBind(&f); err != nil {
		return malformed(err.Error(), nil)
	}
	f.Label = strings.TrimSpace(f.Label)
	var role model.Role
	var err error
	if f.Role != "" {
		if role, err = model.ParseRole(f.Role); err != nil {
			err = refused(model.EINVALID, "admin.user.bad_role")
		}
	}
	var t model.Token
	token := ""
	if err == nil {
		var hash string
		token, hash = auth.NewToken()
		t, err = s.store.CreateToken(c.Request.Context(), f.User, f.Label, role, hash)
		if model.ErrorCode(err) == model.ENOTFOUND {
			err = storeRefusal(err, f.User, "token")
		}
	}
	if err != nil && statusOf(err) >= 500 {
		return err
	}
	made := newToken{NewToken: token, NewInfo: tokenViewOf(t)}
	if key := currentIdentity(c).SessionKey; err == nil && key != "" {
		// POST/redirect/GET: reloading the page the browser lands on
		// shows the list, and does not make another token.
		s.newTokens.put(key, made)
		c.Redirect(http.StatusSeeOther, "/admin/tokens")
		return nil
	}
	p, perr := s.buildTokensPage(c)
	if perr != nil {
		return perr
	}
	if err != nil {
		p.Form = f
		p.Errors = []string{s.accountError(requestLang(c), err)}
		return s.render(c, statusOf(err), "admin_tokens", p)
	}
	p.newToken = made // not a browser session: nowhere to keep it for a GET
	return s.render(c, http.StatusCreated, "admin_tokens", p)
}

func (s *Server) revokeToken(c *gin.Context) error {
	id := c.Param("tid")
	if _, err := strconv.ParseInt(id, 10, 64); err != nil {
		return model.Errorf(model.ENOTFOUND, "%s", s.msg.must(requestLang(c), "error.no_page"))
	}
	if _, err := s.store.RevokeToken(c.Request.Context(), id); err != nil {
		if statusOf(err) >= 500 {
			return err
		}
		p, perr := s.buildTokensPage(c)
		if perr != nil {
			return perr
		}
		p.Errors = []string{model.ErrorMessage(err)}
		return s.render(c, statusOf(err), "admin_tokens", p)
	}
	redirectDone(c, "/admin/tokens", "token_revoked")
	return nil
}

// me is who the API caller is.
type me struct {
	Name string `json:"name"`
	Role string `json:"role"`
	Via  string `json:"via"`
}

func (s *Server) apiMe(c *gin.Context) error {
	id := currentIdentity(c)
	writeJSON(c, http.StatusOK, me{Name: id.User.Name, Role: id.User.Role.String(), Via: id.Via})
	return nil
}

// query is a URL query string from pairs, leaving out empty values.
func query(pairs ...string) string {
	q := url.Values{}
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] != "" {
			q.Set(pairs[i], pairs[i+1])
		}
	}
	if len(q) == 0 {
		return ""
	}
	return "?" + q.Encode()
}

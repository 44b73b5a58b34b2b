package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"blockplan/model"
)

// statusOfCode is the one table from domain error codes to HTTP statuses.
var statusOfCode = map[string]int{
	model.EINVALID:      http.StatusUnprocessableEntity,
	model.ENOTFOUND:     http.StatusNotFound,
	model.ECONFLICT:     http.StatusConflict,
	model.EUNAUTHORIZED: http.StatusUnauthorized,
	model.EFORBIDDEN:    http.StatusForbidden,
	model.EINTERNAL:     http.StatusInternalServerError,
}

// errMalformed marks an invalid request that could not even be read (bad
// JSON syntax, a query parameter that is not a number): 400 rather than the
// 422 of a well-formed request that breaks the model's rules.
var errMalformed = errors.New("malformed request")

// errMethodNotAllowed marks a request whose path exists with another method.
var errMethodNotAllowed = errors.New("method not allowed")

// malformed is an EINVALID error answered with 400.
func malformed(msg string, details model.Problems) error {
	return &model.Error{Code: model.EINVALID, Message: msg, Details: details, Err: errMalformed}
}

// statusOf is the HTTP status for err.
func statusOf(err error) int {
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return http.StatusRequestEntityTooLarge
	case errors.Is(err, errMethodNotAllowed):
		return http.StatusMethodNotAllowed
	case errors.Is(err, errMalformed):
		return http.StatusBadRequest
	}
	if st, ok := statusOfCode[model.ErrorCode(err)]; ok {
		return st
	}
	return http.StatusInternalServerError
}

// conflictError is an ECONFLICT from an entity edit, with the entity as it
// is now stored so that the caller can show it ("someone else changed this;
// here is the current value"). Current is nil when the entity was deleted.
type conflictError struct {
	err     *model.Error
	Current *entityState
}

func (e *conflictError) Error() string { return e.err.Error() }
func (e *conflictError) Unwrap() error { return e.err }

// errorBody is the JSON error object of the API.
type errorBody struct {
	Error errorObject `json:"error"`
}

type errorObject struct {
	Code    string         `json:"code"`
	Message string         `json:"message"`
	Details model.Problems `json:"details"`
	// Current is the entity as stored now, on a 409 from an entity edit.
	Current *entityState `json:"current,omitempty"`
}

// isAPI reports whether the request is for the JSON API.
func isAPI(c *gin.Context) bool {
	p := c.Request.URL.Path
	return strings.HasPrefix(p, "/api/") || p == "/healthz"
}

// fail answers a request with err: the JSON error object under /api/, an
// HTML error page in the user's language elsewhere. Internal errors are
// logged with their cause and shown without it. It is the only place that
// turns an error into a response.
func (s *Server) fail(c *gin.Context, err error) {
	status := statusOf(err)
	code := model.ErrorCode(err)
	msg := model.ErrorMessage(err)
	if status == http.StatusRequestEntityTooLarge {
		code, msg = model.EINVALID, s.msg.must(requestLang(c), "error.too_large")
	}
	if status >= 500 {
		s.log.Error("request failed", "method", c.Request.Method, "path", c.Request.URL.Path, "err", err)
	}
	c.Set(errorKey, err)
	var ce *conflictError
	errors.As(err, &ce)
	if isAPI(c) {
		body := errorBody{Error: errorObject{Code: code, Message: msg, Details: model.ErrorDetails(err)}}
		if body.Error.Details == nil {
			body.Error.Details = model.Problems{}
		}
		if ce != nil {
			body.Error.Current = ce.Current
		}
		writeJSON(c, status, body)
		return
	}
	if err := s.renderError(c, status, code, err); err != nil {
		s.log.Error("render error page", "err", err)
		c.Data(status, "text/plain; charset=utf-8", []byte(msg+"\n"))
	}
}

const errorKey = "blockplan.error"

// writeJSON writes v as JSON, built in full before anything is written.
func writeJSON(c *gin.Context, status int, v any) {
	data, err := encodeJSON(v)
	if err != nil {
		c.Data(http.StatusInternalServerError, "application/json; charset=utf-8",
			[]byte(`{"error":{"code":"internal","message":"internal error","details":[]}}`))
		return
	}
	c.Data(status, "application/json; charset=utf-8", data)
}

// encodeJSON is v as compact JSON and a final newline. Strings are not
// HTML-escaped: the content type says JSON, and nosniff stops a browser
// from reading it as anything else.
func encodeJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

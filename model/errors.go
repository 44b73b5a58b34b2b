package model

import (
	"errors"
	"fmt"
)

// Error codes. Web maps them to HTTP statuses and cmd to exit statuses, each
// in one table.
const (
	ECONFLICT     = "conflict"
	EINTERNAL     = "internal"
	EINVALID      = "invalid"
	ENOTFOUND     = "not_found"
	EUNAUTHORIZED = "unauthorized"
	EFORBIDDEN    = "forbidden"
)

// Error is blockplan's domain error: a code and a message safe to show a
// user. Details carries the individual problems of an invalid input.
type Error struct {
	Code    string
	Message string
	Details Problems
	Err     error // underlying cause, not shown to users
}

func (e *Error) Error() string {
	if e.Err != nil && e.Message == "" {
		return e.Err.Error()
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf makes a domain error with a code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode is the code of the first *Error in err's chain, EINTERNAL for any
// other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage is the user-safe message of err: the *Error's message, or a
// generic one for internal errors.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}

// ErrorDetails is the problem list carried by err, if any.
func ErrorDetails(err error) Problems {
	var e *Error
	if errors.As(err, &e) {
		return e.Details
	}
	return nil
}

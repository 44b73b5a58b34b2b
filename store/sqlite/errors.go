package sqlite

import (
	"errors"

	"github.com/mattn/go-sqlite3"

	"blockplan/model"
)

// dbError turns a go-sqlite3 error into a domain error, by its result code
// (never by its text), keeping the driver error as the cause for logs.
// Domain errors, context errors and nil pass through unchanged.
func dbError(err error) error {
	var me *model.Error
	var se sqlite3.Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &me):
		return err
	case !errors.As(err, &se):
		return err
	}
	e := &model.Error{Code: model.EINTERNAL, Err: err}
	switch se.Code {
	case sqlite3.ErrConstraint:
		switch se.ExtendedCode {
		case sqlite3.ErrConstraintCheck, sqlite3.ErrConstraintNotNull:
			e.Code, e.Message = model.EINVALID, "the data breaks a rule of the database"
		default:
			e.Code, e.Message = model.ECONFLICT, "the change conflicts with data already stored"
		}
	case sqlite3.ErrBusy, sqlite3.ErrLocked:
		e.Message = "the database is busy (another program is writing to it); try again"
	case sqlite3.ErrReadonly:
		e.Message = "the database file cannot be written (read-only file or folder)"
	case sqlite3.ErrFull:
		e.Message = "the disk is full"
	case sqlite3.ErrCantOpen, sqlite3.ErrPerm, sqlite3.ErrAuth:
		e.Message = "the database file cannot be opened"
	case sqlite3.ErrCorrupt, sqlite3.ErrNotADB:
		e.Code, e.Message = model.EINVALID, "the file is damaged or is not a blockplan database"
	default:
		e.Message = "database error"
	}
	return e
}

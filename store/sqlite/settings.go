package sqlite

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"

	"blockplan/model"
)

// serverSecretKey names the server's secret in server_settings.
const serverSecretKey = "login_csrf_key"

// serverSecretLen is the length of the server's secret in bytes.
const serverSecretLen = 32

// ServerSecret is this database's secret key for the server (it keys the CSRF
// token of the login form): 32 random bytes, made and stored on the first
// call, the same on every later one, in this process or another. Two
// processes that make it at once agree: the second one's INSERT is ignored
// and both read the first one's key.
func (db *DB) ServerSecret(ctx context.Context) ([]byte, error) {
	var key []byte
	err := db.read(ctx, func(tx *sql.Tx) error {
		var err error
		key, err = readSetting(ctx, tx, serverSecretKey)
		return err
	})
	if err == nil && key == nil {
		fresh := make([]byte, serverSecretLen)
		rand.Read(fresh)
		err = db.write(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO server_settings (key, value) VALUES (?, ?)`,
				serverSecretKey, fresh); err != nil {
				return err
			}
			var err error
			key, err = readSetting(ctx, tx, serverSecretKey)
			return err
		})
	}
	if err != nil {
		return nil, fmt.Errorf("server secret: %w", err)
	}
	if len(key) != serverSecretLen {
		return nil, model.Errorf(model.EINVALID, "server secret: the stored key has %d bytes, want %d", len(key), serverSecretLen)
	}
	return key, nil
}

// readSetting is the value of setting key, nil when there is none.
func readSetting(ctx context.Context, tx *sql.Tx, key string) ([]byte, error) {
	var v []byte
	err := tx.QueryRowContext(ctx, `SELECT value FROM server_settings WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err == nil && v == nil {
		v = []byte{} // stored but empty: not "none"
	}
	return v, err
}

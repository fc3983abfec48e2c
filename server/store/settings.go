package store

import (
	"context"
	"crypto/rand"
	"fmt"
)

// SessionKey returns the key that signs session cookies, making and keeping
// one on first use so that a restart does not sign everybody out.
func (s *Store) SessionKey(ctx context.Context) ([]byte, error) {
	key := make([]byte, 64)
	rand.Read(key)
	err := s.tx(ctx, func(tx *txn) error {
		if _, err := tx.ExecContext(ctx,
			`INSERT INTO settings (key, value) VALUES ('session_key', ?) ON CONFLICT DO NOTHING`, key); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = 'session_key'`).Scan(&key)
	})
	if err != nil {
		return nil, fmt.Errorf("session key: %w", err)
	}
	return key, nil
}

package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"fmt"
	"time"
)

// CreateSession signs a user in for ttl and returns the token for their
// cookie. Expired sessions are swept away at the same time.
func (s *Store) CreateSession(ctx context.Context, userID int64, ttl time.Duration) (string, error) {
	raw := make([]byte, 32)
	rand.Read(raw)
	token := base64.RawURLEncoding.EncodeToString(raw)
	now := s.nowUTC()
	err := s.write(ctx, false, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at < ?`, now); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx,
			`INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
			hashToken(token), userID, now, now.Add(ttl))
		return err
	})
	if err != nil {
		return "", fmt.Errorf("create session for user %d: %w", userID, err)
	}
	return token, nil
}

// SessionUser returns the user whose unexpired session has this token.
func (s *Store) SessionUser(ctx context.Context, token string) (User, error) {
	var u User
	row := s.r.QueryRowContext(ctx, `SELECT `+userColumns+userFrom+`
		JOIN sessions se ON se.user_id = u.id
		WHERE se.token_hash = ? AND se.expires_at > ?`, hashToken(token), s.nowUTC())
	if err := scanUser(row, &u); err != nil {
		return User{}, fmt.Errorf("session: %w", notFound(err))
	}
	return u, nil
}

// DeleteSession ends a session.
func (s *Store) DeleteSession(ctx context.Context, token string) error {
	err := s.write(ctx, false, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = ?`, hashToken(token))
		return err
	})
	if err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

func hashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

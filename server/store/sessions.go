package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"wordgarden/server/model"
)

// CreateSession signs a user in for ttl and returns the token for their
// cookie. Expired sessions are swept away at the same time.
func (s *Store) CreateSession(ctx context.Context, userID int64, ttl time.Duration) (string, error) {
	raw := make([]byte, 32)
	rand.Read(raw)
	token := base64.RawURLEncoding.EncodeToString(raw)
	now := s.nowUTC()
	err := s.write(ctx, false, func(tx *txn) error {
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

// sessionCacheTTL is how long a looked-up session is trusted without
// reading it again. Signing out drops it at once, and so does any change
// to an account made through this store (forgetSessions); the wait only
// delays seeing a change made by another process, such as the command line.
const sessionCacheTTL = 10 * time.Second

// cachedSession is a session recently read.
type cachedSession struct {
	user    model.User
	expires time.Time // the session's own expiry
	fresh   time.Time // when to read it again
	epoch   uint64    // sessionEpoch when it was read
}

// SessionUser returns the user whose unexpired session has this token.
// Every signed-in request asks, so answers are kept for a few seconds.
func (s *Store) SessionUser(ctx context.Context, token string) (model.User, error) {
	key := string(hashToken(token))
	now := s.nowUTC()
	// Read before the database, so that an answer read while an account
	// changes is kept under the old epoch and not trusted afterwards.
	epoch := s.sessionEpoch.Load()
	if v, ok := s.sessions.Load(key); ok {
		cs := v.(cachedSession)
		if cs.epoch == epoch && now.Before(cs.fresh) && now.Before(cs.expires) {
			return cs.user, nil
		}
		s.sessions.Delete(key)
	}
	var u model.User
	var expires time.Time
	row := s.r.QueryRowContext(ctx, `SELECT `+userColumns+`, se.expires_at`+userFrom+`
		JOIN sessions se ON se.user_id = u.id
		WHERE se.token_hash = ? AND se.expires_at > ?
			AND u.disabled_at IS NULL AND u.erased_at IS NULL`, []byte(key), now)
	if err := scanUser(row, &u, &expires); err != nil {
		return model.User{}, notFound(err, model.ThingSession, "")
	}
	if s.afterSessionRead != nil {
		s.afterSessionRead()
	}
	if s.sessionCount.Add(1) > maxCachedSessions {
		// Rarely reached; start again rather than track ages.
		s.sessions.Clear()
		s.sessionCount.Store(0)
	}
	s.sessions.Store(key, cachedSession{user: u, expires: expires, fresh: now.Add(sessionCacheTTL), epoch: epoch})
	return u, nil
}

// forgetSessions makes every session in the cache be read again before it
// is trusted. Call it after committing a change to an account (its
// sessions ended, the account switched off, renamed): a lookup that read
// the database before the commit was kept under the old epoch.
func (s *Store) forgetSessions() {
	s.dropCachedSessions()
	s.tell(notifySessions)
}

// dropCachedSessions is forgetSessions in this process only.
func (s *Store) dropCachedSessions() {
	s.sessionEpoch.Add(1)
	s.sessions.Clear()
	s.sessionCount.Store(0)
}

// EndSessions signs a person out everywhere: their sessions are deleted,
// and the cache forgets them at once. It returns how many there were.
func (s *Store) EndSessions(ctx context.Context, userID int64) (int, error) {
	var n int64
	err := s.write(ctx, false, func(tx *txn) error {
		if err := userExists(ctx, tx, userID); err != nil {
			return err
		}
		var err error
		n, err = endSessions(ctx, tx, userID)
		return err
	})
	if errors.Is(err, model.ErrNotFound) {
		return 0, err
	}
	if err != nil {
		return 0, fmt.Errorf("end the sessions of user %d: %w", userID, err)
	}
	s.forgetSessions()
	return int(n), nil
}

// endSessions deletes a person's sessions inside tx; the caller calls
// forgetSessions once tx commits.
func endSessions(ctx context.Context, tx *txn, userID int64) (int64, error) {
	res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID)
	if err != nil {
		return 0, fmt.Errorf("end sessions: %w", err)
	}
	return res.RowsAffected()
}

// CountSessions counts a person's sessions that have not expired.
func (s *Store) CountSessions(ctx context.Context, userID int64) (int, error) {
	var n int
	err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM sessions WHERE user_id = ? AND expires_at > ?`,
		userID, s.nowUTC()).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count the sessions of user %d: %w", userID, err)
	}
	return n, nil
}

// maxCachedSessions bounds the sessions kept in memory: about ten seconds'
// worth of distinct people at a borough's busiest (a vote), at a few hundred
// bytes each. Entries are not aged out one by one, so the bound is what
// keeps a day of sign-ins from filling the heap.
const maxCachedSessions = 10_000

// DeleteSession ends a session.
func (s *Store) DeleteSession(ctx context.Context, token string) error {
	s.sessions.Delete(string(hashToken(token)))
	err := s.write(ctx, false, func(tx *txn) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = ?`, hashToken(token))
		return err
	})
	if err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	s.tell(notifySession, hex.EncodeToString(hashToken(token)))
	return nil
}

func hashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

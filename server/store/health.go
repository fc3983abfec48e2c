package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// CheckWritable proves the database takes writes: it commits a row of its
// own in settings through the writer, as any write would, and so waits
// behind writes in flight. It does not move Generation on, so pages stay
// cached. The row holds the time of the last check.
func (s *Store) CheckWritable(ctx context.Context) error {
	if err := s.r.PingContext(ctx); err != nil {
		return fmt.Errorf("read: %w", err)
	}
	now := s.nowUTC().Format(time.RFC3339Nano)
	err := s.write(ctx, false, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES ('health_checked_at', ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, now)
		return err
	})
	if err != nil {
		return fmt.Errorf("write: %w", err)
	}
	return nil
}

// CountOpenRounds counts the rounds open for voting now.
func (s *Store) CountOpenRounds(ctx context.Context) (int, error) {
	var n int
	err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM rounds WHERE closed_at IS NULL AND closes_at > ?`, s.nowUTC()).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count open rounds: %w", err)
	}
	return n, nil
}

// Size is the size of the database in bytes: its pages, not counting the
// write-ahead log, which checkpoints fold back in.
func (s *Store) Size(ctx context.Context) (int64, error) {
	var n int64
	err := s.r.QueryRowContext(ctx, `SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()`).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("database size: %w", err)
	}
	return n, nil
}

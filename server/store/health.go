package store

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"time"

	"github.com/mattn/go-sqlite3"
)

// probeSize is the size of the value the health check writes: 64 KiB, 17
// pages of the write-ahead log, where one ballot takes 4 and a full batch
// of 256 about 30 in a round of a thousand (more in larger rounds, whose
// indexes it touches in more places). A one-page check, as there was,
// still went through on a disk too full for a ballot: SQLite reuses the
// log's pages, and a ballot that fails leaves some of its pages behind for
// the next, smaller write.
const probeSize = 64 << 10

// failureHold is how long a failed write keeps the health check failing
// when no ballot has been written since. The check's own write proves less
// than a large batch of ballots, so it does not clear a failure at once;
// but a site that takes no ballots (or that a proxy, seeing it fail, stops
// sending them to) must read as healthy again once the disk has room.
const failureHold = time.Minute

// writeFailure is a write that failed for want of storage.
type writeFailure struct {
	at  time.Time
	err error
}

// CheckWritable proves the database takes writes of the size ballots need:
// it commits 64 KiB of its own in settings through the writer, as any write
// would, and so waits behind writes in flight. It also fails while a write
// has failed for want of storage (the disk full, an I/O error, the file
// read-only or damaged) and no ballot has been written since, for up to a
// minute (failureHold). It does not move Generation on, so pages stay
// cached. The settings hold the time of the last check.
func (s *Store) CheckWritable(ctx context.Context) error {
	if err := s.r.PingContext(ctx); err != nil {
		return fmt.Errorf("read: %w", err)
	}
	now := s.nowUTC()
	probe := make([]byte, probeSize)
	rand.Read(probe)
	err := s.commit(ctx, false, func(tx *txn) error {
		// Random bytes: the pages change every time, so all of them are
		// written.
		_, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value)
			VALUES ('health_checked_at', ?), ('health_probe', ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
			[]byte(now.Format(time.RFC3339Nano)), probe)
		return err
	})
	if err != nil {
		return fmt.Errorf("write: %w", err)
	}
	s.failureMu.Lock()
	defer s.failureMu.Unlock()
	f := s.failure
	if f.err == nil {
		return nil
	}
	if now.Sub(f.at) >= failureHold {
		s.failure = writeFailure{}
		return nil
	}
	return fmt.Errorf("a write failed at %s, and no ballot has been written since: %w", f.at.Format(time.RFC3339), f.err)
}

// noteWriteFailure remembers a write's error if it says the database
// cannot take writes, rather than that the write was refused (a UNIQUE
// constraint, a closed round) or given up (a context ended).
func (s *Store) noteWriteFailure(err error) {
	var se sqlite3.Error
	if !errors.As(err, &se) {
		return
	}
	switch se.Code {
	case sqlite3.ErrFull, sqlite3.ErrIoErr, sqlite3.ErrReadonly, sqlite3.ErrCorrupt, sqlite3.ErrNotADB, sqlite3.ErrCantOpen:
		s.failureMu.Lock()
		s.failure = writeFailure{at: s.nowUTC(), err: err}
		s.failureMu.Unlock()
	}
}

// ballotsWritten forgets a failed write: ballots, the writes the health
// check stands for, are going to disk again.
func (s *Store) ballotsWritten() {
	s.failureMu.Lock()
	s.failure = writeFailure{}
	s.failureMu.Unlock()
}

// CountOpenRounds counts the rounds open for voting now.
func (s *Store) CountOpenRounds(ctx context.Context) (int, error) {
	var n int
	err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM rounds WHERE closed_at IS NULL AND cancelled_at IS NULL AND closes_at > ?`, s.nowUTC()).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count open rounds: %w", err)
	}
	return n, nil
}

// Size is the size of the database in bytes: SQLite's pages, not counting
// the write-ahead log, which checkpoints fold back in; or the PostgreSQL
// database's size, all of it.
func (s *Store) Size(ctx context.Context) (int64, error) {
	var n int64
	err := s.r.QueryRowContext(ctx, s.dialect.pick(
		`SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()`,
		`SELECT pg_database_size(current_database())`)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("database size: %w", err)
	}
	return n, nil
}

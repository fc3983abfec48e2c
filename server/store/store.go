// Package store keeps wordgarden's data in SQLite or PostgreSQL.
//
// Writes go through one connection, so writers queue in Go instead of
// fighting over SQLite's lock (which under load answers "database is
// locked"); reads use a pool of read-only connections, which WAL lets run
// beside the writer.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"net/url"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mattn/go-sqlite3"
	"golang.org/x/crypto/bcrypt"
)

// Store is the database. It is safe for concurrent use.
type Store struct {
	// writing holds one token: the writer's turn. Writers queue for it in
	// arrival order (a channel's waiters are served first come, first
	// served), where database/sql would hand the free connection to a
	// random waiter, which under load left some writes waiting for
	// seconds. A writer whose context ends stops waiting.
	writing chan struct{}
	dsn     string // what Open was given
	w       *pool  // SQLite: one connection, every write
	r       *pool  // SQLite: a read-only pool; PostgreSQL: the same pool as w
	dialect dialect
	// now is the clock; tests may set it.
	now func() time.Time
	// commits counts the write transactions committed since Open.
	commits atomic.Uint64
	// gen counts committed writes that can change what a page shows, and
	// closing times passed (Generation).
	gen atomic.Uint64
	// closings are the closing times of open rounds, soonest first, and
	// nextClosing the first of them in Unix nanoseconds (math.MaxInt64
	// when there is none), so Generation can tell cheaply when one passes.
	closingMu   sync.Mutex
	closings    []time.Time
	nextClosing atomic.Int64

	// The ballot writer (ballots.go).
	ballotJobs  chan *ballotJob
	stop        chan struct{}
	stopOnce    sync.Once
	ballotsDone chan struct{}
	rules       sync.Map // round id -> Round, the rules CastBallot checks against

	// Sessions recently looked up (sessions.go), and the epoch that
	// forgetSessions moves on when an account changes.
	sessions     sync.Map // token hash -> cachedSession
	sessionCount atomic.Int64
	sessionEpoch atomic.Uint64
	// afterSessionRead, set by tests only, runs between a session's
	// reading and its caching, to hold a lookup in that gap.
	afterSessionRead func()

	// Passwords (users.go): the bcrypt cost of new hashes, and a hash at
	// that cost to compare against when a sign-in name is unknown.
	passwordCost int
	dummyHash    []byte

	// Telling other servers on the same PostgreSQL database what changed
	// (notify.go): this store's id in its notifications, the channel, and
	// the listener.
	id            string
	channel       string
	stopListening context.CancelFunc
	listening     chan struct{}

	// The last write that failed for want of storage (health.go).
	failureMu sync.Mutex
	failure   writeFailure
}

// An Option changes how Open sets up a Store.
type Option func(*options)

type options struct {
	passwordCost int
	now          func() time.Time
	mustExist    bool
}

// WithPasswordCost sets the bcrypt cost of the password hashes the store
// makes (bcrypt.MinCost to bcrypt.MaxCost; the default is
// bcrypt.DefaultCost). Tests lower it: at the default, hashing dominates a
// test that makes a few accounts.
func WithPasswordCost(cost int) Option {
	return func(o *options) { o.passwordCost = cost }
}

// WithClock makes the store tell the time with now rather than time.Now:
// tests move it on to let a round's closing time pass.
func WithClock(now func() time.Time) Option {
	return func(o *options) { o.now = now }
}

// Open opens the database named by dsn and brings its schema up to date.
// A postgres:// or postgresql:// URL is a PostgreSQL database (see
// openPostgres); anything else is the path of a SQLite database, with or
// without "file:" (see openSQLite), created if need be unless MustExist.
func Open(dsn string, opts ...Option) (*Store, error) {
	o := options{passwordCost: bcrypt.DefaultCost, now: time.Now}
	for _, opt := range opts {
		opt(&o)
	}
	if o.passwordCost < bcrypt.MinCost || o.passwordCost > bcrypt.MaxCost {
		return nil, fmt.Errorf("password cost %d is outside bcrypt's %d to %d", o.passwordCost, bcrypt.MinCost, bcrypt.MaxCost)
	}
	// Made once here, at the store's cost, so that a sign-in with an unknown
	// name takes as long as one with a known name, the first time too.
	dummy, err := bcrypt.GenerateFromPassword([]byte("no such user, no such password"), o.passwordCost)
	if err != nil {
		return nil, fmt.Errorf("hash password: %w", err)
	}
	var w, r *pool
	if IsPostgres(dsn) {
		w, err = openPostgres(dsn, o)
		r = w
	} else {
		w, r, err = openSQLite(strings.TrimPrefix(dsn, "file:"), o)
	}
	if err != nil {
		return nil, err
	}
	s := &Store{dsn: dsn, w: w, r: r, dialect: w.dialect, now: o.now, writing: make(chan struct{}, 1),
		passwordCost: o.passwordCost, dummyHash: dummy}
	if err := s.loadClosings(); err != nil {
		s.closeDB()
		return nil, fmt.Errorf("open %s: %w", w.dialect, err)
	}
	if s.dialect == postgres {
		if err := s.startListening(); err != nil {
			s.closeDB()
			return nil, fmt.Errorf("open %s: %w", Redact(dsn), err)
		}
	}
	s.startBallotWriter()
	return s, nil
}

// IsPostgres reports whether dsn names a PostgreSQL database rather than a
// SQLite file.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// openSQLite opens the SQLite database at path: one writing connection and
// a pool of read-only ones. It checks the file is not damaged (PRAGMA
// quick_check: about half a second for a 285 MB database in the page
// cache, four read from disk) and migrates it.
func openSQLite(path string, o options) (w, r *pool, err error) {
	if !fts5Available() {
		return nil, nil, errors.New("this binary was built without SQLite FTS5, which search needs: build and test with -tags sqlite_fts5")
	}
	q := url.Values{}
	if o.mustExist {
		if err := checkExists(path); err != nil {
			return nil, nil, err
		}
		q.Set("mode", "rw") // and SQLite makes none either
	}
	q.Set("_journal_mode", "WAL")
	q.Set("_busy_timeout", "5000")
	q.Set("_foreign_keys", "on")
	// FULL: a commit reaches the disk before we tell anyone it happened.
	q.Set("_synchronous", "FULL")
	q.Set("_txlock", "immediate")
	q.Set("_stmt_cache_size", "64")
	// Ballots go into indexes of a million rows; a larger page cache for
	// the one writer saves reading index pages back from the disk.
	q.Set("_cache_size", "-8000")
	wdb, err := sql.Open("sqlite3", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, nil, fmt.Errorf("open %s: %w", path, err)
	}
	// One connection for the writer; the migrations get a second, while
	// no one else writes, for goose holds one connection while it asks
	// the pool for another.
	wdb.SetMaxOpenConns(2)
	wdb.SetConnMaxIdleTime(0)
	if err := quickCheck(wdb, path); err != nil {
		wdb.Close()
		return nil, nil, explainOpen(path, err)
	}
	if err := migrate(context.Background(), sqlite, wdb); err != nil {
		wdb.Close()
		return nil, nil, explainOpen(path, fmt.Errorf("prepare %s: %w", path, err))
	}
	wdb.SetMaxOpenConns(1)

	q = url.Values{}
	q.Set("mode", "ro")
	q.Set("_busy_timeout", "5000")
	q.Set("_foreign_keys", "on")
	// Pages run the same few queries again and again: keep them prepared.
	q.Set("_stmt_cache_size", "64")
	rdb, err := sql.Open("sqlite3", "file:"+path+"?"+q.Encode())
	if err != nil {
		wdb.Close()
		return nil, nil, fmt.Errorf("open %s for reading: %w", path, err)
	}
	n := max(4, 2*runtime.NumCPU())
	rdb.SetMaxOpenConns(n)
	rdb.SetMaxIdleConns(n)
	if err := rdb.Ping(); err != nil {
		wdb.Close()
		rdb.Close()
		return nil, nil, explainOpen(path, fmt.Errorf("open %s for reading: %w", path, err))
	}
	return &pool{DB: wdb, dialect: sqlite}, &pool{DB: rdb, dialect: sqlite}, nil
}

// Close waits for ballots being written, then closes the database.
func (s *Store) Close() error {
	s.stopBallotWriter()
	if s.stopListening != nil {
		s.stopListening()
		<-s.listening
	}
	return s.closeDB()
}

// closeDB closes the pools.
func (s *Store) closeDB() error {
	if s.r == s.w {
		return s.w.Close()
	}
	return errors.Join(s.r.Close(), s.w.Close())
}

// Generation changes whenever a write commits that can change what a page
// shows (anything but ballots and sign-ins), and when an open round's
// closing time passes: from then on the round reads as closed, though
// nothing was written, so pages that showed it open are stale. Caches of
// pages compare it to know when they are stale.
func (s *Store) Generation() uint64 {
	if s.now().UnixNano() >= s.nextClosing.Load() {
		s.passClosings()
	}
	return s.gen.Load()
}

// Commits is how many write transactions the store has committed since it
// was opened: ballots, sign-ins and health checks as well as changes to
// what pages show.
func (s *Store) Commits() uint64 {
	return s.commits.Load()
}

// NextClosing is the soonest closing time of a round not yet counted, or
// the zero time when there is none. Rounds whose time has passed count too
// until CloseDueRounds has counted them.
func (s *Store) NextClosing() time.Time {
	s.closingMu.Lock()
	defer s.closingMu.Unlock()
	if len(s.closings) == 0 {
		return time.Time{}
	}
	return s.closings[0]
}

// loadClosings reads the closing times of the rounds not yet counted.
func (s *Store) loadClosings() error {
	s.closingMu.Lock()
	defer s.closingMu.Unlock()
	rows, err := s.r.Query(`SELECT closes_at FROM rounds WHERE closed_at IS NULL AND cancelled_at IS NULL`)
	if err != nil {
		return fmt.Errorf("closing times: %w", err)
	}
	defer rows.Close()
	var closings []time.Time
	for rows.Next() {
		var t time.Time
		if err := rows.Scan(&t); err != nil {
			return fmt.Errorf("closing times: %w", err)
		}
		closings = append(closings, t)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("closing times: %w", err)
	}
	slices.SortFunc(closings, time.Time.Compare)
	s.closings = closings
	s.storeNextClosing()
	return nil
}

// noteClosing adds a round's closing time.
func (s *Store) noteClosing(t time.Time) {
	s.closingMu.Lock()
	defer s.closingMu.Unlock()
	i, _ := slices.BinarySearchFunc(s.closings, t, time.Time.Compare)
	s.closings = slices.Insert(s.closings, i, t)
	s.nextClosing.Store(s.closings[0].UnixNano())
}

// forgetClosing takes away a counted round's closing time, if it is still
// to come: a round closed early.
func (s *Store) forgetClosing(t time.Time) {
	s.closingMu.Lock()
	defer s.closingMu.Unlock()
	if i, ok := slices.BinarySearchFunc(s.closings, t, time.Time.Compare); ok && t.After(s.now()) {
		s.closings = slices.Delete(s.closings, i, i+1)
		s.storeNextClosing()
	}
}

// passClosings takes away the closing times that have passed, and moves
// the generation on if there were any.
func (s *Store) passClosings() {
	s.closingMu.Lock()
	defer s.closingMu.Unlock()
	now := s.now()
	n := 0
	for n < len(s.closings) && !s.closings[n].After(now) {
		n++
	}
	if n > 0 {
		s.closings = slices.Delete(s.closings, 0, n)
		s.gen.Add(1)
	}
	s.storeNextClosing()
}

// storeNextClosing sets nextClosing from closings; closingMu is held.
func (s *Store) storeNextClosing() {
	if len(s.closings) == 0 {
		s.nextClosing.Store(math.MaxInt64)
		return
	}
	s.nextClosing.Store(s.closings[0].UnixNano())
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	return s.r.PingContext(ctx)
}

// fts5Available reports whether go-sqlite3 was compiled with FTS5.
func fts5Available() bool {
	db, err := sql.Open("sqlite3", ":memory:")
	if err != nil {
		return false
	}
	defer db.Close()
	var used bool
	err = db.QueryRow("SELECT sqlite_compileoption_used('ENABLE_FTS5')").Scan(&used)
	return err == nil && used
}

// tx runs fn in a write transaction and commits it if fn returns nil.
func (s *Store) tx(ctx context.Context, fn func(*txn) error) error {
	return s.write(ctx, true, fn)
}

// write runs fn in a write transaction and commits it if fn returns nil;
// changesPages says whether the commit moves Generation on. A failure for
// want of storage is remembered for the health check (health.go).
func (s *Store) write(ctx context.Context, changesPages bool, fn func(*txn) error) error {
	err := s.commit(ctx, changesPages, fn)
	if err != nil {
		s.noteWriteFailure(err)
	}
	return err
}

// commit is write without remembering a failure: the health check's own.
func (s *Store) commit(ctx context.Context, changesPages bool, fn func(*txn) error) error {
	select {
	case s.writing <- struct{}{}:
	case <-ctx.Done():
		return fmt.Errorf("wait for the writer: %w", ctx.Err())
	}
	defer func() { <-s.writing }()
	if s.dialect == sqlite {
		if err := s.commitOnce(ctx, nil, fn); err != nil {
			return err
		}
	} else {
		// SERIALIZABLE: another server may write beside this one, and a
		// transaction that counts then writes (the comment limit, closing
		// a round) must see the database as if it wrote alone, as it does
		// on SQLite. A transaction that lost such a race runs again.
		opts := &sql.TxOptions{Isolation: sql.LevelSerializable}
		if changesPages {
			fn = s.tellingPages(fn)
		}
		for attempt := 1; ; attempt++ {
			err := s.commitOnce(ctx, opts, fn)
			if err == nil {
				break
			}
			if !mustRetry(err) || attempt == 10 {
				return err
			}
		}
	}
	s.commits.Add(1)
	if changesPages {
		s.gen.Add(1)
	}
	return nil
}

// commitOnce runs fn in a transaction and commits it.
func (s *Store) commitOnce(ctx context.Context, opts *sql.TxOptions, fn func(*txn) error) error {
	tx, err := s.w.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// nowUTC is the time a row is written, in UTC so that stored times sort.
func (s *Store) nowUTC() time.Time {
	return storedTime(s.now())
}

// storedTime is t as the database keeps it: in UTC, to the microsecond
// (PostgreSQL's precision; SQLite's is kept the same so the two agree). A
// time the store writes and remembers, such as a closing time, is made so
// first, so that it equals itself read back.
func storedTime(t time.Time) time.Time {
	return t.UTC().Truncate(time.Microsecond)
}

// isUnique reports whether err is a UNIQUE constraint failure.
func isUnique(err error) bool {
	var se sqlite3.Error
	if errors.As(err, &se) {
		return se.ExtendedCode == sqlite3.ErrConstraintUnique
	}
	return pgCode(err) == pgUniqueViolation && !isPostgresPrimaryKey(err)
}

// isPrimaryKey reports whether err is a PRIMARY KEY constraint failure,
// which is how SQLite reports a taken key of a WITHOUT ROWID table.
func isPrimaryKey(err error) bool {
	var se sqlite3.Error
	if errors.As(err, &se) {
		return se.ExtendedCode == sqlite3.ErrConstraintPrimaryKey
	}
	return isPostgresPrimaryKey(err)
}

// isForeignKey reports whether err is a FOREIGN KEY constraint failure.
func isForeignKey(err error) bool {
	var se sqlite3.Error
	if errors.As(err, &se) {
		return se.ExtendedCode == sqlite3.ErrConstraintForeignKey
	}
	return pgCode(err) == pgForeignKeyViolation
}

// nullInt turns 0 into SQL NULL, for optional references.
func nullInt(id int64) sql.NullInt64 {
	return sql.NullInt64{Int64: id, Valid: id != 0}
}

// placeholders returns "?, ?, ?" for n arguments.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

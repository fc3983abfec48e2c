package store

import (
	"sync/atomic"
	"time"
)

// Limiter counts tries per key in the database, so that every server on a
// PostgreSQL database counts the same tries: the same rules as
// ratelimit.Limiter (a bucket of burst tries, one back every per; a try
// taken before the guess is checked, and given back if it was no wrong
// guess), with the database's clock. On SQLite, with one server, the
// limits stay in its memory (ratelimit).
//
// A failing database lets a try through: the guess it would let through
// is checked against the same database, and fails with it.
type Limiter struct {
	s     *Store
	name  string
	burst int
	per   time.Duration
}

// Limiter returns the limiter called name, with burst tries per key and
// one back every per. It panics if burst < 1 or per <= 0.
func (s *Store) Limiter(name string, burst int, per time.Duration) *Limiter {
	if burst < 1 || per <= 0 {
		panic("store: Limiter needs burst >= 1 and per > 0")
	}
	return &Limiter{s: s, name: name, burst: burst, per: per}
}

// SharesLimits reports whether the limits on sign-ins and joins must be
// kept in the database, for other servers may share it: on PostgreSQL.
func (s *Store) SharesLimits() bool {
	return s.dialect == postgres
}

// limitOps counts the takes of every limiter, so that every thousandth
// sweeps away the keys that have all their tries back.
var limitOps atomic.Uint64

// Take takes a try for key if it has one, and reports whether it did; if
// not, retryAfter is how long until it has one. One statement: its row
// lock makes tries that arrive together at different servers take turns.
func (l *Limiter) Take(key string) (ok bool, retryAfter time.Duration) {
	ctx, cancel := shortContext()
	defer cancel()
	if limitOps.Add(1)%1000 == 0 {
		l.s.w.ExecContext(ctx, `DELETE FROM limits WHERE until < statement_timestamp()`)
	}
	per := l.per.Microseconds()
	rows, err := l.s.w.QueryContext(ctx, `
		INSERT INTO limits AS l (name, key, until) VALUES (?1, ?2, statement_timestamp() + ?3::float8 * interval '1 microsecond')
		ON CONFLICT (name, key) DO UPDATE
			SET until = greatest(l.until, statement_timestamp()) + ?3::float8 * interval '1 microsecond'
			WHERE greatest(l.until, statement_timestamp()) - statement_timestamp() <= (?4::float8 - 1) * ?3::float8 * interval '1 microsecond'
		RETURNING true`, l.name, key, per, l.burst)
	if err != nil {
		return true, 0
	}
	took := rows.Next()
	rows.Close()
	if took || rows.Err() != nil {
		return true, 0
	}
	return false, l.RetryAfter(key)
}

// Return gives back a try that Take took.
func (l *Limiter) Return(key string) {
	ctx, cancel := shortContext()
	defer cancel()
	l.s.w.ExecContext(ctx, `UPDATE limits SET until = until - ?::float8 * interval '1 microsecond' WHERE name = ? AND key = ?`,
		l.per.Microseconds(), l.name, key)
}

// Reset gives key all its tries back.
func (l *Limiter) Reset(key string) {
	ctx, cancel := shortContext()
	defer cancel()
	l.s.w.ExecContext(ctx, `DELETE FROM limits WHERE name = ? AND key = ?`, l.name, key)
}

// RetryAfter reports how long until key has a try, or 0 if it has one now.
func (l *Limiter) RetryAfter(key string) time.Duration {
	ctx, cancel := shortContext()
	defer cancel()
	var ahead time.Duration
	var micros int64
	err := l.s.r.QueryRowContext(ctx, `SELECT (extract(epoch FROM until - statement_timestamp()) * 1000000)::bigint
		FROM limits WHERE name = ? AND key = ?`, l.name, key).Scan(&micros)
	if err != nil {
		return 0
	}
	ahead = time.Duration(micros) * time.Microsecond
	return max(0, ahead+l.per-time.Duration(l.burst)*l.per)
}

// Recent remembers keys for a while in the database, as ratelimit.Recent
// does in memory: the addresses each account signed in from, which every
// server must know.
type Recent struct {
	s    *Store
	name string
	ttl  time.Duration
}

// Recent returns the memory called name, which keeps each key for ttl
// after it was last added.
func (s *Store) Recent(name string, ttl time.Duration) *Recent {
	return &Recent{s: s, name: name, ttl: ttl}
}

// Add remembers key for ttl from now.
func (r *Recent) Add(key string) {
	ctx, cancel := shortContext()
	defer cancel()
	r.s.w.ExecContext(ctx, `
		INSERT INTO limits (name, key, until) VALUES (?1, ?2, statement_timestamp() + ?3::float8 * interval '1 microsecond')
		ON CONFLICT (name, key) DO UPDATE SET until = excluded.until`, r.name, key, r.ttl.Microseconds())
}

// Has reports whether key was added less than ttl ago.
func (r *Recent) Has(key string) bool {
	ctx, cancel := shortContext()
	defer cancel()
	var has bool
	err := r.s.r.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM limits
		WHERE name = ? AND key = ? AND until > statement_timestamp())`, r.name, key).Scan(&has)
	return err == nil && has
}

// Package ratelimit slows down password and invite-code guessing. It counts
// tries per key, such as an address or an account, and refuses a key that has
// used up its tries until it has earned another.
//
// Each key has a bucket of burst tries, one of which comes back every per.
// A try is taken before the guess is checked (Take), so that requests that
// arrive together cannot all be checked while the first ones are still being
// counted; a try that turned out not to be a wrong guess is given back
// (Return).
package ratelimit

import (
	"sync"
	"time"
)

// minSweep is the map size below which a new key does not look for keys to
// drop.
const minSweep = 1024

// Limiter counts tries per key. It is safe for concurrent use.
//
// A key's bucket is kept as one time: when the bucket will be full again.
// It is behind now by per for every try taken and not yet come back, so a
// try may be taken while that time is less than burst*per ahead. Whole
// durations, rather than fractions of a try, keep the arithmetic exact.
type Limiter struct {
	burst int
	per   time.Duration
	now   func() time.Time // time.Now, but tests set their own clock

	mu sync.Mutex
	// full holds, for each key with tries out, when its bucket is full
	// again. A key not in the map has all its tries.
	full map[string]time.Time
	// sweepAt is the map size at which a new key next drops the keys whose
	// tries have all come back. It doubles with the number of keys kept, so
	// that the sweeps cost a constant amount per new key on average.
	sweepAt int
}

// New allows burst tries per key, refilled at one per every per: New(5,
// time.Minute) allows 5 tries, then one a minute. It panics if burst < 1 or
// per <= 0.
func New(burst int, per time.Duration) *Limiter {
	if burst < 1 || per <= 0 {
		panic("ratelimit: New needs burst >= 1 and per > 0")
	}
	return &Limiter{
		burst:   burst,
		per:     per,
		now:     time.Now,
		full:    make(map[string]time.Time),
		sweepAt: minSweep,
	}
}

// Take takes a try for key if it has one, and reports whether it did. If it
// has none, nothing is taken and retryAfter is how long until it has one:
// a refused request costs nothing, since it checked nothing.
func (l *Limiter) Take(key string) (ok bool, retryAfter time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	full, seen := l.full[key]
	if !seen || full.Before(now) {
		full = now
	}
	if wait := full.Sub(now) + l.per - time.Duration(l.burst)*l.per; wait > 0 {
		return false, wait
	}
	if !seen && len(l.full) >= l.sweepAt {
		l.sweep(now)
	}
	l.full[key] = full.Add(l.per)
	return true, 0
}

// Return gives back a try that Take took, for a request that turned out not
// to be a wrong guess, such as a right password.
func (l *Limiter) Return(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	full, seen := l.full[key]
	if !seen {
		return
	}
	if full = full.Add(-l.per); full.After(l.now()) {
		l.full[key] = full
	} else {
		delete(l.full, key)
	}
}

// Reset gives key all its tries back.
func (l *Limiter) Reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.full, key)
}

// RetryAfter reports how long until key has a try, or 0 if it has one now.
// Round it up to whole seconds for a Retry-After header.
func (l *Limiter) RetryAfter(key string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	full, seen := l.full[key]
	if !seen {
		return 0
	}
	return max(0, full.Sub(l.now())+l.per-time.Duration(l.burst)*l.per)
}

// sweep drops the keys whose tries have all come back, so that memory is
// bounded by the keys tried recently rather than all keys ever seen. l.mu
// must be held.
func (l *Limiter) sweep(now time.Time) {
	for key, full := range l.full {
		if !full.After(now) {
			delete(l.full, key)
		}
	}
	l.sweepAt = max(minSweep, 2*len(l.full))
}

// Recent remembers keys for a while, such as the addresses an account has
// signed in from. It is safe for concurrent use.
type Recent struct {
	ttl time.Duration
	now func() time.Time

	mu      sync.Mutex
	until   map[string]time.Time // when each key is forgotten
	sweepAt int
}

// NewRecent remembers each key for ttl after it was last added.
func NewRecent(ttl time.Duration) *Recent {
	return &Recent{ttl: ttl, now: time.Now, until: make(map[string]time.Time), sweepAt: minSweep}
}

// Add remembers key for ttl from now.
func (r *Recent) Add(key string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	now := r.now()
	if _, seen := r.until[key]; !seen && len(r.until) >= r.sweepAt {
		for k, until := range r.until {
			if !until.After(now) {
				delete(r.until, k)
			}
		}
		r.sweepAt = max(minSweep, 2*len(r.until))
	}
	r.until[key] = now.Add(r.ttl)
}

// Has reports whether key was added less than ttl ago.
func (r *Recent) Has(key string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	until, seen := r.until[key]
	return seen && until.After(r.now())
}

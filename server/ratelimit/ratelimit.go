// Package ratelimit slows down password and invite-code guessing. It counts
// failed tries per key, such as "ip:1.2.3.4" or "email:x@y", and blocks a key
// that fails too often until it has earned another try.
//
// Each key has a token bucket from golang.org/x/time/rate: it starts with
// burst tries, every failure takes one, and one comes back every per.
package ratelimit

import (
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// minSweep is the map size below which Fail does not look for keys to drop.
const minSweep = 1024

// Limiter counts failures per key and blocks a key that fails too often.
// It is safe for concurrent use.
type Limiter struct {
	burst int
	per   time.Duration
	limit rate.Limit
	now   func() time.Time // time.Now, but tests set their own clock

	mu   sync.Mutex
	keys map[string]*rate.Limiter // keys that have failed and not refilled
	// sweepAt is the map size at which Fail next drops keys whose tries have
	// all come back. It doubles with the number of keys kept, so that the
	// sweeps cost a constant amount per Fail on average.
	sweepAt int
}

// New allows burst failures per key, refilled at one per every per: New(5,
// time.Minute) allows 5 tries, then one a minute. It panics if burst < 1 or
// per <= 0.
func New(burst int, per time.Duration) *Limiter {
	if burst < 1 || per <= 0 {
		panic("ratelimit: New needs burst >= 1 and per > 0")
	}
	return &Limiter{
		burst:   burst,
		per:     per,
		limit:   rate.Every(per),
		now:     time.Now,
		keys:    make(map[string]*rate.Limiter),
		sweepAt: minSweep,
	}
}

// Blocked reports whether key has no tries left now. Call it before checking
// a password, so that a blocked key learns nothing from its guess.
func (l *Limiter) Blocked(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	_, tokens, _ := l.lookup(key)
	return tokens < 1
}

// Fail records a failed try for key.
//
// Every failure counts, even one for a key that is already blocked: requests
// that arrive together can all pass Blocked while their passwords are being
// checked, and each then holds the key back for another per.
func (l *Limiter) Fail(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	lim := l.keys[key]
	if lim == nil {
		if len(l.keys) >= l.sweepAt {
			l.sweep(now)
		}
		lim = rate.NewLimiter(l.limit, l.burst)
		l.keys[key] = lim
	}
	// ReserveN, unlike AllowN, takes the try even when none is left,
	// putting the bucket in debt.
	lim.ReserveN(now, 1)
}

// Reset forgets key, after a successful sign-in.
func (l *Limiter) Reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.keys, key)
}

// RetryAfter reports how long until key has a try again, or 0 if it is not
// blocked. Round it up to whole seconds for a Retry-After header.
func (l *Limiter) RetryAfter(key string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	lim, tokens, now := l.lookup(key)
	if tokens >= 1 {
		return 0
	}
	d := math.Ceil((1 - tokens) * float64(l.per))
	if d >= math.MaxInt64/2 {
		return math.MaxInt64 // centuries; and wait += step cannot overflow
	}
	wait := time.Duration(d)
	// The rate package counts tries in floating point, and may find the
	// bucket a hair short of a try at now+wait. Step on until it agrees, so
	// that Blocked is false once RetryAfter has passed.
	for step := time.Duration(1); lim.TokensAt(now.Add(wait)) < 1; step *= 2 {
		wait += step
	}
	return wait
}

// lookup returns key's bucket, the tries in it, and the time now. A key
// whose tries have all come back is no different from one never seen, so
// lookup drops it and returns nil. l.mu must be held.
func (l *Limiter) lookup(key string) (lim *rate.Limiter, tokens float64, now time.Time) {
	now = l.now()
	lim = l.keys[key]
	if lim == nil {
		return nil, float64(l.burst), now
	}
	tokens = lim.TokensAt(now)
	if tokens >= float64(l.burst) {
		delete(l.keys, key)
		return nil, tokens, now
	}
	return lim, tokens, now
}

// sweep drops the keys whose tries have all come back, so that memory is
// bounded by the keys that failed recently rather than all keys ever seen.
func (l *Limiter) sweep(now time.Time) {
	for key, lim := range l.keys {
		if lim.TokensAt(now) >= float64(l.burst) {
			delete(l.keys, key)
		}
	}
	l.sweepAt = max(minSweep, 2*len(l.keys))
}

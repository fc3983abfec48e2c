package ratelimit

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// clock is a fake time source for a Limiter. It is read under the
// limiter's lock, and moved only between calls.
type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }

func newTest(burst int, per time.Duration) (*Limiter, *clock) {
	c := &clock{t: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)}
	l := New(burst, per)
	l.now = c.now
	return l, c
}

func TestLimiter(t *testing.T) {
	// Each step moves the clock, takes and gives back tries for key "a",
	// then checks what the next Take would say. The limiter allows 5 tries,
	// then one a minute.
	type step struct {
		advance time.Duration
		takes   int  // Take("a") this many times; each must succeed
		returns int  // then Return("a") this many times
		reset   bool // then Reset("a")
		ok      bool // what a further Take("a") answers
		retry   time.Duration
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"new key", []step{
			{ok: true},
		}},
		{"four tries leave one", []step{
			{takes: 4, ok: true},
		}},
		{"five tries use them up", []step{
			{takes: 5, retry: time.Minute},
		}},
		{"one try back after per", []step{
			{takes: 5, retry: time.Minute},
			{advance: 20 * time.Second, retry: 40 * time.Second},
			{advance: 40*time.Second - time.Nanosecond, retry: time.Nanosecond},
			{advance: time.Nanosecond, ok: true}, // the check takes it
			{retry: time.Minute},
		}},
		{"tries come back one a minute", []step{
			{takes: 5, retry: time.Minute},
			{advance: 3 * time.Minute, takes: 2, ok: true}, // the check takes the third
			{retry: time.Minute},
		}},
		{"refused tries cost nothing", []step{
			{takes: 5, retry: time.Minute},
			{retry: time.Minute},
			{retry: time.Minute},
			{advance: time.Minute, ok: true},
		}},
		{"a returned try can be taken again", []step{
			{takes: 5, returns: 1, ok: true},
			{retry: time.Minute},
		}},
		{"returning more than was taken gives no extra tries", []step{
			{takes: 1, returns: 3, ok: true}, // the check takes one
			{takes: 4, retry: time.Minute},
		}},
		{"full burst again after burst times per", []step{
			{takes: 5, retry: time.Minute},
			{advance: 5 * time.Minute, takes: 4, ok: true},
			{retry: time.Minute},
		}},
		{"reset gives every try back", []step{
			{takes: 5, retry: time.Minute},
			{reset: true, ok: true}, // the check takes one
			{takes: 4, retry: time.Minute},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, c := newTest(5, time.Minute)
			for i, s := range tt.steps {
				c.advance(s.advance)
				for n := range s.takes {
					if ok, _ := l.Take("a"); !ok {
						t.Fatalf("step %d: take %d refused", i, n+1)
					}
				}
				for range s.returns {
					l.Return("a")
				}
				if s.reset {
					l.Reset("a")
				}
				if got := l.RetryAfter("a"); got != s.retry {
					t.Errorf("step %d: RetryAfter = %v, want %v", i, got, s.retry)
				}
				ok, retry := l.Take("a")
				if ok != s.ok || retry != s.retry {
					t.Errorf("step %d: Take = %v, %v; want %v, %v", i, ok, retry, s.ok, s.retry)
				}
			}
		})
	}
}

func TestKeysIndependent(t *testing.T) {
	l, _ := newTest(5, time.Minute)
	for range 5 {
		l.Take("ip:192.0.2.1")
	}
	l.Take("email:x@example.org")
	if ok, _ := l.Take("ip:192.0.2.1"); ok {
		t.Error("ip:192.0.2.1 has a sixth try")
	}
	for _, key := range []string{"email:x@example.org", "ip:192.0.2.2", "ip:192.0.2.10"} {
		if ok, _ := l.Take(key); !ok {
			t.Errorf("%s refused", key)
		}
	}
	l.Reset("email:x@example.org")
	if ok, _ := l.Take("ip:192.0.2.1"); ok {
		t.Error("resetting another key gave ip:192.0.2.1 a try")
	}
}

// TestRetryAfterFrees checks that a key has a try exactly when RetryAfter
// says, and not a nanosecond before, for intervals that are not round.
func TestRetryAfterFrees(t *testing.T) {
	for _, per := range []time.Duration{time.Second, 7 * time.Second, 49 * time.Second, time.Minute, 13*time.Minute + 1} {
		for _, burst := range []int{1, 3, 5} {
			l, c := newTest(burst, per)
			for i := range 3 * burst {
				ok, d := l.Take("a")
				c.advance(per / time.Duration(i+2))
				if ok {
					continue
				}
				if d <= 0 {
					t.Fatalf("New(%d, %v): refused with RetryAfter %v", burst, per, d)
				}
				d = l.RetryAfter("a")
				c.advance(d - time.Nanosecond)
				if ok, _ := l.Take("a"); ok {
					t.Errorf("New(%d, %v): a try a nanosecond before RetryAfter", burst, per)
				}
				c.advance(time.Nanosecond)
				if l.RetryAfter("a") != 0 {
					t.Errorf("New(%d, %v): RetryAfter not 0 at RetryAfter", burst, per)
				}
			}
		}
	}
}

func TestIdleKeysDropped(t *testing.T) {
	l, c := newTest(5, time.Minute)
	for i := range minSweep - 1 {
		l.Take(fmt.Sprint("ip:", i))
	}
	c.advance(4 * time.Minute)
	for range 5 {
		l.Take("busy")
	}
	if n := len(l.full); n != minSweep {
		t.Fatalf("%d keys, want %d", n, minSweep)
	}

	// A minute later every key but "busy" has its tries back. The next new
	// key makes the map big enough to sweep.
	c.advance(time.Minute)
	l.Take("new")
	if n := len(l.full); n != 2 || l.full["busy"].IsZero() || l.full["new"].IsZero() {
		t.Errorf("after sweep, keys = %v; want busy and new", keys(l))
	}
	if l.sweepAt != minSweep {
		t.Errorf("sweepAt = %d, want %d", l.sweepAt, minSweep)
	}

	// Giving back the last try out drops the key at once.
	l.Return("new")
	if _, seen := l.full["new"]; seen {
		t.Error("a key with all its tries back is kept")
	}
}

// TestSweepKeepsKeysWithTriesOut checks that when many keys have tries out
// the map is swept less often rather than on every new key.
func TestSweepKeepsKeysWithTriesOut(t *testing.T) {
	l, _ := newTest(1, time.Hour)
	for i := range 3 * minSweep {
		l.Take(fmt.Sprint("ip:", i))
	}
	if n := len(l.full); n != 3*minSweep {
		t.Errorf("%d keys, want %d: a key with a try out was dropped", n, 3*minSweep)
	}
	if l.sweepAt <= len(l.full)/2 || l.sweepAt > 2*len(l.full) {
		t.Errorf("sweepAt = %d with %d keys", l.sweepAt, len(l.full))
	}
	if ok, _ := l.Take("ip:0"); ok {
		t.Error("ip:0 has a second try")
	}
}

// TestConcurrentTakes is the guarantee sign-in and joining rely on: of many
// requests at once, no more than burst get a try, however the goroutines
// interleave. It runs under -race in CI.
func TestConcurrentTakes(t *testing.T) {
	l, _ := newTest(5, time.Minute)
	var taken atomic.Int32
	var wg sync.WaitGroup
	for range 60 {
		wg.Go(func() {
			if ok, _ := l.Take("email:shared@example.org"); ok {
				taken.Add(1)
			}
		})
	}
	wg.Wait()
	if n := taken.Load(); n != 5 {
		t.Errorf("%d of 60 concurrent tries taken, want 5", n)
	}
}

func TestConcurrentRealClock(t *testing.T) {
	l := New(3, time.Millisecond)
	r := NewRecent(time.Millisecond)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 500 {
				key := fmt.Sprint("k", (g+i)%5)
				if ok, _ := l.Take(key); ok && i%3 == 0 {
					l.Return(key)
				}
				l.RetryAfter(key)
				if i%50 == 0 {
					l.Reset(key)
					r.Add(key)
				}
				r.Has(key)
			}
		})
	}
	wg.Wait()
}

func TestNewPanics(t *testing.T) {
	for _, tt := range []struct {
		burst int
		per   time.Duration
	}{{0, time.Minute}, {-1, time.Minute}, {5, 0}, {5, -time.Second}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("New(%d, %v) did not panic", tt.burst, tt.per)
				}
			}()
			New(tt.burst, tt.per)
		}()
	}
}

func TestRecent(t *testing.T) {
	c := &clock{t: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)}
	r := NewRecent(time.Hour)
	r.now = c.now
	r.Add("fran 192.0.2.1")
	c.advance(time.Hour - time.Nanosecond)
	if !r.Has("fran 192.0.2.1") {
		t.Error("forgotten before its time")
	}
	if r.Has("fran 192.0.2.2") || r.Has("sam 192.0.2.1") {
		t.Error("remembers a key never added")
	}
	r.Add("fran 192.0.2.1") // added again: remembered an hour from now
	c.advance(time.Hour - time.Nanosecond)
	if !r.Has("fran 192.0.2.1") {
		t.Error("adding again did not renew it")
	}
	c.advance(time.Nanosecond)
	if r.Has("fran 192.0.2.1") {
		t.Error("remembered past its time")
	}

	// Keys past their time are dropped once the map is big enough.
	for i := 0; len(r.until) < r.sweepAt; i++ {
		r.Add(fmt.Sprint("old ", i))
	}
	c.advance(time.Hour)
	r.Add("new")
	if n := len(r.until); n != 1 {
		t.Errorf("%d keys kept, want 1", n)
	}
}

func keys(l *Limiter) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for k := range l.full {
		out = append(out, k)
	}
	return out
}

func ExampleLimiter() {
	l := New(5, time.Minute)
	for range 5 {
		l.Take("ip:192.0.2.1")
	}
	ok, wait := l.Take("ip:192.0.2.1")
	fmt.Println(ok, wait.Round(time.Second))
	l.Return("ip:192.0.2.1") // that guess was right after all
	ok, _ = l.Take("ip:192.0.2.1")
	fmt.Println(ok)
	// Output:
	// false 1m0s
	// true
}

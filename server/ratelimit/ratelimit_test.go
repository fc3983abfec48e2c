package ratelimit

import (
	"fmt"
	"sync"
	"testing"
	"time"
)

// clock is a fake time source for a Limiter.
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
	// Each step does something, then checks Blocked and RetryAfter for
	// key "a". The limiter allows 5 tries, then one a minute.
	type step struct {
		advance time.Duration
		fails   int  // Fail("a") this many times
		reset   bool // Reset("a")
		blocked bool
		retry   time.Duration
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"new key", []step{
			{blocked: false, retry: 0},
		}},
		{"four failures", []step{
			{fails: 4, blocked: false, retry: 0},
		}},
		{"five failures block", []step{
			{fails: 5, blocked: true, retry: time.Minute},
		}},
		{"one try back after per", []step{
			{fails: 5, blocked: true, retry: time.Minute},
			{advance: 20 * time.Second, blocked: true, retry: 40 * time.Second},
			{advance: 40*time.Second - time.Millisecond, blocked: true, retry: time.Millisecond},
			{advance: time.Millisecond, blocked: false, retry: 0},
			{fails: 1, blocked: true, retry: time.Minute},
		}},
		{"tries come back one a minute", []step{
			{fails: 5, blocked: true, retry: time.Minute},
			{advance: 3 * time.Minute, blocked: false},
			{fails: 3, blocked: true, retry: time.Minute},
		}},
		{"failures while blocked push it back", []step{
			{fails: 5, blocked: true, retry: time.Minute},
			{fails: 2, blocked: true, retry: 3 * time.Minute},
			{advance: 2 * time.Minute, blocked: true, retry: time.Minute},
			{advance: time.Minute, blocked: false, retry: 0},
		}},
		{"full burst again after burst times per", []step{
			{fails: 5, blocked: true, retry: time.Minute},
			{advance: 5 * time.Minute, blocked: false},
			{fails: 4, blocked: false},
			{fails: 1, blocked: true, retry: time.Minute},
		}},
		{"reset unblocks", []step{
			{fails: 5, blocked: true, retry: time.Minute},
			{reset: true, blocked: false, retry: 0},
			{fails: 4, blocked: false},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, c := newTest(5, time.Minute)
			for i, s := range tt.steps {
				c.advance(s.advance)
				for range s.fails {
					l.Fail("a")
				}
				if s.reset {
					l.Reset("a")
				}
				if got := l.Blocked("a"); got != s.blocked {
					t.Errorf("step %d: Blocked = %v, want %v", i, got, s.blocked)
				}
				if got := l.RetryAfter("a"); !near(got, s.retry) {
					t.Errorf("step %d: RetryAfter = %v, want %v", i, got, s.retry)
				}
			}
		})
	}
}

func TestKeysIndependent(t *testing.T) {
	l, _ := newTest(5, time.Minute)
	for range 5 {
		l.Fail("ip:192.0.2.1")
	}
	l.Fail("email:x@example.org")
	if !l.Blocked("ip:192.0.2.1") {
		t.Error("ip:192.0.2.1 not blocked after 5 failures")
	}
	for _, key := range []string{"email:x@example.org", "ip:192.0.2.2", "ip:192.0.2.10"} {
		if l.Blocked(key) {
			t.Errorf("%s blocked", key)
		}
	}
	l.Reset("email:x@example.org")
	if !l.Blocked("ip:192.0.2.1") {
		t.Error("resetting another key unblocked ip:192.0.2.1")
	}
}

// near reports whether a RetryAfter result is want, give or take the
// nanoseconds that float arithmetic may cost.
func near(got, want time.Duration) bool {
	return got >= want-2 && got <= want+2 && (want == 0) == (got == 0)
}

// TestRetryAfterFrees checks that a key is free again exactly when RetryAfter
// says, and not a microsecond before, for intervals that do not divide evenly
// in the rate package's float arithmetic.
func TestRetryAfterFrees(t *testing.T) {
	for _, per := range []time.Duration{time.Second, 7 * time.Second, 49 * time.Second, time.Minute, 13*time.Minute + 1} {
		for _, burst := range []int{1, 3, 5} {
			l, c := newTest(burst, per)
			for i := range 3 * burst {
				l.Fail("a")
				c.advance(per / time.Duration(i+2))
				d := l.RetryAfter("a")
				if d == 0 {
					if l.Blocked("a") {
						t.Errorf("New(%d, %v): blocked, but RetryAfter is 0", burst, per)
					}
					continue
				}
				c.advance(d - time.Microsecond)
				if !l.Blocked("a") {
					t.Errorf("New(%d, %v): free a microsecond before RetryAfter", burst, per)
				}
				c.advance(time.Microsecond)
				if l.Blocked("a") {
					t.Errorf("New(%d, %v): still blocked at RetryAfter", burst, per)
				}
			}
		}
	}
}

func TestIdleKeysDropped(t *testing.T) {
	l, c := newTest(5, time.Minute)
	for i := range minSweep - 1 {
		l.Fail(fmt.Sprint("ip:", i))
	}
	c.advance(4 * time.Minute)
	for range 5 {
		l.Fail("busy")
	}
	if n := len(l.keys); n != minSweep {
		t.Fatalf("%d keys, want %d", n, minSweep)
	}

	// A minute later every key but "busy" has its tries back. The next new
	// key makes the map big enough to sweep.
	c.advance(time.Minute)
	l.Fail("new")
	if n := len(l.keys); n != 2 || l.keys["busy"] == nil || l.keys["new"] == nil {
		t.Errorf("after sweep, keys = %v; want busy and new", keys(l))
	}
	if l.sweepAt != minSweep {
		t.Errorf("sweepAt = %d, want %d", l.sweepAt, minSweep)
	}

	// Asking about a key whose tries are back drops it too.
	c.advance(5 * time.Minute)
	if l.Blocked("busy") || l.RetryAfter("new") != 0 {
		t.Error("key still blocked after 5 minutes")
	}
	if n := len(l.keys); n != 0 {
		t.Errorf("after lookups, keys = %v; want none", keys(l))
	}
}

// TestSweepKeepsBlockedKeys checks that when many keys are blocked at once
// the map is swept less often rather than on every Fail.
func TestSweepKeepsBlockedKeys(t *testing.T) {
	l, _ := newTest(1, time.Hour)
	for i := range 3 * minSweep {
		l.Fail(fmt.Sprint("ip:", i))
	}
	if n := len(l.keys); n != 3*minSweep {
		t.Errorf("%d keys, want %d: a blocked key was dropped", n, 3*minSweep)
	}
	if l.sweepAt <= len(l.keys)/2 || l.sweepAt > 2*len(l.keys) {
		t.Errorf("sweepAt = %d with %d keys", l.sweepAt, len(l.keys))
	}
	if !l.Blocked("ip:0") {
		t.Error("ip:0 not blocked")
	}
}

// TestConcurrent runs under -race. Every failure must count, however the
// goroutines interleave.
func TestConcurrent(t *testing.T) {
	l, c := newTest(5, time.Minute)
	const goroutines, fails = 50, 20
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			own := fmt.Sprint("ip:", g)
			for range fails {
				l.Fail("email:shared@example.org")
				l.Fail(own)
				l.Blocked("email:shared@example.org")
				l.RetryAfter(own)
			}
			l.Reset(own)
		})
	}
	wg.Wait()

	// 1000 failures against 5 tries leave the key 995 tries in debt: it
	// needs 996 minutes to have one try back.
	if got, want := l.RetryAfter("email:shared@example.org"), 996*time.Minute; !near(got, want) {
		t.Errorf("RetryAfter = %v, want %v", got, want)
	}
	c.advance(996*time.Minute - time.Second)
	if !l.Blocked("email:shared@example.org") {
		t.Error("not blocked a second before RetryAfter")
	}
	if n := len(l.keys); n != 1 {
		t.Errorf("keys = %v, want only the shared one", keys(l))
	}
}

func TestConcurrentRealClock(t *testing.T) {
	l := New(3, time.Millisecond)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 500 {
				key := fmt.Sprint("k", (g+i)%5)
				if !l.Blocked(key) {
					l.Fail(key)
				}
				if i%50 == 0 {
					l.Reset(key)
				}
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

func keys(l *Limiter) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for k := range l.keys {
		out = append(out, k)
	}
	return out
}

func ExampleLimiter() {
	l := New(5, time.Minute)
	for range 5 {
		l.Fail("ip:192.0.2.1")
	}
	fmt.Println(l.Blocked("ip:192.0.2.1"), l.RetryAfter("ip:192.0.2.1").Round(time.Second))
	l.Reset("ip:192.0.2.1")
	fmt.Println(l.Blocked("ip:192.0.2.1"))
	// Output:
	// true 1m0s
	// false
}

package store

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"wordgarden/server/store/storetest"
)

// onPostgres skips a test of what only PostgreSQL has, on a SQLite run.
func onPostgres(t *testing.T) {
	t.Helper()
	if !storetest.Postgres() {
		t.Skip("PostgreSQL only: set " + storetest.Env + " to run it")
	}
}

// The database's limiter keeps ratelimit's rules: burst tries, then none
// until one comes back; a try given back is there again; Reset gives all.
func TestLimiterRules(t *testing.T) {
	onPostgres(t)
	t.Parallel()
	s := newStore(t)
	l := s.Limiter("test", 3, time.Minute)
	for i := range 3 {
		if ok, _ := l.Take("a"); !ok {
			t.Fatalf("try %d refused, want 3 tries", i+1)
		}
	}
	ok, wait := l.Take("a")
	if ok || wait <= 59*time.Second || wait > time.Minute {
		t.Errorf("fourth try: %v, wait %v; want refused for about a minute", ok, wait)
	}
	if ok, _ := l.Take("b"); !ok {
		t.Error("another key was refused")
	}
	l.Return("a")
	if ok, _ := l.Take("a"); !ok {
		t.Error("a try given back was not there")
	}
	if ok, _ := l.Take("a"); ok {
		t.Error("a fifth try was taken")
	}
	if got := l.RetryAfter("a"); got <= 0 {
		t.Errorf("RetryAfter = %v, want a wait", got)
	}
	l.Reset("a")
	if got := l.RetryAfter("a"); got != 0 {
		t.Errorf("RetryAfter after Reset = %v, want 0", got)
	}
	if ok, _ := s.Limiter("other", 3, time.Minute).Take("a"); !ok {
		t.Error("a limiter of another name shares the tries")
	}
}

// Two servers on one database share the tries: 60 taken at once through
// two stores, and exactly the burst of 5 succeed.
func TestLimiterAcrossServers(t *testing.T) {
	onPostgres(t)
	t.Parallel()
	dsn := storetest.DSN(t)
	var servers []*Store
	for range 2 {
		s, err := Open(dsn, cheapHashing)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		servers = append(servers, s)
	}
	var took atomic.Int32
	var wg sync.WaitGroup
	for i := range 60 {
		wg.Go(func() {
			if ok, _ := servers[i%2].Limiter("login", 5, time.Minute).Take("fran@example.org"); ok {
				took.Add(1)
			}
		})
	}
	wg.Wait()
	if n := took.Load(); n != 5 {
		t.Errorf("%d tries taken, want 5", n)
	}
	r := servers[0].Recent("usual", time.Hour)
	r.Add("fran\x00198.51.100.7")
	if !servers[1].Recent("usual", time.Hour).Has("fran\x00198.51.100.7") {
		t.Error("an address one server saw is not usual to the other")
	}
	if servers[1].Recent("usual", time.Hour).Has("fran\x00198.51.100.8") {
		t.Error("an address never seen is usual")
	}
}

package store

import (
	"fmt"
	"io/fs"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"wordgarden/server/model"
	"wordgarden/server/store/storetest"
	"wordgarden/server/tally"
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

// Two servers closing the same round at the same moment settle it once:
// the one that gets the row lock counts it, the other finds it closed, and
// both answer with the same result.
func TestCloseOnTwoServers(t *testing.T) {
	onPostgres(t)
	t.Parallel()
	dsn := storetest.DSN(t)
	first, err := Open(dsn, cheapHashing)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { first.Close() })
	f := newVotingOn(t, first)
	second, err := Open(dsn, cheapHashing)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { second.Close() })
	ctx := t.Context()
	r := f.open(t, tally.Approval, 1, 50)
	for i := range 6 {
		u := f.resident(t, fmt.Sprintf("Voter %d", i), f.peckham)
		if _, err := []*Store{first, second}[i%2].CastBallot(ctx, r.ID, u, tally.Ballot{Approve: []int64{f.b.ID}}); err != nil {
			t.Fatal(err)
		}
	}
	var closed [2]model.Round
	var errs [2]error
	var wg sync.WaitGroup
	for i, s := range []*Store{first, second} {
		wg.Go(func() { closed[i], errs[i] = s.CloseRound(ctx, r.ID) })
	}
	wg.Wait()
	for i := range closed {
		if errs[i] != nil || closed[i].Results == nil || closed[i].Results.Ballots != 6 {
			t.Fatalf("server %d: CloseRound = %+v, %v", i+1, closed[i].Results, errs[i])
		}
	}
	if !closed[0].ClosedAt.Equal(closed[1].ClosedAt) || closed[0].Results.Reason != closed[1].Results.Reason {
		t.Errorf("the two servers answered different closes: %v %q, %v %q",
			closed[0].ClosedAt, closed[0].Results.Reason, closed[1].ClosedAt, closed[1].Results.Reason)
	}
}

// A server whose listening connection is cut (a restart of PostgreSQL, a
// network fault) connects again, forgets what it kept, since it may have
// missed news meanwhile, and hears the other servers again.
func TestListeningAgainAfterACut(t *testing.T) {
	onPostgres(t)
	t.Parallel()
	dsn := storetest.DSN(t)
	var servers [2]*Store
	for i := range servers {
		s, err := Open(dsn, cheapHashing)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		servers[i] = s
	}
	a, b := servers[0], servers[1]
	// changed waits until a's page generation moves on from gen.
	changed := func(what string, gen uint64) {
		t.Helper()
		for deadline := time.Now().Add(15 * time.Second); a.Generation() == gen; {
			if time.Now().After(deadline) {
				t.Fatalf("%s: the generation stayed at %d", what, gen)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}

	gen := a.Generation()
	if _, err := b.CreateNeighbourhood(t.Context(), "Peckham"); err != nil {
		t.Fatal(err)
	}
	changed("before the cut, another server's write", gen)

	var cut int
	err := b.r.QueryRow(`SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = ?`,
		listenerName(a.id)).Scan(&cut)
	if err != nil || cut != 1 {
		t.Fatalf("cut %d listening connections (%v), want 1", cut, err)
	}
	gen = a.Generation()
	changed("after the cut, connecting again", gen)

	gen = a.Generation()
	if _, err := b.CreateNeighbourhood(t.Context(), "Camberwell"); err != nil {
		t.Fatal(err)
	}
	changed("after the cut, another server's write", gen)
}

// Servers that start at the same moment on a new database take turns to
// make the schema (migrationLockID): each opens, and the migrations are
// applied once.
func TestOpenTogether(t *testing.T) {
	onPostgres(t)
	t.Parallel()
	dsn := storetest.DSN(t)
	var wg sync.WaitGroup
	var stores [3]*Store
	var errs [3]error
	for i := range stores {
		wg.Go(func() { stores[i], errs[i] = Open(dsn, cheapHashing) })
	}
	wg.Wait()
	for i, s := range stores {
		if errs[i] != nil {
			t.Errorf("server %d: %v", i+1, errs[i])
			continue
		}
		t.Cleanup(func() { s.Close() })
	}
	if t.Failed() {
		return
	}
	files, err := fs.Glob(migrationFiles, "migrations/postgres/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	var applied, distinct int
	err = stores[0].r.QueryRow(`SELECT count(*), count(DISTINCT version_id) FROM goose_db_version WHERE version_id > 0`).Scan(&applied, &distinct)
	if err != nil || applied != distinct || applied != len(files) {
		t.Errorf("goose's table has %d migrations, %d distinct (%v); want each of the %d once", applied, distinct, err, len(files))
	}
}

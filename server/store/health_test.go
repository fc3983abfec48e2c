package store

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mattn/go-sqlite3"

	"wordgarden/server/model"
	"wordgarden/server/tally"
)

func TestCheckWritable(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	gen := s.Generation()
	for range 2 {
		if err := s.CheckWritable(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if s.Generation() != gen {
		t.Error("a health check moved Generation on, which would empty the page cache")
	}
	var n, probe int
	if err := s.r.QueryRow(`SELECT count(*) FROM settings WHERE key = 'health_checked_at'`).Scan(&n); err != nil || n != 1 {
		t.Errorf("health rows = %d (%v), want 1", n, err)
	}
	// The check writes as much as a batch of ballots might, not one page.
	if err := s.r.QueryRow(`SELECT length(value) FROM settings WHERE key = 'health_probe'`).Scan(&probe); err != nil || probe != 64<<10 {
		t.Errorf("the check wrote %d bytes (%v), want 64 KiB", probe, err)
	}
	size, err := s.Size(ctx)
	if err != nil || size < 4096 {
		t.Errorf("Size = %d, %v", size, err)
	}
	if open, err := s.CountOpenRounds(ctx); err != nil || open != 0 {
		t.Errorf("CountOpenRounds = %d, %v", open, err)
	}
	s.Close()
	if err := s.CheckWritable(ctx); err == nil {
		t.Error("a closed database passed the health check")
	}
}

// A writer waiting behind a stuck write gives up when its context ends,
// rather than waiting for ever.
func TestWaitingWriterHonoursItsContext(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	stuck, release := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- s.write(context.Background(), false, func(*txn) error {
			close(stuck)
			<-release
			return nil
		})
	}()
	<-stuck
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := s.CheckWritable(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("a check behind a stuck write: %v, want the deadline", err)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if err := s.CheckWritable(context.Background()); err != nil {
		t.Errorf("once the write is done: %v", err)
	}
}

// TestCheckWritableRemembersFailedWrites injects a write that fails as a
// full disk fails: the health check, whose own write goes through, fails
// until a ballot is written or a minute has passed; a write refused for
// what it holds (a taken name) is no failure of the database.
func TestCheckWritableRemembersFailedWrites(t *testing.T) {
	t.Parallel()
	f := newVoting(t)
	s := f.s
	var mu sync.Mutex
	now := time.Now()
	s.now = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	wait := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	ctx := context.Background()
	full := func() {
		t.Helper()
		err := s.write(ctx, false, func(*txn) error { return sqlite3.Error{Code: sqlite3.ErrFull} })
		if err == nil {
			t.Fatal("the injected failure did not fail the write")
		}
	}
	r := f.open(t, tally.Approval, 0, 50)
	if err := s.CheckWritable(ctx); err != nil {
		t.Fatal(err)
	}

	full()
	for range 2 {
		err := s.CheckWritable(ctx)
		if err == nil || !strings.Contains(err.Error(), "database or disk is full") {
			t.Fatalf("after a write failed for want of room: %v, want the failure", err)
		}
	}
	wait(59 * time.Second)
	if err := s.CheckWritable(ctx); err == nil {
		t.Error("a minute had not passed, and the failure was forgotten")
	}
	wait(time.Second)
	if err := s.CheckWritable(ctx); err != nil {
		t.Errorf("a minute after the failure, with the check's write going through: %v", err)
	}

	// A ballot written forgets the failure at once.
	full()
	if err := s.CheckWritable(ctx); err == nil {
		t.Fatal("the second failure was not remembered")
	}
	if _, err := s.CastBallot(ctx, r.ID, f.resident(t, "Ola", f.peckham), tally.Ballot{Approve: []int64{f.a.ID}}); err != nil {
		t.Fatal(err)
	}
	if err := s.CheckWritable(ctx); err != nil {
		t.Errorf("after a ballot was written: %v", err)
	}

	// Refusals are not failures of the database.
	if _, err := s.CreateNeighbourhood(ctx, "Peckham"); !errors.Is(err, model.ErrDuplicate) {
		t.Fatalf("a taken name: %v", err)
	}
	if err := s.write(ctx, false, func(*txn) error { return context.Canceled }); err == nil {
		t.Fatal("a cancelled write went through")
	}
	if err := s.CheckWritable(ctx); err != nil {
		t.Errorf("after refused and cancelled writes: %v", err)
	}
}

package store

import (
	"context"
	"database/sql"
	"errors"
	"testing"
	"time"
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
	var n int
	if err := s.r.QueryRow(`SELECT count(*) FROM settings WHERE key = 'health_checked_at'`).Scan(&n); err != nil || n != 1 {
		t.Errorf("health rows = %d (%v), want 1", n, err)
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
		done <- s.write(context.Background(), false, func(*sql.Tx) error {
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

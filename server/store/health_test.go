package store

import (
	"context"
	"testing"
)

func TestCheckWritable(t *testing.T) {
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

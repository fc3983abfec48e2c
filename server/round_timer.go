package server

import (
	"context"
	"time"
)

// roundTimerRetry is how long the round timer waits after a failed count.
const roundTimerRetry = 5 * time.Second

// roundTimerLongest is the longest the round timer sleeps without looking
// again, for rounds it did not see opened (another process's, or one
// opened while it slept: rounds open at least a minute before they close).
const roundTimerLongest = 30 * time.Second

// CloseRoundsOnTime counts each round when its closing time comes, until
// ctx ends: it sleeps until the soonest closing time it knows of, at most
// roundTimerLongest, then counts every round whose time is up. Run it once
// per database. Pages never count rounds themselves: a round past its time
// reads as closed without a write (model.Round's Counting), and only the
// published results files count a round the timer has not yet reached.
func (s *Server) CloseRoundsOnTime(ctx context.Context) {
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		wait := roundTimerLongest
		n, err := s.store.CloseDueRounds(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			// Try again later, not at once: a full disk stays full.
			s.log.Error("close due rounds", "err", err)
			wait = roundTimerRetry
		case n > 0:
			s.log.Info("closed rounds", "count", n)
		}
		if next := s.store.NextClosing(); !next.IsZero() && err == nil {
			wait = min(wait, max(time.Until(next), 0))
		}
		t.Reset(wait)
	}
}

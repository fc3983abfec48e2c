package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"

	"wordgarden/server/model"
	"wordgarden/server/tally"
)

// BenchmarkCreateVersionParallel writes versions from many goroutines at once,
// as many partners saving at the same moment would, and reports the slowest
// write. Versions go to 100 terms. Run with: go test -tags sqlite_fts5 -bench CreateVersion -cpu 64 ./server/store/
func BenchmarkCreateVersionParallel(b *testing.B) {
	s := newStore(b)
	ctx := context.Background()
	u := newPartner(b, s, "Bench", model.Statutory)
	var terms []int64
	for i := range 100 {
		t, _, err := s.CreateTerm(ctx, fmt.Sprintf("Bench term %d", i), model.NewVersion{Markdown: "First.", Author: &u})
		if err != nil {
			b.Fatal(err)
		}
		terms = append(terms, t.ID)
	}
	var mu sync.Mutex
	var waits []time.Duration
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			i++
			start := time.Now()
			_, err := s.CreateVersion(ctx, terms[i%len(terms)], model.NewVersion{
				Markdown: fmt.Sprintf("Services working **together** near you, take %d. See [[Carer]].", i),
				Author:   &u,
			})
			if err != nil {
				b.Error(err)
				return
			}
			mu.Lock()
			waits = append(waits, time.Since(start))
			mu.Unlock()
		}
	})
	b.StopTimer()
	sort.Slice(waits, func(i, j int) bool { return waits[i] < waits[j] })
	if n := len(waits); n > 0 {
		b.ReportMetric(float64(waits[n*99/100].Microseconds())/1000, "p99-ms")
		b.ReportMetric(float64(waits[n-1].Microseconds())/1000, "max-ms")
	}
}

// BenchmarkSearch searches a glossary of 10,000 terms.
func BenchmarkSearch(b *testing.B) {
	s := newStore(b)
	ctx := context.Background()
	words := []string{"care", "home", "health", "community", "group", "nurse", "council", "plan", "together", "local"}
	for i := range 10000 {
		md := fmt.Sprintf("A %s %s for %s people, with %s and %s.", words[i%10], words[(i/10)%10], words[(i/100)%10], words[(i+3)%10], words[(i+7)%10])
		if _, err := s.ImportTerm(ctx, fmt.Sprintf("Term %d %s", i, words[i%10]), "", md); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for i := range b.N {
		if _, err := s.Search(ctx, words[i%10]+" "+words[(i+1)%10][:3], 50); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCloseRound closes rounds of 1,000,000 ballots over 10 candidates
// from 20 neighbourhoods: counting, storing the result and switching the
// agreed wording. Run with:
// go test -tags sqlite_fts5 -run '^$' -bench CloseRound -benchtime 1x ./server/store/
func BenchmarkCloseRound(b *testing.B) {
	for _, m := range []tally.Method{tally.Approval, tally.Ranked} {
		b.Run(string(m), func(b *testing.B) {
			for range b.N {
				b.StopTimer()
				s, r := bigRound(b, m, 1_000_000)
				b.StartTimer()
				if _, err := s.CloseRound(context.Background(), r.ID); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// bigRound makes an open round of n ballots over 10 candidates, written
// straight into the table: realistic marks (most people tick one to three
// wordings, or rank a few), 20 neighbourhoods.
func bigRound(b *testing.B, m tally.Method, n int) (*Store, model.Round) {
	s := newStore(b)
	ctx := context.Background()
	fac, err := s.CreateUser(ctx, model.NewUser{Email: "f@example.org", Name: "F", Role: model.Facilitator, Password: "facilitator password"})
	if err != nil {
		b.Fatal(err)
	}
	t, first, err := s.CreateTerm(ctx, "Big vote", model.NewVersion{Markdown: "Wording 0.", Author: &fac})
	if err != nil {
		b.Fatal(err)
	}
	cands := []int64{first.ID}
	for i := 1; i < 10; i++ {
		v, err := s.CreateVersion(ctx, t.ID, model.NewVersion{Markdown: fmt.Sprintf("Wording %d.", i), Author: &fac})
		if err != nil {
			b.Fatal(err)
		}
		cands = append(cands, v.ID)
	}
	var hoods []int64
	for i := range 20 {
		h, err := s.CreateNeighbourhood(ctx, fmt.Sprintf("Hood %d", i))
		if err != nil {
			b.Fatal(err)
		}
		hoods = append(hoods, h.ID)
	}
	r, err := s.OpenRound(ctx, model.NewRound{TermID: t.ID, Candidates: cands, Method: m, ClosesAt: time.Now().Add(time.Hour),
		Quorum: 10, ThresholdPct: 10, OpenedBy: fac})
	if err != nil {
		b.Fatal(err)
	}
	// A resident per ballot, written straight into the tables: through
	// CreateUser that would be a million bcrypt hashes.
	err = s.write(ctx, false, func(tx *txn) error {
		voter, err := tx.Prepare(`INSERT INTO users (name, role, neighbourhood_id, password_hash, created_at)
			VALUES (?, 'resident', ?, 'x', ?) RETURNING id`)
		if err != nil {
			return err
		}
		defer voter.Close()
		stmt, err := tx.Prepare(`INSERT INTO ballots (round_id, user_id, neighbourhood_id, marks, receipt, cast_at)
			VALUES (?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		rng := rand.New(rand.NewPCG(7, 8))
		now := time.Now()
		for i := range n {
			var bal tally.Ballot
			if m == tally.Approval {
				for k := range 1 + rng.IntN(3) {
					bal.Approve = append(bal.Approve, cands[(rng.IntN(4)+k*3)%10])
				}
				bal.Approve = slices.Compact(slices.Sorted(slices.Values(bal.Approve)))
			} else {
				bal.Rank = map[int64]int{}
				for k, i := range rng.Perm(10)[:1+rng.IntN(4)] {
					bal.Rank[cands[i]] = k + 1
				}
			}
			marks, err := encodeMarks(m, bal)
			if err != nil {
				return err
			}
			var uid int64
			if err := voter.QueryRow(fmt.Sprintf("voter %d", i), hoods[i%20], now).Scan(&uid); err != nil {
				return err
			}
			if _, err := stmt.Exec(r.ID, uid, hoods[i%20], marks, fmt.Sprintf("R%08d", i), now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return s, r
}

// BenchmarkCastBallotParallel casts ballots from 64 goroutines at once, as a
// busy vote would: each ballot durable before CastBallot returns. Run with:
// go test -tags sqlite_fts5 -run '^$' -bench CastBallot -cpu 64 ./server/store/
func BenchmarkCastBallotParallel(b *testing.B) {
	f := newVoting(b)
	r := f.open(b, tally.Approval, 0, 50)
	voters := make(chan model.User, 4096)
	for i := range 2000 {
		u, err := f.s.CreateUser(context.Background(), model.NewUser{Name: fmt.Sprintf("Voter %d", i), Role: model.Resident,
			NeighbourhoodID: f.peckham.ID, Password: "resident password"})
		if err != nil {
			b.Fatal(err)
		}
		voters <- u
	}
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		u := <-voters
		i := 0
		for pb.Next() {
			i++
			choice := []int64{f.a.ID}
			if i%2 == 0 {
				choice = []int64{f.b.ID}
			}
			if _, err := f.s.CastBallot(context.Background(), r.ID, u, tally.Ballot{Approve: choice}); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

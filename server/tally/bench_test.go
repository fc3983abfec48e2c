package tally

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// The benchmarks count rounds of 4 candidates cast in 20 neighbourhoods.
// The timer starts at b.Loop, after the ballots are made. Run them once
// each with:
//
//	go test -run XXX -bench . -benchtime 1x ./server/tally/

var benchSizes = []int{1_000, 100_000, 1_000_000}

var benchCandidates = []int64{101, 102, 103, 104}

func benchGroups() []string {
	g := make([]string, 20)
	for i := range g {
		g[i] = fmt.Sprintf("neighbourhood-%02d", i+1)
	}
	return g
}

func BenchmarkApproval(b *testing.B) {
	rnd := rand.New(rand.NewPCG(5, 6))
	groups := benchGroups()
	// Every subset of the candidates, shared between ballots: Count only
	// reads them, and a million separate slices would measure the
	// allocator rather than the count.
	var subsets [][]int64
	for mask := range 1 << len(benchCandidates) {
		var s []int64
		for i, id := range benchCandidates {
			if mask&(1<<i) != 0 {
				s = append(s, id)
			}
		}
		subsets = append(subsets, s)
	}
	rules := Rules{Method: Approval, Candidates: benchCandidates, Quorum: 10, Threshold: 0.5}
	for _, n := range benchSizes {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			bs := make([]Ballot, n)
			for i := range bs {
				bs[i] = Ballot{Group: groups[rnd.IntN(len(groups))], Approve: subsets[rnd.IntN(len(subsets))]}
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Count(rules, bs); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkRanked(b *testing.B) {
	rnd := rand.New(rand.NewPCG(7, 8))
	groups := benchGroups()
	// A pool of full and partial rankings, shared between ballots as
	// above.
	var rankings []map[int64]int
	for range 200 {
		perm := rnd.Perm(len(benchCandidates))[:rnd.IntN(len(benchCandidates)+1)]
		r := make(map[int64]int, len(perm))
		for k, i := range perm {
			r[benchCandidates[i]] = k + 1
		}
		rankings = append(rankings, r)
	}
	rules := Rules{Method: Ranked, Candidates: benchCandidates, Quorum: 10, Threshold: 0.5}
	for _, n := range benchSizes {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			bs := make([]Ballot, n)
			for i := range bs {
				bs[i] = Ballot{Group: groups[rnd.IntN(len(groups))], Rank: rankings[rnd.IntN(len(rankings))]}
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Count(rules, bs); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

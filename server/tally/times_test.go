package tally

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
)

// TestTimesEqualsRepeats checks that a ballot with Times n counts exactly as
// n copies of it, for both methods: the store relies on it to count ballots
// grouped by their marks.
func TestTimesEqualsRepeats(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	cands := []int64{11, 12, 13, 14}
	for _, m := range []Method{Approval, Ranked} {
		rules := Rules{Method: m, Candidates: cands, Quorum: 5, Threshold: 0.4}
		for trial := range 50 {
			var grouped, expanded []Ballot
			for range 1 + rng.IntN(12) {
				b := Ballot{Group: fmt.Sprintf("n%d", rng.IntN(4))}
				perm := rng.Perm(len(cands))[:rng.IntN(len(cands)+1)]
				if m == Approval {
					b.Approve = []int64{}
					for _, i := range perm {
						b.Approve = append(b.Approve, cands[i])
					}
				} else {
					b.Rank = map[int64]int{}
					for r, i := range perm {
						b.Rank[cands[i]] = r + 1
					}
				}
				n := 1 + rng.IntN(6)
				for range n {
					expanded = append(expanded, b)
				}
				b.Times = n
				grouped = append(grouped, b)
			}
			want, err := Count(rules, expanded)
			if err != nil {
				t.Fatal(err)
			}
			got, err := Count(rules, grouped)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%s trial %d: grouped count differs:\n%+v\n%+v", m, trial, got, want)
			}
		}
	}
}

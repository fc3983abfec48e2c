package tally

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestCheckRules(t *testing.T) {
	ok := Rules{Method: Approval, Candidates: []int64{3, 1, 2}, Quorum: 0, Threshold: 0.5}
	tests := []struct {
		name string
		edit func(*Rules)
		want string // "" for nil
	}{
		{"good approval", func(r *Rules) {}, ""},
		{"good ranked", func(r *Rules) { r.Method = Ranked }, ""},
		{"threshold 0 and 1 are allowed", func(r *Rules) { r.Threshold = 1; r.Quorum = 100 }, ""},
		{"unknown method", func(r *Rules) { r.Method = "borda" }, `The counting method "borda" is not known; choose "approval" or "ranked".`},
		{"no method", func(r *Rules) { r.Method = "" }, `The counting method "" is not known; choose "approval" or "ranked".`},
		{"one candidate", func(r *Rules) { r.Candidates = []int64{1} }, "A vote needs at least 2 versions to choose from."},
		{"no candidates", func(r *Rules) { r.Candidates = nil }, "A vote needs at least 2 versions to choose from."},
		{"duplicate candidate", func(r *Rules) { r.Candidates = []int64{1, 2, 1} }, "Version 1 is a choice more than once."},
		{"zero id", func(r *Rules) { r.Candidates = []int64{1, 0} }, "0 is not a version number."},
		{"negative id", func(r *Rules) { r.Candidates = []int64{-4, 1} }, "-4 is not a version number."},
		{"negative quorum", func(r *Rules) { r.Quorum = -1 }, "The quorum must be 0 or more."},
		{"threshold below 0", func(r *Rules) { r.Threshold = -0.01 }, "The threshold must be between 0% and 100%."},
		{"threshold above 1", func(r *Rules) { r.Threshold = 1.01 }, "The threshold must be between 0% and 100%."},
		{"threshold NaN", func(r *Rules) { r.Threshold = math.NaN() }, "The threshold must be between 0% and 100%."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ok
			r.Candidates = append([]int64(nil), ok.Candidates...)
			tt.edit(&r)
			assertErr(t, CheckRules(r), tt.want)
			// Check refuses every ballot under bad rules, with the
			// same message.
			assertErr(t, Check(r, Ballot{}), tt.want)
		})
	}
}

func assertErr(t *testing.T, err error, want string) {
	t.Helper()
	switch {
	case want == "" && err != nil:
		t.Errorf("err = %q, want nil", err)
	case want != "" && err == nil:
		t.Errorf("err = nil, want %q", want)
	case want != "" && err.Error() != want:
		t.Errorf("err = %q, want %q", err, want)
	}
}

func TestCheck(t *testing.T) {
	approval := Rules{Method: Approval, Candidates: []int64{12, 15, 18}}
	ranked := Rules{Method: Ranked, Candidates: []int64{12, 15, 18}}
	tests := []struct {
		name  string
		rules Rules
		b     Ballot
		want  string // "" for nil
	}{
		{"approval: ticks", approval, Ballot{Approve: []int64{18, 12}}, ""},
		{"approval: all", approval, Ballot{Approve: []int64{12, 15, 18}, Group: "peckham"}, ""},
		{"approval: none makes sense", approval, Ballot{}, ""},
		{"approval: empty rank map is fine", approval, Ballot{Approve: []int64{15}, Rank: map[int64]int{}}, ""},
		{"approval: unknown id", approval, Ballot{Approve: []int64{12, 99}}, "Version 99 is not a choice in this vote."},
		{"approval: first unknown id is named", approval, Ballot{Approve: []int64{98, 12, 99}}, "Version 98 is not a choice in this vote."},
		{"approval: unknown before duplicate", approval, Ballot{Approve: []int64{12, 12, 99}}, "Version 99 is not a choice in this vote."},
		{"approval: duplicate", approval, Ballot{Approve: []int64{15, 12, 15}}, "Version 15 is ticked more than once."},
		{"approval: too many ticks", approval, Ballot{Approve: []int64{12, 15, 18, 12}}, "Version 12 is ticked more than once."},
		{"approval: rank used", approval, Ballot{Rank: map[int64]int{12: 1}}, "This vote asks you to tick the versions that make sense, not to put them in order."},

		{"ranked: full", ranked, Ballot{Rank: map[int64]int{15: 1, 12: 2, 18: 3}}, ""},
		{"ranked: partial", ranked, Ballot{Rank: map[int64]int{18: 1, 12: 2}}, ""},
		{"ranked: one", ranked, Ballot{Rank: map[int64]int{15: 1}}, ""},
		{"ranked: none makes sense", ranked, Ballot{}, ""},
		{"ranked: empty approve is fine", ranked, Ballot{Approve: []int64{}, Rank: map[int64]int{12: 1}}, ""},
		{"ranked: approve used", ranked, Ballot{Approve: []int64{12}}, "This vote asks you to put the versions that make sense in order, not to tick them."},
		{"ranked: unknown id", ranked, Ballot{Rank: map[int64]int{12: 1, 99: 2}}, "Version 99 is not a choice in this vote."},
		{"ranked: smallest unknown id is named", ranked, Ballot{Rank: map[int64]int{99: 1, 98: 2, 12: 3}}, "Version 98 is not a choice in this vote."},
		{"ranked: rank 0", ranked, Ballot{Rank: map[int64]int{12: 0}}, "Version 12 has choice number 0; number your choices from 1."},
		{"ranked: negative rank", ranked, Ballot{Rank: map[int64]int{12: 1, 18: -2}}, "Version 18 has choice number -2; number your choices from 1."},
		{"ranked: duplicate rank", ranked, Ballot{Rank: map[int64]int{18: 1, 12: 1}}, "Versions 12 and 18 are both choice number 1; give each number to one version only."},
		{"ranked: gap", ranked, Ballot{Rank: map[int64]int{12: 1, 15: 3}}, "No version is choice number 2; number your choices 1, 2, 3 and so on, without gaps."},
		{"ranked: not starting at 1", ranked, Ballot{Rank: map[int64]int{12: 2, 15: 3}}, "No version is choice number 1; number your choices 1, 2, 3 and so on, without gaps."},
		{"ranked: rank beyond candidates", ranked, Ballot{Rank: map[int64]int{12: 1, 15: 2, 18: 4}}, "No version is choice number 3; number your choices 1, 2, 3 and so on, without gaps."},
		{"ranked: more ranks than candidates", ranked, Ballot{Rank: map[int64]int{12: 1, 15: 2, 18: 3, 99: 4}}, "This ballot ranks 4 versions, but there are only 3 to choose from."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assertErr(t, Check(tt.rules, tt.b), tt.want)
			// Count agrees, and names the ballot.
			_, err := Count(tt.rules, []Ballot{{}, tt.b})
			if tt.want == "" {
				assertErr(t, err, "")
			} else {
				assertErr(t, err, "ballot 2 of 2: "+tt.want)
			}
		})
	}
}

// TestCheckAgreesWithCount feeds random, mostly malformed ballots to both the
// careful Check and the fast check inside Count: they must accept and
// refuse the same ballots.
func TestCheckAgreesWithCount(t *testing.T) {
	rnd := rand.New(rand.NewPCG(3, 4))
	cands := []int64{5, 6, 7, 8}
	pool := []int64{4, 5, 6, 7, 8, 9} // two that are not candidates
	accepted := map[Method]int{}
	for range 20000 {
		for _, m := range []Method{Approval, Ranked} {
			rules := Rules{Method: m, Candidates: cands}
			var b Ballot
			if rnd.IntN(4) > 0 == (m == Approval) || rnd.IntN(8) == 0 {
				for range rnd.IntN(6) {
					b.Approve = append(b.Approve, pool[rnd.IntN(len(pool))])
				}
			}
			if rnd.IntN(4) > 0 == (m == Ranked) || rnd.IntN(8) == 0 {
				b.Rank = map[int64]int{}
				for range rnd.IntN(6) {
					b.Rank[pool[rnd.IntN(len(pool))]] = rnd.IntN(7) - 1
				}
			}
			c := newCounter(rules)
			fast := c.add(&b)
			careful := Check(rules, b) == nil
			if fast != careful {
				t.Fatalf("%s ballot %+v: Count accepts it: %v, Check accepts it: %v (%v)", m, b, fast, careful, Check(rules, b))
			}
			if fast {
				accepted[m]++
			}
		}
	}
	// Make sure both kinds of answer were tried.
	for _, m := range []Method{Approval, Ranked} {
		if accepted[m] < 500 || accepted[m] > 19500 {
			t.Errorf("%s: %d of 20000 random ballots accepted; the test needs a better mix", m, accepted[m])
		}
	}
}

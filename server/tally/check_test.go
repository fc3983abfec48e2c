package tally

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestCheckRules(t *testing.T) {
	ok := Rules{Method: Approval, Candidates: []int64{3, 1, 2}, Quorum: 0, Threshold: 0.5}
	tests := []struct {
		name string
		edit func(*Rules)
		want *RulesError // nil for no error
	}{
		{"good approval", func(r *Rules) {}, nil},
		{"good ranked", func(r *Rules) { r.Method = Ranked }, nil},
		{"threshold 0 and 1 are allowed", func(r *Rules) { r.Threshold = 1; r.Quorum = 100 }, nil},
		{"unknown method", func(r *Rules) { r.Method = "borda" }, &RulesError{Problem: UnknownMethod, Method: "borda"}},
		{"no method", func(r *Rules) { r.Method = "" }, &RulesError{Problem: UnknownMethod, Method: ""}},
		{"one candidate", func(r *Rules) { r.Candidates = []int64{1} }, &RulesError{Problem: TooFewCandidates}},
		{"no candidates", func(r *Rules) { r.Candidates = nil }, &RulesError{Problem: TooFewCandidates}},
		{"duplicate candidate", func(r *Rules) { r.Candidates = []int64{1, 2, 1} }, &RulesError{Problem: DuplicateCandidate, Version: 1}},
		{"zero id", func(r *Rules) { r.Candidates = []int64{1, 0} }, &RulesError{Problem: BadCandidateID, Version: 0}},
		{"negative id", func(r *Rules) { r.Candidates = []int64{-4, 1} }, &RulesError{Problem: BadCandidateID, Version: -4}},
		{"negative quorum", func(r *Rules) { r.Quorum = -1 }, &RulesError{Problem: NegativeQuorum}},
		{"threshold below 0", func(r *Rules) { r.Threshold = -0.01 }, &RulesError{Problem: BadThreshold}},
		{"threshold above 1", func(r *Rules) { r.Threshold = 1.01 }, &RulesError{Problem: BadThreshold}},
		{"threshold NaN", func(r *Rules) { r.Threshold = math.NaN() }, &RulesError{Problem: BadThreshold}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ok
			r.Candidates = append([]int64(nil), ok.Candidates...)
			tt.edit(&r)
			assertRulesErr(t, CheckRules(r), tt.want)
			// Check refuses every ballot under bad rules, with the
			// same error.
			assertRulesErr(t, Check(r, Ballot{}), tt.want)
			// So does Count, even with no ballots.
			_, err := Count(r, nil)
			assertRulesErr(t, err, tt.want)
		})
	}
}

// assertRulesErr checks that err is nil when want is, and otherwise that
// err is or wraps a *RulesError equal to want.
func assertRulesErr(t *testing.T, err error, want *RulesError) {
	t.Helper()
	got, ok := errors.AsType[*RulesError](err)
	switch {
	case want == nil && err != nil:
		t.Errorf("err = %v, want nil", err)
	case want != nil && !ok:
		t.Errorf("err = %v, want %#v (%v)", err, want, want)
	case want != nil && *got != *want:
		t.Errorf("err = %#v (%v), want %#v (%v)", got, got, want, want)
	}
}

// assertBallotErr is assertRulesErr for a *BallotError.
func assertBallotErr(t *testing.T, err error, want *BallotError) {
	t.Helper()
	got, ok := errors.AsType[*BallotError](err)
	switch {
	case want == nil && err != nil:
		t.Errorf("err = %v, want nil", err)
	case want != nil && !ok:
		t.Errorf("err = %v, want %#v (%v)", err, want, want)
	case want != nil && *got != *want:
		t.Errorf("err = %#v (%v), want %#v (%v)", got, got, want, want)
	}
}

func TestCheck(t *testing.T) {
	approval := Rules{Method: Approval, Candidates: []int64{12, 15, 18}}
	ranked := Rules{Method: Ranked, Candidates: []int64{12, 15, 18}}
	tests := []struct {
		name  string
		rules Rules
		b     Ballot
		want  *BallotError // nil for no error
	}{
		{"approval: ticks", approval, Ballot{Approve: []int64{18, 12}}, nil},
		{"approval: all", approval, Ballot{Approve: []int64{12, 15, 18}, Group: "peckham"}, nil},
		{"approval: none makes sense", approval, Ballot{}, nil},
		{"approval: empty rank map is fine", approval, Ballot{Approve: []int64{15}, Rank: map[int64]int{}}, nil},
		{"approval: unknown id", approval, Ballot{Approve: []int64{12, 99}}, &BallotError{Problem: NotACandidate, Version: 99}},
		{"approval: first unknown id is named", approval, Ballot{Approve: []int64{98, 12, 99}}, &BallotError{Problem: NotACandidate, Version: 98}},
		{"approval: unknown before duplicate", approval, Ballot{Approve: []int64{12, 12, 99}}, &BallotError{Problem: NotACandidate, Version: 99}},
		{"approval: duplicate", approval, Ballot{Approve: []int64{15, 12, 15}}, &BallotError{Problem: TickedTwice, Version: 15}},
		{"approval: too many ticks", approval, Ballot{Approve: []int64{12, 15, 18, 12}}, &BallotError{Problem: TickedTwice, Version: 12}},
		{"approval: rank used", approval, Ballot{Rank: map[int64]int{12: 1}}, &BallotError{Problem: RankInApproval}},
		{"approval: rank used before unknown id", approval, Ballot{Approve: []int64{99}, Rank: map[int64]int{12: 1}}, &BallotError{Problem: RankInApproval}},

		{"ranked: full", ranked, Ballot{Rank: map[int64]int{15: 1, 12: 2, 18: 3}}, nil},
		{"ranked: partial", ranked, Ballot{Rank: map[int64]int{18: 1, 12: 2}}, nil},
		{"ranked: one", ranked, Ballot{Rank: map[int64]int{15: 1}}, nil},
		{"ranked: none makes sense", ranked, Ballot{}, nil},
		{"ranked: empty approve is fine", ranked, Ballot{Approve: []int64{}, Rank: map[int64]int{12: 1}}, nil},
		{"ranked: approve used", ranked, Ballot{Approve: []int64{12}}, &BallotError{Problem: ApproveInRanked}},
		{"ranked: unknown id", ranked, Ballot{Rank: map[int64]int{12: 1, 99: 2}}, &BallotError{Problem: NotACandidate, Version: 99}},
		{"ranked: smallest unknown id is named", ranked, Ballot{Rank: map[int64]int{99: 1, 98: 2, 12: 3}}, &BallotError{Problem: NotACandidate, Version: 98}},
		{"ranked: unknown id before bad rank", ranked, Ballot{Rank: map[int64]int{12: 0, 99: 1}}, &BallotError{Problem: NotACandidate, Version: 99}},
		{"ranked: rank 0", ranked, Ballot{Rank: map[int64]int{12: 0}}, &BallotError{Problem: RankBelowOne, Version: 12, Rank: 0}},
		{"ranked: negative rank", ranked, Ballot{Rank: map[int64]int{12: 1, 18: -2}}, &BallotError{Problem: RankBelowOne, Version: 18, Rank: -2}},
		{"ranked: first bad rank in ballot order", ranked, Ballot{Rank: map[int64]int{18: 0, 15: -1}}, &BallotError{Problem: RankBelowOne, Version: 15, Rank: -1}},
		{"ranked: duplicate rank", ranked, Ballot{Rank: map[int64]int{18: 1, 12: 1}}, &BallotError{Problem: RankDuplicate, Version: 12, Other: 18, Rank: 1}},
		{"ranked: gap", ranked, Ballot{Rank: map[int64]int{12: 1, 15: 3}}, &BallotError{Problem: RankGap, Rank: 2}},
		{"ranked: not starting at 1", ranked, Ballot{Rank: map[int64]int{12: 2, 15: 3}}, &BallotError{Problem: RankGap, Rank: 1}},
		{"ranked: rank beyond candidates", ranked, Ballot{Rank: map[int64]int{12: 1, 15: 2, 18: 4}}, &BallotError{Problem: RankGap, Rank: 3}},
		{"ranked: more ranks than candidates", ranked, Ballot{Rank: map[int64]int{12: 1, 15: 2, 18: 3, 99: 4}}, &BallotError{Problem: TooManyRanks, Ranked: 4, Candidates: 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The same ballot gets the same error every time, though
			// map order differs from run to run.
			for range 20 {
				assertBallotErr(t, Check(tt.rules, tt.b), tt.want)
			}
			// Count agrees, and names the ballot.
			_, err := Count(tt.rules, []Ballot{{}, tt.b})
			assertBallotErr(t, err, tt.want)
			if tt.want != nil && err != nil {
				if want := "ballot 2 of 2: " + tt.want.Error(); err.Error() != want {
					t.Errorf("Count: err = %q, want %q", err, want)
				}
			}
		})
	}
}

// TestErrorTexts checks that every problem has its own description, in Go
// style: lower case, without a full stop.
func TestErrorTexts(t *testing.T) {
	texts := map[string]bool{}
	check := func(e error, unknown string) {
		t.Helper()
		s := e.Error()
		switch {
		case strings.HasPrefix(s, unknown):
			t.Errorf("%#v has no description: %q", e, s)
		case s == "" || s != strings.ToLower(s[:1])+s[1:] || strings.HasSuffix(s, "."):
			t.Errorf("%#v: %q is not lower case without a full stop", e, s)
		case texts[s]:
			t.Errorf("%#v: %q describes another problem too", e, s)
		}
		texts[s] = true
	}
	for _, p := range RulesProblems() {
		check(&RulesError{Problem: p, Method: "borda", Version: 7}, "invalid rules")
	}
	for _, p := range BallotProblems() {
		check(&BallotError{Problem: p, Version: 7, Other: 8, Rank: 2, Ranked: 4, Candidates: 3}, "invalid ballot")
	}
	// The zero problem is none of them.
	if s := (&BallotError{}).Error(); !strings.HasPrefix(s, "invalid ballot") {
		t.Errorf("zero BallotError: %q", s)
	}
	if s := (&RulesError{}).Error(); !strings.HasPrefix(s, "invalid rules") {
		t.Errorf("zero RulesError: %q", s)
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

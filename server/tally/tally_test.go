package tally

import (
	"math/rand/v2"
	"reflect"
	"testing"
)

// ballots repeats one ballot n times.
func ballots(n int, b Ballot) []Ballot {
	out := make([]Ballot, n)
	for i := range out {
		out[i] = b
	}
	return out
}

func tick(ids ...int64) Ballot { return Ballot{Approve: ids} }

func join(parts ...[]Ballot) []Ballot {
	var out []Ballot
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func counts(r Result) []int {
	out := make([]int, len(r.Candidates))
	for i, c := range r.Candidates {
		out[i] = c.Count
	}
	return out
}

func TestApproval(t *testing.T) {
	three := []int64{12, 15, 18}
	tests := []struct {
		name       string
		threshold  float64
		quorum     int
		ballots    []Ballot
		outcome    Outcome
		winner     int64
		counts     []int
		reason     string
		candidates []int64 // default three
	}{
		{
			name:      "clear winner",
			threshold: 0.5,
			ballots:   join(ballots(5, tick(12, 15)), ballots(2, tick(12)), ballots(2, tick(18)), ballots(1, tick(12, 18))),
			outcome:   Settled, winner: 12, counts: []int{8, 5, 3},
			reason: "Version 12 won: 80% of the 10 people who voted said it makes sense (it needed 50%).",
		},
		{
			name:      "tie",
			threshold: 0.5,
			ballots:   join(ballots(3, tick(12, 15)), ballots(1, tick(12)), ballots(1, tick(15, 18))),
			outcome:   Tie, counts: []int{4, 4, 1},
			reason: "No wording was agreed: versions 12 and 15 tied with 4 ticks each.",
		},
		{
			name:    "three-way tie of one tick each",
			ballots: []Ballot{tick(12), tick(15), tick(18)},
			outcome: Tie, counts: []int{1, 1, 1},
			reason: "No wording was agreed: versions 12, 15 and 18 tied with 1 tick each.",
		},
		{
			name:      "below threshold",
			threshold: 0.5,
			ballots:   join(ballots(4, tick(12)), ballots(3, tick(15)), ballots(3, tick(18))),
			outcome:   BelowThreshold, counts: []int{4, 3, 3},
			reason: "No wording was agreed: version 12 had the most ticks, but only 40% of the 10 people who voted said it makes sense and it needed 50%.",
		},
		{
			name:      "exactly at threshold passes",
			threshold: 0.5,
			ballots:   join(ballots(5, tick(12)), ballots(3, tick(15)), ballots(2, tick(18))),
			outcome:   Settled, winner: 12, counts: []int{5, 3, 2},
			reason: "Version 12 won: 50% of the 10 people who voted said it makes sense (it needed 50%).",
		},
		{
			// 0.07*100 is 7.000000000000001 in floating point.
			name:      "exactly at a threshold floats get wrong",
			threshold: 0.07,
			ballots:   join(ballots(7, tick(12)), ballots(93, tick())),
			outcome:   Settled, winner: 12, counts: []int{7, 0, 0},
		},
		{
			name:      "one short of threshold",
			threshold: 0.5,
			ballots:   join(ballots(4, tick(12)), ballots(3, tick(15)), ballots(2, tick(18)), ballots(1, tick())),
			outcome:   BelowThreshold, counts: []int{4, 3, 2},
		},
		{
			// 49.6% must not read as "50% ... and it needed 50%".
			name:      "share just short is rounded down",
			threshold: 0.5,
			ballots:   join(ballots(124, tick(12)), ballots(126, tick())),
			outcome:   BelowThreshold, counts: []int{124, 0, 0},
			reason: "No wording was agreed: version 12 had the most ticks, but only 49% of the 250 people who voted said it makes sense and it needed 50%.",
		},
		{
			name:      "quorum missed",
			threshold: 0.5,
			quorum:    10,
			ballots:   join(ballots(7, tick(12)), ballots(1, tick(15))),
			outcome:   NoQuorum, counts: []int{7, 1, 0},
			reason: "No wording was agreed: only 8 people voted and the round needed 10.",
		},
		{
			name:    "quorum met exactly",
			quorum:  3,
			ballots: []Ballot{tick(12), tick(12), tick(15)},
			outcome: Settled, winner: 12, counts: []int{2, 1, 0},
			reason: "Version 12 won: 67% of the 3 people who voted said it makes sense.",
		},
		{
			name:    "one voter short of quorum",
			quorum:  2,
			ballots: []Ballot{tick(12)},
			outcome: NoQuorum, counts: []int{1, 0, 0},
			reason: "No wording was agreed: only 1 person voted and the round needed 2.",
		},
		{
			name:    "zero ballots, no quorum asked",
			outcome: Tie, counts: []int{0, 0, 0},
			reason: "No wording was agreed: nobody voted.",
		},
		{
			name:    "zero ballots, quorum asked",
			quorum:  1,
			outcome: NoQuorum, counts: []int{0, 0, 0},
			reason: "No wording was agreed: nobody voted and the round needed 1.",
		},
		{
			name:      "empty ballots count in the denominator",
			threshold: 0.5,
			ballots:   join(ballots(4, tick(12)), ballots(6, tick())),
			outcome:   BelowThreshold, counts: []int{4, 0, 0},
			reason: "No wording was agreed: version 12 had the most ticks, but only 40% of the 10 people who voted said it makes sense and it needed 50%.",
		},
		{
			name:    "only empty ballots",
			ballots: ballots(3, tick()),
			outcome: Tie, counts: []int{0, 0, 0},
			reason: "No wording was agreed: no version got a tick from the 3 people who voted.",
		},
		{
			name:      "threshold 0 takes any winner",
			threshold: 0,
			ballots:   join(ballots(1, tick(15)), ballots(9, tick())),
			outcome:   Settled, winner: 15, counts: []int{0, 1, 0},
			reason: "Version 15 won: 10% of the 10 people who voted said it makes sense.",
		},
		{
			name:       "threshold 1 met by everyone",
			threshold:  1,
			ballots:    ballots(10, tick(18, 12)),
			candidates: []int64{12, 18},
			outcome:    Tie, counts: []int{10, 10},
			reason: "No wording was agreed: versions 12 and 18 tied with 10 ticks each.",
		},
		{
			name:      "threshold 1 met",
			threshold: 1,
			ballots:   join(ballots(9, tick(18, 12)), ballots(1, tick(18))),
			outcome:   Settled, winner: 18, counts: []int{9, 0, 10},
			reason: "Version 18 won: 100% of the 10 people who voted said it makes sense (it needed 100%).",
		},
		{
			name:      "threshold 1 missed by one",
			threshold: 1,
			ballots:   join(ballots(9, tick(18)), ballots(1, tick(12))),
			outcome:   BelowThreshold, counts: []int{1, 0, 9},
			reason: "No wording was agreed: version 18 had the most ticks, but only 90% of the 10 people who voted said it makes sense and it needed 100%.",
		},
		{
			name:      "thousands are written with commas",
			threshold: 0.5,
			ballots:   join(ballots(700, tick(12)), ballots(550, tick())),
			outcome:   Settled, winner: 12, counts: []int{700, 0, 0},
			reason: "Version 12 won: 56% of the 1,250 people who voted said it makes sense (it needed 50%).",
		},
		{
			name:      "thousands short of quorum",
			threshold: 0.5,
			quorum:    1500,
			ballots:   join(ballots(700, tick(12)), ballots(550, tick())),
			outcome:   NoQuorum, counts: []int{700, 0, 0},
			reason: "No wording was agreed: only 1,250 people voted and the round needed 1,500.",
		},
		{
			name:    "one voter",
			ballots: []Ballot{tick(15)},
			outcome: Settled, winner: 15, counts: []int{0, 1, 0},
			reason: "Version 15 won: 100% of the 1 person who voted said it makes sense.",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cands := tt.candidates
			if cands == nil {
				cands = three
			}
			rules := Rules{Method: Approval, Candidates: cands, Quorum: tt.quorum, Threshold: tt.threshold}
			got, err := Count(rules, tt.ballots)
			if err != nil {
				t.Fatal(err)
			}
			if got.Outcome != tt.outcome || got.Winner != tt.winner {
				t.Errorf("outcome %s, winner %d; want %s, %d (%s)", got.Outcome, got.Winner, tt.outcome, tt.winner, got.Reason)
			}
			if got.Ballots != len(tt.ballots) {
				t.Errorf("Ballots = %d, want %d", got.Ballots, len(tt.ballots))
			}
			if c := counts(got); !reflect.DeepEqual(c, tt.counts) {
				t.Errorf("counts = %v, want %v", c, tt.counts)
			}
			for i, c := range got.Candidates {
				if c.VersionID != cands[i] {
					t.Errorf("Candidates[%d] is version %d, want %d", i, c.VersionID, cands[i])
				}
				if want := share(c.Count, len(tt.ballots)); c.Share != want {
					t.Errorf("version %d: share %v, want %v", c.VersionID, c.Share, want)
				}
			}
			if tt.reason != "" && got.Reason != tt.reason {
				t.Errorf("reason\n got %q\nwant %q", got.Reason, tt.reason)
			}
			if got.Ranking != nil || got.Ranked != nil || got.Pairwise != nil || got.StrongestPaths != nil {
				t.Errorf("approval result has ranked fields: %+v", got)
			}
		})
	}
}

func TestMeets(t *testing.T) {
	tests := []struct {
		count, ballots int
		threshold      float64
		want           bool
	}{
		{5, 10, 0.5, true},
		{4, 10, 0.5, false},
		{7, 100, 0.07, true}, // 0.07*100 is 7.000000000000001
		{6, 100, 0.07, false},
		{29, 100, 0.29, true}, // 0.29*100 is 28.999999999999996
		{28, 100, 0.29, false},
		{2, 3, 2.0 / 3, true},
		{1, 3, 2.0 / 3, false},
		{6666, 10000, 2.0 / 3, false},
		{6667, 10000, 2.0 / 3, true},
		{666_666, 1_000_000, 2.0 / 3, false},
		{666_667, 1_000_000, 2.0 / 3, true},
		{1, 3, 1.0 / 3, true},
		{3333, 10000, 1.0 / 3, false},
		{500_000_000, 1_000_000_000, 0.5, true},
		{499_999_999, 1_000_000_000, 0.5, false},
		{0, 0, 1, true},
		{0, 10, 0, true},
		{10, 10, 1, true},
		{9, 10, 1, false},
	}
	for _, tt := range tests {
		if got := meets(tt.count, tt.ballots, tt.threshold); got != tt.want {
			t.Errorf("meets(%d, %d, %v) = %v, want %v", tt.count, tt.ballots, tt.threshold, got, tt.want)
		}
	}
}

// TestMeetsPercentages checks every whole and half percent against exact
// integer arithmetic, for every count of up to 400 ballots.
func TestMeetsPercentages(t *testing.T) {
	for half := 0; half <= 200; half++ { // threshold = half/200
		threshold := float64(half) / 200
		for ballots := 0; ballots <= 400; ballots++ {
			for count := 0; count <= ballots; count++ {
				want := count*200 >= half*ballots
				if got := meets(count, ballots, threshold); got != want {
					t.Fatalf("meets(%d, %d, %v) = %v, want %v", count, ballots, threshold, got, want)
				}
			}
		}
	}
}

func TestGroups(t *testing.T) {
	cands := []int64{1, 2}
	g := func(name string, n int, b Ballot) []Ballot {
		out := ballots(n, b)
		for i := range out {
			out[i].Group = name
		}
		return out
	}
	cc := func(n1, n2, total int) []CandidateCount {
		return []CandidateCount{{1, n1, share(n1, total)}, {2, n2, share(n2, total)}}
	}
	tests := []struct {
		name    string
		ballots []Ballot
		want    []Group
	}{
		{
			name:    "7, 4 and 2",
			ballots: join(g("peckham", 7, tick(1)), g("camberwell", 4, tick(2)), g("bermondsey", 2, tick(1))),
			want: []Group{
				{"peckham", 7, cc(7, 0, 7)},
				{Other, 6, cc(2, 4, 6)},
			},
		},
		{
			// Other alone would show 1 ballot, and so would the total
			// less Peckham: Peckham joins it.
			name:    "a ballot without a group is not shown, alone or by difference",
			ballots: join(g("peckham", 5, tick(1)), g("", 1, tick(2))),
			want: []Group{
				{Other, 6, cc(5, 1, 6)},
			},
		},
		{
			name:    "other too small: the smallest joins it, of equals the first by name",
			ballots: join(g("walworth", 5, tick(2)), g("", 2, tick()), g("borough", 6, tick(1)), g("dulwich", 5, tick(1))),
			want: []Group{
				{"borough", 6, cc(6, 0, 6)},
				{"walworth", 5, cc(0, 5, 5)},
				{Other, 7, cc(5, 0, 7)},
			},
		},
		{
			name:    "two small groups make an other of 5",
			ballots: join(g("a", 3, tick(1)), g("b", 2, tick(2)), g("c", 9, tick(1))),
			want: []Group{
				{"c", 9, cc(9, 0, 9)},
				{Other, 5, cc(3, 2, 5)},
			},
		},
		{
			name:    "no other when every group is big enough",
			ballots: join(g("b", 5, tick(2)), g("a", 5, tick(1))),
			want: []Group{
				{"a", 5, cc(5, 0, 5)},
				{"b", 5, cc(0, 5, 5)},
			},
		},
		{
			name:    "a neighbourhood called other merges, never doubles",
			ballots: join(g("other", 6, tick(1)), g("rotherhithe", 3, tick(2))),
			want: []Group{
				{Other, 9, cc(6, 3, 9)},
			},
		},
		{
			name:    "fewer than 5 ballots in all: no table",
			ballots: join(g("peckham", 3, tick(1)), g("walworth", 1, tick(2))),
			want:    []Group{},
		},
		{
			name:    "4 ballots of one neighbourhood: no table",
			ballots: g("peckham", 4, tick(1)),
			want:    []Group{},
		},
		{
			name:    "no ballots, no groups",
			ballots: nil,
			want:    []Group{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, m := range []Method{Approval, Ranked} {
				bs := tt.ballots
				if m == Ranked {
					bs = asRanked(bs)
				}
				got, err := Count(Rules{Method: m, Candidates: cands}, bs)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got.Groups, tt.want) {
					t.Errorf("%s groups\n got %+v\nwant %+v", m, got.Groups, tt.want)
				}
			}
		})
	}
}

// asRanked turns approval ballots into ranked ones, ranking the ticked
// versions in the order ticked. With at most one tick a ballot, first
// preferences equal ticks, so one table checks both methods.
func asRanked(bs []Ballot) []Ballot {
	out := make([]Ballot, len(bs))
	for i, b := range bs {
		r := make(map[int64]int, len(b.Approve))
		for k, id := range b.Approve {
			r[id] = k + 1
		}
		out[i] = Ballot{Group: b.Group, Rank: r}
	}
	return out
}

func TestCountIgnoresBallotOrder(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	cands := []int64{40, 41, 42, 43, 44}
	groups := []string{"", "peckham", "camberwell", "bermondsey", "walworth", "dulwich", "other"}
	var approval, ranked []Ballot
	for range 300 {
		g := groups[rnd.IntN(len(groups))]
		var ticks []int64
		for _, id := range cands {
			if rnd.IntN(2) == 0 {
				ticks = append(ticks, id)
			}
		}
		rnd.Shuffle(len(ticks), func(i, j int) { ticks[i], ticks[j] = ticks[j], ticks[i] })
		approval = append(approval, Ballot{Group: g, Approve: ticks})

		perm := rnd.Perm(len(cands))[:rnd.IntN(len(cands)+1)]
		rank := make(map[int64]int, len(perm))
		for r, i := range perm {
			rank[cands[i]] = r + 1
		}
		ranked = append(ranked, Ballot{Group: g, Rank: rank})
	}
	for _, tt := range []struct {
		method  Method
		ballots []Ballot
	}{{Approval, approval}, {Ranked, ranked}} {
		rules := Rules{Method: tt.method, Candidates: cands, Quorum: 10, Threshold: 0.3}
		want, err := Count(rules, tt.ballots)
		if err != nil {
			t.Fatal(err)
		}
		for range 10 {
			bs := append([]Ballot(nil), tt.ballots...)
			rnd.Shuffle(len(bs), func(i, j int) { bs[i], bs[j] = bs[j], bs[i] })
			got, err := Count(rules, bs)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%s: shuffled ballots give another result\n got %+v\nwant %+v", tt.method, got, want)
			}
		}
	}
}

func TestCountRejects(t *testing.T) {
	rules := Rules{Method: Approval, Candidates: []int64{1, 2}}
	_, err := Count(rules, []Ballot{tick(1), tick(2), tick(99)})
	assertBallotErr(t, err, &BallotError{Problem: NotACandidate, Version: 99})
	if err == nil || err.Error() != "ballot 3 of 3: version 99 is not a candidate" {
		t.Errorf("bad ballot: err = %v", err)
	}
	_, err = Count(Rules{Method: "borda", Candidates: []int64{1, 2}}, nil)
	assertRulesErr(t, err, &RulesError{Problem: UnknownMethod, Method: "borda"})
}

func TestNumber(t *testing.T) {
	tests := []struct {
		n    int
		want string
	}{
		{0, "0"}, {7, "7"}, {999, "999"}, {1000, "1,000"}, {12345, "12,345"},
		{212000, "212,000"}, {1000000, "1,000,000"}, {-1234, "-1,234"},
	}
	for _, tt := range tests {
		if got := number(tt.n); got != tt.want {
			t.Errorf("number(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}

func TestVersions(t *testing.T) {
	tests := []struct {
		ids  []int64
		want string
	}{
		{[]int64{12}, "version 12"},
		{[]int64{12, 15}, "versions 12 and 15"},
		{[]int64{12, 15, 18}, "versions 12, 15 and 18"},
	}
	for _, tt := range tests {
		if got := versions(tt.ids); got != tt.want {
			t.Errorf("versions(%v) = %q, want %q", tt.ids, got, tt.want)
		}
	}
}

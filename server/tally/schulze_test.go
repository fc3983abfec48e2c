package tally

import (
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// Candidates A, B, C... are versions 11, 12, 13..., so that a mix-up of
// ids and indices shows.
func letterID(r rune) int64 { return int64(r-'A') + 11 }

func letters(s string) []int64 {
	out := make([]int64, 0, len(s))
	for _, r := range s {
		out = append(out, letterID(r))
	}
	return out
}

// profile builds ranked ballots from lines such as "5 ACBED": five voters
// who rank A first, C second and so on. Letters left out are unranked; a
// line with only a number is that many empty ballots.
func profile(t *testing.T, lines ...string) []Ballot {
	t.Helper()
	var out []Ballot
	for _, line := range lines {
		f := strings.Fields(line)
		n, err := strconv.Atoi(f[0])
		if err != nil {
			t.Fatalf("profile line %q: %v", line, err)
		}
		rank := map[int64]int{}
		if len(f) > 1 {
			for i, id := range letters(f[1]) {
				rank[id] = i + 1
			}
		}
		// Ballots may share the map: Count does not change ballots.
		out = append(out, ballots(n, Ballot{Rank: rank})...)
	}
	return out
}

func TestSchulze(t *testing.T) {
	tests := []struct {
		name       string
		candidates string
		ballots    []string
		threshold  float64
		outcome    Outcome
		winner     rune    // 0 for none
		ranking    string  // layers apart: "BD AC" is B and D tied first, then A and C tied third
		counts     []int   // first preferences
		ranked     []int   // ballots that ranked each candidate
		d, p       [][]int // nil when not published
		reason     string
	}{
		{
			// Wikipedia, "Schulze method", the worked example; also
			// example 1 of Schulze's paper. Matrices as published there.
			name:       "Wikipedia 45 voters",
			candidates: "ABCDE",
			ballots:    []string{"5 ACBED", "5 ADECB", "8 BEDAC", "3 CABED", "7 CAEBD", "2 CBADE", "7 DCEBA", "8 EBADC"},
			threshold:  0.5,
			outcome:    Settled, winner: 'E',
			ranking: "E A C B D",
			counts:  []int{10, 8, 12, 7, 8},
			ranked:  []int{45, 45, 45, 45, 45},
			d: [][]int{
				{0, 20, 26, 30, 22},
				{25, 0, 16, 33, 18},
				{19, 29, 0, 17, 24},
				{15, 12, 28, 0, 14},
				{23, 27, 21, 31, 0},
			},
			p: [][]int{
				{0, 28, 28, 30, 24},
				{25, 0, 28, 33, 24},
				{25, 29, 0, 29, 24},
				{25, 28, 28, 0, 24},
				{25, 28, 28, 31, 0},
			},
			reason: "Version 15 won: when the rankings were compared it came out ahead of every other version, and 100% of the 45 people who voted included it in their ranking (it needed 50%).",
		},
		{
			// Schulze's paper, example 2 (30 voters), as listed on
			// Electowiki's "Schulze method" page: D > A > C > B.
			name:       "Schulze example 2",
			candidates: "ABCD",
			ballots:    []string{"5 ACBD", "2 ACDB", "3 ADCB", "4 BACD", "3 CBDA", "3 CDBA", "1 DACB", "5 DBAC", "4 DCBA"},
			outcome:    Settled, winner: 'D',
			ranking: "D A C B",
			counts:  []int{10, 4, 6, 10},
		},
		{
			// Schulze's paper, example 3 (30 voters): B > A > D > E > C.
			name:       "Schulze example 3",
			candidates: "ABCDE",
			ballots:    []string{"3 ABDEC", "5 ADEBC", "1 ADECB", "2 BADEC", "2 BDECA", "4 CABDE", "6 CBADE", "2 DBECA", "5 DECAB"},
			outcome:    Settled, winner: 'B',
			ranking: "B A D E C",
		},
		{
			// Schulze's paper, example 4 (9 voters): B and D are both
			// potential winners, then A and C. d and p worked out by
			// hand: links A>B 5, A>C 5, B>C 7, B>D 5, C>D 5, D>A 6.
			name:       "Schulze example 4, a genuine tie",
			candidates: "ABCD",
			ballots:    []string{"3 ABCD", "2 DABC", "2 DBCA", "2 CBDA"},
			outcome:    Tie,
			ranking:    "BD AC",
			d: [][]int{
				{0, 5, 5, 3},
				{4, 0, 7, 5},
				{4, 2, 0, 5},
				{6, 4, 4, 0},
			},
			p: [][]int{
				{0, 5, 5, 5},
				{5, 0, 7, 5},
				{5, 5, 0, 5},
				{6, 5, 5, 0},
			},
			reason: "No wording was agreed: versions 12 and 14 tied, because when the rankings were compared neither came out ahead of the other.",
		},
		{
			// A Condorcet cycle of equal strength: each beats the next
			// 2 to 1, so no one comes out ahead.
			name:       "three-way cycle",
			candidates: "ABC",
			ballots:    []string{"1 ABC", "1 BCA", "1 CAB"},
			outcome:    Tie,
			ranking:    "ABC",
			p:          [][]int{{0, 2, 2}, {2, 0, 2}, {2, 2, 0}},
			reason:     "No wording was agreed: versions 11, 12 and 13 tied, because when the rankings were compared none came out ahead of the others.",
		},
		{
			// A cycle with a weakest link: A>B 7, B>C 6, C>A 5 (winning
			// votes). Dropping C>A leaves A on top: A > B > C.
			name:       "cycle broken at its weakest link",
			candidates: "ABC",
			ballots:    []string{"4 ABC", "2 BCA", "3 CAB"},
			outcome:    Settled, winner: 'A',
			ranking: "A B C",
			d:       [][]int{{0, 7, 4}, {2, 0, 6}, {5, 3, 0}},
			p:       [][]int{{0, 7, 6}, {5, 0, 6}, {5, 5, 0}},
		},
		{
			// A Condorcet winner always wins, whatever the first
			// preferences say: B is everyone's first or second choice.
			name:       "Condorcet winner with few first preferences",
			candidates: "ABC",
			ballots:    []string{"4 ABC", "3 CBA", "2 BAC"},
			outcome:    Settled, winner: 'B',
			ranking: "B A C",
			counts:  []int{4, 2, 3},
			d:       [][]int{{0, 4, 6}, {5, 0, 6}, {3, 3, 0}},
		},
		{
			// Partial rankings. Ranked over unranked counts, unranked
			// against unranked does not: d[B][C] = d[C][B] = 2, no link.
			// C > A (4 to 3) > B (3 to 2): C wins on 2 first preferences.
			name:       "partial rankings",
			candidates: "ABC",
			ballots:    []string{"3 A", "2 BC", "2 C", "1"},
			threshold:  0.5,
			outcome:    Settled, winner: 'C',
			ranking: "C A B",
			counts:  []int{3, 2, 2},
			ranked:  []int{3, 2, 4},
			d:       [][]int{{0, 3, 3}, {2, 0, 2}, {4, 2, 0}},
			p:       [][]int{{0, 3, 0}, {0, 0, 0}, {4, 3, 0}},
			reason:  "Version 13 won: when the rankings were compared it came out ahead of every other version, and 50% of the 8 people who voted included it in their ranking (it needed 50%).",
		},
		{
			// The same, but the winner must be ranked by 60%: it was
			// ranked on 4 of the 8 ballots, the empty one included.
			name:       "partial rankings below threshold",
			candidates: "ABC",
			ballots:    []string{"3 A", "2 BC", "2 C", "1"},
			threshold:  0.6,
			outcome:    BelowThreshold,
			ranking:    "C A B",
			reason:     "No wording was agreed: version 13 came out ahead when the rankings were compared, but only 50% of the 8 people who voted included it in their ranking and it needed 60%.",
		},
		{
			name:       "two candidates split evenly",
			candidates: "AB",
			ballots:    []string{"2 AB", "2 B"},
			outcome:    Tie,
			ranking:    "AB",
			d:          [][]int{{0, 2}, {2, 0}},
			p:          [][]int{{0, 0}, {0, 0}},
		},
		{
			name:       "only empty ballots",
			candidates: "AB",
			ballots:    []string{"4"},
			outcome:    Tie,
			ranking:    "AB",
			ranked:     []int{0, 0},
			reason:     "No wording was agreed: no version was ranked by the 4 people who voted.",
		},
		{
			name:       "no ballots",
			candidates: "ABC",
			outcome:    Tie,
			ranking:    "ABC",
			d:          [][]int{{0, 0, 0}, {0, 0, 0}, {0, 0, 0}},
			p:          [][]int{{0, 0, 0}, {0, 0, 0}, {0, 0, 0}},
			reason:     "No wording was agreed: nobody voted.",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rules := Rules{Method: Ranked, Candidates: letters(tt.candidates), Threshold: tt.threshold}
			got, err := Count(rules, profile(t, tt.ballots...))
			if err != nil {
				t.Fatal(err)
			}
			var winner int64
			if tt.winner != 0 {
				winner = letterID(tt.winner)
			}
			if got.Outcome != tt.outcome || got.Winner != winner {
				t.Errorf("outcome %s, winner %d; want %s, %d (%s)", got.Outcome, got.Winner, tt.outcome, winner, got.Reason)
			}
			layers := strings.Fields(tt.ranking)
			if want := letters(strings.Join(layers, "")); !reflect.DeepEqual(got.Ranking, want) {
				t.Errorf("ranking %v, want %v", got.Ranking, want)
			}
			wantGroups := make([][]int64, len(layers))
			for i, l := range layers {
				wantGroups[i] = letters(l)
			}
			if !reflect.DeepEqual(got.RankingGroups, wantGroups) {
				t.Errorf("ranking groups %v, want %v", got.RankingGroups, wantGroups)
			}
			// A result stored without its groups gets the same from its
			// strongest paths.
			if again := RankingGroups(rules.Candidates, got.StrongestPaths); !reflect.DeepEqual(again, got.RankingGroups) {
				t.Errorf("RankingGroups from the strongest paths = %v, want %v", again, got.RankingGroups)
			}
			if tt.counts != nil && !reflect.DeepEqual(counts(got), tt.counts) {
				t.Errorf("first preferences %v, want %v", counts(got), tt.counts)
			}
			if tt.ranked != nil && !reflect.DeepEqual(got.Ranked, tt.ranked) {
				t.Errorf("ranked %v, want %v", got.Ranked, tt.ranked)
			}
			if tt.d != nil && !reflect.DeepEqual(got.Pairwise, tt.d) {
				t.Errorf("d = %v, want %v", got.Pairwise, tt.d)
			}
			if tt.p != nil && !reflect.DeepEqual(got.StrongestPaths, tt.p) {
				t.Errorf("p = %v, want %v", got.StrongestPaths, tt.p)
			}
			if tt.reason != "" && got.Reason != tt.reason {
				t.Errorf("reason\n got %q\nwant %q", got.Reason, tt.reason)
			}
		})
	}
}

// TestSchulzeQuorum checks that a round short of its quorum still shows
// its counts and matrices.
func TestSchulzeQuorum(t *testing.T) {
	rules := Rules{Method: Ranked, Candidates: letters("ABC"), Quorum: 10}
	got, err := Count(rules, profile(t, "4 ABC", "3 CBA", "1 BAC"))
	if err != nil {
		t.Fatal(err)
	}
	if got.Outcome != NoQuorum || got.Winner != 0 {
		t.Fatalf("outcome %s, winner %d; want no quorum", got.Outcome, got.Winner)
	}
	if want := "No wording was agreed: only 8 people voted and the round needed 10."; got.Reason != want {
		t.Errorf("reason %q, want %q", got.Reason, want)
	}
	if want := [][]int{{0, 4, 5}, {4, 0, 5}, {3, 3, 0}}; !reflect.DeepEqual(got.Pairwise, want) {
		t.Errorf("d = %v, want %v", got.Pairwise, want)
	}
	if got.StrongestPaths == nil || !reflect.DeepEqual(got.Ranking, letters("ABC")) {
		t.Errorf("ranking %v, paths %v: want them filled", got.Ranking, got.StrongestPaths)
	}
	if !reflect.DeepEqual(counts(got), []int{4, 1, 3}) || len(got.Groups) != 1 {
		t.Errorf("counts %v, groups %v: want them filled", counts(got), got.Groups)
	}
}

// TestSchulzeAgainstDefinition compares the Floyd–Warshall strongest paths
// with a direct search over every path, on many small random elections, and
// checks that the ranking never puts a candidate before one that beats it.
func TestSchulzeAgainstDefinition(t *testing.T) {
	seed := uint64(1)
	next := func(n int) int { // a small LCG keeps the test self-contained
		seed = seed*6364136223846793005 + 1442695040888963407
		return int(seed>>33) % n
	}
	for round := range 2000 {
		n := 2 + next(4)
		d := make([][]int, n)
		for i := range d {
			d[i] = make([]int, n)
		}
		for i := range n {
			for j := i + 1; j < n; j++ {
				d[i][j], d[j][i] = next(6), next(6)
			}
		}
		p := strongestPaths(d)
		for i := range n {
			for j := range n {
				if want := widest(d, i, j); p[i][j] != want {
					t.Fatalf("round %d: d = %v: p[%d][%d] = %d, want %d", round, d, i, j, p[i][j], want)
				}
			}
		}
		pos := make([]int, n)
		k := 0
		layers := schulzeLayers(p)
		for l, layer := range layers {
			for _, i := range layer {
				pos[i] = k
				k++
				// A layer is a tie: no one in it beats another; and
				// each of a later layer is beaten by one of the layer
				// before, so layers are not split or run together.
				for _, j := range layer {
					if p[i][j] > p[j][i] {
						t.Fatalf("round %d: p = %v: %d beats %d within layer %v", round, p, i, j, layer)
					}
				}
				if l > 0 && !slices.ContainsFunc(layers[l-1], func(j int) bool { return p[j][i] > p[i][j] }) {
					t.Fatalf("round %d: p = %v: %d in layer %d is beaten by no one of layer %v", round, p, i, l, layers[l-1])
				}
			}
		}
		for i := range n {
			for j := range n {
				if p[i][j] > p[j][i] && pos[i] > pos[j] {
					t.Fatalf("round %d: p = %v: %d beats %d but is ranked after it", round, p, i, j)
				}
			}
		}
	}
}

// widest is the strongest path from i to j by trying every simple path.
func widest(d [][]int, i, j int) int {
	if i == j {
		return 0
	}
	n := len(d)
	best := 0
	seen := make([]bool, n)
	var walk func(at, strength int)
	walk = func(at, strength int) {
		if at == j {
			best = max(best, strength)
			return
		}
		seen[at] = true
		for next := range n {
			if !seen[next] && d[at][next] > d[next][at] {
				walk(next, min(strength, d[at][next]))
			}
		}
		seen[at] = false
	}
	walk(i, int(^uint(0)>>1))
	return best
}

func TestRankingGroupsRefusesPathsThatDoNotFit(t *testing.T) {
	for _, tt := range []struct {
		name  string
		cands []int64
		p     [][]int
	}{
		{"no candidates", nil, nil},
		{"no paths", letters("AB"), nil},
		{"too few rows", letters("ABC"), [][]int{{0, 1, 1}, {0, 0, 1}}},
		{"a short row", letters("AB"), [][]int{{0, 1}, {0}}},
	} {
		if got := RankingGroups(tt.cands, tt.p); got != nil {
			t.Errorf("%s: RankingGroups = %v, want nil", tt.name, got)
		}
	}
	if got := RankingGroups(letters("AB"), [][]int{{0, 0}, {3, 0}}); !reflect.DeepEqual(got, [][]int64{letters("B"), letters("A")}) {
		t.Errorf("B beats A: RankingGroups = %v", got)
	}
}

package model

import (
	"reflect"
	"testing"

	"wordgarden/server/tally"
)

// TestRankingGroupsNumberPlaces checks the places of a ranking with ties:
// two tied first are both 1, and the next is 3.
func TestRankingGroupsNumberPlaces(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		layers [][]int64
		want   []RankingGroup
	}{
		{"approval has none", nil, nil},
		{"no ties", [][]int64{{12}, {11}, {13}}, []RankingGroup{{1, []int64{12}}, {2, []int64{11}}, {3, []int64{13}}}},
		{"1= B, D; 3= A, C", [][]int64{{12, 14}, {11, 13}}, []RankingGroup{{1, []int64{12, 14}}, {3, []int64{11, 13}}}},
		{"one winner, three tied after", [][]int64{{11}, {12, 13, 14}}, []RankingGroup{{1, []int64{11}}, {2, []int64{12, 13, 14}}}},
		{"all tied", [][]int64{{11, 12, 13}}, []RankingGroup{{1, []int64{11, 12, 13}}}},
	}
	for _, tt := range tests {
		if got := rankingGroups(tt.layers); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: rankingGroups(%v) = %+v, want %+v", tt.name, tt.layers, got, tt.want)
		}
	}
}

// TestPlacesOfAnOldResult checks that a ranked result stored without its
// ranking groups gets them from its strongest paths, and that a new one
// gives its own.
func TestPlacesOfAnOldResult(t *testing.T) {
	t.Parallel()
	// Schulze's example 4: B and D tied first, then A and C (ids 11-14).
	old := &Results{
		Method:     tally.Ranked,
		Candidates: []ResultCandidate{{VersionID: 11}, {VersionID: 12}, {VersionID: 13}, {VersionID: 14}},
		Ranking:    []int64{12, 14, 11, 13},
		StrongestPaths: [][]int{
			{0, 5, 5, 5},
			{5, 0, 7, 5},
			{5, 5, 0, 5},
			{6, 5, 5, 0},
		},
	}
	want := []RankingGroup{{1, []int64{12, 14}}, {3, []int64{11, 13}}}
	if got := old.Places(); !reflect.DeepEqual(got, want) {
		t.Errorf("places of an old result = %+v, want %+v", got, want)
	}
	stored := &Results{Method: tally.Ranked, RankingGroups: []RankingGroup{{1, []int64{14}}}}
	if got := stored.Places(); !reflect.DeepEqual(got, stored.RankingGroups) {
		t.Errorf("places = %+v, want the stored %+v", got, stored.RankingGroups)
	}
	if got := (&Results{Method: tally.Approval}).Places(); got != nil {
		t.Errorf("places of an approval result = %+v", got)
	}
}

// TestProtectMergesOldTables checks Protect on a table counted before the
// small-number rule was whole, and that it leaves a table that keeps the
// rule as it is.
func TestProtectMergesOldTables(t *testing.T) {
	t.Parallel()
	cands := func(a, b int, share float64) []ResultCandidate {
		return []ResultCandidate{{VersionID: 1, Count: a, Share: share}, {VersionID: 2, Count: b, Share: 1 - share}}
	}
	r := &Results{Ballots: 12, Neighbourhoods: []ResultNeighbourhood{
		{"camberwell", 6, cands(3, 3, 0.5)},
		{"peckham", 5, cands(5, 0, 1)},
		{"other", 1, cands(0, 1, 0)},
	}}
	r.Protect()
	want := []ResultNeighbourhood{
		{"camberwell", 6, cands(3, 3, 0.5)},
		{"other", 6, []ResultCandidate{{VersionID: 1, Count: 5, Share: 5.0 / 6}, {VersionID: 2, Count: 1, Share: 1.0 / 6}}},
	}
	if !reflect.DeepEqual(r.Neighbourhoods, want) {
		t.Errorf("Protect = %+v, want %+v", r.Neighbourhoods, want)
	}
	r.Protect()
	if !reflect.DeepEqual(r.Neighbourhoods, want) {
		t.Errorf("Protect twice = %+v, want %+v", r.Neighbourhoods, want)
	}
	few := &Results{Ballots: 3, Neighbourhoods: []ResultNeighbourhood{{"other", 3, cands(1, 2, 1.0/3)}}}
	if few.Protect(); few.Neighbourhoods == nil || len(few.Neighbourhoods) != 0 {
		t.Errorf("3 ballots in all: table %+v, want an empty one", few.Neighbourhoods)
	}
}

// TestAsLegacy checks the shape a recount of an old result is compared in.
func TestAsLegacy(t *testing.T) {
	t.Parallel()
	r := &Results{RoundID: 3, Method: tally.Ranked, Ranking: []int64{1, 2},
		RankingGroups: []RankingGroup{{1, []int64{1, 2}}}, Rules: &ResultRules{Method: tally.Ranked}}
	old := r.AsLegacy()
	if old.Rules != nil || old.RankingGroups != nil || old.RoundID != 3 || !reflect.DeepEqual(old.Ranking, r.Ranking) || !old.Legacy() {
		t.Errorf("AsLegacy = %+v", old)
	}
	if r.Rules == nil || r.RankingGroups == nil || r.Legacy() {
		t.Error("AsLegacy changed the result it copies")
	}
}

package store

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"wordgarden/server/model"
	"wordgarden/server/tally"
)

// TestResultsCarryTheirRules closes a ranked round that ties and is open to
// two neighbourhoods: the stored result names its rules and its tied
// places, and a recount equals it in every field, rules included.
func TestResultsCarryTheirRules(t *testing.T) {
	t.Parallel()
	f := newVoting(t)
	ctx := context.Background()
	r := f.open(t, tally.Ranked, 2, 40, f.walworth.ID, f.peckham.ID)
	for i := range 6 {
		first, second := f.a.ID, f.b.ID
		if i%2 == 1 {
			first, second = second, first
		}
		u := f.resident(t, fmt.Sprintf("Res %d", i), f.peckham)
		if _, err := f.s.CastBallot(ctx, r.ID, u, tally.Ballot{Rank: map[int64]int{first: 1, second: 2}}); err != nil {
			t.Fatal(err)
		}
	}
	r, err := f.s.CloseRound(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	wantRules := &model.ResultRules{Method: tally.Ranked, Candidates: []int64{f.a.ID, f.b.ID}, Quorum: 2, ThresholdPct: 40,
		Neighbourhoods: []string{"peckham", "walworth"}}
	if !reflect.DeepEqual(r.Results.Rules, wantRules) {
		t.Errorf("rules = %+v, want %+v", r.Results.Rules, wantRules)
	}
	wantPlaces := []model.RankingGroup{{Position: 1, VersionIDs: []int64{f.a.ID, f.b.ID}}}
	if r.Results.Outcome != tally.Tie || !reflect.DeepEqual(r.Results.RankingGroups, wantPlaces) {
		t.Errorf("outcome %s, ranking groups %+v; want a tie, %+v", r.Results.Outcome, r.Results.RankingGroups, wantPlaces)
	}
	// As stored, in the database's own column.
	var doc string
	if err := f.s.r.QueryRow(`SELECT result FROM rounds WHERE id = ?`, r.ID).Scan(&doc); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		fmt.Sprintf(`"ranking_groups":[{"position":1,"version_ids":[%d,%d]}]`, f.a.ID, f.b.ID),
		fmt.Sprintf(`"rules":{"method":"ranked","candidates":[%d,%d],"quorum":2,"threshold_pct":40,"neighbourhoods":["peckham","walworth"]}`, f.a.ID, f.b.ID),
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("the stored result has no %s: %s", want, doc)
		}
	}
	stored, recount, err := f.s.Recount(ctx, r.ID)
	if err != nil || !stored.Equal(recount) || recount.Rules == nil || recount.RankingGroups == nil {
		t.Fatalf("recount: %v\nstored  %+v\nrecount %+v", err, stored, recount)
	}
	// The rules are part of what a recount checks: a round whose
	// neighbourhoods were changed behind its back no longer recounts equal.
	if _, err := f.s.w.Exec(`DELETE FROM round_neighbourhoods WHERE round_id = ? AND neighbourhood_id = ?`, r.ID, f.walworth.ID); err != nil {
		t.Fatal(err)
	}
	if stored, recount, _ := f.s.Recount(ctx, r.ID); stored.Equal(recount) {
		t.Error("the recount did not notice the round's rules changed")
	}
}

// TestOldResultsStillRecount stores a result as wordgarden stored it before
// issue 12 (no rules, no ranking groups, and a neighbourhood table with an
// "other" row of 1 ballot, which the database keeps as it is): it is read
// with that row merged, and it recounts equal, in its own shape.
func TestOldResultsStillRecount(t *testing.T) {
	t.Parallel()
	f := newVoting(t)
	ctx := context.Background()
	r := f.open(t, tally.Approval, 3, 50)
	for i := range 5 {
		u := f.resident(t, fmt.Sprintf("Peckham %d", i), f.peckham)
		if _, err := f.s.CastBallot(ctx, r.ID, u, tally.Ballot{Approve: []int64{f.b.ID}}); err != nil {
			t.Fatal(err)
		}
	}
	wyn := f.resident(t, "Wyn", f.walworth)
	if _, err := f.s.CastBallot(ctx, r.ID, wyn, tally.Ballot{Approve: []int64{f.a.ID}}); err != nil {
		t.Fatal(err)
	}
	a, b := f.a.ID, f.b.ID
	old := fmt.Sprintf(`{"round_id":%d,"method":"approval","ballots":6,"outcome":"settled","winner_version_id":%d,`+
		`"reason":"Version %d won: 83%% of the 6 people who voted said it makes sense (it needed 50%%).",`+
		`"candidates":[{"version_id":%d,"count":1,"share":0.16666666666666666},{"version_id":%d,"count":5,"share":0.8333333333333334}],`+
		`"neighbourhoods":[{"neighbourhood":"peckham","ballots":5,"candidates":[{"version_id":%d,"count":0,"share":0},{"version_id":%d,"count":5,"share":1}]},`+
		`{"neighbourhood":"other","ballots":1,"candidates":[{"version_id":%d,"count":1,"share":1},{"version_id":%d,"count":0,"share":0}]}]}`,
		r.ID, b, b, a, b, a, b, a, b)
	if _, err := f.s.w.Exec(`UPDATE rounds SET closed_at = ?, outcome = 'settled', winner_version_id = ?, result = ? WHERE id = ?`,
		time.Now().UTC(), b, old, r.ID); err != nil {
		t.Fatal(err)
	}
	r, err := f.s.Round(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := []model.ResultNeighbourhood{{Neighbourhood: tally.Other, Ballots: 6, Candidates: []model.ResultCandidate{
		{VersionID: a, Count: 1, Share: 1.0 / 6}, {VersionID: b, Count: 5, Share: 5.0 / 6}}}}
	if !reflect.DeepEqual(r.Results.Neighbourhoods, want) {
		t.Errorf("the old result's table reads %+v, want Walworth's one ballot merged: %+v", r.Results.Neighbourhoods, want)
	}
	if !r.Results.Legacy() {
		t.Error("an old result reads as a new one")
	}
	stored, recount, err := f.s.Recount(ctx, r.ID)
	if err != nil || !stored.Equal(recount) {
		a, _ := json.Marshal(stored)
		b, _ := json.Marshal(recount)
		t.Fatalf("the old result does not recount equal: %v\nstored  %s\nrecount %s", err, a, b)
	}
	if recount.Rules != nil || recount.RankingGroups != nil {
		t.Errorf("the recount of an old result has fields it lacks: %+v", recount)
	}
	// In its own shape, the recount still sees a changed ballot.
	if _, err := f.s.w.Exec(`UPDATE ballots SET marks = ? WHERE user_id = ?`, fmt.Sprintf("[%d]", b), wyn.ID); err != nil {
		t.Fatal(err)
	}
	if stored, recount, _ := f.s.Recount(ctx, r.ID); stored.Equal(recount) {
		t.Error("the recount of an old result did not notice a changed ballot")
	}
}

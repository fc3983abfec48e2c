package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"wordgarden/server/model"
	"wordgarden/server/tally"
)

// voterSeq numbers the residents votersIn makes, whose names must differ.
var voterSeq atomic.Int64

// votersIn makes count residents of a neighbourhood.
func (a *testApp) votersIn(n model.Neighbourhood, count int) []model.User {
	a.t.Helper()
	out := make([]model.User, count)
	for i := range out {
		out[i] = a.user(model.NewUser{Name: fmt.Sprintf("%s voter %d", n.Name, voterSeq.Add(1)), Role: model.Resident, NeighbourhoodID: n.ID})
	}
	return out
}

// openOn opens a round on wordings of a term made for it: n of them.
func (a *testApp) openOn(slug string, m tally.Method, n int) model.Round {
	a.t.Helper()
	ctx := context.Background()
	tm, err := a.store.Term(ctx, slug)
	if err != nil {
		a.t.Fatal(err)
	}
	ids := []int64{tm.AgreedVersionID}
	for i := 1; i < n; i++ {
		v, err := a.store.CreateVersion(ctx, tm.ID, model.NewVersion{Markdown: fmt.Sprintf("Wording %d.", i+1), Author: &a.voluntary})
		if err != nil {
			a.t.Fatal(err)
		}
		ids = append(ids, v.ID)
	}
	r, err := a.store.OpenRound(ctx, model.NewRound{TermID: tm.ID, Candidates: ids, Method: m,
		ClosesAt: timeNowPlusWeek(), Quorum: 3, ThresholdPct: 40, OpenedBy: a.facilitator})
	if err != nil {
		a.t.Fatal(err)
	}
	return r
}

func (a *testApp) cast(r model.Round, who model.User, b tally.Ballot) {
	a.t.Helper()
	if _, err := a.store.CastBallot(context.Background(), r.ID, who, b); err != nil {
		a.t.Fatal(err)
	}
}

// TestResultsShowTiedPlaces counts Schulze's example 4, where B and D tie
// first and A and C tie third: the page and results.json say so.
func TestResultsShowTiedPlaces(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	ctx := context.Background()
	camberwell, err := a.store.CreateNeighbourhood(ctx, "Camberwell")
	if err != nil {
		t.Fatal(err)
	}
	r := a.openOn("social-prescribing", tally.Ranked, 4)
	A, B, C, D := r.Candidates[0].ID, r.Candidates[1].ID, r.Candidates[2].ID, r.Candidates[3].ID
	voters := a.votersIn(camberwell, 9)
	for i, order := range [][]int64{
		{A, B, C, D}, {A, B, C, D}, {A, B, C, D}, {D, A, B, C}, {D, A, B, C}, {D, B, C, A}, {D, B, C, A}, {C, B, D, A}, {C, B, D, A},
	} {
		rank := map[int64]int{}
		for k, id := range order {
			rank[id] = k + 1
		}
		a.cast(r, voters[i], tally.Ballot{Rank: rank})
	}
	if _, err := a.store.CloseRound(ctx, r.ID); err != nil {
		t.Fatal(err)
	}
	path := "/rounds/" + strconv.FormatInt(r.ID, 10)
	page := a.visitor().get(path+"/results").wantStatus(t, http.StatusOK)
	var places []string
	page.doc.Find("ol.ranking li").Each(func(_ int, li *goquery.Selection) { places = append(places, text(li)) })
	want := []string{
		fmt.Sprintf("1= Version %d, Version %d (tied)", B, D),
		fmt.Sprintf("3= Version %d, Version %d (tied)", A, C),
	}
	if !reflect.DeepEqual(places, want) {
		t.Errorf("the ranking reads %q, want %q", places, want)
	}
	if got := page.text("ol.ranking .place"); got != "1=3=" {
		t.Errorf("places = %q", got)
	}

	var doc struct {
		RankingGroups []model.RankingGroup `json:"ranking_groups"`
		Rules         map[string]any       `json:"rules"`
	}
	body := a.visitor().get(path+"/results.json").wantStatus(t, http.StatusOK).body
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatal(err)
	}
	wantGroups := []model.RankingGroup{{Position: 1, VersionIDs: []int64{B, D}}, {Position: 3, VersionIDs: []int64{A, C}}}
	if !reflect.DeepEqual(doc.RankingGroups, wantGroups) {
		t.Errorf("ranking_groups = %+v, want %+v", doc.RankingGroups, wantGroups)
	}
	wantRules := map[string]any{"method": "ranked", "candidates": []any{float64(A), float64(B), float64(C), float64(D)},
		"quorum": float64(3), "threshold_pct": float64(40), "neighbourhoods": []any{}}
	if !reflect.DeepEqual(doc.Rules, wantRules) {
		t.Errorf("rules = %v, want %v", doc.Rules, wantRules)
	}
}

// TestResultsTableHidesFewVoters checks the table by neighbourhood as a
// visitor reads it on the page, in results.json and in the API: five
// voters of Peckham and one of Walworth make one row of six, since a row of
// Peckham would give Walworth's one vote away by difference; and four
// voters in all make no table.
func TestResultsTableHidesFewVoters(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	ctx := context.Background()
	peckham, err := a.store.NeighbourhoodBySlug(ctx, "peckham")
	if err != nil {
		t.Fatal(err)
	}
	walworth, err := a.store.CreateNeighbourhood(ctx, "Walworth")
	if err != nil {
		t.Fatal(err)
	}
	r := a.openRound("social-prescribing")
	first, second := r.Candidates[0].ID, r.Candidates[1].ID
	for _, u := range a.votersIn(peckham, 5) {
		a.cast(r, u, tally.Ballot{Approve: []int64{second}})
	}
	a.cast(r, a.votersIn(walworth, 1)[0], tally.Ballot{Approve: []int64{first}})
	if _, err := a.store.CloseRound(ctx, r.ID); err != nil {
		t.Fatal(err)
	}
	path := "/rounds/" + strconv.FormatInt(r.ID, 10)
	page := a.visitor().get(path+"/results").wantStatus(t, http.StatusOK)
	rows := page.doc.Find("table.heat tbody tr")
	if rows.Length() != 1 || text(rows.Find("th")) != "Other neighbourhoods (merged)" {
		t.Errorf("the table has rows %q, want one of other neighbourhoods", text(rows.Find("th")))
	}
	if got := page.text("#nb-note"); got == "" || !containsAll(got, "no row stands for fewer than 5 votes", "smallest other neighbourhood joins them") {
		t.Errorf("the table's note = %q", got)
	}
	want := []model.ResultNeighbourhood{{Neighbourhood: "other", Ballots: 6, Candidates: []model.ResultCandidate{
		{VersionID: first, Count: 1, Share: 1.0 / 6}, {VersionID: second, Count: 5, Share: 5.0 / 6}}}}
	var doc model.Results
	if err := json.Unmarshal([]byte(a.visitor().get(path+"/results.json").wantStatus(t, http.StatusOK).body), &doc); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(doc.Neighbourhoods, want) {
		t.Errorf("results.json neighbourhoods = %+v, want %+v", doc.Neighbourhoods, want)
	}
	var api struct {
		Results model.Results `json:"results"`
	}
	if err := json.Unmarshal([]byte(a.visitor().get("/api/v1/rounds/"+strconv.FormatInt(r.ID, 10)).body), &api); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(api.Results.Neighbourhoods, want) {
		t.Errorf("the API's neighbourhoods = %+v, want %+v", api.Results.Neighbourhoods, want)
	}

	// Four voters in all: no table, and the page says why.
	few := a.openOn("wellbeing", tally.Approval, 2)
	for _, u := range a.votersIn(walworth, 4) {
		a.cast(few, u, tally.Ballot{Approve: []int64{few.Candidates[0].ID}})
	}
	if _, err := a.store.CloseRound(ctx, few.ID); err != nil {
		t.Fatal(err)
	}
	page = a.visitor().get("/rounds/"+strconv.FormatInt(few.ID, 10)+"/results").wantStatus(t, http.StatusOK)
	if page.doc.Find("table.heat").Length() != 0 || page.text("#nb-note") != "The votes are not shown by neighbourhood: only 4 people voted, and a table of fewer than 5 votes could show how someone voted." {
		t.Errorf("4 voters: %q", page.text("#nb-heading + *"))
	}
}

func containsAll(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}

// TestRecountFromPublishedFiles counts a closed round again as a stranger
// would: from ballots.json and results.json alone, fetched from the site
// and read without wordgarden's types, counted with package tally and the
// rules results.json gives. The recount equals the published result, for
// each method; and the table by neighbourhood, which the ballots cannot
// recount as they name no neighbourhood, adds up to the same total.
func TestRecountFromPublishedFiles(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	ctx := context.Background()
	peckham, err := a.store.NeighbourhoodBySlug(ctx, "peckham")
	if err != nil {
		t.Fatal(err)
	}
	walworth, err := a.store.CreateNeighbourhood(ctx, "Walworth")
	if err != nil {
		t.Fatal(err)
	}
	camberwell, err := a.store.CreateNeighbourhood(ctx, "Camberwell")
	if err != nil {
		t.Fatal(err)
	}
	voters := append(append(a.votersIn(peckham, 6), a.votersIn(walworth, 3)...), a.votersIn(camberwell, 2)...)

	approval := a.openOn("social-prescribing", tally.Approval, 3)
	ranked := a.openOn("wellbeing", tally.Ranked, 4)
	for i, u := range voters {
		var ticks []int64
		for k, c := range approval.Candidates {
			if (i+k)%3 != 0 {
				ticks = append(ticks, c.ID)
			}
		}
		if i == 4 {
			ticks = nil // none of these make sense
		}
		a.cast(approval, u, tally.Ballot{Approve: ticks})
		rank := map[int64]int{}
		for k := range (i % 4) + 1 {
			rank[ranked.Candidates[(i+k)%4].ID] = k + 1
		}
		if i == 7 {
			rank = nil
		}
		a.cast(ranked, u, tally.Ballot{Rank: rank})
	}
	for _, r := range []model.Round{approval, ranked} {
		if _, err := a.store.CloseRound(ctx, r.ID); err != nil {
			t.Fatal(err)
		}
	}

	for _, r := range []model.Round{approval, ranked} {
		t.Run(string(r.Method), func(t *testing.T) {
			path := "/rounds/" + strconv.FormatInt(r.ID, 10)
			body := a.visitor().get(path+"/ballots.json").wantStatus(t, http.StatusOK).body
			var published []struct {
				Receipt string          `json:"receipt"`
				Marks   json.RawMessage `json:"marks"`
			}
			if err := json.Unmarshal([]byte(body), &published); err != nil {
				t.Fatal(err)
			}
			// A published ballot is its receipt, marks and whether it came
			// on paper: no voter, no neighbourhood, no time.
			var fields []map[string]json.RawMessage
			if err := json.Unmarshal([]byte(body), &fields); err != nil {
				t.Fatal(err)
			}
			for _, f := range fields {
				if _, ok := f["receipt"]; !ok || len(f) != 3 || f["marks"] == nil || string(f["paper"]) != "false" {
					t.Fatalf("a published ballot has fields %v, want receipt, marks and paper only", f)
				}
			}
			type count struct {
				VersionID int64   `json:"version_id"`
				Count     int     `json:"count"`
				Share     float64 `json:"share"`
				Ranked    *int    `json:"ranked"`
			}
			var res struct {
				Ballots        int     `json:"ballots"`
				Outcome        string  `json:"outcome"`
				Winner         *int64  `json:"winner_version_id"`
				Reason         string  `json:"reason"`
				Candidates     []count `json:"candidates"`
				Neighbourhoods []struct {
					Ballots    int     `json:"ballots"`
					Candidates []count `json:"candidates"`
				} `json:"neighbourhoods"`
				Ranking       []int64 `json:"ranking"`
				RankingGroups []struct {
					Position   int     `json:"position"`
					VersionIDs []int64 `json:"version_ids"`
				} `json:"ranking_groups"`
				Pairwise       [][]int `json:"pairwise"`
				StrongestPaths [][]int `json:"strongest_paths"`
				Rules          *struct {
					Method       string  `json:"method"`
					Candidates   []int64 `json:"candidates"`
					Quorum       int     `json:"quorum"`
					ThresholdPct int     `json:"threshold_pct"`
				} `json:"rules"`
			}
			if err := json.Unmarshal([]byte(a.visitor().get(path+"/results.json").wantStatus(t, http.StatusOK).body), &res); err != nil {
				t.Fatal(err)
			}
			if res.Rules == nil {
				t.Fatal("results.json has no rules to count with")
			}
			rules := tally.Rules{Method: tally.Method(res.Rules.Method), Candidates: res.Rules.Candidates,
				Quorum: res.Rules.Quorum, Threshold: float64(res.Rules.ThresholdPct) / 100}
			var ballots []tally.Ballot
			for _, p := range published {
				var b tally.Ballot
				if rules.Method == tally.Approval {
					if err := json.Unmarshal(p.Marks, &b.Approve); err != nil {
						t.Fatalf("marks %s: %v", p.Marks, err)
					}
				} else {
					var ranks map[string]int
					if err := json.Unmarshal(p.Marks, &ranks); err != nil {
						t.Fatalf("marks %s: %v", p.Marks, err)
					}
					b.Rank = map[int64]int{}
					for k, v := range ranks {
						id, err := strconv.ParseInt(k, 10, 64)
						if err != nil {
							t.Fatalf("marks %s: %v", p.Marks, err)
						}
						b.Rank[id] = v
					}
				}
				ballots = append(ballots, b)
			}
			got, err := tally.Count(rules, ballots)
			if err != nil {
				t.Fatal(err)
			}

			if len(ballots) != len(voters) || res.Ballots != got.Ballots || res.Outcome != string(got.Outcome) || res.Reason != got.Reason {
				t.Errorf("published %d ballots, %s %q; recount %d ballots, %s %q", res.Ballots, res.Outcome, res.Reason, got.Ballots, got.Outcome, got.Reason)
			}
			var winner int64
			if res.Winner != nil {
				winner = *res.Winner
			}
			if winner != got.Winner {
				t.Errorf("winner %d, recount %d", winner, got.Winner)
			}
			if len(res.Candidates) != len(got.Candidates) {
				t.Fatalf("%d candidates, recount %d", len(res.Candidates), len(got.Candidates))
			}
			for i, c := range got.Candidates {
				p := res.Candidates[i]
				if p.VersionID != c.VersionID || p.Count != c.Count || p.Share != c.Share {
					t.Errorf("candidate %d: published %+v, recount %+v", i, p, c)
				}
				if rules.Method == tally.Ranked && (p.Ranked == nil || *p.Ranked != got.Ranked[i]) {
					t.Errorf("candidate %d: ranked by %v, recount %d", i, p.Ranked, got.Ranked[i])
				}
			}
			if !reflect.DeepEqual(res.Ranking, got.Ranking) || !reflect.DeepEqual(res.Pairwise, got.Pairwise) || !reflect.DeepEqual(res.StrongestPaths, got.StrongestPaths) {
				t.Errorf("ranking, pairwise or strongest paths differ from the recount:\n%v %v %v\n%v %v %v",
					res.Ranking, res.Pairwise, res.StrongestPaths, got.Ranking, got.Pairwise, got.StrongestPaths)
			}
			if len(res.RankingGroups) != len(got.RankingGroups) {
				t.Fatalf("ranking groups %+v, recount %v", res.RankingGroups, got.RankingGroups)
			}
			place := 1
			for i, g := range got.RankingGroups {
				if p := res.RankingGroups[i]; p.Position != place || !reflect.DeepEqual(p.VersionIDs, g) {
					t.Errorf("place %d: published %+v, recount %v at %d", i, p, g, place)
				}
				place += len(g)
			}
			if rules.Method == tally.Ranked && len(got.RankingGroups) == 0 {
				t.Error("a ranked recount without ranking groups tests nothing")
			}

			// By neighbourhood: 6, 3 and 2 voters make Peckham and an
			// other of 5; every row 5 or more, and the rows add up.
			if len(res.Neighbourhoods) != 2 {
				t.Errorf("%d rows by neighbourhood, want Peckham and other", len(res.Neighbourhoods))
			}
			sum, cols := 0, make([]int, len(got.Candidates))
			for _, n := range res.Neighbourhoods {
				if n.Ballots < tally.MinGroup {
					t.Errorf("a row of %d ballots", n.Ballots)
				}
				sum += n.Ballots
				for i, c := range n.Candidates {
					cols[i] += c.Count
				}
			}
			if sum != got.Ballots {
				t.Errorf("the rows hold %d ballots of %d", sum, got.Ballots)
			}
			for i, c := range got.Candidates {
				if cols[i] != c.Count {
					t.Errorf("candidate %d: the rows count %d, the total %d", c.VersionID, cols[i], c.Count)
				}
			}
		})
	}
}

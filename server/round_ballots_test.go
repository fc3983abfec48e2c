package server

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"wordgarden/server/model"
	"wordgarden/server/tally"
)

// TestBallotsCSVHasNoFormulas checks why ballots.csv needs no formula guard
// (opendata's glossary.csv has one): its cells are receipts, drawn from
// letters and digits, and numbers the ballot check keeps at 1 or more, so
// none can start with = + - @ or another character a spreadsheet acts on.
// If a cell ever could, this fails, and the file needs the guard.
func TestBallotsCSVHasNoFormulas(t *testing.T) {
	t.Parallel()
	for _, m := range []tally.Method{tally.Approval, tally.Ranked} {
		t.Run(string(m), func(t *testing.T) {
			t.Parallel()
			a := newTestApp(t)
			ctx := context.Background()
			term, err := a.store.Term(ctx, "wellbeing")
			if err != nil {
				t.Fatal(err)
			}
			v, err := a.store.CreateVersion(ctx, term.ID, model.NewVersion{Markdown: "Feeling good.", Author: &a.voluntary})
			if err != nil {
				t.Fatal(err)
			}
			ids := []int64{term.AgreedVersionID, v.ID}
			r, err := a.store.OpenRound(ctx, model.NewRound{TermID: term.ID, Candidates: ids, Method: m,
				ClosesAt: time.Now().Add(time.Hour), ThresholdPct: 50, OpenedBy: a.facilitator})
			if err != nil {
				t.Fatal(err)
			}
			ballots := []tally.Ballot{{Approve: ids}, {Approve: ids[1:]}, {Approve: []int64{}}}
			if m == tally.Ranked {
				ballots = []tally.Ballot{{Rank: map[int64]int{ids[0]: 1, ids[1]: 2}}, {Rank: map[int64]int{ids[1]: 1}}, {Rank: map[int64]int{}}}
			}
			for i, b := range ballots {
				voter := a.user(model.NewUser{Name: fmt.Sprint("Voter ", i), Role: model.Resident, NeighbourhoodID: a.resident.NeighbourhoodID})
				if _, err := a.store.CastBallot(ctx, r.ID, voter, b); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := a.store.CloseRound(ctx, r.ID); err != nil {
				t.Fatal(err)
			}
			res := a.visitor().get(a.roundPath(r.ID)+"/ballots.csv").wantStatus(t, http.StatusOK)
			rows, err := csv.NewReader(strings.NewReader(res.body)).ReadAll()
			if err != nil || len(rows) != len(ballots)+1 {
				t.Fatalf("ballots.csv = %q, %v", res.body, err)
			}
			for _, row := range rows {
				for _, cell := range row {
					if cell != "" && !strings.ContainsAny(cell[:1], "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") {
						t.Errorf("cell %q of ballots.csv starts with %q", cell, cell[:1])
					}
				}
			}
		})
	}
}

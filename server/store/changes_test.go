package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"wordgarden/server/model"
	"wordgarden/server/tally"
)

// changesFixture is a glossary with one of every kind of change: an
// imported term, a term started by a partner, an amendment, a vote that
// settled a wording and one that agreed nothing. Its clock moves on by step
// each time the store reads it.
type changesFixture struct {
	s            *Store
	imported     model.Term
	term         model.Term
	first, amend model.Version
	settled      model.Round
	failed       model.Round
	stat         model.User // the statutory partner
}

func newChanges(t *testing.T, step time.Duration) *changesFixture {
	t.Helper()
	s := newStore(t)
	var mu sync.Mutex
	now := time.Date(2026, 3, 1, 9, 0, 0, 123456789, time.UTC)
	s.now = func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		now = now.Add(step)
		return now
	}
	ctx := context.Background()
	f := &changesFixture{s: s}
	var err error
	if f.imported, err = s.ImportTerm(ctx, "Wellbeing", "", "How well you feel."); err != nil {
		t.Fatal(err)
	}
	fac, err := s.CreateUser(ctx, model.NewUser{Email: "fran@example.org", Name: "Fran", Role: model.Facilitator, Password: "facilitator password"})
	if err != nil {
		t.Fatal(err)
	}
	stat, vol := newPartner(t, s, "Sam", model.Statutory), newPartner(t, s, "Val", model.Voluntary)
	f.stat = stat
	if f.term, f.first, err = s.CreateTerm(ctx, "Care navigator", model.NewVersion{Markdown: "A guide. See [[Wellbeing]].", Author: &stat}); err != nil {
		t.Fatal(err)
	}
	if f.amend, err = s.CreateVersion(ctx, f.term.ID, model.NewVersion{Markdown: "Someone who helps you.", ParentID: f.first.ID, Author: &vol}); err != nil {
		t.Fatal(err)
	}
	peckham, err := s.CreateNeighbourhood(ctx, "Peckham")
	if err != nil {
		t.Fatal(err)
	}
	rae, err := s.CreateUser(ctx, model.NewUser{Name: "Rae", Role: model.Resident, NeighbourhoodID: peckham.ID, Password: "resident password"})
	if err != nil {
		t.Fatal(err)
	}
	open := func(quorum int) model.Round {
		r, err := s.OpenRound(ctx, model.NewRound{TermID: f.term.ID, Candidates: []int64{f.first.ID, f.amend.ID},
			Method: tally.Approval, ClosesAt: s.now().Add(24 * time.Hour), Quorum: quorum, ThresholdPct: 50, OpenedBy: fac})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	f.settled = open(1)
	if _, err := s.CastBallot(ctx, f.settled.ID, rae, tally.Ballot{Approve: []int64{f.amend.ID}}); err != nil {
		t.Fatal(err)
	}
	if f.settled, err = s.CloseRound(ctx, f.settled.ID); err != nil {
		t.Fatal(err)
	}
	f.failed = open(5)
	if f.failed, err = s.CloseRound(ctx, f.failed.ID); err != nil {
		t.Fatal(err)
	}
	return f
}

// describe writes changes as "kind:id" for comparing.
func describe(cs []model.Change) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = fmt.Sprintf("%s:%d", c.Kind, c.ID)
	}
	return out
}

func TestChanges(t *testing.T) {
	t.Parallel()
	f := newChanges(t, time.Second)
	ctx := context.Background()
	all := []string{
		fmt.Sprintf("closed:%d", f.failed.ID),
		fmt.Sprintf("opened:%d", f.failed.ID),
		fmt.Sprintf("settled:%d", f.settled.ID),
		fmt.Sprintf("opened:%d", f.settled.ID),
		fmt.Sprintf("version:%d", f.amend.ID),
		fmt.Sprintf("term:%d", f.term.ID),
		fmt.Sprintf("term:%d", f.imported.ID),
	}
	for _, tc := range []struct {
		name string
		q    model.ChangeQuery
		want []string
	}{
		{"everything", model.ChangeQuery{Limit: 50}, all},
		{"a page", model.ChangeQuery{Limit: 3}, all[:3]},
		{"terms", model.ChangeQuery{Kinds: []model.ChangeKind{model.ChangeTerm}, Limit: 50}, all[5:]},
		{"versions", model.ChangeQuery{Kinds: []model.ChangeKind{model.ChangeVersion}, Limit: 50}, all[4:5]},
		{"rounds", model.ChangeQuery{Kinds: []model.ChangeKind{model.ChangeOpened, model.ChangeClosed, model.ChangeSettled}, Limit: 50}, all[:4]},
		{"settled", model.ChangeQuery{Kinds: []model.ChangeKind{model.ChangeSettled}, Limit: 50}, all[2:3]},
		{"one term", model.ChangeQuery{TermID: f.imported.ID, Limit: 50}, all[6:]},
		{"after a cursor", model.ChangeQuery{Before: model.Cursor{At: f.settled.ClosedAt, Kind: model.ChangeSettled, ID: f.settled.ID}, Limit: 2}, all[3:5]},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := f.s.Changes(ctx, tc.q)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(describe(got), tc.want) {
				t.Errorf("got %v\nwant %v", describe(got), tc.want)
			}
		})
	}

	got, err := f.s.Changes(ctx, model.ChangeQuery{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	byKind := map[string]model.Change{}
	for _, c := range got {
		byKind[fmt.Sprintf("%s:%d", c.Kind, c.ID)] = c
	}
	if c := byKind[all[5]]; c.TermSlug != "care-navigator" || c.Version.ID != f.first.ID || c.Version.AuthorName != "Sam" ||
		c.Version.Sector != model.Statutory || c.Version.HTML == "" || !c.At.Equal(f.term.CreatedAt) {
		t.Errorf("new term change = %+v", c)
	}
	if c := byKind[all[4]]; c.Version.ParentID != f.first.ID || c.Version.OrganisationName != "Val org" || c.Version.Sector != model.Voluntary {
		t.Errorf("new version change = %+v", c)
	}
	if c := byKind[all[2]]; c.Version.ID != f.amend.ID || c.Ballots != 1 || c.Outcome != tally.Settled ||
		c.RoundID != f.settled.ID || !c.At.Equal(f.settled.ClosedAt) {
		t.Errorf("settled change = %+v", c)
	}
	if c := byKind[all[0]]; c.Version.ID != 0 || c.Outcome != tally.NoQuorum || c.Reason == "" || c.Ballots != 0 {
		t.Errorf("closed change = %+v", c)
	}
	if c := byKind[all[1]]; c.Method != tally.Approval || c.ClosesAt.IsZero() || c.Version.ID != 0 {
		t.Errorf("opened change = %+v", c)
	}
}

// TestChangesPaging pages through changes that all happened at the same
// instant, a page of one or two at a time: every change comes once, in the
// order of the whole list, however the pages fall.
func TestChangesPaging(t *testing.T) {
	t.Parallel()
	f := newChanges(t, 0)
	ctx := context.Background()
	whole, err := f.s.Changes(ctx, model.ChangeQuery{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(whole) != 7 {
		t.Fatalf("%d changes, want 7: %v", len(whole), describe(whole))
	}
	for _, size := range []int{1, 2, 3} {
		var paged []model.Change
		var before model.Cursor
		for range 20 {
			page, err := f.s.Changes(ctx, model.ChangeQuery{Before: before, Limit: size})
			if err != nil {
				t.Fatal(err)
			}
			paged = append(paged, page...)
			if len(page) < size {
				break
			}
			// The cursor goes through a URL and back.
			if before, err = model.ParseCursor(page[len(page)-1].Cursor().String()); err != nil {
				t.Fatal(err)
			}
		}
		if !slices.Equal(describe(paged), describe(whole)) {
			t.Errorf("pages of %d: %v\nwant %v", size, describe(paged), describe(whole))
		}
	}
}

func TestParseCursor(t *testing.T) {
	t.Parallel()
	c := model.Cursor{At: time.Date(2026, 3, 1, 9, 0, 0, 5, time.UTC), Kind: model.ChangeVersion, ID: 12}
	got, err := model.ParseCursor(c.String())
	if err != nil || got != c {
		t.Errorf("ParseCursor(%q) = %+v, %v", c.String(), got, err)
	}
	for _, bad := range []string{"", "1-version", "x-version-1", "1-comet-1", "1-version-0", "-1-version-1", "1-version-1-2"} {
		if _, err := model.ParseCursor(bad); err == nil {
			t.Errorf("ParseCursor(%q) took it", bad)
		}
	}
}

// TestChangesUseIndexes checks that each kind of change is read newest
// first from an index on its time, not by sorting the whole table.
func TestChangesUseIndexes(t *testing.T) {
	t.Parallel()
	s := newSQLiteStore(t)
	for k, arm := range changeArms {
		q := "EXPLAIN QUERY PLAN " + arm.query([]string{arm.at + " <= @at"})
		rows, err := s.r.Query(q, sql.Named("n", 50), sql.Named("at", time.Now()))
		if err != nil {
			t.Fatalf("%s: %v", k, err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, notused int
			var detail string
			if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		for _, step := range plan {
			if step == "USE TEMP B-TREE FOR ORDER BY" || step == "USE TEMP B-TREE FOR RIGHT PART OF ORDER BY" {
				t.Errorf("%s sorts the table instead of reading an index: %v", k, plan)
			}
		}
	}
}

func TestAgreedGlossary(t *testing.T) {
	t.Parallel()
	f := newChanges(t, time.Second)
	ctx := context.Background()
	// A term nobody has agreed a wording of is left out, and so are links to it.
	if _, _, err := f.s.CreateTerm(ctx, "Link worker", model.NewVersion{Markdown: "Not agreed yet.", Author: &f.stat}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.ImportTerm(ctx, "Anchor", "", "Links to [[Care navigator]], [[Link worker]], [[Wellbeing]] and [[Nobody]]."); err != nil {
		t.Fatal(err)
	}
	g, err := f.s.AgreedGlossary(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, e := range g {
		titles = append(titles, e.Term.Title)
	}
	if !slices.Equal(titles, []string{"Anchor", "Care navigator", "Wellbeing"}) {
		t.Fatalf("agreed glossary = %v", titles)
	}
	anchor, care, well := g[0], g[1], g[2]
	if !slices.Equal(anchor.Related, []string{"care-navigator", "wellbeing"}) {
		t.Errorf("Anchor's related terms = %v", anchor.Related)
	}
	if care.RoundID != f.settled.ID || care.Ballots != 1 || !care.AgreedAt.Equal(f.settled.ClosedAt) ||
		care.Version.ID != f.amend.ID || care.Version.Markdown != "Someone who helps you." || care.Version.AuthorName != "Val" {
		t.Errorf("Care navigator = %+v", care)
	}
	if care.Related != nil {
		t.Errorf("Care navigator's agreed wording links nowhere, yet related = %v", care.Related)
	}
	if well.RoundID != 0 || well.Version.AuthorRole != "import" || !well.AgreedAt.Equal(well.Version.CreatedAt) || well.Version.Text == "" {
		t.Errorf("Wellbeing = %+v", well)
	}
}

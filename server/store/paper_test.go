package store

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"testing"
	"time"

	"wordgarden/server/model"
	"wordgarden/server/tally"
)

// paperFixture is a voting fixture with a second facilitator, to key in
// sheets twice.
type paperFixture struct {
	*votingFixture
	kit model.User
}

func newPaper(t testing.TB) *paperFixture {
	t.Helper()
	f := &paperFixture{votingFixture: newVoting(t)}
	var err error
	f.kit, err = f.s.CreateUser(context.Background(), model.NewUser{Email: "kit@example.org", Name: "Kit",
		Role: model.Facilitator, Password: "facilitator password"})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *paperFixture) print(t testing.TB, r model.Round, n model.Neighbourhood, sheets int) model.PaperPrint {
	t.Helper()
	p, err := f.s.PrintSheets(context.Background(), model.NewPaperPrint{RoundID: r.ID, NeighbourhoodID: n.ID,
		Sheets: sheets, Size: model.A4, PrintedBy: f.facilitator})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// enter keys in a sheet: approve ids, or spoiled when why is not "".
func (f *paperFixture) enter(r model.Round, by model.User, number string, again bool, why string, approve ...int64) (model.PaperResult, error) {
	return f.s.EnterPaper(context.Background(), model.NewPaperEntry{RoundID: r.ID, Number: number, Spoil: why != "", Spoiled: why,
		SamePerson: again, EnteredBy: by}, tally.Ballot{Approve: approve})
}

func (f *paperFixture) entries(t testing.TB) int {
	t.Helper()
	var n int
	if err := f.s.r.QueryRow(`SELECT count(*) FROM paper_entries`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestPrintSheets(t *testing.T) {
	t.Parallel()
	f := newPaper(t)
	ctx := context.Background()
	r := f.open(t, tally.Approval, 0, 0, f.peckham.ID)
	p := f.print(t, r, f.peckham, 3)
	if len(p.Numbers) != 3 || p.Numbers[0] != model.FormatSheetNumber(model.SheetNumber(r.ID, 1)) ||
		p.Size != model.A4 || p.NeighbourhoodName != "Peckham" || p.PrintedByName != "Fran" {
		t.Errorf("print run = %+v", p)
	}
	// A second run goes on numbering where the first stopped.
	q := f.print(t, r, f.peckham, 2)
	if q.Numbers[0] != model.FormatSheetNumber(model.SheetNumber(r.ID, 4)) {
		t.Errorf("second run starts at %s", q.Numbers[0])
	}
	if runs, err := f.s.PaperPrints(ctx, r.ID); err != nil || len(runs) != 2 || runs[0].ID != q.ID {
		t.Errorf("print runs = %+v, %v", runs, err)
	}
	// Walworth may not vote in this round, so it gets no sheets.
	_, err := f.s.PrintSheets(ctx, model.NewPaperPrint{RoundID: r.ID, NeighbourhoodID: f.walworth.ID, Sheets: 1, Size: model.A5, PrintedBy: f.facilitator})
	var ve *model.ValidationError
	if !errors.As(err, &ve) || ve.Field != "neighbourhood" {
		t.Errorf("sheets for a neighbourhood that cannot vote: %v", err)
	}
	var n int
	f.s.r.QueryRow(`SELECT count(*) FROM paper_sheets`).Scan(&n)
	if n != 5 {
		t.Errorf("%d sheets stored, want 5", n)
	}
}

// TestPaperDoubleEntry keys in sheets as facilitators would and checks
// what each entry says and what the sheet comes to.
func TestPaperDoubleEntry(t *testing.T) {
	t.Parallel()
	f := newPaper(t)
	r := f.open(t, tally.Approval, 0, 0)
	p := f.print(t, r, f.peckham, 8)
	a, b := f.a.ID, f.b.ID
	type step struct {
		by      model.User
		again   bool
		spoiled string
		approve []int64
		want    model.SheetState // "" for refused
		field   string           // the refusal's field
	}
	fran, kit := f.facilitator, f.kit
	tests := []struct {
		name  string
		steps []step
	}{
		{"two people agree", []step{
			{by: fran, approve: []int64{a}, want: model.SheetOneEntry},
			{by: kit, approve: []int64{a}, want: model.SheetMatched},
		}},
		{"the same person twice without saying so", []step{
			{by: fran, approve: []int64{a}, want: model.SheetOneEntry},
			{by: fran, approve: []int64{a}, field: "same_person"},
		}},
		{"the same person twice, saying so", []step{
			{by: fran, approve: []int64{a, b}, want: model.SheetOneEntry},
			{by: fran, again: true, approve: []int64{b, a}, want: model.SheetMatched},
		}},
		{"saying so of a first entry", []step{
			{by: fran, again: true, approve: []int64{a}, field: "same_person"},
		}},
		{"mismatch, then a third look", []step{
			{by: fran, approve: []int64{a}, want: model.SheetOneEntry},
			{by: kit, approve: []int64{b}, want: model.SheetMismatch},
			{by: fran, again: true, approve: []int64{b}, want: model.SheetMatched},
		}},
		{"spoiled", []step{
			{by: fran, spoiled: "Both ticked and crossed out", want: model.SheetOneEntry},
			{by: kit, spoiled: "Cannot tell", want: model.SheetSpoiled},
			{by: kit, again: true, approve: []int64{a}, field: "number"},
		}},
		{"a sheet counts once", []step{
			{by: fran, approve: []int64{b}, want: model.SheetOneEntry},
			{by: kit, approve: []int64{b}, want: model.SheetMatched},
			{by: kit, again: true, approve: []int64{b}, field: "number"},
		}},
		{"marks that break the rules", []step{
			{by: fran, approve: []int64{a, 999}, field: "ballot"},
		}},
	}
	for i, tt := range tests {
		number := p.Numbers[i]
		for k, st := range tt.steps {
			before := f.entries(t)
			res, err := f.enter(r, st.by, number, st.again, st.spoiled, st.approve...)
			var ve *model.ValidationError
			switch {
			case st.want == "" && (!errors.As(err, &ve) || ve.Field != st.field):
				t.Errorf("%s, step %d: %+v, %v; want refused on %q", tt.name, k+1, res, err, st.field)
			case st.want == "" && f.entries(t) != before:
				t.Errorf("%s, step %d: refused, but an entry was stored", tt.name, k+1)
			case st.want != "" && (err != nil || res.State != st.want || res.Number != number || res.Look != k+1):
				t.Errorf("%s, step %d: %+v, %v; want %s at look %d", tt.name, k+1, res, err, st.want, k+1)
			}
		}
	}
	count, err := f.s.PaperCount(context.Background(), r)
	want := model.PaperCount{Printed: 8, Counted: 4, Spoiled: 1, Unmatched: 1, Unreturned: 2}
	if err != nil || count != want {
		t.Errorf("PaperCount = %+v, %v; want %+v", count, err, want)
	}
	look, err := f.s.PaperToLook(context.Background(), r.ID)
	if err != nil || len(look) != 0 {
		t.Errorf("sheets to look at = %+v, %v", look, err)
	}
	// A mismatch is listed for a third look.
	f.enter(r, fran, p.Numbers[7], false, "", a)
	f.enter(r, kit, p.Numbers[7], false, "", b)
	look, err = f.s.PaperToLook(context.Background(), r.ID)
	if err != nil || len(look) != 1 || look[0].Number != p.Numbers[7] || len(look[0].Entries) != 2 {
		t.Errorf("sheets to look at = %+v, %v", look, err)
	}
	audit, err := f.s.PaperAudit(context.Background(), r.ID)
	if err != nil || len(audit) != f.entries(t)+1 {
		t.Fatalf("audit log of %d lines, %v; want %d entries and a print run", len(audit), err, f.entries(t))
	}
	if e := audit[0].Entry; e == nil || e.Number != p.Numbers[7] || e.State != model.SheetMismatch || e.EnteredByName != "Kit" || e.Look != 2 {
		t.Errorf("newest audit line = %+v", audit[0].Entry)
	}
	if last := audit[len(audit)-1]; last.Print == nil || last.Print.ID != p.ID {
		t.Errorf("oldest audit line = %+v, want the print run", last)
	}
}

func TestPaperEntryRefused(t *testing.T) {
	t.Parallel()
	f := newPaper(t)
	ctx := context.Background()
	r := f.open(t, tally.Approval, 0, 0)
	p := f.print(t, r, f.peckham, 1)
	good := p.Numbers[0]
	// Another term's round, to have a sheet of another round.
	other, o1, err := f.s.CreateTerm(ctx, "Link worker", model.NewVersion{Markdown: "Someone who links you up.", Author: &f.facilitator})
	if err != nil {
		t.Fatal(err)
	}
	o2, err := f.s.CreateVersion(ctx, other.ID, model.NewVersion{Markdown: "A person who helps.", Author: &f.facilitator})
	if err != nil {
		t.Fatal(err)
	}
	r2, err := f.s.OpenRound(ctx, model.NewRound{TermID: other.ID, Candidates: []int64{o1.ID, o2.ID},
		Method: tally.Ranked, ClosesAt: time.Now().Add(time.Hour), OpenedBy: f.facilitator})
	if err != nil {
		t.Fatal(err)
	}
	p2 := f.print(t, r2, f.walworth, 1)

	wrongCheck := good[:len(good)-1] + "X"
	if good[len(good)-1] == 'X' {
		wrongCheck = good[:len(good)-1] + "0"
	}
	partner := newPartner(t, f.s, "Pat", model.Statutory)
	tests := []struct {
		name   string
		entry  model.NewPaperEntry
		ballot tally.Ballot
		id     string
	}{
		{"wrong check character", model.NewPaperEntry{Number: wrongCheck}, tally.Ballot{Approve: []int64{f.a.ID}}, "invalid.paper.number_check"},
		{"not a number", model.NewPaperEntry{Number: "twelve"}, tally.Ballot{Approve: []int64{f.a.ID}}, "invalid.paper.number_form"},
		{"unknown sheet", model.NewPaperEntry{Number: model.SheetNumber(r.ID, 2)}, tally.Ballot{Approve: []int64{f.a.ID}}, "invalid.paper.unknown"},
		{"sheet of another round", model.NewPaperEntry{Number: p2.Numbers[0]}, tally.Ballot{Approve: []int64{f.a.ID}}, "invalid.paper.other_round"},
		{"a ranking in an approval vote", model.NewPaperEntry{Number: good}, tally.Ballot{Rank: map[int64]int{f.a.ID: 1}}, "invalid.ballot.refused"},
		{"a reason too long", model.NewPaperEntry{Number: good, Spoil: true, Spoiled: string(make([]byte, 201))}, tally.Ballot{}, "invalid.paper.reason_long"},
		{"spoiled without a reason", model.NewPaperEntry{Number: good, Spoil: true}, tally.Ballot{}, "invalid.paper.reason_empty"},
		{"a partner", model.NewPaperEntry{Number: good, EnteredBy: partner}, tally.Ballot{Approve: []int64{f.a.ID}}, "invalid.paper.facilitators_only"},
	}
	for _, tt := range tests {
		ne := tt.entry
		ne.RoundID = r.ID
		if ne.EnteredBy.ID == 0 {
			ne.EnteredBy = f.facilitator
		}
		_, err := f.s.EnterPaper(ctx, ne, tt.ballot)
		var ve *model.ValidationError
		if !errors.As(err, &ve) || ve.ID != tt.id {
			t.Errorf("%s: %v, want %s", tt.name, err, tt.id)
		}
	}
	if n := f.entries(t); n != 0 {
		t.Errorf("%d entries stored from refused input", n)
	}

	// Entries after the round closes are refused.
	if _, err := f.enter(r, f.facilitator, good, false, "", f.a.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.CloseRound(ctx, r.ID); err != nil {
		t.Fatal(err)
	}
	_, err = f.enter(r, f.kit, good, false, "", f.a.ID)
	if !errors.Is(err, model.ErrClosed) {
		t.Errorf("an entry after closing: %v", err)
	}
	if _, err := f.s.PrintSheets(ctx, model.NewPaperPrint{RoundID: r.ID, NeighbourhoodID: f.peckham.ID, Sheets: 1, Size: model.A4,
		PrintedBy: f.facilitator}); !errors.Is(err, model.ErrClosed) {
		t.Errorf("printing for a closed round: %v", err)
	}
	if n := f.entries(t); n != 1 {
		t.Errorf("%d entries, want 1", n)
	}
	closed, _ := f.s.Round(ctx, r.ID)
	if ch := closed.Results.Channels; ch == nil || ch.Unmatched != 1 || ch.Paper != 0 {
		t.Errorf("channels after closing with a sheet entered once: %+v", ch)
	}
}

// TestPaperIsAppendOnly: the database refuses to change or delete print
// runs, sheets and entries.
func TestPaperIsAppendOnly(t *testing.T) {
	t.Parallel()
	f := newPaper(t)
	r := f.open(t, tally.Approval, 0, 0)
	p := f.print(t, r, f.peckham, 1)
	if _, err := f.enter(r, f.facilitator, p.Numbers[0], false, "", f.a.ID); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`UPDATE paper_entries SET marks = '[]'`,
		`DELETE FROM paper_entries`,
		`UPDATE paper_sheets SET neighbourhood_id = neighbourhood_id`,
		`DELETE FROM paper_sheets`,
		`UPDATE paper_prints SET sheets = 2`,
		`DELETE FROM paper_prints`,
	} {
		if _, err := f.s.w.Exec(q); err == nil {
			t.Errorf("%s was allowed", q)
		}
	}
}

// TestPaperInTheTally: matched paper ballots count with the online ones,
// in their sheets' neighbourhoods, keep the small-group rule, are
// published marked paper, and the recount equals the stored result.
func TestPaperInTheTally(t *testing.T) {
	t.Parallel()
	f := newPaper(t)
	ctx := context.Background()
	r := f.open(t, tally.Approval, 0, 50)
	// Online: 6 in Peckham for a.
	for i := range 6 {
		u := f.resident(t, fmt.Sprintf("Rae %d", i), f.peckham)
		if _, err := f.s.CastBallot(ctx, r.ID, u, tally.Ballot{Approve: []int64{f.a.ID}}); err != nil {
			t.Fatal(err)
		}
	}
	// Paper: 7 Walworth sheets for b, matched; 3 Peckham sheets, of which
	// one matched for b, one spoiled, one a mismatch; and 2 unreturned.
	walworth := f.print(t, r, f.walworth, 7)
	for _, n := range walworth.Numbers {
		f.enter(r, f.facilitator, n, false, "", f.b.ID)
		if res, err := f.enter(r, f.kit, n, false, "", f.b.ID); err != nil || res.State != model.SheetMatched {
			t.Fatalf("%s: %+v, %v", n, res, err)
		}
	}
	peckham := f.print(t, r, f.peckham, 5)
	f.enter(r, f.facilitator, peckham.Numbers[0], false, "", f.b.ID)
	f.enter(r, f.kit, peckham.Numbers[0], false, "", f.b.ID)
	f.enter(r, f.facilitator, peckham.Numbers[1], false, "torn", f.b.ID)
	f.enter(r, f.kit, peckham.Numbers[1], false, "torn in two", f.b.ID)
	f.enter(r, f.facilitator, peckham.Numbers[2], false, "", f.a.ID)
	f.enter(r, f.kit, peckham.Numbers[2], false, "", f.b.ID)

	open, _ := f.s.Round(ctx, r.ID)
	if open.Ballots != 6+8 {
		t.Errorf("turnout while open = %d, want 14 (6 online, 8 paper)", open.Ballots)
	}
	closed, err := f.s.CloseRound(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	res := closed.Results
	want := model.ResultChannels{Online: 6, Paper: 8, Spoiled: 1, Unmatched: 1, Unreturned: 2}
	if res.Ballots != 14 || res.Channels == nil || *res.Channels != want {
		t.Errorf("counted %d ballots, channels %+v; want 14, %+v", res.Ballots, res.Channels, want)
	}
	if res.Candidates[1].Count != 8 || res.Candidates[0].Count != 6 {
		t.Errorf("counts = %+v", res.Candidates)
	}
	// Peckham: 6 online and 1 paper; Walworth: 7 paper.
	got := map[string]int{}
	for _, n := range res.Neighbourhoods {
		got[n.Neighbourhood] = n.Ballots
	}
	if got["peckham"] != 7 || got["walworth"] != 7 || len(got) != 2 {
		t.Errorf("neighbourhood table = %+v", res.Neighbourhoods)
	}
	stored, recount, err := f.s.Recount(ctx, r.ID)
	if err != nil || !stored.Equal(recount) {
		t.Errorf("the recount differs from the stored result: %v\n%+v\n%+v", err, stored, recount)
	}
	pub, err := f.s.PublishedBallots(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	paper := 0
	for _, b := range pub {
		if b.Paper {
			paper++
			if string(b.Marks) != fmt.Sprintf("[%d]", f.b.ID) {
				t.Errorf("paper ballot %s has marks %s", b.Receipt, b.Marks)
			}
		}
	}
	if len(pub) != 14 || paper != 8 || pub[len(pub)-1].Receipt != peckham.Numbers[0] {
		t.Errorf("published %d ballots, %d on paper, last %+v", len(pub), paper, pub[len(pub)-1])
	}
}

// TestPaperKeepsSmallGroupsHidden: a neighbourhood of a few paper ballots
// is merged into "other", as one of a few online ballots is.
func TestPaperKeepsSmallGroupsHidden(t *testing.T) {
	t.Parallel()
	f := newPaper(t)
	ctx := context.Background()
	r := f.open(t, tally.Approval, 0, 0)
	for i := range 8 {
		u := f.resident(t, fmt.Sprintf("Sol %d", i), f.peckham)
		f.s.CastBallot(ctx, r.ID, u, tally.Ballot{Approve: []int64{f.a.ID}})
	}
	p := f.print(t, r, f.walworth, 2)
	for _, n := range p.Numbers {
		f.enter(r, f.facilitator, n, false, "", f.b.ID)
		f.enter(r, f.kit, n, false, "", f.b.ID)
	}
	closed, err := f.s.CloseRound(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range closed.Results.Neighbourhoods {
		if n.Ballots < tally.MinGroup || n.Neighbourhood == "walworth" {
			t.Errorf("a row of %d ballots (%s) is published", n.Ballots, n.Neighbourhood)
		}
	}
	if closed.Results.Ballots != 10 {
		t.Errorf("ballots = %d, want 10", closed.Results.Ballots)
	}
}

// TestUpgradeFromVersion4Paper opens a database made with the version-4
// schema (schemaV4) and checks that it takes paper ballots.
func TestUpgradeFromVersion4Paper(t *testing.T) {
	t.Parallel()
	now := time.Now().UTC()
	s, _ := upgraded(t, 4, schemaV4, []string{
		`INSERT INTO users (id, email, name, role, password_hash, created_at) VALUES (1, 'fran@example.org', 'Fran', 'facilitator', 'x', ?1)`,
		`INSERT INTO neighbourhoods (id, slug, name, created_at) VALUES (1, 'peckham', 'Peckham', ?1)`,
		`INSERT INTO terms (id, slug, title, created_at, updated_at) VALUES (1, 'care-navigator', 'Care navigator', ?1, ?1)`,
		`INSERT INTO versions (id, term_id, author_id, author_name, author_role, markdown, html, text, summary, created_at)
			VALUES (1, 1, 1, 'Fran', 'facilitator', 'A guide.', '<p>A guide.</p>', 'A guide.', 'A guide.', ?1),
			(2, 1, 1, 'Fran', 'facilitator', 'A helper.', '<p>A helper.</p>', 'A helper.', 'A helper.', ?1)`,
		`INSERT INTO rounds (id, term_id, method, quorum, threshold_pct, opened_by, opened_at, closes_at)
			VALUES (1, 1, 'approval', 0, 0, 1, ?1, datetime(?1, '+1 day'))`,
		`INSERT INTO round_candidates (round_id, version_id, position) VALUES (1, 1, 0), (1, 2, 1)`,
	}, now)
	ctx := context.Background()
	// Paper ballots work on the upgraded database, in its open round.
	fran, err := s.User(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.PrintSheets(ctx, model.NewPaperPrint{RoundID: 1, NeighbourhoodID: 1, Sheets: 2, Size: model.A5, PrintedBy: fran})
	if err != nil {
		t.Fatalf("print sheets on the upgraded database: %v", err)
	}
	for _, again := range []bool{false, true} {
		if _, err := s.EnterPaper(ctx, model.NewPaperEntry{RoundID: 1, Number: p.Numbers[0], SamePerson: again, EnteredBy: fran},
			tally.Ballot{Approve: []int64{2}}); err != nil {
			t.Fatal(err)
		}
	}
	r, err := s.CloseRound(ctx, 1)
	if err != nil || r.Results.Ballots != 1 || r.Results.Channels.Paper != 1 || r.Results.Channels.Unreturned != 1 {
		t.Errorf("closed on the upgraded database: %+v, %v", r.Results, err)
	}
	if _, err := s.w.Exec(`DELETE FROM paper_entries`); err == nil {
		t.Error("the upgraded database lets paper entries be deleted")
	}
}

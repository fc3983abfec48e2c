package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"wordgarden/server/model"
	"wordgarden/server/tally"
)

// votingFixture is a term with two candidate wordings, a facilitator, and a
// neighbourhood with residents.
type votingFixture struct {
	s           *Store
	facilitator model.User
	term        model.Term
	a, b        model.Version // a is statutory, b a voluntary amendment
	peckham     model.Neighbourhood
	walworth    model.Neighbourhood
}

func newVoting(t testing.TB) *votingFixture {
	t.Helper()
	return newVotingOn(t, newStore(t))
}

// newVotingOn is newVoting on the store s.
func newVotingOn(t testing.TB, s *Store) *votingFixture {
	t.Helper()
	ctx := context.Background()
	f := &votingFixture{s: s}
	var err error
	f.facilitator, err = s.CreateUser(ctx, model.NewUser{Email: "fran@example.org", Name: "Fran", Role: model.Facilitator, Password: "facilitator password"})
	if err != nil {
		t.Fatal(err)
	}
	stat, vol := newPartner(t, s, "Sam", model.Statutory), newPartner(t, s, "Val", model.Voluntary)
	f.term, f.a, err = s.CreateTerm(ctx, "Care navigator", model.NewVersion{Markdown: "A guide to services.", Author: &stat})
	if err != nil {
		t.Fatal(err)
	}
	f.b, err = s.CreateVersion(ctx, f.term.ID, model.NewVersion{Markdown: "Someone who helps you find help.", ParentID: f.a.ID, Author: &vol})
	if err != nil {
		t.Fatal(err)
	}
	if f.peckham, err = s.CreateNeighbourhood(ctx, "Peckham"); err != nil {
		t.Fatal(err)
	}
	if f.walworth, err = s.CreateNeighbourhood(ctx, "Walworth"); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *votingFixture) resident(t testing.TB, name string, n model.Neighbourhood) model.User {
	t.Helper()
	u, err := f.s.CreateUser(context.Background(), model.NewUser{Name: name, Role: model.Resident, NeighbourhoodID: n.ID, Password: "resident password"})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func (f *votingFixture) open(t testing.TB, m tally.Method, quorum, threshold int, only ...int64) model.Round {
	t.Helper()
	r, err := f.s.OpenRound(context.Background(), model.NewRound{TermID: f.term.ID, Candidates: []int64{f.a.ID, f.b.ID},
		Method: m, ClosesAt: time.Now().Add(24 * time.Hour), Quorum: quorum, ThresholdPct: threshold,
		Neighbourhoods: only, OpenedBy: f.facilitator})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestNeighbourhoods(t *testing.T) {
	t.Parallel()
	f := newVoting(t)
	ctx := context.Background()
	if f.peckham.Slug != "peckham" {
		t.Errorf("slug = %q", f.peckham.Slug)
	}
	if _, err := f.s.CreateNeighbourhood(ctx, " PECKHAM "); !errors.Is(err, model.ErrDuplicate) {
		t.Errorf("duplicate neighbourhood: err = %v", err)
	}
	if _, err := f.s.CreateNeighbourhood(ctx, "  "); err == nil {
		t.Error("an empty name was accepted")
	}
	ns, _ := f.s.Neighbourhoods(ctx)
	if len(ns) != 2 || ns[0].Name != "Peckham" {
		t.Errorf("Neighbourhoods = %+v", ns)
	}
}

func TestInvitesAndJoin(t *testing.T) {
	t.Parallel()
	f := newVoting(t)
	ctx := context.Background()
	codes, err := f.s.CreateInvites(ctx, f.peckham.ID, 3, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if len(codes) != 3 {
		t.Fatalf("codes = %v", codes)
	}
	for _, c := range codes {
		if len(c) != 9 || c[4] != '-' || strings.ContainsAny(c, "01OIL") {
			t.Errorf("code %q is not 4-4 letters from the unambiguous alphabet", c)
		}
		var n int
		f.s.r.QueryRow(`SELECT count(*) FROM invites WHERE code_hash = ? OR code_hash = ?`, c, model.NormaliseCode(c)).Scan(&n)
		if n != 0 {
			t.Errorf("code %q is stored as it is, not hashed", c)
		}
	}
	if _, err := f.s.CreateInvites(ctx, f.peckham.ID, 0, time.Time{}); err == nil {
		t.Error("zero codes accepted")
	}
	if _, err := f.s.CreateInvites(ctx, f.peckham.ID, model.MaxInvites+1, time.Time{}); err == nil {
		t.Error("too many codes accepted")
	}

	// Typed in small letters with spaces, the code still works.
	typed := strings.ToLower(strings.Replace(codes[0], "-", " ", 1))
	u, err := f.s.Join(ctx, typed, "Rae", "resident password")
	if err != nil {
		t.Fatal(err)
	}
	if u.Role != model.Resident || u.NeighbourhoodID != f.peckham.ID || u.NeighbourhoodName != "Peckham" || u.Email != "" {
		t.Errorf("joined = %+v", u)
	}
	if got, err := f.s.Authenticate(ctx, "rae", "resident password"); err != nil || got.ID != u.ID {
		t.Errorf("a resident signs in with their name: %v, %v", got.ID, err)
	}

	tests := []struct {
		name, code, who, password, field string
	}{
		{"used code", codes[0], "Sol", "resident password", "code"},
		{"unknown code", "ABCD-EFGH", "Sol", "resident password", "code"},
		{"taken name", codes[1], "RAE", "resident password", "name"},
		{"name with @", codes[1], "sol@example.org", "resident password", "name"},
		{"short password", codes[1], "Sol", "short", "password"},
	}
	for _, tt := range tests {
		_, err := f.s.Join(ctx, tt.code, tt.who, tt.password)
		var ve *model.ValidationError
		if !errors.As(err, &ve) || ve.Field != tt.field {
			t.Errorf("%s: err = %v, want a ValidationError on %s", tt.name, err, tt.field)
		}
	}
	// Failed joins did not spend the code.
	if _, err := f.s.Join(ctx, codes[1], "Sol", "resident password"); err != nil {
		t.Errorf("codes[1] was spent by a failed join: %v", err)
	}

	// Expired codes do not work.
	start := time.Now()
	old, _ := f.s.CreateInvites(ctx, f.walworth.ID, 1, start.Add(time.Hour))
	f.s.now = func() time.Time { return start.Add(2 * time.Hour) }
	_, err = f.s.Join(ctx, old[0], "Tam", "resident password")
	if err == nil || !strings.Contains(err.Error(), "expired") {
		t.Errorf("expired code: err = %v", err)
	}
}

// TestJoinRace has 20 people race for one code: one joins, the others are
// told it is used.
func TestJoinRace(t *testing.T) {
	t.Parallel()
	f := newVoting(t)
	codes, _ := f.s.CreateInvites(context.Background(), f.peckham.ID, 1, time.Time{})
	var wg sync.WaitGroup
	var mu sync.Mutex
	joined, used := 0, 0
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := f.s.Join(context.Background(), codes[0], fmt.Sprintf("Racer %d", i), "resident password")
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				joined++
			case errors.Is(err, model.ErrBadCode) && strings.Contains(err.Error(), "already been used"):
				used++
			default:
				t.Errorf("racer %d: %v", i, err)
			}
		}()
	}
	wg.Wait()
	if joined != 1 || used != 19 {
		t.Errorf("joined %d, told used %d; want 1 and 19", joined, used)
	}
	if n, _ := f.s.CountUsers(context.Background(), model.Resident); n != 1 {
		t.Errorf("%d residents, want 1", n)
	}
}

func TestOpenRoundRules(t *testing.T) {
	t.Parallel()
	f := newVoting(t)
	ctx := context.Background()
	other, _, _ := f.s.CreateTerm(ctx, "Carer", model.NewVersion{Markdown: "Someone who cares.", Author: &model.User{Role: model.Facilitator, Name: "Fran"}})
	otherVersions, _ := f.s.Versions(ctx, other.ID)
	good := model.NewRound{TermID: f.term.ID, Candidates: []int64{f.a.ID, f.b.ID}, Method: tally.Approval,
		ClosesAt: time.Now().Add(time.Hour), Quorum: 3, ThresholdPct: 50, OpenedBy: f.facilitator}
	tests := []struct {
		name  string
		edit  func(*model.NewRound)
		field string
	}{
		{"one candidate", func(r *model.NewRound) { r.Candidates = r.Candidates[:1] }, "candidate"},
		{"same candidate twice", func(r *model.NewRound) { r.Candidates = []int64{f.a.ID, f.a.ID} }, "candidate"},
		{"another term's version", func(r *model.NewRound) { r.Candidates = []int64{f.a.ID, otherVersions[0].ID} }, "candidate"},
		{"unknown version", func(r *model.NewRound) { r.Candidates = []int64{f.a.ID, 9999} }, "candidate"},
		{"unknown method", func(r *model.NewRound) { r.Method = "plurality" }, "method"},
		{"closes in the past", func(r *model.NewRound) { r.ClosesAt = time.Now().Add(-time.Hour) }, "closes_at"},
		{"closes in two years", func(r *model.NewRound) { r.ClosesAt = time.Now().AddDate(2, 0, 0) }, "closes_at"},
		{"negative quorum", func(r *model.NewRound) { r.Quorum = -1 }, "quorum"},
		{"threshold over 100", func(r *model.NewRound) { r.ThresholdPct = 101 }, "threshold"},
		{"unknown neighbourhood", func(r *model.NewRound) { r.Neighbourhoods = []int64{9999} }, "neighbourhood"},
		{"a partner opens it", func(r *model.NewRound) { r.OpenedBy = model.User{Role: model.Partner} }, ""},
	}
	for _, tt := range tests {
		nr := good
		tt.edit(&nr)
		_, err := f.s.OpenRound(ctx, nr)
		var ve *model.ValidationError
		if !errors.As(err, &ve) || ve.Field != tt.field {
			t.Errorf("%s: err = %v, want a ValidationError on %q", tt.name, err, tt.field)
		}
	}
	if rs, _ := f.s.Rounds(ctx, 0); len(rs) != 0 {
		t.Fatalf("refused rounds were stored: %d", len(rs))
	}
	r, err := f.s.OpenRound(ctx, good)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.OpenRound(ctx, good); !errors.Is(err, model.ErrDuplicate) {
		t.Errorf("a second open round on the term: err = %v", err)
	}
	if _, err := f.s.w.Exec(`UPDATE rounds SET quorum = 0 WHERE id = ?`, r.ID); err == nil {
		t.Error("the database let an open round's rules change")
	}
}

func TestBallotsAndSettling(t *testing.T) {
	t.Parallel()
	f := newVoting(t)
	ctx := context.Background()
	r := f.open(t, tally.Approval, 3, 50, f.peckham.ID)
	rae, sol, tam := f.resident(t, "Rae", f.peckham), f.resident(t, "Sol", f.peckham), f.resident(t, "Tam", f.peckham)
	wal := f.resident(t, "Wyn", f.walworth)

	first, err := f.s.CastBallot(ctx, r.ID, rae, tally.Ballot{Approve: []int64{f.a.ID}})
	if err != nil {
		t.Fatal(err)
	}
	// Rae changes her mind: the last ballot counts, with a new receipt.
	second, err := f.s.CastBallot(ctx, r.ID, rae, tally.Ballot{Approve: []int64{f.b.ID}})
	if err != nil || second == first {
		t.Fatalf("changed ballot: receipt %q (first %q), %v", second, first, err)
	}
	mine, ok, err := f.s.MyBallot(ctx, r, rae.ID)
	if err != nil || !ok || len(mine.Approve) != 1 || mine.Approve[0] != f.b.ID {
		t.Errorf("MyBallot = %+v, %v, %v", mine, ok, err)
	}
	f.s.CastBallot(ctx, r.ID, sol, tally.Ballot{Approve: []int64{f.a.ID, f.b.ID}})
	f.s.CastBallot(ctx, r.ID, tam, tally.Ballot{Approve: []int64{}})

	refused := []struct {
		name  string
		voter model.User
		b     tally.Ballot
	}{
		{"not a candidate", tam, tally.Ballot{Approve: []int64{9999}}},
		{"ranking in an approval round", tam, tally.Ballot{Rank: map[int64]int{f.a.ID: 1}}},
		{"resident of another neighbourhood", wal, tally.Ballot{Approve: []int64{f.a.ID}}},
		{"a facilitator", f.facilitator, tally.Ballot{Approve: []int64{f.a.ID}}},
	}
	for _, tt := range refused {
		if _, err := f.s.CastBallot(ctx, r.ID, tt.voter, tt.b); err == nil {
			t.Errorf("%s: ballot accepted", tt.name)
		}
	}
	mine, _, _ = f.s.MyBallot(ctx, r, tam.ID)
	if len(mine.Approve) != 0 {
		t.Errorf("a refused ballot replaced Tam's: %+v", mine)
	}

	r, _ = f.s.Round(ctx, r.ID)
	if r.Ballots != 3 || r.Results != nil {
		t.Fatalf("open round: %d ballots, results %v", r.Ballots, r.Results)
	}
	r, err = f.s.CloseRound(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if r.Open() || r.Outcome != tally.Settled || r.WinnerVersionID != f.b.ID {
		t.Fatalf("closed round: open %v outcome %q winner %d", r.Open(), r.Outcome, r.WinnerVersionID)
	}
	if r.Results.Ballots != 3 || r.Results.Candidates[1].Count != 2 {
		t.Errorf("results = %+v", r.Results)
	}
	term, _ := f.s.Term(ctx, f.term.Slug)
	if term.AgreedVersionID != f.b.ID {
		t.Errorf("agreed version = %d, want the winner %d", term.AgreedVersionID, f.b.ID)
	}
	prov, err := f.s.AgreedProvenance(ctx, term)
	if err != nil || prov == nil || prov.RoundID != r.ID || prov.Ballots != 3 || prov.Neighbourhoods != 1 {
		t.Errorf("provenance = %+v, %v", prov, err)
	}

	// After closing: no ballots, no second close, and the recount matches.
	if _, err := f.s.CastBallot(ctx, r.ID, sol, tally.Ballot{Approve: []int64{f.a.ID}}); !errors.Is(err, model.ErrClosed) {
		t.Errorf("ballot after closing: err = %v, want ErrClosed", err)
	}
	if again, err := f.s.CloseRound(ctx, r.ID); err != nil || !again.ClosedAt.Equal(r.ClosedAt) {
		t.Errorf("closing twice: %v, closed at %v then %v", err, r.ClosedAt, again.ClosedAt)
	}
	stored, recount, err := f.s.Recount(ctx, r.ID)
	if err != nil || !stored.Equal(recount) {
		t.Errorf("recount differs from the stored result: %v\n%+v\n%+v", err, stored, recount)
	}
	// A ballot changed behind the count's back shows in a recount.
	if _, err := f.s.w.Exec(`UPDATE ballots SET marks = ? WHERE receipt = ?`, fmt.Sprintf("[%d]", f.a.ID), second); err != nil {
		t.Fatal(err)
	}
	if stored, recount, _ := f.s.Recount(ctx, r.ID); stored.Equal(recount) {
		t.Error("the recount did not notice a changed ballot")
	}
	f.s.w.Exec(`UPDATE ballots SET marks = ? WHERE receipt = ?`, fmt.Sprintf("[%d]", f.b.ID), second)

	published, _ := f.s.PublishedBallots(ctx, r.ID)
	if len(published) != 3 {
		t.Fatalf("published %d ballots", len(published))
	}
	found := false
	for _, p := range published {
		if p.Receipt == second && string(p.Marks) == fmt.Sprintf("[%d]", f.b.ID) {
			found = true
		}
		if p.Receipt == first {
			t.Error("Rae's replaced ballot is published")
		}
	}
	if !found {
		t.Errorf("Rae's receipt %s is not published with her marks: %+v", second, published)
	}
}

func TestRoundsCloseAtTheirTime(t *testing.T) {
	t.Parallel()
	f := newVoting(t)
	ctx := context.Background()
	r := f.open(t, tally.Ranked, 5, 50)
	rae := f.resident(t, "Rae", f.peckham)
	if _, err := f.s.CastBallot(ctx, r.ID, rae, tally.Ballot{Rank: map[int64]int{f.b.ID: 1}}); err != nil {
		t.Fatal(err)
	}
	// A malformed ranking is refused.
	if _, err := f.s.CastBallot(ctx, r.ID, rae, tally.Ballot{Rank: map[int64]int{f.a.ID: 1, f.b.ID: 1}}); err == nil {
		t.Error("two first choices accepted")
	}
	if n, _ := f.s.CloseDueRounds(ctx); n != 0 {
		t.Fatalf("closed %d rounds before their time", n)
	}
	later := time.Now().Add(25 * time.Hour)
	f.s.now = func() time.Time { return later }
	if _, err := f.s.CastBallot(ctx, r.ID, rae, tally.Ballot{Rank: map[int64]int{f.a.ID: 1}}); !errors.Is(err, model.ErrClosed) {
		t.Errorf("ballot after the closing time: err = %v", err)
	}
	if n, err := f.s.CloseDueRounds(ctx); n != 1 || err != nil {
		t.Fatalf("CloseDueRounds = %d, %v", n, err)
	}
	r, _ = f.s.Round(ctx, r.ID)
	if r.Outcome != tally.NoQuorum || r.WinnerVersionID != 0 {
		t.Errorf("1 ballot of a quorum of 5: outcome %q winner %d", r.Outcome, r.WinnerVersionID)
	}
	if term, _ := f.s.Term(ctx, f.term.Slug); term.Agreed() {
		t.Error("a round without a result made a wording agreed")
	}
	mine, _, _ := f.s.MyBallot(ctx, r, rae.ID)
	if mine.Rank[f.b.ID] != 1 {
		t.Errorf("the ballot after closing changed Rae's: %+v", mine)
	}
}

// TestOneBallotUnderConcurrentSubmits sends 100 ballots from one resident at
// once: exactly one ballot is stored.
func TestOneBallotUnderConcurrentSubmits(t *testing.T) {
	t.Parallel()
	f := newVoting(t)
	r := f.open(t, tally.Approval, 0, 0)
	rae := f.resident(t, "Rae", f.peckham)
	var wg sync.WaitGroup
	for i := range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ids := []int64{f.a.ID}
			if i%2 == 1 {
				ids = []int64{f.b.ID}
			}
			if _, err := f.s.CastBallot(context.Background(), r.ID, rae, tally.Ballot{Approve: ids}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	var n int
	f.s.r.QueryRow(`SELECT count(*) FROM ballots WHERE round_id = ?`, r.ID).Scan(&n)
	if n != 1 {
		t.Errorf("%d ballots stored, want 1", n)
	}
}

// TestEveryAcknowledgedBallotCounts has 200 residents vote at once; the
// tally counts every ballot that was acknowledged with a receipt.
func TestEveryAcknowledgedBallotCounts(t *testing.T) {
	t.Parallel()
	f := newVoting(t)
	ctx := context.Background()
	r := f.open(t, tally.Approval, 0, 50)
	var voters []model.User
	for i := range 200 {
		n := f.peckham
		if i%2 == 1 {
			n = f.walworth
		}
		voters = append(voters, f.resident(t, fmt.Sprintf("Voter %d", i), n))
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	receipts := map[string]int64{}
	for i, u := range voters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			choice := f.a.ID
			if i%4 == 0 {
				choice = f.b.ID
			}
			receipt, err := f.s.CastBallot(ctx, r.ID, u, tally.Ballot{Approve: []int64{choice}})
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			receipts[receipt] = choice
			mu.Unlock()
		}()
	}
	wg.Wait()
	r, err := f.s.CloseRound(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if r.Results.Ballots != len(receipts) || len(receipts) != 200 {
		t.Fatalf("counted %d ballots, acknowledged %d", r.Results.Ballots, len(receipts))
	}
	if r.Results.Candidates[0].Count != 150 || r.Results.Candidates[1].Count != 50 {
		t.Errorf("counts = %+v", r.Results.Candidates)
	}
	published, _ := f.s.PublishedBallots(ctx, r.ID)
	for _, p := range published {
		if string(p.Marks) != fmt.Sprintf("[%d]", receipts[p.Receipt]) {
			t.Errorf("receipt %s: marks %s, want [%d]", p.Receipt, p.Marks, receipts[p.Receipt])
		}
	}
	if len(r.Results.Neighbourhoods) != 2 || r.Results.Neighbourhoods[0].Ballots != 100 {
		t.Errorf("neighbourhoods = %+v", r.Results.Neighbourhoods)
	}
}

// TestRoundPastItsTimeReadsClosed: once its closing time passes, a round
// reads as closed everywhere without anything being written, and the
// generation moves on so kept pages that showed it open go stale. The
// count comes when CloseDueRounds (the timer) or CountIfDue (a results
// file) gets to it, dated at the closing time.
func TestRoundPastItsTimeReadsClosed(t *testing.T) {
	t.Parallel()
	f := newVoting(t)
	ctx := context.Background()
	r := f.open(t, tally.Approval, 0, 0)
	rae := f.resident(t, "Rae", f.peckham)
	if _, err := f.s.CastBallot(ctx, r.ID, rae, tally.Ballot{Approve: []int64{f.b.ID}}); err != nil {
		t.Fatal(err)
	}
	if got := f.s.NextClosing(); !got.Equal(r.ClosesAt) {
		t.Errorf("NextClosing = %v, want the round's %v", got, r.ClosesAt)
	}
	gen := f.s.Generation()
	if f.s.Generation() != gen {
		t.Fatal("the generation moved with nothing written and no closing time passed")
	}

	later := r.ClosesAt.Add(time.Second)
	f.s.now = func() time.Time { return later }
	if f.s.Generation() == gen {
		t.Error("the generation stayed as the round's closing time passed")
	}
	got, err := f.s.Round(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Open() || !got.Counting || got.Results != nil || !got.Closed().Equal(r.ClosesAt) {
		t.Errorf("past its time: Open %v Counting %v Results %v Closed %v, want closed at %v and not yet counted",
			got.Open(), got.Counting, got.Results, got.Closed(), r.ClosesAt)
	}
	if open, err := f.s.OpenRoundOf(ctx, f.term.ID); open != nil || err != nil {
		t.Errorf("OpenRoundOf = %v, %v; want none", open, err)
	}
	if n, err := f.s.CountOpenRounds(ctx); n != 0 || err != nil {
		t.Errorf("CountOpenRounds = %d, %v; want 0", n, err)
	}
	states, err := f.s.TermStates(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range states {
		if st.OpenRound {
			t.Errorf("term %s reads as having an open round", st.Slug)
		}
	}
	var closedAt *time.Time
	if err := f.s.r.QueryRow(`SELECT closed_at FROM rounds WHERE id = ?`, r.ID).Scan(&closedAt); err != nil || closedAt != nil {
		t.Fatalf("reading the round wrote to it: closed_at = %v, %v", closedAt, err)
	}

	// A results file counts it: closed at its time, not when counted.
	f.s.now = func() time.Time { return later.Add(time.Hour) }
	counted, err := f.s.CountIfDue(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if counted.Counting || counted.Results == nil || counted.Results.Ballots != 1 || !counted.ClosedAt.Equal(r.ClosesAt) {
		t.Errorf("counted: Counting %v Results %+v ClosedAt %v, want 1 ballot, closed at %v",
			counted.Counting, counted.Results, counted.ClosedAt, r.ClosesAt)
	}
	if counted.WinnerVersionID != f.b.ID {
		t.Errorf("winner %d, want %d", counted.WinnerVersionID, f.b.ID)
	}
	if n, err := f.s.CloseDueRounds(ctx); n != 0 || err != nil {
		t.Errorf("CloseDueRounds after the count = %d, %v; want nothing left to count", n, err)
	}
	if next := f.s.NextClosing(); !next.IsZero() {
		t.Errorf("NextClosing = %v with no round left to count", next)
	}
}

// CountIfDue leaves a round that is still open as it is.
func TestCountIfDueLeavesOpenRounds(t *testing.T) {
	t.Parallel()
	f := newVoting(t)
	r := f.open(t, tally.Approval, 0, 0)
	got, err := f.s.CountIfDue(context.Background(), r.ID)
	if err != nil || !got.Open() || got.Results != nil {
		t.Errorf("CountIfDue of an open round = open %v results %v, %v; want it open, uncounted", got.Open(), got.Results, err)
	}
}

// A term whose round is past its time but not yet counted can have a new
// round opened on it: the old one is counted first.
func TestOpenRoundAfterAnUncountedOne(t *testing.T) {
	t.Parallel()
	f := newVoting(t)
	ctx := context.Background()
	old := f.open(t, tally.Approval, 0, 0)
	later := old.ClosesAt.Add(time.Minute)
	f.s.now = func() time.Time { return later }
	r, err := f.s.OpenRound(ctx, model.NewRound{TermID: f.term.ID, Candidates: []int64{f.a.ID, f.b.ID},
		Method: tally.Ranked, ClosesAt: later.Add(24 * time.Hour), OpenedBy: f.facilitator})
	if err != nil {
		t.Fatalf("opening a round after an uncounted one: %v", err)
	}
	if old, _ = f.s.Round(ctx, old.ID); old.Results == nil {
		t.Error("the old round was not counted")
	}
	if !r.Open() {
		t.Error("the new round is not open")
	}
}

// An open round closed early leaves no closing time behind to move the
// generation on later.
func TestClosingEarlyForgetsTheClosingTime(t *testing.T) {
	t.Parallel()
	f := newVoting(t)
	ctx := context.Background()
	r := f.open(t, tally.Approval, 0, 0)
	if _, err := f.s.CloseRound(ctx, r.ID); err != nil {
		t.Fatal(err)
	}
	if next := f.s.NextClosing(); !next.IsZero() {
		t.Errorf("NextClosing = %v after the only round closed early", next)
	}
	gen := f.s.Generation()
	f.s.now = func() time.Time { return r.ClosesAt.Add(time.Second) }
	if f.s.Generation() != gen {
		t.Error("the generation moved at the closing time of a round closed early")
	}
}

// A restarted store knows the closing times of the rounds not yet counted,
// so its generation moves on and the timer wakes for them.
func TestClosingTimesSurviveARestart(t *testing.T) {
	t.Parallel()
	f := newVoting(t)
	r := f.open(t, tally.Approval, 0, 0)
	f.s.Close()
	s, err := Open(f.s.dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got := s.NextClosing(); !got.Equal(r.ClosesAt) {
		t.Errorf("after a restart NextClosing = %v, want %v", got, r.ClosesAt)
	}
}

package store

import (
	"context"
	_ "embed"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"wordgarden/server/model"
	"wordgarden/server/tally"
)

// A round extended past its old closing time is not closed at that time:
// not by the timer, not by a results file, and it still takes ballots.
func TestExtendRound(t *testing.T) {
	t.Parallel()
	f := newVoting(t)
	ctx := context.Background()
	r := f.open(t, tally.Approval, 0, 0)
	rae := f.resident(t, "Rae", f.peckham)
	gen := f.s.Generation()
	later := r.ClosesAt.Add(7 * 24 * time.Hour)
	got, err := f.s.ExtendRound(ctx, r.ID, f.facilitator, later, "  Half term  ")
	if err != nil {
		t.Fatal(err)
	}
	if !got.ClosesAt.Equal(later) || !got.Open() {
		t.Errorf("extended round closes %v (open %v), want %v", got.ClosesAt, got.Open(), later)
	}
	if len(got.Changes) != 1 {
		t.Fatalf("changes = %+v, want one", got.Changes)
	}
	c := got.Changes[0]
	if c.Kind != model.Extend || !c.OldClosesAt.Equal(r.ClosesAt) || !c.NewClosesAt.Equal(later) || c.ByName != "Fran" || c.Reason != "Half term" {
		t.Errorf("change = %+v", c)
	}
	if f.s.Generation() == gen {
		t.Error("the generation stayed as the closing time moved")
	}
	if next := f.s.NextClosing(); !next.Equal(later) {
		t.Errorf("NextClosing = %v, want the new time %v", next, later)
	}

	// The old time passes: nothing closes, nothing moves the generation.
	f.s.now = func() time.Time { return r.ClosesAt.Add(time.Minute) }
	gen = f.s.Generation()
	if n, err := f.s.CloseDueRounds(ctx); n != 0 || err != nil {
		t.Errorf("CloseDueRounds at the old time = %d, %v; want nothing", n, err)
	}
	if got, err := f.s.CountIfDue(ctx, r.ID); err != nil || !got.Open() || got.Results != nil {
		t.Errorf("CountIfDue at the old time: open %v results %v, %v", got.Open(), got.Results, err)
	}
	if _, err := f.s.CastBallot(ctx, r.ID, rae, tally.Ballot{Approve: []int64{f.a.ID}}); err != nil {
		t.Errorf("a ballot after the old closing time: %v", err)
	}
	if f.s.Generation() != gen {
		t.Error("the generation moved at the old closing time")
	}

	// At the new time it closes, dated then.
	f.s.now = func() time.Time { return later.Add(time.Minute) }
	if n, err := f.s.CloseDueRounds(ctx); n != 1 || err != nil {
		t.Fatalf("CloseDueRounds at the new time = %d, %v", n, err)
	}
	closed, _ := f.s.Round(ctx, r.ID)
	if !closed.ClosedAt.Equal(later) || closed.Results == nil || closed.Results.Ballots != 1 {
		t.Errorf("closed at %v with %+v, want at %v with one ballot", closed.ClosedAt, closed.Results, later)
	}
	if _, err := f.s.ExtendRound(ctx, r.ID, f.facilitator, later.Add(time.Hour), ""); !errors.Is(err, model.ErrClosed) {
		t.Errorf("extending a closed round: %v", err)
	}
}

// Extensions that are not allowed change nothing.
func TestExtendRoundRefused(t *testing.T) {
	t.Parallel()
	f := newVoting(t)
	ctx := context.Background()
	r := f.open(t, tally.Approval, 0, 0)
	rae := f.resident(t, "Rae", f.peckham)
	for _, tt := range []struct {
		name   string
		by     model.User
		to     time.Time
		reason string
		id     string
	}{
		{"earlier", f.facilitator, r.ClosesAt.Add(-time.Hour), "", "invalid.round_change.not_later"},
		{"the same time", f.facilitator, r.ClosesAt, "", "invalid.round_change.not_later"},
		{"in the past", f.facilitator, time.Now().Add(-time.Hour), "", "invalid.round_change.not_later"},
		{"over a year", f.facilitator, time.Now().Add(model.MaxRoundLength + time.Hour), "", "invalid.round.closes_late"},
		{"by a resident", rae, r.ClosesAt.Add(time.Hour), "", "invalid.round_change.facilitators_only"},
		{"a long reason", f.facilitator, r.ClosesAt.Add(time.Hour), strings.Repeat("é", 501), "invalid.round_change.reason_long"},
	} {
		_, err := f.s.ExtendRound(ctx, r.ID, tt.by, tt.to, tt.reason)
		var ve *model.ValidationError
		if !errors.As(err, &ve) || ve.ID != tt.id {
			t.Errorf("%s: %v, want %s", tt.name, err, tt.id)
		}
	}
	if _, err := f.s.ExtendRound(ctx, 999, f.facilitator, r.ClosesAt.Add(time.Hour), ""); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("extending no round: %v", err)
	}
	got, _ := f.s.Round(ctx, r.ID)
	if !got.ClosesAt.Equal(r.ClosesAt) || len(got.Changes) != 0 {
		t.Errorf("refused extensions changed the round: closes %v, changes %+v", got.ClosesAt, got.Changes)
	}
	// Nor does the database let the time move without its record.
	if _, err := f.s.w.Exec(`UPDATE rounds SET closes_at = ? WHERE id = ?`, r.ClosesAt.Add(time.Hour).UTC(), r.ID); err == nil {
		t.Error("the database moved a closing time with no change recorded")
	}
}

// A cancelled round takes no ballots, is never counted, frees its term for
// another round, and keeps the ballots cast.
func TestCancelRound(t *testing.T) {
	t.Parallel()
	f := newVoting(t)
	ctx := context.Background()
	r := f.open(t, tally.Approval, 0, 0)
	rae := f.resident(t, "Rae", f.peckham)
	if _, err := f.s.CastBallot(ctx, r.ID, rae, tally.Ballot{Approve: []int64{f.a.ID}}); err != nil {
		t.Fatal(err)
	}
	for _, reason := range []string{"", "   "} {
		var ve *model.ValidationError
		if _, err := f.s.CancelRound(ctx, r.ID, f.facilitator, reason); !errors.As(err, &ve) || ve.ID != "invalid.round_change.reason_empty" {
			t.Errorf("cancel with reason %q: %v", reason, err)
		}
	}
	if _, err := f.s.CancelRound(ctx, r.ID, rae, "I changed my mind"); err == nil {
		t.Error("a resident cancelled a round")
	}
	gen := f.s.Generation()
	got, err := f.s.CancelRound(ctx, r.ID, f.facilitator, "The wordings had a mistake")
	if err != nil {
		t.Fatal(err)
	}
	if got.Open() || got.Counting || got.Cancelled == nil || got.Cancelled.ByName != "Fran" || got.Cancelled.Reason != "The wordings had a mistake" {
		t.Errorf("cancelled round: open %v counting %v cancelled %+v", got.Open(), got.Counting, got.Cancelled)
	}
	if f.s.Generation() == gen {
		t.Error("the generation stayed as the round was cancelled")
	}
	if next := f.s.NextClosing(); !next.IsZero() {
		t.Errorf("NextClosing = %v after the only round was cancelled", next)
	}
	if _, err := f.s.CastBallot(ctx, r.ID, rae, tally.Ballot{Approve: []int64{f.b.ID}}); !errors.Is(err, model.ErrClosed) {
		t.Errorf("a ballot in a cancelled round: %v", err)
	}
	if _, err := f.s.CloseRound(ctx, r.ID); !errors.Is(err, model.ErrClosed) {
		t.Errorf("closing a cancelled round: %v", err)
	}
	if _, err := f.s.CancelRound(ctx, r.ID, f.facilitator, "again"); !errors.Is(err, model.ErrClosed) {
		t.Errorf("cancelling twice: %v", err)
	}
	if _, err := f.s.ExtendRound(ctx, r.ID, f.facilitator, r.ClosesAt.Add(time.Hour), ""); !errors.Is(err, model.ErrClosed) {
		t.Errorf("extending a cancelled round: %v", err)
	}
	f.s.now = func() time.Time { return r.ClosesAt.Add(time.Minute) }
	if n, err := f.s.CloseDueRounds(ctx); n != 0 || err != nil {
		t.Errorf("CloseDueRounds after the cancelled round's time = %d, %v", n, err)
	}
	if got, _ := f.s.CountIfDue(ctx, r.ID); got.Results != nil || got.Counting {
		t.Errorf("a cancelled round was counted: %+v", got.Results)
	}
	mine, ok, err := f.s.MyBallot(ctx, r, rae.ID)
	if err != nil || !ok || len(mine.Approve) != 1 || mine.Approve[0] != f.a.ID {
		t.Errorf("the ballot cast before cancelling = %+v, %v, %v; want it kept", mine, ok, err)
	}
	if _, ok, _ := f.s.FindReceipt(ctx, r.ID, "anything"); ok {
		t.Error("a receipt found in a cancelled round")
	}
	// The term can have a new round.
	f.s.now = time.Now
	if _, err := f.s.OpenRound(ctx, model.NewRound{TermID: f.term.ID, Candidates: []int64{f.a.ID, f.b.ID},
		Method: tally.Approval, ClosesAt: time.Now().Add(time.Hour), OpenedBy: f.facilitator}); err != nil {
		t.Errorf("a new round after a cancelled one: %v", err)
	}
	// The record cannot be edited or deleted, nor the round counted.
	for _, q := range []string{
		`UPDATE round_changes SET reason = 'other'`,
		`DELETE FROM round_changes`,
		`UPDATE rounds SET cancelled_at = NULL WHERE id = ?`,
		`UPDATE rounds SET closed_at = cancelled_at, outcome = 'tie', result = '{}' WHERE id = ?`,
	} {
		if _, err := f.s.w.Exec(q, r.ID); err == nil {
			t.Errorf("the database allowed %s", q)
		}
	}
}

// A resident's ballots come back with their rounds and receipts, and a
// receipt is found among a counted round's ballots only.
func TestMyBallotsAndReceipts(t *testing.T) {
	t.Parallel()
	f := newVoting(t)
	ctx := context.Background()
	r := f.open(t, tally.Approval, 0, 0)
	rae := f.resident(t, "Rae", f.peckham)
	sol := f.resident(t, "Sol", f.walworth)
	if mine, err := f.s.MyBallots(ctx, rae.ID); err != nil || len(mine) != 0 {
		t.Errorf("before voting: %+v, %v", mine, err)
	}
	receipt, err := f.s.CastBallot(ctx, r.ID, rae, tally.Ballot{Approve: []int64{f.b.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.CastBallot(ctx, r.ID, sol, tally.Ballot{Approve: []int64{f.a.ID}}); err != nil {
		t.Fatal(err)
	}
	mine, err := f.s.MyBallots(ctx, rae.ID)
	if err != nil || len(mine) != 1 || mine[0].Receipt != receipt || mine[0].Round.ID != r.ID || mine[0].Round.TermTitle != "Care navigator" || mine[0].CastAt.IsZero() {
		t.Fatalf("MyBallots = %+v, %v", mine, err)
	}
	if _, ok, _ := f.s.FindReceipt(ctx, r.ID, receipt); ok {
		t.Error("a receipt found while the round is open")
	}
	if _, err := f.s.CloseRound(ctx, r.ID); err != nil {
		t.Fatal(err)
	}
	b, ok, err := f.s.FindReceipt(ctx, r.ID, receipt)
	if err != nil || !ok || string(b.Marks) != "["+strconv.FormatInt(f.b.ID, 10)+"]" {
		t.Errorf("FindReceipt = %+v %s, %v, %v", b, b.Marks, ok, err)
	}
	if _, ok, _ := f.s.FindReceipt(ctx, r.ID+1, receipt); ok {
		t.Error("a receipt found in another round")
	}
}

func TestUpgradeFromVersion4(t *testing.T) {
	t.Parallel()
	now := time.Now().UTC()
	s, _ := upgraded(t, 4, schemaV4, []string{
		`INSERT INTO organisations (id, name, sector, created_at) VALUES (1, 'Peckham Hub', 'voluntary', ?1)`,
		`INSERT INTO users (id, email, name, role, organisation_id, password_hash, created_at)
			VALUES (1, 'val@example.org', 'Val', 'partner', 1, 'x', ?1),
			(2, 'fran@example.org', 'Fran', 'facilitator', NULL, 'x', ?1)`,
		`INSERT INTO terms (id, slug, title, created_at, updated_at) VALUES (1, 'care-navigator', 'Care navigator', ?1, ?1)`,
		`INSERT INTO versions (id, term_id, author_id, author_name, author_role, organisation_name, sector,
			markdown, html, text, summary, created_at)
			VALUES (1, 1, 1, 'Val', 'partner', 'Peckham Hub', 'voluntary', 'A guide.', '<p>A guide.</p>', 'A guide.', 'A guide.', ?1),
			(2, 1, 1, 'Val', 'partner', 'Peckham Hub', 'voluntary', 'A helper.', '<p>A helper.</p>', 'A helper.', 'A helper.', ?1)`,
		`INSERT INTO rounds (id, term_id, method, quorum, threshold_pct, opened_by, opened_at, closes_at)
			VALUES (1, 1, 'approval', 0, 0, 2, ?1, ?2)`,
		`INSERT INTO round_candidates (round_id, version_id, position) VALUES (1, 1, 0), (1, 2, 1)`,
	}, now, now.Add(24*time.Hour))
	ctx := context.Background()
	r, err := s.Round(ctx, 1)
	if err != nil || !r.Open() || r.Cancelled != nil {
		t.Fatalf("the open round after the upgrade: %+v, %v", r, err)
	}
	fran := userNamed(t, s, "Fran")
	later := r.ClosesAt.Add(time.Hour)
	if r, err = s.ExtendRound(ctx, 1, fran, later, ""); err != nil || !r.ClosesAt.Equal(storedTime(later)) {
		t.Fatalf("extending on the upgraded database: %v", err)
	}
	if _, err := s.w.Exec(`UPDATE rounds SET quorum = 3 WHERE id = 1`); err == nil {
		t.Error("the upgraded database lets a round's rules change")
	}
	if _, err := s.CancelRound(ctx, 1, fran, "A mistake in the wordings"); err != nil {
		t.Fatalf("cancelling on the upgraded database: %v", err)
	}
	// Cancelled, the round no longer holds the term's one open place.
	if _, err := s.OpenRound(ctx, model.NewRound{TermID: 1, Candidates: []int64{1, 2}, Method: tally.Approval,
		ClosesAt: time.Now().Add(time.Hour), OpenedBy: fran}); err != nil {
		t.Errorf("a new round after the cancelled one: %v", err)
	}
	if _, err := s.OpenRound(ctx, model.NewRound{TermID: 1, Candidates: []int64{1, 2}, Method: tally.Approval,
		ClosesAt: time.Now().Add(time.Hour), OpenedBy: fran}); !errors.Is(err, model.ErrDuplicate) {
		t.Errorf("a second open round on the upgraded database: %v", err)
	}
}

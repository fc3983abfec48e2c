package store

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"wordgarden/server/model"
)

// commentFixture is a store with a term of two versions and one person of
// each role.
type commentFixture struct {
	s                    *Store
	v1, v2               model.Version
	partner, facilitator model.User
	resident             model.User
}

func newCommentFixture(t *testing.T) commentFixture {
	t.Helper()
	ctx := context.Background()
	s := newStore(t)
	f := commentFixture{s: s, partner: newPartner(t, s, "Sam", model.Statutory)}
	var err error
	f.facilitator, err = s.CreateUser(ctx, model.NewUser{Email: "fran@example.org", Name: "Fran", Role: model.Facilitator, Password: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	nb, err := s.CreateNeighbourhood(ctx, "Peckham")
	if err != nil {
		t.Fatal(err)
	}
	f.resident, err = s.CreateUser(ctx, model.NewUser{Name: "Rae", Role: model.Resident, NeighbourhoodID: nb.ID, Password: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	tm, v1, err := s.CreateTerm(ctx, "Care navigator", model.NewVersion{Markdown: "Someone who helps you find your way.", Author: &f.partner})
	if err != nil {
		t.Fatal(err)
	}
	f.v1 = v1
	if f.v2, err = s.CreateVersion(ctx, tm.ID, model.NewVersion{Markdown: "A guide to local services.", Author: &f.partner}); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f commentFixture) count(t *testing.T) int {
	t.Helper()
	var n int
	if err := f.s.r.QueryRow(`SELECT count(*) FROM comments`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestCreateComment(t *testing.T) {
	t.Parallel()
	f := newCommentFixture(t)
	ctx := context.Background()
	gen := f.s.Generation()
	c, err := f.s.CreateComment(ctx, model.NewComment{VersionID: f.v1.ID, Kind: model.TriedIt,
		Markdown: "We read it out at the **coffee morning**. See [[Care navigator]].", Author: &f.resident}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if f.s.Generation() == gen {
		t.Error("a comment did not move the generation on: cached pages would not show it")
	}
	if c.AuthorName != "Rae" || c.AuthorRole != model.Resident || c.NeighbourhoodName != "Peckham" || c.OrganisationName != "" {
		t.Errorf("the comment speaks from %q %q %q %q, want Rae, a resident of Peckham", c.AuthorName, c.AuthorRole, c.NeighbourhoodName, c.OrganisationName)
	}
	if !strings.Contains(c.HTML, "<strong>coffee morning</strong>") || !strings.Contains(c.HTML, `href="/terms/care-navigator"`) {
		t.Errorf("the comment is rendered as %q", c.HTML)
	}
	if c.TermSlug != "care-navigator" || c.Kind.Label() != "tried it" {
		t.Errorf("comment = %+v", c)
	}
	p, err := f.s.CreateComment(ctx, model.NewComment{VersionID: f.v1.ID, Kind: model.Question, Markdown: "Who pays?", Author: &f.partner}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if p.OrganisationName != "Sam org" || p.Sector != model.Statutory {
		t.Errorf("a partner speaks from %q %q", p.OrganisationName, p.Sector)
	}
}

func TestCreateCommentRefuses(t *testing.T) {
	t.Parallel()
	f := newCommentFixture(t)
	ctx := context.Background()
	top, err := f.s.CreateComment(ctx, model.NewComment{VersionID: f.v1.ID, Kind: model.Question, Markdown: "Top", Author: &f.partner}, 0)
	if err != nil {
		t.Fatal(err)
	}
	onOther, err := f.s.CreateComment(ctx, model.NewComment{VersionID: f.v2.ID, Kind: model.Question, Markdown: "Elsewhere", Author: &f.partner}, 0)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		nc    model.NewComment
		field string // of the ValidationError; "-" for ErrNotFound
	}{
		{"no kind", model.NewComment{VersionID: f.v1.ID, Markdown: "x", Author: &f.resident}, "kind"},
		{"unknown kind", model.NewComment{VersionID: f.v1.ID, Kind: "rant", Markdown: "x", Author: &f.resident}, "kind"},
		{"empty", model.NewComment{VersionID: f.v1.ID, Kind: model.Question, Markdown: " \n\t", Author: &f.resident}, "body"},
		{"too long", model.NewComment{VersionID: f.v1.ID, Kind: model.Question, Markdown: strings.Repeat("é", model.MaxCommentLen+1), Author: &f.resident}, "body"},
		{"bad utf-8", model.NewComment{VersionID: f.v1.ID, Kind: model.Question, Markdown: "a\xffb", Author: &f.resident}, "body"},
		{"too deep", model.NewComment{VersionID: f.v1.ID, Kind: model.Question, Markdown: strings.Repeat("> ", model.MaxDepth+5) + "x", Author: &f.resident}, "body"},
		{"nobody", model.NewComment{VersionID: f.v1.ID, Kind: model.Question, Markdown: "x"}, ""},
		{"unknown version", model.NewComment{VersionID: 9999, Kind: model.Question, Markdown: "x", Author: &f.resident}, "-"},
		{"missing parent", model.NewComment{VersionID: f.v1.ID, ParentID: 9999, Kind: model.Question, Markdown: "x", Author: &f.resident}, "parent_id"},
		{"parent on another version", model.NewComment{VersionID: f.v1.ID, ParentID: onOther.ID, Kind: model.Question, Markdown: "x", Author: &f.resident}, "parent_id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := f.count(t)
			_, err := f.s.CreateComment(ctx, tt.nc, 0)
			var ve *model.ValidationError
			switch {
			case tt.field == "-":
				if !errors.Is(err, model.ErrNotFound) {
					t.Errorf("err = %v, want ErrNotFound", err)
				}
			case !errors.As(err, &ve) || ve.Field != tt.field:
				t.Errorf("err = %v, want a ValidationError about %q", err, tt.field)
			}
			if n := f.count(t); n != before {
				t.Errorf("%d comments stored, want %d", n, before)
			}
		})
	}
	// Just at the limit, in characters rather than bytes, is fine; a form's
	// CR LF counts as one.
	if _, err := f.s.CreateComment(ctx, model.NewComment{VersionID: f.v1.ID, ParentID: top.ID, Kind: model.Suggestion,
		Markdown: strings.Repeat("é\r\n", model.MaxCommentLen/2), Author: &f.resident}, 0); err != nil {
		t.Errorf("a comment of %d characters: %v", model.MaxCommentLen, err)
	}
	// The database refuses a reply to a reply and a kind it does not know,
	// whatever the code does.
	if _, err := f.s.w.Exec(`INSERT INTO comments (version_id, author_id, author_name, author_role, kind, markdown, html, created_at)
		VALUES (?, ?, 'x', 'resident', 'rant', 'x', 'x', ?)`, f.v1.ID, f.resident.ID, time.Now()); err == nil {
		t.Error("the database took a comment of kind rant")
	}
	var reply int64
	f.s.r.QueryRow(`SELECT id FROM comments WHERE parent_id = ?`, top.ID).Scan(&reply)
	if _, err := f.s.w.Exec(`INSERT INTO comments (version_id, parent_id, author_id, author_name, author_role, kind, markdown, html, created_at)
		VALUES (?, ?, ?, 'x', 'resident', 'question', 'x', 'x', ?)`, f.v1.ID, reply, f.resident.ID, time.Now()); err == nil {
		t.Error("the database took a reply to a reply")
	}
	if _, err := f.s.w.Exec(`DELETE FROM comments WHERE id = ?`, top.ID); err == nil {
		t.Error("the database let a comment be deleted")
	}
	if _, err := f.s.w.Exec(`UPDATE comments SET markdown = 'edited' WHERE id = ?`, top.ID); err == nil {
		t.Error("the database let a comment be edited")
	}
}

func TestCommentThreads(t *testing.T) {
	t.Parallel()
	f := newCommentFixture(t)
	ctx := context.Background()
	post := func(parent int64, kind model.CommentKind, body string, by model.User) model.Comment {
		t.Helper()
		c, err := f.s.CreateComment(ctx, model.NewComment{VersionID: f.v1.ID, ParentID: parent, Kind: kind, Markdown: body, Author: &by}, 0)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	a := post(0, model.Question, "a", f.resident)
	b := post(0, model.TriedIt, "b", f.partner)
	a1 := post(a.ID, model.Suggestion, "a1", f.partner)
	// A reply to a reply joins the thread it is in.
	a2 := post(a1.ID, model.Question, "a2", f.facilitator)
	if a2.ParentID != a.ID {
		t.Errorf("a reply to a reply has parent %d, want the top comment %d", a2.ParentID, a.ID)
	}
	if _, err := f.s.CreateComment(ctx, model.NewComment{VersionID: f.v2.ID, Kind: model.Question, Markdown: "other", Author: &f.resident}, 0); err != nil {
		t.Fatal(err)
	}
	threads, err := f.s.Comments(ctx, f.v1.ID)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range threads {
		got = append(got, c.Markdown)
		for _, r := range c.Replies {
			got = append(got, "  "+r.Markdown)
		}
	}
	if want := []string{"a", "  a1", "  a2", "b"}; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("threads = %q, want %q", got, want)
	}
	_ = b

	if err := f.s.HideComment(ctx, a1.ID, &f.facilitator, "  Rude  "); err != nil {
		t.Fatal(err)
	}
	counts, err := f.s.CommentCountsOf(ctx, f.v1.TermID)
	if err != nil {
		t.Fatal(err)
	}
	if want := (model.CommentCounts{Question: 2, TriedIt: 1}); counts[f.v1.ID] != want {
		t.Errorf("counts on version 1 = %+v, want %+v (the hidden suggestion not counted)", counts[f.v1.ID], want)
	}
	if want := (model.CommentCounts{Question: 1}); counts[f.v2.ID] != want {
		t.Errorf("counts on version 2 = %+v, want %+v", counts[f.v2.ID], want)
	}
	h, err := f.s.Comment(ctx, a1.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !h.Hidden || h.HiddenReason != "Rude" || h.Markdown != "a1" || h.HiddenAt.IsZero() {
		t.Errorf("hidden comment = %+v, want hidden for Rude with its text kept", h)
	}
}

func TestHideComment(t *testing.T) {
	t.Parallel()
	f := newCommentFixture(t)
	ctx := context.Background()
	c, err := f.s.CreateComment(ctx, model.NewComment{VersionID: f.v1.ID, Kind: model.Question, Markdown: "x", Author: &f.resident}, 0)
	if err != nil {
		t.Fatal(err)
	}
	var ve *model.ValidationError
	if err := f.s.HideComment(ctx, c.ID, &f.facilitator, "   "); !errors.As(err, &ve) || ve.Field != "reason" {
		t.Errorf("hiding without a reason: %v", err)
	}
	if err := f.s.HideComment(ctx, c.ID, &f.facilitator, strings.Repeat("x", model.MaxReasonLen+1)); !errors.As(err, &ve) || ve.Field != "reason" {
		t.Errorf("hiding with a long reason: %v", err)
	}
	if err := f.s.HideComment(ctx, c.ID, &f.resident, "Rude"); !errors.As(err, &ve) {
		t.Errorf("a resident hid a comment: %v", err)
	}
	if err := f.s.HideComment(ctx, 9999, &f.facilitator, "Rude"); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("hiding a comment that does not exist: %v", err)
	}
	if got, _ := f.s.Comment(ctx, c.ID); got.Hidden {
		t.Fatal("a refused hide hid the comment")
	}
	gen := f.s.Generation()
	if err := f.s.HideComment(ctx, c.ID, &f.facilitator, "Off topic"); err != nil {
		t.Fatal(err)
	}
	if f.s.Generation() == gen {
		t.Error("hiding did not move the generation on")
	}
	if err := f.s.HideComment(ctx, c.ID, &f.facilitator, "Again"); !errors.As(err, &ve) || !errors.Is(err, model.ErrAlreadyHidden) {
		t.Errorf("hiding twice: %v, want ErrAlreadyHidden", err)
	}
	if got, _ := f.s.Comment(ctx, c.ID); got.HiddenReason != "Off topic" {
		t.Errorf("reason = %q, want the first one kept", got.HiddenReason)
	}
}

func TestReportComment(t *testing.T) {
	t.Parallel()
	f := newCommentFixture(t)
	ctx := context.Background()
	a, err := f.s.CreateComment(ctx, model.NewComment{VersionID: f.v1.ID, Kind: model.Question, Markdown: "a", Author: &f.resident}, 0)
	if err != nil {
		t.Fatal(err)
	}
	b, err := f.s.CreateComment(ctx, model.NewComment{VersionID: f.v1.ID, Kind: model.Question, Markdown: "b", Author: &f.resident}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.s.ReportComment(ctx, a.ID, &f.partner, " Rude "); err != nil {
		t.Fatal(err)
	}
	if err := f.s.ReportComment(ctx, a.ID, &f.partner, "Still rude"); !errors.Is(err, model.ErrDuplicate) {
		t.Errorf("a second report by the same person: %v, want ErrDuplicate", err)
	}
	if err := f.s.ReportComment(ctx, a.ID, &f.facilitator, ""); err != nil {
		t.Fatal(err)
	}
	if err := f.s.ReportComment(ctx, 9999, &f.partner, ""); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("reporting a comment that does not exist: %v", err)
	}
	var ve *model.ValidationError
	if err := f.s.ReportComment(ctx, b.ID, &f.partner, strings.Repeat("x", model.MaxReasonLen+1)); !errors.As(err, &ve) {
		t.Errorf("a long reason: %v", err)
	}
	if err := f.s.ReportComment(ctx, b.ID, &f.partner, ""); err != nil {
		t.Fatal(err)
	}
	got, err := f.s.ReportedComments(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != b.ID || got[1].ID != a.ID {
		t.Fatalf("reported = %+v, want b (reported last), then a", got)
	}
	if r := got[1].Reports; len(r) != 2 || r[0].UserName != "Sam" || r[0].Reason != "Rude" || r[1].UserName != "Fran" {
		t.Errorf("reports of a = %+v", r)
	}
	// Hiding deals with the reports.
	if err := f.s.HideComment(ctx, a.ID, &f.facilitator, "Rude"); err != nil {
		t.Fatal(err)
	}
	if got, _ := f.s.ReportedComments(ctx); len(got) != 1 || got[0].ID != b.ID {
		t.Errorf("after hiding a, reported = %+v, want only b", got)
	}
}

func TestCommentSpamLimit(t *testing.T) {
	t.Parallel()
	f := newCommentFixture(t)
	ctx := context.Background()
	start := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	now := start
	f.s.now = func() time.Time { return now }
	post := func(by model.User) error {
		_, err := f.s.CreateComment(ctx, model.NewComment{VersionID: f.v1.ID, Kind: model.Question, Markdown: "again?", Author: &by}, 3)
		return err
	}
	for i := range 3 {
		now = start.Add(time.Duration(i) * 10 * time.Second)
		if err := post(f.resident); err != nil {
			t.Fatalf("comment %d: %v", i+1, err)
		}
	}
	before := f.count(t)
	if err := post(f.resident); !errors.Is(err, model.ErrTooManyComments) {
		t.Errorf("a fourth comment in a minute: %v, want ErrTooManyComments", err)
	}
	if f.count(t) != before {
		t.Error("a comment over the limit was stored")
	}
	if err := post(f.partner); err != nil {
		t.Errorf("someone else is not held back: %v", err)
	}
	now = start.Add(time.Minute + time.Millisecond) // the first has left the minute
	if err := post(f.resident); err != nil {
		t.Errorf("a minute after the first: %v", err)
	}
	if err := post(f.resident); !errors.Is(err, model.ErrTooManyComments) {
		t.Errorf("then another at once: %v, want ErrTooManyComments", err)
	}

	// Concurrent posts cannot slip past the count.
	now = start.Add(time.Hour)
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok := 0
	for range 12 {
		wg.Go(func() {
			if post(f.facilitator) == nil {
				mu.Lock()
				ok++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if ok != 3 {
		t.Errorf("%d of 12 concurrent comments were taken, want 3", ok)
	}
}

func TestCommentChanges(t *testing.T) {
	t.Parallel()
	f := newCommentFixture(t)
	ctx := context.Background()
	a, err := f.s.CreateComment(ctx, model.NewComment{VersionID: f.v2.ID, Kind: model.TriedIt, Markdown: "a", Author: &f.resident}, 0)
	if err != nil {
		t.Fatal(err)
	}
	b, err := f.s.CreateComment(ctx, model.NewComment{VersionID: f.v2.ID, ParentID: a.ID, Kind: model.Question, Markdown: "b", Author: &f.partner}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.s.HideComment(ctx, b.ID, &f.facilitator, "Rude"); err != nil {
		t.Fatal(err)
	}
	got, err := f.s.Changes(ctx, model.ChangeQuery{Kinds: []model.ChangeKind{model.ChangeComment}, TermID: f.v2.TermID, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 {
		t.Fatalf("%d comment changes, want 1 (the hidden reply left out): %+v", len(got), got)
	}
	c := got[0].Comment
	if got[0].Kind != model.ChangeComment || c.ID != a.ID || c.VersionID != f.v2.ID || c.Kind != model.TriedIt ||
		c.AuthorName != "Rae" || c.NeighbourhoodName != "Peckham" || got[0].TermSlug != "care-navigator" {
		t.Errorf("change = %+v", got[0])
	}
	if other, err := f.s.Changes(ctx, model.ChangeQuery{Kinds: []model.ChangeKind{model.ChangeComment}, TermID: f.v2.TermID + 1000, Limit: 10}); err != nil || len(other) != 0 {
		t.Errorf("another term's changes: %v, %v", other, err)
	}
	// A page of every kind ends at the comment and goes on from it.
	all, err := f.s.Changes(ctx, model.ChangeQuery{Limit: 1})
	if err != nil || len(all) != 1 || all[0].Kind != model.ChangeComment {
		t.Fatalf("newest change = %+v, %v; want the comment", all, err)
	}
	if _, err := model.ParseCursor(all[0].Cursor().String()); err != nil {
		t.Error(err)
	}
	rest, err := f.s.Changes(ctx, model.ChangeQuery{Before: all[0].Cursor(), Limit: 50})
	if err != nil || len(rest) == 0 || rest[0].Kind == model.ChangeComment {
		t.Errorf("after the comment: %+v, %v", rest, err)
	}
}

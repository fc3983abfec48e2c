package store

import (
	"context"
	"errors"
	"strings"
	"testing"

	"wordgarden/server/model"
)

func TestCreateTerm(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	u := newPartner(t, s, "Dee", model.Statutory)

	term, v, err := s.CreateTerm(ctx, "  Neighbourhood   working ", model.NewVersion{Markdown: "Services **working together** near you.", Author: &u})
	if err != nil {
		t.Fatal(err)
	}
	if term.Slug != "neighbourhood-working" || term.Title != "Neighbourhood working" {
		t.Errorf("term = %q %q", term.Slug, term.Title)
	}
	if term.Agreed() {
		t.Error("a new term's first version is agreed; agreeing is for residents")
	}
	if v.AuthorName != "Dee" || v.OrganisationName != "Dee org" || v.Sector != model.Statutory || v.AuthorRole != "partner" {
		t.Errorf("provenance = %q %q %q %q", v.AuthorName, v.OrganisationName, v.Sector, v.AuthorRole)
	}
	if !strings.Contains(v.HTML, "<strong>working together</strong>") {
		t.Errorf("html = %q", v.HTML)
	}
	if v.Summary != "Services working together near you." {
		t.Errorf("summary = %q", v.Summary)
	}

	for _, tt := range []struct {
		title, md, field string
	}{
		{"Neighbourhood Working", "Again.", "title"},
		{"", "Words.", "title"},
		{"!!!", "Words.", "title"},
		{strings.Repeat("x", model.MaxTitleLen+1), "Words.", "title"},
		{"New", "Words.", "title"},
		{"Fresh term", "   ", "markdown"},
		{"Fresh term", strings.Repeat("x", model.MaxMarkdownLen+1), "markdown"},
	} {
		_, _, err := s.CreateTerm(ctx, tt.title, model.NewVersion{Markdown: tt.md, Author: &u})
		var ve *model.ValidationError
		if !errors.As(err, &ve) || ve.Field != tt.field {
			t.Errorf("CreateTerm(%.20q, %.20q): err = %v, want a ValidationError on %q", tt.title, tt.md, err, tt.field)
		}
	}
	if _, _, err := s.CreateTerm(ctx, "Neighbourhood working", model.NewVersion{Markdown: "x", Author: &u}); !errors.Is(err, model.ErrDuplicate) {
		t.Errorf("duplicate title: err = %v, want ErrDuplicate", err)
	}
	if n, _ := s.CountTerms(ctx); n != 1 {
		t.Errorf("refused terms were stored: %d terms", n)
	}
}

func TestVersionsAndAmendments(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	stat := newPartner(t, s, "Eve", model.Statutory)
	vol := newPartner(t, s, "Fay", model.Voluntary)
	term, first, err := s.CreateTerm(ctx, "Care navigator", model.NewVersion{Markdown: "A person who helps you find care.", Author: &stat})
	if err != nil {
		t.Fatal(err)
	}
	amend, err := s.CreateVersion(ctx, term.ID, model.NewVersion{Markdown: "Someone who helps you find the right care.", ParentID: first.ID, Author: &vol})
	if err != nil {
		t.Fatal(err)
	}
	if amend.ParentID != first.ID || amend.Sector != model.Voluntary || amend.TermSlug != "care-navigator" {
		t.Errorf("amendment = parent %d sector %q term %q", amend.ParentID, amend.Sector, amend.TermSlug)
	}

	other, otherFirst, _ := s.CreateTerm(ctx, "Carer", model.NewVersion{Markdown: "Someone who looks after another person.", Author: &vol})
	_, err = s.CreateVersion(ctx, other.ID, model.NewVersion{Markdown: "x", ParentID: first.ID, Author: &vol})
	var ve *model.ValidationError
	if !errors.As(err, &ve) || ve.Field != "parent_id" {
		t.Errorf("amending another term's version: err = %v, want a ValidationError on parent_id", err)
	}
	if _, err := s.CreateVersion(ctx, other.ID, model.NewVersion{Markdown: "x", ParentID: 9999, Author: &vol}); !errors.As(err, &ve) {
		t.Errorf("amending a missing version: err = %v", err)
	}
	resident := model.User{ID: 0, Role: model.Resident}
	if _, err := s.CreateVersion(ctx, other.ID, model.NewVersion{Markdown: "x", Author: &resident}); !errors.As(err, &ve) {
		t.Errorf("a resident's version: err = %v, want refused", err)
	}

	vs, err := s.Versions(ctx, term.ID)
	if err != nil || len(vs) != 2 || vs[0].ID != first.ID || vs[1].ID != amend.ID {
		t.Fatalf("Versions = %+v, %v", vs, err)
	}
	if vs, _ := s.Versions(ctx, other.ID); len(vs) != 1 || vs[0].ID != otherFirst.ID {
		t.Errorf("refused versions were stored: %d versions of Carer", len(vs))
	}

	// The database itself keeps versions as written.
	if _, err := s.w.Exec(`UPDATE versions SET markdown = 'changed' WHERE id = ?`, first.ID); err == nil || !strings.Contains(err.Error(), "immutable") {
		t.Errorf("editing a version in place: err = %v, want refused", err)
	}
	if _, err := s.w.Exec(`DELETE FROM versions WHERE id = ?`, first.ID); err == nil {
		t.Error("deleting a version was allowed")
	}
	if _, err := s.w.Exec(`INSERT INTO versions (term_id, parent_id, author_name, author_role, markdown, html, text, summary, created_at)
		VALUES (?, ?, 'x', 'import', 'x', 'x', 'x', 'x', '2026-01-01')`, other.ID, first.ID); err == nil {
		t.Error("the database accepted an amendment of another term's version")
	}
}

func TestImportedTermsAreAgreed(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	term, err := s.ImportTerm(ctx, "Wellbeing", "Feeling well in body and mind.", "How well you feel.")
	if err != nil {
		t.Fatal(err)
	}
	if !term.Agreed() || term.Summary != "Feeling well in body and mind." {
		t.Errorf("imported term: agreed %v summary %q", term.Agreed(), term.Summary)
	}
	v, _ := s.Version(ctx, term.AgreedVersionID)
	if v.AuthorRole != "import" || v.AuthorID != 0 || v.Markdown != "How well you feel." {
		t.Errorf("imported version = %+v", v)
	}
	if _, err := s.ImportTerm(ctx, "Wellbeing", "", "Other words."); !errors.Is(err, model.ErrDuplicate) {
		t.Errorf("importing an existing term: err = %v, want ErrDuplicate", err)
	}
	v2, _ := s.Version(ctx, term.AgreedVersionID)
	if v2.Markdown != "How well you feel." {
		t.Error("a second import replaced the agreed wording")
	}
}

func TestWikiLinksTurnLive(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	u := newPartner(t, s, "Gus", model.Voluntary)

	_, err := s.ImportTerm(ctx, "Social prescribing", "", "A [[Link worker]] helps you. See [[care-navigator|care navigators]].")
	if err != nil {
		t.Fatal(err)
	}
	sp, _ := s.Term(ctx, "social-prescribing")
	v, _ := s.Version(ctx, sp.AgreedVersionID)
	if !strings.Contains(v.HTML, `href="/terms/link-worker"`) || strings.Count(v.HTML, "missing") != 2 {
		t.Fatalf("links to missing terms should be marked missing: %s", v.HTML)
	}
	if wanted, _ := s.WantedBy(ctx, "link-worker"); len(wanted) != 1 || wanted[0].Slug != "social-prescribing" {
		t.Errorf("WantedBy(link-worker) = %v", wanted)
	}

	if _, _, err := s.CreateTerm(ctx, "Link worker", model.NewVersion{Markdown: "Someone who connects you to local groups.", Author: &u}); err != nil {
		t.Fatal(err)
	}
	v, _ = s.Version(ctx, sp.AgreedVersionID)
	if strings.Count(v.HTML, "missing") != 1 || !strings.Contains(v.HTML, `class="wikilink"`) {
		t.Errorf("after Link worker exists, only the care navigator link should be missing: %s", v.HTML)
	}
	used, err := s.UsedIn(ctx, "link-worker")
	if err != nil || len(used) != 1 || used[0].Slug != "social-prescribing" {
		t.Errorf("UsedIn(link-worker) = %v, %v", used, err)
	}
	// A proposal that links somewhere does not make it "used in": only agreed wording does.
	lw, _ := s.Term(ctx, "link-worker")
	s.CreateVersion(ctx, lw.ID, model.NewVersion{Markdown: "Works with [[Social prescribing]].", Author: &u})
	if used, _ := s.UsedIn(ctx, "social-prescribing"); len(used) != 0 {
		t.Errorf("UsedIn counts proposals: %v", used)
	}
}

func TestSearch(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	u := newPartner(t, s, "Hal", model.Statutory)
	s.ImportTerm(ctx, "Social prescribing", "", "Your GP can refer you to a link worker, who connects you with local groups.")
	s.ImportTerm(ctx, "Care home", "", "A place where people live and get care.")
	term, _, _ := s.CreateTerm(ctx, "Test and learn", model.NewVersion{Markdown: "Trying a new way of working, then changing it.", Author: &u})
	s.CreateVersion(ctx, term.ID, model.NewVersion{Markdown: "We try something small and prescribe nothing.", Author: &u})

	tests := []struct {
		q     string
		slugs []string
	}{
		{"prescrib", []string{"social-prescribing", "test-and-learn"}}, // title beats proposal
		{"care", []string{"care-home"}},
		{"LOCAL GROUPS", []string{"social-prescribing"}},
		{"changing", []string{"test-and-learn"}},
		{"nothing-matches-this", nil},
		// FTS syntax is searched for, never obeyed, and never an error.
		{`"care`, []string{"care-home"}},
		{`care NEAR home`, nil},
		{`title:care`, nil},
		{`care*`, []string{"care-home"}},
		{`-care`, []string{"care-home"}},
		{`AND OR NOT`, nil},
		{`(((`, nil},
		{"", nil},
	}
	for _, tt := range tests {
		hits, err := s.Search(ctx, tt.q, 10)
		if err != nil {
			t.Errorf("Search(%q): %v", tt.q, err)
			continue
		}
		var got []string
		for _, h := range hits {
			got = append(got, h.Slug)
		}
		if strings.Join(got, ",") != strings.Join(tt.slugs, ",") {
			t.Errorf("Search(%q) = %v, want %v", tt.q, got, tt.slugs)
		}
	}

	hits, _ := s.Search(ctx, "link", 10)
	if len(hits) != 1 || !strings.Contains(string(hits[0].Snippet), "<mark>link</mark>") {
		t.Fatalf("snippet should mark the match: %+v", hits)
	}
	if !hits[0].Agreed {
		t.Error("Social prescribing should show as agreed")
	}

	// What people write is escaped in snippets.
	s.ImportTerm(ctx, "Danger", "", "Watch <script>alert(1)</script> this danger.")
	hits, _ = s.Search(ctx, "danger", 10)
	if len(hits) != 1 || strings.Contains(string(hits[0].Snippet), "<script") {
		t.Errorf("snippet passes markup through: %+v", hits)
	}
}

func TestMatchQuery(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"care home", `"care"* "home"*`},
		{`"quoted" NEAR(x)`, `"quoted"* "NEAR"* "x"*`},
		{"café", `"café"*`},
		{"*-:^", ""},
	}
	for _, tt := range tests {
		if got := MatchQuery(tt.in); got != tt.want {
			t.Errorf("MatchQuery(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestVersionLineEndsAreKeptAsNewlines(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	stat := newPartner(t, s, "Eve", model.Statutory)
	_, v, err := s.CreateTerm(ctx, "Care navigator", model.NewVersion{Markdown: "A person who helps.\r\n\r\n- finds care\r- books it\n", Author: &stat})
	if err != nil {
		t.Fatal(err)
	}
	if want := "A person who helps.\n\n- finds care\n- books it\n"; v.Markdown != want {
		t.Errorf("stored %q, want %q", v.Markdown, want)
	}
}

package store

import (
	"context"
	_ "embed"
	"errors"
	"strings"
	"testing"
	"time"

	"wordgarden/server/model"
	"wordgarden/server/tally"
)

// translationFixture is votingFixture with a term whose English wording is
// agreed, "Neighbourhood working", ready to be translated.
type translationFixture struct {
	*votingFixture
	nw       model.Term
	agreed   model.Version // nw's agreed English wording
	sam, val model.User    // partners
}

func newTranslations(t *testing.T) translationFixture {
	t.Helper()
	f := translationFixture{votingFixture: newVoting(t)}
	ctx := context.Background()
	var err error
	if f.nw, err = f.s.ImportTerm(ctx, "Neighbourhood working", "",
		"Local services work together in a small area. See [[Care navigator]]."); err != nil {
		t.Fatal(err)
	}
	if f.agreed, err = f.s.Version(ctx, f.nw.AgreedVersionID); err != nil {
		t.Fatal(err)
	}
	f.sam, f.val = userNamed(t, f.s, "Sam"), userNamed(t, f.s, "Val")
	return f
}

// userNamed finds the account with the name.
func userNamed(t *testing.T, s *Store, name string) model.User {
	t.Helper()
	us, err := s.Users(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range us {
		if u.Name == name {
			return u
		}
	}
	t.Fatalf("no account named %s", name)
	return model.User{}
}

// translate has a partner translate the agreed wording of nw.
func (f translationFixture) translate(t *testing.T, by model.User, lang, title, md string) model.Version {
	t.Helper()
	v, err := f.s.CreateTranslation(context.Background(), f.nw.ID, model.NewTranslation{Lang: lang, Title: title,
		Markdown: md, TranslatesID: f.nw.AgreedVersionID, Author: &by})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// term reads nw again.
func (f translationFixture) term(t *testing.T) model.Term {
	t.Helper()
	nw, err := f.s.Term(context.Background(), f.nw.Slug)
	if err != nil {
		t.Fatal(err)
	}
	return nw
}

func TestCreateTranslation(t *testing.T) {
	t.Parallel()
	f := newTranslations(t)
	ctx := context.Background()

	es := f.translate(t, f.sam, "es", " Trabajo   en el barrio ", "Los servicios locales trabajan juntos en una zona pequeña.")
	if es.Lang != "es" || es.TranslatesID != f.agreed.ID || es.Title != "Trabajo en el barrio" || es.TermID != f.nw.ID {
		t.Errorf("translation = %+v", es)
	}
	// Provenance is copied in, as for any version.
	if es.AuthorName != "Sam" || es.OrganisationName != "Sam org" || es.Sector != model.Statutory {
		t.Errorf("provenance = %q, %q, %q", es.AuthorName, es.OrganisationName, es.Sector)
	}
	// The wording says its language wherever it is shown.
	if !strings.HasPrefix(es.HTML, `<div lang="es" dir="ltr"><p>`) {
		t.Errorf("html = %q", es.HTML)
	}
	if f.agreed.HTML != "" && strings.Contains(f.agreed.HTML, "lang=") {
		t.Errorf("the English wording is marked with a language: %q", f.agreed.HTML)
	}
	// An amendment is a translation into the same language, of the agreed
	// wording.
	es2, err := f.s.CreateTranslation(ctx, f.nw.ID, model.NewTranslation{Lang: "es", Title: "Trabajo de barrio",
		Markdown: "Los servicios del barrio trabajan juntos.", TranslatesID: f.agreed.ID, ParentID: es.ID, Author: &f.val})
	if err != nil || es2.ParentID != es.ID || es2.AuthorName != "Val" {
		t.Fatalf("amendment = %+v, %v", es2, err)
	}

	// Translations are apart from the English wordings.
	english, _ := f.s.Versions(ctx, f.nw.ID)
	if len(english) != 1 || english[0].ID != f.agreed.ID {
		t.Errorf("Versions = %d versions, want the English one", len(english))
	}
	trs, err := f.s.Translations(ctx, f.nw.ID)
	if err != nil || len(trs) != 2 || trs[0].ID != es.ID || trs[1].Title != "Trabajo de barrio" {
		t.Errorf("Translations = %+v, %v", trs, err)
	}
	if nw := f.term(t); nw.Versions != 1 {
		t.Errorf("the term counts %d versions, want its 1 English one", nw.Versions)
	}
}

func TestCreateTranslationRefuses(t *testing.T) {
	t.Parallel()
	f := newTranslations(t)
	ctx := context.Background()
	es := f.translate(t, f.sam, "es", "Trabajo en el barrio", "Los servicios trabajan juntos.")
	proposal, err := f.s.CreateVersion(ctx, f.nw.ID, model.NewVersion{Markdown: "Services join up near you.", Author: &f.val})
	if err != nil {
		t.Fatal(err)
	}
	rae := f.resident(t, "Rae", f.peckham)
	good := model.NewTranslation{Lang: "pt", Title: "Trabalho de bairro", Markdown: "Os serviços trabalham juntos.",
		TranslatesID: f.agreed.ID, Author: &f.sam}
	tests := []struct {
		name   string
		change func(*model.NewTranslation)
		field  string
	}{
		{"English", func(nt *model.NewTranslation) { nt.Lang = "en" }, "language"},
		{"a language wordgarden does not speak", func(nt *model.NewTranslation) { nt.Lang = "de" }, "language"},
		{"no language", func(nt *model.NewTranslation) { nt.Lang = "" }, "language"},
		{"no title", func(nt *model.NewTranslation) { nt.Title = "  " }, "title"},
		{"a long title", func(nt *model.NewTranslation) { nt.Title = strings.Repeat("a", 101) }, "title"},
		{"no wording", func(nt *model.NewTranslation) { nt.Markdown = " " }, "markdown"},
		{"by a resident", func(nt *model.NewTranslation) { nt.Author = &rae }, ""},
		{"nothing translated", func(nt *model.NewTranslation) { nt.TranslatesID = 0 }, "translates"},
		// Tied to the exact version: only the agreed English wording.
		{"a proposal, not the agreed wording", func(nt *model.NewTranslation) { nt.TranslatesID = proposal.ID }, "translates"},
		{"a translation", func(nt *model.NewTranslation) { nt.TranslatesID = es.ID }, "translates"},
		{"another term's wording", func(nt *model.NewTranslation) { nt.TranslatesID = f.a.ID }, "translates"},
		{"amending a translation into another language", func(nt *model.NewTranslation) { nt.ParentID = es.ID }, "parent_id"},
		{"amending an English wording", func(nt *model.NewTranslation) { nt.ParentID = f.agreed.ID }, "parent_id"},
		{"amending another term's wording", func(nt *model.NewTranslation) { nt.ParentID = f.a.ID }, "parent_id"},
	}
	for _, tt := range tests {
		nt := good
		tt.change(&nt)
		_, err := f.s.CreateTranslation(ctx, f.nw.ID, nt)
		var ve *model.ValidationError
		if !errors.As(err, &ve) {
			t.Errorf("%s: err = %v, want a ValidationError", tt.name, err)
			continue
		}
		if ve.Field != tt.field {
			t.Errorf("%s: field %q (%s), want %q", tt.name, ve.Field, ve.Message, tt.field)
		}
	}
	if trs, _ := f.s.Translations(ctx, f.nw.ID); len(trs) != 1 {
		t.Errorf("%d translations after the refusals, want 1", len(trs))
	}
	if _, err := f.s.CreateTranslation(ctx, 999, good); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("a translation of a missing term: %v", err)
	}
	if _, err := f.s.CreateTranslation(ctx, f.nw.ID, good); err != nil {
		t.Errorf("the good translation: %v", err)
	}
}

// The database holds the rules too, whatever the code above it does.
func TestTranslationsImmutable(t *testing.T) {
	t.Parallel()
	f := newTranslations(t)
	es := f.translate(t, f.sam, "es", "Trabajo en el barrio", "Los servicios trabajan juntos.")
	for _, q := range []string{
		`UPDATE versions SET lang = 'pt' WHERE id = ?`,
		`UPDATE versions SET translates_id = NULL WHERE id = ?`,
		`UPDATE versions SET title = 'Otro' WHERE id = ?`,
		`UPDATE versions SET markdown = 'Otro' WHERE id = ?`,
		`DELETE FROM versions WHERE id = ?`,
	} {
		if _, err := f.s.w.Exec(q, es.ID); err == nil {
			t.Errorf("%s was let through", q)
		}
	}
	insert := `INSERT INTO versions (term_id, parent_id, author_name, author_role, markdown, html, text, summary,
		created_at, lang, translates_id, title) VALUES (?, ?, 'x', 'import', 'x', 'x', 'x', 'x', ?, ?, ?, ?)`
	now := time.Now().UTC()
	for name, args := range map[string][]any{
		"an English version that translates":     {f.nw.ID, nil, now, "en", f.agreed.ID, ""},
		"a translation of nothing":               {f.nw.ID, nil, now, "es", nil, "Título"},
		"a translation without a title":          {f.nw.ID, nil, now, "es", f.agreed.ID, ""},
		"a translation of a translation":         {f.nw.ID, nil, now, "es", es.ID, "Título"},
		"a translation of another term's":        {f.nw.ID, nil, now, "es", f.a.ID, "Título"},
		"an amendment in another language":       {f.nw.ID, es.ID, now, "pt", f.agreed.ID, "Título"},
		"an English amendment of a translation":  {f.nw.ID, es.ID, now, "en", nil, ""},
		"an English version with a second title": {f.nw.ID, nil, now, "en", nil, "Title"},
	} {
		if _, err := f.s.w.Exec(insert, args...); err == nil {
			t.Errorf("the database took %s", name)
		}
	}
}

// A translation goes out of date when the agreed English wording changes,
// and is so whenever it is read; the agreed translation too.
func TestTranslationOutOfDate(t *testing.T) {
	t.Parallel()
	f := newTranslations(t)
	ctx := context.Background()
	es := f.translate(t, f.sam, "es", "Trabajo en el barrio", "Los servicios trabajan juntos.")
	imported, err := f.s.ImportTranslation(ctx, f.nw.ID, model.NewTranslation{Lang: "fr", Title: "Travail de quartier",
		Markdown: "Les services travaillent ensemble.", TranslatesID: f.agreed.ID})
	if err != nil {
		t.Fatal(err)
	}
	if nw := f.term(t); es.OutOfDate(nw) || imported.OutOfDate(nw) {
		t.Fatal("a translation of the agreed wording is out of date")
	}

	// Residents agree a new English wording.
	newer, err := f.s.CreateVersion(ctx, f.nw.ID, model.NewVersion{Markdown: "Services and groups join up near you.", Author: &f.val})
	if err != nil {
		t.Fatal(err)
	}
	r, err := f.s.OpenRound(ctx, model.NewRound{TermID: f.nw.ID, Candidates: []int64{f.agreed.ID, newer.ID},
		Method: tally.Approval, ClosesAt: time.Now().Add(time.Hour), OpenedBy: f.facilitator})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.CastBallot(ctx, r.ID, f.resident(t, "Rae", f.peckham), tally.Ballot{Approve: []int64{newer.ID}}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.CloseRound(ctx, r.ID); err != nil {
		t.Fatal(err)
	}
	nw := f.term(t)
	if nw.AgreedVersionID != newer.ID {
		t.Fatalf("agreed = %d, want %d", nw.AgreedVersionID, newer.ID)
	}
	es, _ = f.s.Version(ctx, es.ID)
	if !es.OutOfDate(nw) {
		t.Error("the Spanish translation of the old wording is not out of date")
	}
	agreed, err := f.s.AgreedTranslations(ctx, f.nw.ID)
	if err != nil || len(agreed) != 1 || !agreed[0].Version.OutOfDate(nw) {
		t.Errorf("the agreed French translation of the old wording: %+v, %v", agreed, err)
	}
	// The old English wording can no longer be translated; the new one can,
	// and amending the old translation brings it up to date.
	if _, err := f.s.CreateTranslation(ctx, f.nw.ID, model.NewTranslation{Lang: "es", Title: "T", Markdown: "M",
		TranslatesID: f.agreed.ID, Author: &f.sam}); err == nil {
		t.Error("the old agreed wording was translated")
	}
	up, err := f.s.CreateTranslation(ctx, f.nw.ID, model.NewTranslation{Lang: "es", Title: "Trabajo en el barrio",
		Markdown: "Los servicios y los grupos trabajan juntos.", TranslatesID: newer.ID, ParentID: es.ID, Author: &f.sam})
	if err != nil || up.OutOfDate(nw) {
		t.Errorf("the amendment of the old translation: %+v, %v", up, err)
	}
}

func TestImportTranslation(t *testing.T) {
	t.Parallel()
	f := newTranslations(t)
	ctx := context.Background()
	v, err := f.s.ImportTranslation(ctx, f.nw.ID, model.NewTranslation{Lang: "es", Title: "Trabajo en el barrio",
		Markdown: "Los servicios trabajan juntos.", TranslatesID: f.agreed.ID, Author: &f.sam})
	if err != nil {
		t.Fatal(err)
	}
	if v.AuthorRole != "import" || v.AuthorName != "Imported glossary" {
		t.Errorf("an imported translation is by %q (%s)", v.AuthorName, v.AuthorRole)
	}
	agreed, err := f.s.AgreedTranslations(ctx, f.nw.ID)
	if err != nil || len(agreed) != 1 || agreed[0].Version.ID != v.ID || agreed[0].RoundID != 0 || agreed[0].Chosen != nil {
		t.Fatalf("agreed translations = %+v, %v", agreed, err)
	}
	// A second import never replaces the agreed wording.
	_, err = f.s.ImportTranslation(ctx, f.nw.ID, model.NewTranslation{Lang: "es", Title: "Otro",
		Markdown: "Otro texto.", TranslatesID: f.agreed.ID})
	if !errors.Is(err, model.ErrDuplicate) {
		t.Errorf("a second import: %v", err)
	}
	if trs, _ := f.s.Translations(ctx, f.nw.ID); len(trs) != 1 {
		t.Errorf("%d translations, want 1", len(trs))
	}
}

// openIn opens a round on nw's wordings in a language.
func (f translationFixture) openIn(lang string, candidates ...int64) (model.Round, error) {
	return f.s.OpenRound(context.Background(), model.NewRound{TermID: f.nw.ID, Candidates: candidates,
		Method: tally.Approval, ClosesAt: time.Now().Add(time.Hour), OpenedBy: f.facilitator, Lang: lang})
}

func TestRoundCandidatesInItsLanguage(t *testing.T) {
	t.Parallel()
	f := newTranslations(t)
	ctx := context.Background()
	es1 := f.translate(t, f.sam, "es", "Trabajo en el barrio", "Los servicios trabajan juntos.")
	es2 := f.translate(t, f.val, "es", "Trabajo de barrio", "Los servicios del barrio se unen.")
	pt := f.translate(t, f.val, "pt", "Trabalho de bairro", "Os serviços trabalham juntos.")
	proposal, err := f.s.CreateVersion(ctx, f.nw.ID, model.NewVersion{Markdown: "Services join up near you.", Author: &f.val})
	if err != nil {
		t.Fatal(err)
	}
	for name, try := range map[string]func() (model.Round, error){
		"an English wording in a Spanish round": func() (model.Round, error) { return f.openIn("es", es1.ID, f.agreed.ID) },
		"a Portuguese wording in a Spanish one": func() (model.Round, error) { return f.openIn("es", es1.ID, pt.ID) },
		"a Spanish wording in an English round": func() (model.Round, error) { return f.openIn("", f.agreed.ID, es1.ID) },
		"a language wordgarden does not speak":  func() (model.Round, error) { return f.openIn("de", es1.ID, es2.ID) },
	} {
		_, err := try()
		var ve *model.ValidationError
		if !errors.As(err, &ve) {
			t.Errorf("%s: err = %v, want a ValidationError", name, err)
		}
	}
	if rs, _ := f.s.Rounds(ctx, f.nw.ID); len(rs) != 0 {
		t.Fatalf("%d rounds opened", len(rs))
	}
	// The database refuses a candidate in another language, too.
	r, err := f.openIn("es", es1.ID, es2.ID)
	if err != nil {
		t.Fatal(err)
	}
	if r.Lang != "es" {
		t.Errorf("round language = %q", r.Lang)
	}
	if _, err := f.s.w.Exec(`INSERT INTO round_candidates (round_id, version_id, position) VALUES (?, ?, 2)`, r.ID, proposal.ID); err == nil {
		t.Error("the database took an English candidate in a Spanish round")
	}
	if _, err := f.s.w.Exec(`UPDATE rounds SET lang = 'pt' WHERE id = ?`, r.ID); err == nil {
		t.Error("the database let an open round change its language")
	}
}

// One open round per term per language: an English and a Spanish round on
// one term at once, not two Spanish ones.
func TestOneOpenRoundPerLanguage(t *testing.T) {
	t.Parallel()
	f := newTranslations(t)
	ctx := context.Background()
	es1 := f.translate(t, f.sam, "es", "Trabajo en el barrio", "Los servicios trabajan juntos.")
	es2 := f.translate(t, f.val, "es", "Trabajo de barrio", "Los servicios del barrio se unen.")
	proposal, err := f.s.CreateVersion(ctx, f.nw.ID, model.NewVersion{Markdown: "Services join up near you.", Author: &f.val})
	if err != nil {
		t.Fatal(err)
	}
	spanish, err := f.openIn("es", es1.ID, es2.ID)
	if err != nil {
		t.Fatal(err)
	}
	english, err := f.openIn("", f.agreed.ID, proposal.ID)
	if err != nil {
		t.Fatalf("an English round beside the Spanish one: %v", err)
	}
	_, err = f.openIn("es", es2.ID, es1.ID)
	if !errors.Is(err, model.ErrDuplicate) {
		t.Errorf("a second Spanish round: %v", err)
	}
	if open, err := f.s.OpenRoundOf(ctx, f.nw.ID); err != nil || open == nil || open.ID != english.ID {
		t.Errorf("OpenRoundOf = %+v, %v; want the English round", open, err)
	}
	if open, err := f.s.OpenRoundIn(ctx, f.nw.ID, "es"); err != nil || open == nil || open.ID != spanish.ID {
		t.Errorf("OpenRoundIn(es) = %+v, %v; want the Spanish round", open, err)
	}
	if open, err := f.s.OpenRoundIn(ctx, f.nw.ID, "pt"); err != nil || open != nil {
		t.Errorf("OpenRoundIn(pt) = %+v, %v; want none", open, err)
	}
}

// Settling a Spanish round makes its winner the term's agreed Spanish
// wording; the English agreed wording stays.
func TestSpanishRoundSettles(t *testing.T) {
	t.Parallel()
	f := newTranslations(t)
	ctx := context.Background()
	es1 := f.translate(t, f.sam, "es", "Trabajo en el barrio", "Los servicios trabajan juntos.")
	es2 := f.translate(t, f.val, "es", "Trabajo de barrio", "Los servicios del barrio se unen.")
	r, err := f.openIn("es", es1.ID, es2.ID)
	if err != nil {
		t.Fatal(err)
	}
	for i, name := range []string{"Rae", "Sol", "Tam"} {
		pick := []int64{es2.ID}
		if i == 0 {
			pick = []int64{es1.ID, es2.ID}
		}
		if _, err := f.s.CastBallot(ctx, r.ID, f.resident(t, name, f.peckham), tally.Ballot{Approve: pick}); err != nil {
			t.Fatal(err)
		}
	}
	closed, err := f.s.CloseRound(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if closed.WinnerVersionID != es2.ID || closed.Lang != "es" {
		t.Fatalf("closed round: winner %d, language %q", closed.WinnerVersionID, closed.Lang)
	}
	if nw := f.term(t); nw.AgreedVersionID != f.agreed.ID {
		t.Errorf("the English agreed wording became %d", nw.AgreedVersionID)
	}
	agreed, err := f.s.AgreedTranslations(ctx, f.nw.ID)
	if err != nil || len(agreed) != 1 {
		t.Fatalf("agreed translations = %+v, %v", agreed, err)
	}
	a := agreed[0]
	if a.Version.ID != es2.ID || a.Version.Lang != "es" || a.RoundID != r.ID || a.Chosen == nil ||
		a.Chosen.RoundID != r.ID || a.Chosen.Ballots != 3 || a.Chosen.Share != 1 {
		t.Errorf("agreed Spanish wording = %+v, chosen %+v", a, a.Chosen)
	}
	// The recount counts version ids, as for any round.
	stored, recount, err := f.s.Recount(ctx, r.ID)
	if err != nil || !stored.Equal(recount) {
		t.Errorf("recount differs: %v", err)
	}
	// A later Spanish round that settles replaces it.
	r2, err := f.openIn("es", es2.ID, es1.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.CastBallot(ctx, r2.ID, f.resident(t, "Uma", f.walworth), tally.Ballot{Approve: []int64{es1.ID}}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.CloseRound(ctx, r2.ID); err != nil {
		t.Fatal(err)
	}
	if agreed, _ := f.s.AgreedTranslations(ctx, f.nw.ID); len(agreed) != 1 || agreed[0].Version.ID != es1.ID || agreed[0].RoundID != r2.ID {
		t.Errorf("after the second round: %+v", agreed)
	}
	if _, err := f.s.w.Exec(`UPDATE agreed_translations SET version_id = ? WHERE term_id = ?`, f.agreed.ID, f.nw.ID); err == nil {
		t.Error("the database took an English wording as the agreed Spanish one")
	}
}

func TestSearchFindsTranslations(t *testing.T) {
	t.Parallel()
	f := newTranslations(t)
	ctx := context.Background()
	f.translate(t, f.sam, "es", "Trabajo en el barrio", "Los servicios locales se coordinan en una zona pequeña.")
	for _, q := range []string{"trabajo", "Trab", "barrio trabajo", "coordinan", "zona pequena"} {
		hits, err := f.s.Search(ctx, q, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(hits) != 1 || hits[0].Slug != "neighbourhood-working" {
			t.Errorf("search %q found %+v", q, hits)
			continue
		}
		if !strings.Contains(string(hits[0].Snippet), "<mark>") {
			t.Errorf("search %q: snippet %q has no match marked", q, hits[0].Snippet)
		}
	}
	// English search works as before.
	if hits, _ := f.s.Search(ctx, "local serv", 10); len(hits) != 1 || hits[0].Slug != "neighbourhood-working" {
		t.Errorf("English search found %+v", hits)
	}
}

// schemaV2 is schema.sql as it was at user_version 2, before wordings had
// a language.
//
//go:embed testdata/schema-v2.sql
var schemaV2 string

// TestUpgradeFromVersion2 opens a database made with the version-2 schema,
// with an open round, and checks that the upgrade keeps its rows, makes
// every wording and round English, indexes the terms again and gives it
// what version 3 has.
func TestUpgradeFromVersion2(t *testing.T) {
	t.Parallel()
	now := time.Now().UTC()
	s, path := upgraded(t, 2, schemaV2, []string{
		`INSERT INTO organisations (id, name, sector, created_at) VALUES (1, 'Southwark Council', 'statutory', ?1)`,
		`INSERT INTO users (id, email, name, role, organisation_id, password_hash, created_at)
			VALUES (1, 'sam@example.org', 'Sam', 'partner', 1, 'x', ?1)`,
		`INSERT INTO users (id, email, name, role, password_hash, created_at)
			VALUES (2, 'fran@example.org', 'Fran', 'facilitator', 'x', ?1)`,
		`INSERT INTO terms (id, slug, title, created_at, updated_at) VALUES (1, 'care-navigator', 'Care navigator', ?1, ?1)`,
		`INSERT INTO versions (id, term_id, author_id, author_name, author_role, organisation_name, sector,
			markdown, html, text, summary, created_at)
			VALUES (1, 1, 1, 'Sam', 'partner', 'Southwark Council', 'statutory', 'A guide.', '<p>A guide.</p>', 'A guide.', 'A guide.', ?1)`,
		`INSERT INTO versions (id, term_id, parent_id, author_id, author_name, author_role, organisation_name, sector,
			markdown, html, text, summary, created_at)
			VALUES (2, 1, 1, 1, 'Sam', 'partner', 'Southwark Council', 'statutory', 'A helper.', '<p>A helper.</p>', 'A helper.', 'A helper.', ?1)`,
		`UPDATE terms SET agreed_version_id = 1 WHERE id = 1`,
		`INSERT INTO term_search (rowid, title, agreed, proposed) VALUES (1, 'Care navigator', 'A guide.', 'A helper.')`,
		`INSERT INTO rounds (id, term_id, method, quorum, threshold_pct, opened_by, opened_at, closes_at)
			VALUES (1, 1, 'approval', 0, 0, 2, ?1, '2099-01-01T00:00:00Z')`,
		`INSERT INTO round_candidates (round_id, version_id, position) VALUES (1, 1, 0), (1, 2, 1)`,
	}, now)
	ctx := context.Background()
	guide, err := s.Version(ctx, 1)
	if err != nil || guide.Lang != "en" || guide.TranslatesID != 0 || guide.Title != "" || guide.Markdown != "A guide." || guide.Translation() {
		t.Errorf("version 1 after the upgrade = %+v, %v", guide, err)
	}
	r, err := s.Round(ctx, 1)
	if err != nil || r.Lang != "en" || len(r.Candidates) != 2 || !r.Open() {
		t.Errorf("the open round after the upgrade = %+v, %v", r, err)
	}
	if hits, err := s.Search(ctx, "helper", 10); err != nil || len(hits) != 1 {
		t.Errorf("search after the upgrade: %+v, %v", hits, err)
	}

	// What version 3 brings works on the upgraded database: a translation,
	// found by search, and a Spanish round beside the open English one.
	sam, fran := userNamed(t, s, "Sam"), userNamed(t, s, "Fran")
	var es [2]model.Version
	for i, title := range []string{"Guía de servicios", "Orientador"} {
		if es[i], err = s.CreateTranslation(ctx, 1, model.NewTranslation{Lang: "es", Title: title,
			Markdown: "Una persona que te orienta.", TranslatesID: 1, Author: &sam}); err != nil {
			t.Fatalf("a translation on the upgraded database: %v", err)
		}
	}
	if hits, err := s.Search(ctx, "orientador", 10); err != nil || len(hits) != 1 {
		t.Errorf("search for a translated title after the upgrade: %+v, %v", hits, err)
	}
	if _, err := s.OpenRound(ctx, model.NewRound{TermID: 1, Candidates: []int64{es[0].ID, es[1].ID}, Method: tally.Approval,
		ClosesAt: time.Now().Add(time.Hour), OpenedBy: fran, Lang: "es"}); err != nil {
		t.Errorf("a Spanish round beside the English one on the upgraded database: %v", err)
	}
	if _, err := s.OpenRound(ctx, model.NewRound{TermID: 1, Candidates: []int64{1, 2}, Method: tally.Approval,
		ClosesAt: time.Now().Add(time.Hour), OpenedBy: fran}); !errors.Is(err, model.ErrDuplicate) {
		t.Errorf("a second English round on the upgraded database: %v", err)
	}
	if _, err := s.w.Exec(`UPDATE versions SET lang = 'es' WHERE id = 1`); err == nil {
		t.Error("the upgraded database lets a version change its language")
	}
	s.Close()
	if s, err = Open(path, cheapHashing); err != nil {
		t.Fatalf("open the upgraded database again: %v", err)
	}
}

package store

import (
	"context"
	_ "embed"
	"errors"
	"strings"
	"testing"
	"time"

	"wordgarden/server/model"
)

// An Easy Read version is stored with its lines, picture and provenance;
// the newest is the one shown; it never changes; and it must explain the
// agreed wording.
func TestEasyReads(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	sam := newPartner(t, s, "Sam", model.Statutory)
	term, err := s.ImportTerm(ctx, "Link worker", "", "A link worker connects people to local groups and services.")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.EasyRead(ctx, term.ID, "en"); !errors.Is(err, model.ErrNotFound) {
		t.Fatalf("a term without Easy Read: %v, want not found", err)
	}

	first, err := s.CreateEasyRead(ctx, term.ID, model.NewEasyRead{Lang: "en",
		Markdown: "  A link worker is a person.\r\n\r\nThey help you find groups near you.\r\n",
		Image:    "talking.svg", ImageAlt: "  Two people talking  ",
		ExplainsID: term.AgreedVersionID, Author: &sam})
	if err != nil {
		t.Fatal(err)
	}
	if first.Markdown != "A link worker is a person.\nThey help you find groups near you." {
		t.Errorf("stored lines = %q", first.Markdown)
	}
	if first.HTML != "<p>A link worker is a person.</p>\n<p>They help you find groups near you.</p>\n" {
		t.Errorf("rendered = %q, want a paragraph a line", first.HTML)
	}
	if first.Image != "talking.svg" || first.ImageAlt != "Two people talking" || first.ExplainsID != term.AgreedVersionID {
		t.Errorf("stored picture and source = %+v", first)
	}
	if first.AuthorName != "Sam" || first.OrganisationName != "Sam org" || first.Sector != model.Statutory || first.TermSlug != "link-worker" {
		t.Errorf("stored provenance = %+v", first)
	}

	second, err := s.CreateEasyRead(ctx, term.ID, model.NewEasyRead{Lang: "en", Markdown: "A link worker helps you.",
		ExplainsID: term.AgreedVersionID, Author: &sam})
	if err != nil {
		t.Fatal(err)
	}
	shown, err := s.EasyRead(ctx, term.ID, "en")
	if err != nil || shown.ID != second.ID {
		t.Errorf("the Easy Read shown = %d (%v), want the newest, %d", shown.ID, err, second.ID)
	}
	if all, err := s.EasyReads(ctx, term.ID); err != nil || len(all) != 2 || all[1].ID != first.ID {
		t.Errorf("history = %+v, %v; want both, newest first", all, err)
	}

	// Immutable, and never deleted, whatever writes to the database.
	for _, q := range []string{
		`UPDATE easy_reads SET markdown = 'changed' WHERE id = ?`,
		`UPDATE easy_reads SET image_alt = 'changed' WHERE id = ?`,
		`DELETE FROM easy_reads WHERE id = ?`,
	} {
		if _, err := s.w.Exec(q, first.ID); err == nil {
			t.Errorf("%s: the database let it through", q)
		}
	}
	if all, _ := s.EasyReads(ctx, term.ID); len(all) != 2 || all[1].Markdown != first.Markdown {
		t.Errorf("after the refused changes: %+v", all)
	}

	// A wording that is not the agreed one is refused, and nothing is kept.
	other, err := s.CreateVersion(ctx, term.ID, model.NewVersion{Markdown: "Someone who links you up.", Author: &sam})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.CreateEasyRead(ctx, term.ID, model.NewEasyRead{Lang: "en", Markdown: "A helper.", ExplainsID: other.ID, Author: &sam})
	var ve *model.ValidationError
	if !errors.As(err, &ve) || ve.ID != "invalid.easyread.not_agreed" {
		t.Errorf("Easy Read of a wording not agreed: %v", err)
	}
	// Nor does the database take a picture without its description, or
	// an Easy Read of another term's wording.
	for _, q := range []string{
		`INSERT INTO easy_reads (term_id, markdown, html, image, explains_id, author_name, author_role, created_at)
			VALUES (?1, 'x', 'x', 'home.svg', ?2, 'x', 'import', ?3)`,
		`INSERT INTO easy_reads (term_id, markdown, html, explains_id, author_name, author_role, created_at)
			VALUES (?1 + 1, 'x', 'x', ?2, 'x', 'import', ?3)`,
	} {
		if _, err := s.w.Exec(q, term.ID, term.AgreedVersionID, time.Now()); err == nil {
			t.Errorf("%s: the database let it through", strings.Fields(q)[0])
		}
	}
	if all, _ := s.EasyReads(ctx, term.ID); len(all) != 2 {
		t.Errorf("refused Easy Read versions were kept: %d in all", len(all))
	}
	if _, err := s.CreateEasyRead(ctx, term.ID+100, model.NewEasyRead{Lang: "en", Markdown: "A helper.", ExplainsID: 1}); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("Easy Read of a term that does not exist: %v", err)
	}
}

// schemaV3 is schema.sql as it was at user_version 3, before Easy Read.
//
//go:embed testdata/schema-v3.sql
var schemaV3 string

// TestUpgradeFromVersion3 opens a database made with the version-3 schema
// and checks that it keeps its rows and takes Easy Read versions, as
// immutable as on a new database.
func TestUpgradeFromVersion3(t *testing.T) {
	t.Parallel()
	now := time.Now().UTC()
	s, path := upgraded(t, 3, schemaV3, []string{
		`INSERT INTO organisations (id, name, sector, created_at) VALUES (1, 'Peckham Hub', 'voluntary', ?1)`,
		`INSERT INTO users (id, email, name, role, organisation_id, password_hash, created_at)
			VALUES (1, 'val@example.org', 'Val', 'partner', 1, 'x', ?1)`,
		`INSERT INTO terms (id, slug, title, created_at, updated_at) VALUES (1, 'care-navigator', 'Care navigator', ?1, ?1)`,
		`INSERT INTO versions (id, term_id, author_id, author_name, author_role, organisation_name, sector,
			markdown, html, text, summary, created_at)
			VALUES (1, 1, 1, 'Val', 'partner', 'Peckham Hub', 'voluntary', 'A guide.', '<p>A guide.</p>', 'A guide.', 'A guide.', ?1)`,
		`UPDATE terms SET agreed_version_id = 1 WHERE id = 1`,
		`INSERT INTO term_search (rowid, title, agreed, proposed) VALUES (1, 'Care navigator', 'A guide.', '')`,
	}, now)
	ctx := context.Background()
	term, err := s.Term(ctx, "care-navigator")
	if err != nil || term.AgreedVersionID != 1 {
		t.Fatalf("the term after the upgrade = %+v, %v", term, err)
	}
	if hits, err := s.Search(ctx, "guide", 10); err != nil || len(hits) != 1 {
		t.Errorf("search after the upgrade: %+v, %v", hits, err)
	}

	// What version 4 brings works on the upgraded database.
	val := userNamed(t, s, "Val")
	e, err := s.CreateEasyRead(ctx, term.ID, model.NewEasyRead{Lang: "en", Markdown: "A care navigator is a person.\nThey help you.",
		Image: "help.svg", ImageAlt: "A hand helping another hand", ExplainsID: 1, Author: &val})
	if err != nil {
		t.Fatalf("an Easy Read version on the upgraded database: %v", err)
	}
	if got, err := s.EasyRead(ctx, term.ID, "en"); err != nil || got.ID != e.ID || got.Sector != model.Voluntary {
		t.Errorf("the Easy Read version read back = %+v, %v", got, err)
	}
	if _, err := s.w.Exec(`UPDATE easy_reads SET markdown = 'edited' WHERE id = ?`, e.ID); err == nil {
		t.Error("the upgraded database lets an Easy Read version be edited")
	}
	s.Close()
	if s, err = Open(path, cheapHashing); err != nil {
		t.Fatalf("open the upgraded database again: %v", err)
	}
	s.Close()
}

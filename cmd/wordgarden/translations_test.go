package main

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"wordgarden"
	"wordgarden/server/store"
	"wordgarden/server/store/storetest"
	"wordgarden/server/termfile"
)

// The starter glossary's translations load after its English wordings, as
// the agreed wordings in their language, tied to those English wordings.
func TestStarterTranslations(t *testing.T) {
	t.Parallel()
	st, err := store.Open(storetest.DSN(t), cheapHashing)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	var out bytes.Buffer
	if err := loadStarter(ctx, st, &out); err != nil {
		t.Fatal(err)
	}
	spanish, err := termfile.ReadDir(wordgarden.Content, "content/es")
	if err != nil || len(spanish) < 5 {
		t.Fatalf("content/es: %d files, %v", len(spanish), err)
	}
	if want := "Loaded its translations: " + strconv.Itoa(len(spanish)) + "."; !strings.Contains(out.String(), want) {
		t.Errorf("loadStarter said %q, want %q", out.String(), want)
	}
	for _, f := range spanish {
		term, err := st.Term(ctx, f.Slug)
		if err != nil {
			t.Fatal(err)
		}
		agreed, err := st.AgreedTranslations(ctx, term.ID)
		if err != nil || len(agreed) != 1 {
			t.Fatalf("%s: agreed translations %+v, %v", f.Slug, agreed, err)
		}
		v := agreed[0].Version
		if v.Lang != "es" || v.Title != f.Title || v.TranslatesID != term.AgreedVersionID || v.OutOfDate(term) ||
			v.AuthorRole != "import" || agreed[0].RoundID != 0 {
			t.Errorf("%s: agreed Spanish wording %+v", f.Slug, v)
		}
	}
	if hits, err := st.Search(ctx, "trabajo barrio", 5); err != nil || len(hits) == 0 || hits[0].Slug != "neighbourhood-working" {
		t.Errorf("search for the Spanish title: %+v, %v", hits, err)
	}
	// Loading again adds nothing: the database is not empty.
	out.Reset()
	if err := loadStarter(ctx, st, &out); err != nil || out.Len() != 0 {
		t.Errorf("a second load: %q, %v", out.String(), err)
	}
}

func TestImportTranslations(t *testing.T) {
	t.Parallel()
	st, err := store.Open(storetest.DSN(t), cheapHashing)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	const english = "Your local doctor's surgery."
	if _, err := st.ImportTerm(ctx, "GP practice", "", english); err != nil {
		t.Fatal(err)
	}
	file := func(lang, slug, translates string) *fstest.MapFile {
		return &fstest.MapFile{Data: termfile.Format(termfile.File{Slug: slug, Title: "Consulta", Markdown: "La consulta de tu zona.",
			Lang: lang, Translates: translates})}
	}
	current, old := termfile.Fingerprint(english), termfile.Fingerprint("An older wording.")

	added, skipped, err := importTranslations(ctx, st, fstest.MapFS{
		"c/es/gp-practice.md": file("es", "gp-practice", current),
		"c/fr/gp-practice.md": file("fr", "gp-practice", old),
		"c/gp-practice.md":    file("", "gp-practice", ""), // English files are not translations
	}, "c")
	if err != nil || added != 1 || len(skipped) != 1 || skipped[0] != "c/fr/gp-practice.md" {
		t.Errorf("import: added %d, skipped %v, %v", added, skipped, err)
	}
	// Again: the agreed Spanish wording is never replaced.
	added, skipped, err = importTranslations(ctx, st, fstest.MapFS{"c/es/gp-practice.md": file("es", "gp-practice", current)}, "c")
	if err != nil || added != 0 || len(skipped) != 1 {
		t.Errorf("import again: added %d, skipped %v, %v", added, skipped, err)
	}
	for name, fsys := range map[string]fstest.MapFS{
		"a language wordgarden does not speak": {"c/de/gp-practice.md": file("de", "gp-practice", current)},
		"English as a translation":             {"c/en/gp-practice.md": file("pt", "gp-practice", current)},
		"a file in another language's folder":  {"c/pt/gp-practice.md": file("fr", "gp-practice", current)},
		"a term the glossary lacks":            {"c/pt/carer.md": file("pt", "carer", current)},
	} {
		if _, _, err := importTranslations(ctx, st, fsys, "c"); err == nil {
			t.Errorf("%s was imported", name)
		}
	}
	// A translation among English term files is refused, not imported as a
	// term titled in Spanish.
	if _, _, err := importFiles(ctx, st, []termfile.File{{Slug: "carer", Title: "Cuidador", Markdown: "x", Lang: "es",
		Translates: current}}); err == nil {
		t.Error("importFiles took a translation as a term")
	}
}

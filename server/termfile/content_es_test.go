package termfile_test

import (
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"wordgarden"
	"wordgarden/server/slug"
	"wordgarden/server/termfile"
)

// The starter glossary's Spanish translations, content/es/SLUG.md, are of
// the English wording in content/SLUG.md as it is now, and follow the same
// writing rules as far as they can be checked without reading Spanish.

func readSpanish(t *testing.T) []termfile.File {
	t.Helper()
	files, err := termfile.ReadDir(os.DirFS("../../content/es"), ".")
	if err != nil {
		t.Fatalf("reading content/es/: %v", err)
	}
	return files
}

func TestSpanishContent(t *testing.T) {
	english := map[string]termfile.File{}
	for _, f := range readContent(t) {
		english[f.Slug] = f
	}
	files := readSpanish(t)
	if len(files) == 0 {
		t.Fatal("content/es/ has no translations")
	}
	for _, f := range files {
		t.Run(f.Slug, func(t *testing.T) {
			en, ok := english[f.Slug]
			if !ok {
				t.Fatalf("content/es/%s.md translates a term content/ does not have", f.Slug)
			}
			if f.Lang != "es" {
				t.Errorf("lang = %q, want es", f.Lang)
			}
			// Tied to the English wording as it is: when content/SLUG.md
			// changes, this fails until the translation is read against it
			// and its fingerprint brought up to date.
			if want := termfile.Fingerprint(en.Markdown); f.Translates != want {
				t.Errorf("translates %s, but content/%s.md is now %s: check the translation against the English, then set translates to %s",
					f.Translates, f.Slug, want, want)
			}
			if strings.TrimSpace(f.Title) == "" || f.Title == en.Title {
				t.Errorf("title %q is not a Spanish title", f.Title)
			}
			if f.Summary == "" || len(sentences(f.Summary)) != 1 {
				t.Errorf("summary %q is not one sentence", f.Summary)
			}
			// Links go to the same terms as the English wording's.
			var got, want []string
			for _, m := range wikiLink.FindAllStringSubmatch(f.Markdown, -1) {
				target, _, _ := strings.Cut(m[1], "|")
				got = append(got, slug.Make(target))
			}
			for _, m := range wikiLink.FindAllStringSubmatch(en.Markdown, -1) {
				target, _, _ := strings.Cut(m[1], "|")
				want = append(want, slug.Make(target))
			}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("links to %v, the English to %v", got, want)
			}
			// Short sentences and a short body, as in English (Spanish
			// takes about a fifth more words).
			text := plainText(f.Markdown)
			for _, s := range sentences(text) {
				if n := len(words(s)); n > maxSentence+5 {
					t.Errorf("sentence of %d words: %q", n, s)
				}
			}
			if n := len(words(text)); n < minBodyWords || n > maxBodyWords*6/5 {
				t.Errorf("body has %d words", n)
			}
		})
	}
	embedded, err := termfile.ReadDir(wordgarden.Content, "content/es")
	if err != nil || !reflect.DeepEqual(embedded, files) {
		t.Errorf("the binary carries other Spanish translations than content/es/ (%d, %v)", len(embedded), err)
	}
}

// The most used starter terms, those most linked to by the other starter
// terms, have Spanish translations: the five most linked to, and any tied
// with the fifth.
func TestMostUsedTermsHaveSpanish(t *testing.T) {
	linked := map[string]int{}
	for _, f := range readContent(t) {
		for _, m := range wikiLink.FindAllStringSubmatch(f.Markdown, -1) {
			target, _, _ := strings.Cut(m[1], "|")
			if s := slug.Make(target); s != f.Slug {
				linked[s]++
			}
		}
	}
	var counts []int
	for _, n := range linked {
		counts = append(counts, n)
	}
	slices.Sort(counts)
	slices.Reverse(counts)
	fifth := counts[4]
	spanish := map[string]bool{}
	for _, f := range readSpanish(t) {
		spanish[f.Slug] = true
	}
	for s, n := range linked {
		if n >= fifth && !spanish[s] {
			t.Errorf("%s is linked to by %d starter terms (the fifth most is %d) but has no content/es/%s.md", s, n, fifth, s)
		}
	}
}

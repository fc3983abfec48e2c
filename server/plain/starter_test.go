package plain_test

import (
	"testing"

	"wordgarden"
	"wordgarden/server/markdown"
	"wordgarden/server/plain"
	"wordgarden/server/termfile"
)

// The starter glossary meets its own target: every term's wording reads at
// a reading age of 11 or under and leaves no acronym unexplained.
func TestStarterGlossaryIsPlain(t *testing.T) {
	files, err := termfile.ReadDir(wordgarden.Content, "content")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no starter terms")
	}
	// Every starter term is agreed when imported.
	var terms []plain.Term
	for _, f := range files {
		terms = append(terms, plain.Term{Slug: f.Slug, Title: f.Title, Agreed: true})
	}
	g := plain.NewTerms(terms)
	c := plain.NewChecker(nil)
	for _, f := range files {
		text, links := markdown.Plain(f.Markdown)
		r := c.Check(plain.Doc{Text: text, Links: links}, g)
		t.Logf("%-34s age %4.1f  ease %5.1f  %3d words  %d jargon", f.Title, r.ReadingAge, r.ReadingEase, r.Words, len(r.Jargon))
		if !r.OnTarget() {
			t.Errorf("%s: reading age %.1f, above %d", f.Title, r.ReadingAge, plain.TargetAge)
		}
		if len(r.Acronyms) > 0 {
			t.Errorf("%s: acronyms not explained: %v", f.Title, r.Acronyms)
		}
		for _, l := range r.Contested {
			t.Errorf("%s: links to %s, which is still being decided (%s)", f.Title, l.Slug, l.Why)
		}
	}
}

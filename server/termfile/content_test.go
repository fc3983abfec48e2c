package termfile_test

import (
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"wordgarden"
	"wordgarden/server/slug"
	"wordgarden/server/termfile"
)

// The starter glossary in content/ must follow the writing rules it is meant
// to show: plain words, short sentences, and links that go somewhere.

// mustHave are the terms the starter glossary must define, by title.
var mustHave = []string{
	"Neighbourhood working", "Integrated care", "Place-based care", "Co-design",
	"Co-production", "Voluntary and community sector", "Statutory services",
	"Primary care network", "Social prescribing", "Care navigator", "Test and learn",
	"Wellbeing", "Health inequalities", "Community champion", "Care home",
}

// avoidWords are GOV.UK "words to avoid" (and a few like them): they hide
// meaning from the people the glossary is for.
var avoidWords = []string{
	"agenda", "collaborate", "combat", "deliver", "deploy", "dialogue",
	"empower", "facilitate", "foster", "going forward", "holistic", "impact",
	"in order to", "in terms of", "incentivise", "initiative", "key", "leverage",
	"liaise", "one-stop shop", "overarching", "ring-fenced", "robust",
	"stakeholder", "streamline", "tackle", "tackling", "transform", "utilise",
}

const (
	minFiles        = 15
	maxSentence     = 25 // words; aim for under 20
	maxSummaryWords = 14 // "under 15"
	minBodyWords    = 40
	maxBodyWords    = 120
)

var (
	wikiLink = regexp.MustCompile(`\[\[([^\]]*)\]\]`)
	// sentenceEnd splits after ".", "!" or "?" followed by space, and at
	// every line end, so list items count as sentences of their own.
	sentenceEnd = regexp.MustCompile(`[.!?]["”’)]*\s+|\n+`)
)

func readContent(t *testing.T) []termfile.File {
	t.Helper()
	files, err := termfile.ReadDir(os.DirFS("../../content"), ".")
	if err != nil {
		t.Fatalf("reading content/: %v", err)
	}
	return files
}

func TestContent(t *testing.T) {
	files := readContent(t)
	if len(files) < minFiles {
		t.Errorf("content/ has %d terms, want at least %d", len(files), minFiles)
	}
	bySlug := make(map[string]termfile.File, len(files))
	for _, f := range files {
		bySlug[f.Slug] = f
	}
	for _, title := range mustHave {
		if _, ok := bySlug[slug.Make(title)]; !ok {
			t.Errorf("content/ has no term %q (%s.md)", title, slug.Make(title))
		}
	}

	for _, f := range files {
		t.Run(f.Slug, func(t *testing.T) {
			if want := slug.Make(f.Title); f.Slug != want {
				t.Errorf("file %s.md has title %q: name it %s.md", f.Slug, f.Title, want)
			}
			if f.Title != strings.TrimSpace(f.Title) {
				t.Errorf("title %q has spaces around it", f.Title)
			}

			// Summary: one plain sentence under 15 words.
			if f.Summary == "" {
				t.Error("no summary")
			}
			if n := len(words(f.Summary)); n > maxSummaryWords {
				t.Errorf("summary has %d words, want at most %d: %q", n, maxSummaryWords, f.Summary)
			}
			if n := len(sentences(f.Summary)); n != 1 {
				t.Errorf("summary has %d sentences, want 1: %q", n, f.Summary)
			}

			// Links: every [[target]] or [[target|label]] names a term here,
			// and every term links to at least one other.
			links := wikiLink.FindAllStringSubmatch(f.Markdown, -1)
			others := 0
			for _, m := range links {
				target, _, _ := strings.Cut(m[1], "|")
				target, _, _ = strings.Cut(target, "#")
				s := slug.Make(target)
				if _, ok := bySlug[s]; !ok {
					t.Errorf("link %s: no term with slug %q in content/", m[0], s)
				} else if s != f.Slug {
					others++
				}
			}
			if others == 0 {
				t.Error("links to no other term; add a [[Title]] link")
			}

			// Plain English: short sentences, a short body, no words to avoid.
			text := plainText(f.Markdown)
			for _, s := range sentences(text) {
				if n := len(words(s)); n > maxSentence {
					t.Errorf("sentence of %d words (at most %d): %q", n, maxSentence, s)
				}
			}
			if n := len(words(text)); n < minBodyWords || n > maxBodyWords {
				t.Errorf("body has %d words, want %d to %d", n, minBodyWords, maxBodyWords)
			}
			lower := " " + strings.ToLower(strings.Join(words(text+" "+f.Summary), " ")) + " "
			for _, w := range avoidWords {
				if strings.Contains(lower, " "+w+" ") {
					t.Errorf("uses %q, a word to avoid", w)
				}
			}
		})
	}
}

// TestContentEmbedded checks the binary carries the same glossary.
func TestContentEmbedded(t *testing.T) {
	embedded, err := termfile.ReadDir(wordgarden.Content, "content")
	if err != nil {
		t.Fatalf("reading embedded content: %v", err)
	}
	if onDisk := readContent(t); !reflect.DeepEqual(embedded, onDisk) {
		t.Errorf("embedded content differs from content/: %d terms embedded, %d on disk", len(embedded), len(onDisk))
	}
}

// plainText drops wiki link brackets, keeping the words a reader sees.
func plainText(md string) string {
	return wikiLink.ReplaceAllStringFunc(md, func(m string) string {
		inner := strings.TrimSuffix(strings.TrimPrefix(m, "[["), "]]")
		if _, label, ok := strings.Cut(inner, "|"); ok {
			return label
		}
		return inner
	})
}

// sentences splits text into sentences and list items.
func sentences(text string) []string {
	var out []string
	for _, s := range sentenceEnd.Split(text, -1) {
		if len(words(s)) > 0 {
			out = append(out, strings.TrimSpace(s))
		}
	}
	return out
}

// words returns the words of s, without the punctuation around them; markdown
// marks such as "-" count as no word.
func words(s string) []string {
	var out []string
	for _, w := range strings.Fields(s) {
		w = strings.TrimFunc(w, func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r > 127 && r != '“' && r != '”' && r != '’' && r != '—')
		})
		if w != "" {
			out = append(out, w)
		}
	}
	return out
}

// TestContentChecks makes sure the checks above can fail.
func TestContentChecks(t *testing.T) {
	if n := len(sentences("One two. Three four!\n- five\n\nSix “seven.” Eight")); n != 5 {
		t.Errorf("sentences: got %d, want 5", n)
	}
	if got := plainText("See [[Co-design]] and [[social-prescribing|social prescribing]]."); got != "See Co-design and social prescribing." {
		t.Errorf("plainText = %q", got)
	}
	if got := strings.Join(words("- “Care,” she said — (key) 30,000"), "|"); got != "Care|she|said|key|30,000" {
		t.Errorf("words = %q", got)
	}
}

// Package plain checks how plain a wording is: an estimated reading age
// (Flesch-Kincaid grade + 5) and Flesch reading ease, sentences longer than
// GOV.UK's 25 words, words and phrases GOV.UK and NHS guidance ask writers
// to avoid (with plainer ones), acronyms not spelt out, and links to terms
// whose own wording is still being decided.
//
// It works on plain text (markdown.Result.Text), and learns what it needs
// about the glossary through the Glossary interface, so it knows nothing of
// HTTP or SQL. Sentences, words and syllables come from
// github.com/jdkato/prose/v3, with a few corrections (see Syllables).
package plain

import (
	"math"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/jdkato/prose/v3/segment"
	"github.com/jdkato/prose/v3/tokenize"
)

const (
	// LongSentence is GOV.UK's limit: sentences of more words are hard to follow.
	LongSentence = 25
	// RoughBelow is how many words a text needs before its scores mean
	// much: the formulas were made for samples of 100 words.
	RoughBelow = 30
	// TargetAge is the highest reading age the NHS aims for (9 to 11).
	TargetAge = 11
	// EasyReadTargetAge is the stricter target of an Easy Read version,
	// written for people with a learning disability and people still
	// learning to read English: the bottom of the NHS's range.
	EasyReadTargetAge = 9
)

// Doc is what is checked: a wording's plain text (blocks separated by a
// blank line) and the slugs of the terms it links to.
type Doc struct {
	Text  string
	Links []string
}

// Term is what the check needs to know about a term of the glossary.
type Term struct {
	Slug      string
	Title     string
	Agreed    bool // it has an agreed wording
	OpenRound bool // residents are voting on its wording now
}

// Glossary tells the check about the glossary's terms.
type Glossary interface {
	// Term returns the term with that slug, if there is one.
	Term(slug string) (Term, bool)
	// Defines reports whether the glossary has a term for the acronym.
	Defines(acronym string) bool
}

// Report is what the check finds.
type Report struct {
	Sentences   int
	Words       int
	Syllables   int
	ReadingEase float64 // Flesch reading ease, higher is easier
	Grade       float64 // Flesch-Kincaid grade level
	ReadingAge  float64 // Grade + 5
	Band        Band    // the reading ease's band, e.g. FairlyEasy
	Rough       bool    // under RoughBelow words: the scores are rough
	// EasyRead says the text is an Easy Read version, held to
	// EasyReadTargetAge rather than TargetAge (CheckEasyRead).
	EasyRead bool

	LongSentences []Sentence
	Jargon        []Hit
	Acronyms      []string  // not spelt out, not defined, not everyday; in order of use
	Contested     []Contest // linked terms still being decided
}

// Sentence is a sentence of the text and its length in words.
type Sentence struct {
	Text  string `json:"text"`
	Words int    `json:"words"`
}

// Contest is a linked term whose wording is still being decided.
type Contest struct {
	Slug  string
	Title string
	Why   Why
}

// Why says why a linked term is still being decided. It is a code, not
// words: the server words it in the reader's language.
type Why string

const (
	NotStarted Why = "not_started" // nobody has started the term yet
	Voting     Why = "voting"      // residents are voting on its wording now
	NotAgreed  Why = "not_agreed"  // it has no agreed wording yet
)

// Flags counts the things a writer could fix.
func (r Report) Flags() int {
	return len(r.LongSentences) + len(r.Jargon) + len(r.Acronyms) + len(r.Contested)
}

// Age is the reading age in whole years, as pages show it.
func (r Report) Age() int { return int(math.Round(r.ReadingAge)) }

// Target is the highest reading age the text should have: TargetAge, or
// EasyReadTargetAge for an Easy Read version.
func (r Report) Target() int {
	if r.EasyRead {
		return EasyReadTargetAge
	}
	return TargetAge
}

// OnTarget reports whether the reading age is within the text's target.
func (r Report) OnTarget() bool { return r.ReadingAge <= float64(r.Target()) }

// Empty reports whether there was no text to check.
func (r Report) Empty() bool { return r.Words == 0 }

// ReadingEase is the Flesch reading ease of a text with these counts.
func ReadingEase(words, sentences, syllables int) float64 {
	if words == 0 || sentences == 0 {
		return 0
	}
	return 206.835 - 1.015*float64(words)/float64(sentences) - 84.6*float64(syllables)/float64(words)
}

// Grade is the Flesch-Kincaid grade level of a text with these counts.
func Grade(words, sentences, syllables int) float64 {
	if words == 0 || sentences == 0 {
		return 0
	}
	return 0.39*float64(words)/float64(sentences) + 11.8*float64(syllables)/float64(words) - 15.59
}

// Band is a band of Flesch reading ease scores, from Flesch's own table.
// It is a code, not words: the server names it in the reader's language.
type Band string

// The bands, easiest first.
const (
	VeryEasy        Band = "very_easy"
	Easy            Band = "easy"
	FairlyEasy      Band = "fairly_easy"
	Standard        Band = "standard"
	FairlyDifficult Band = "fairly_difficult"
	Difficult       Band = "difficult"
	VeryConfusing   Band = "very_confusing"
)

// BandOf is the band of a Flesch reading ease score.
func BandOf(ease float64) Band {
	switch {
	case ease >= 90:
		return VeryEasy
	case ease >= 80:
		return Easy
	case ease >= 70:
		return FairlyEasy
	case ease >= 60:
		return Standard
	case ease >= 50:
		return FairlyDifficult
	case ease >= 30:
		return Difficult
	default:
		return VeryConfusing
	}
}

// The sentence splitter loads a model, so it is made once, on first use.
var (
	sentences = sync.OnceValue(func() *segment.Segmenter {
		s, err := segment.New()
		if err != nil {
			panic("plain: loading prose's sentence model: " + err.Error())
		}
		return s
	})
	wordTokenizer = tokenize.NewWordBoundaryTokenizer()
)

// Checker checks wordings against the shipped lists and local words.
// It is safe for concurrent use.
type Checker struct {
	words *matcher
}

// NewChecker makes a checker of the shipped lists plus local words.
func NewChecker(local []Entry) *Checker {
	entries := append(StandardWords(), local...)
	return &Checker{words: newMatcher(entries)}
}

// Check checks a document. g may be nil: then no acronym counts as
// defined and no link as contested.
func (c *Checker) Check(d Doc, g Glossary) Report {
	var r Report
	for _, block := range strings.Split(d.Text, "\n\n") {
		if strings.TrimSpace(block) == "" {
			continue
		}
		for _, s := range sentences().SegmentText(block) {
			n := 0
			for _, w := range wordTokenizer.Tokenize(s) {
				if w = strings.TrimSpace(w); w == "" {
					continue
				}
				n++
				r.Syllables += Syllables(w)
			}
			if n == 0 {
				continue
			}
			r.Words += n
			r.Sentences++
			if n > LongSentence {
				r.LongSentences = append(r.LongSentences, Sentence{Text: strings.Join(strings.Fields(s), " "), Words: n})
			}
		}
	}
	if r.Words > 0 {
		r.ReadingEase = ReadingEase(r.Words, r.Sentences, r.Syllables)
		r.Grade = Grade(r.Words, r.Sentences, r.Syllables)
		r.ReadingAge = r.Grade + 5
		r.Band = BandOf(r.ReadingEase)
		r.Rough = r.Words < RoughBelow
	}
	ts := tokens(d.Text)
	r.Jargon = c.words.find(d.Text, ts)
	r.Acronyms = acronyms(d.Text, ts, g)
	r.Contested = contested(d.Links, g)
	return r
}

// CheckEasyRead checks an Easy Read version: the same check, held to the
// stricter EasyReadTargetAge. Each line of an Easy Read version is one
// idea, so the caller passes the lines as blocks (separated by a blank
// line), which keeps a line without a full stop from running into the next
// as one long sentence.
func (c *Checker) CheckEasyRead(d Doc, g Glossary) Report {
	r := c.Check(d, g)
	r.EasyRead = true
	return r
}

// Measure counts the sentences and words of a piece of plain text as Check
// does, for rules that judge a text line by line.
func Measure(text string) (sentenceCount, words int) {
	for _, s := range sentences().SegmentText(text) {
		n := 0
		for _, w := range wordTokenizer.Tokenize(s) {
			if strings.TrimSpace(w) != "" {
				n++
			}
		}
		if n > 0 {
			sentenceCount++
			words += n
		}
	}
	return sentenceCount, words
}

// contested returns the linked terms that have no agreed wording yet, or
// that residents are voting on now.
func contested(links []string, g Glossary) []Contest {
	if g == nil {
		return nil
	}
	var out []Contest
	seen := make(map[string]bool)
	for _, sl := range links {
		if seen[sl] {
			continue
		}
		seen[sl] = true
		t, ok := g.Term(sl)
		switch {
		case !ok:
			out = append(out, Contest{Slug: sl, Title: titleOf(sl), Why: NotStarted})
		case t.OpenRound:
			out = append(out, Contest{Slug: sl, Title: t.Title, Why: Voting})
		case !t.Agreed:
			out = append(out, Contest{Slug: sl, Title: t.Title, Why: NotAgreed})
		}
	}
	return out
}

// titleOf guesses a title from a slug: "link-worker" -> "Link worker".
func titleOf(slug string) string {
	t := strings.ReplaceAll(slug, "-", " ")
	if t == "" {
		return t
	}
	r, n := utf8.DecodeRuneInString(t)
	return string(unicode.ToUpper(r)) + t[n:]
}

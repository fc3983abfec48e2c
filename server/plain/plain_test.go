package plain

import (
	"math"
	"reflect"
	"strings"
	"testing"
)

// The formulas, checked with published examples by their published counts.
func TestFormulas(t *testing.T) {
	tests := []struct {
		name                        string
		words, sentences, syllables int
		ease, grade                 float64
	}{
		// Flesch's cat: 6 words, 1 sentence, 6 syllables.
		{"The cat sat on the mat.", 6, 1, 6, 116.1, -1.45},
		// Wikipedia's example scores 37.5 and grade 11.3; those are its
		// counts of 13 words and 24 syllables (26 would give 24.4 and 13.1).
		{"The Australian platypus is seemingly a hybrid of a mammal and reptilian creature.", 13, 1, 24, 37.5, 11.3},
	}
	for _, tt := range tests {
		if got := ReadingEase(tt.words, tt.sentences, tt.syllables); math.Abs(got-tt.ease) > 0.05 {
			t.Errorf("%q: reading ease = %.2f, want %.1f", tt.name, got, tt.ease)
		}
		if got := Grade(tt.words, tt.sentences, tt.syllables); math.Abs(got-tt.grade) > 0.05 {
			t.Errorf("%q: grade = %.2f, want %.2f", tt.name, got, tt.grade)
		}
	}
	if ReadingEase(0, 0, 0) != 0 || Grade(0, 0, 0) != 0 {
		t.Error("no words should score 0, not NaN")
	}
}

func TestBand(t *testing.T) {
	for ease, want := range map[float64]Band{
		116: VeryEasy, 90: VeryEasy, 85: Easy, 72: FairlyEasy, 65: Standard,
		50: FairlyDifficult, 37.5: Difficult, 29.9: VeryConfusing, -10: VeryConfusing,
	} {
		if got := BandOf(ease); got != want {
			t.Errorf("BandOf(%v) = %q, want %q", ease, got, want)
		}
	}
}

// The syllable counter, against a fixed list (CMUdict's counts), including
// every correction and words that prose already counts right.
func TestSyllables(t *testing.T) {
	want := map[string]int{
		"cat": 1, "the": 1, "care": 1, "health": 1, "trust": 1,
		"people": 2, "carer": 2, "doctor": 2, "support": 2, "council": 2, "local": 2,
		"neighbourhood": 3, "hospital": 3, "pharmacy": 3, "different": 3, "family": 3,
		"community": 4, "voluntary": 4, "statutory": 4, "integrated": 4, "navigator": 4,
		"organisation": 5, "disability": 5, "rehabilitation": 6,
		// corrections
		"area": 3, "areas": 3, "create": 2, "created": 3, "creating": 3, "idea": 3, "ideas": 3,
		"going": 2, "ongoing": 3, "doing": 2, "real": 1, "science": 2, "society": 4,
		"anxiety": 4, "diabetes": 4, "cooperate": 4, "coordinate": 4, "someone": 2,
		"lifestyle": 2, "evening": 2, "inequalities": 6, "nurses": 2,
		"creates": 2, "creation": 3, "reaction": 3, "coordinator": 5, "coordinators": 5,
		"reuse": 2, "somewhere": 2, "inequality": 5, "museum": 3, "horses": 2,
		"seeing": 2, "really": 2, "loneliness": 3, "something": 2, "sometimes": 2,
		"everything": 3, "based": 1, "used": 1, "caused": 1, "raised": 1, "closed": 1,
		// hyphens and possessives
		"well-being": 3, "co-production": 4, "one-to-one": 3, "face-to-face": 3,
		"place-based": 2, "people's": 2, "area's": 3, "GP's": 1,
	}
	for w, n := range want {
		if got := Syllables(w); got != n {
			t.Errorf("Syllables(%q) = %d, want %d", w, got, n)
		}
	}
	// Every correction is tested: each must be in the list above.
	for w := range corrections {
		if _, ok := want[w]; !ok {
			t.Errorf("correction %q is not in the test list", w)
		}
	}
}

func TestCheckCounts(t *testing.T) {
	c := NewChecker(nil)
	r := c.Check(Doc{Text: "The cat sat on the mat."}, nil)
	if r.Words != 6 || r.Sentences != 1 || r.Syllables != 6 {
		t.Fatalf("counts = %d words, %d sentences, %d syllables; want 6, 1, 6", r.Words, r.Sentences, r.Syllables)
	}
	if math.Abs(r.ReadingEase-116.1) > 0.1 || r.Band != VeryEasy || !r.Rough {
		t.Errorf("got ease %.1f band %q rough %v", r.ReadingEase, r.Band, r.Rough)
	}
	if math.Abs(r.ReadingAge-(r.Grade+5)) > 1e-9 {
		t.Errorf("reading age %.2f is not grade %.2f + 5", r.ReadingAge, r.Grade)
	}

	// Blocks are sentences of their own even without a full stop.
	r = c.Check(Doc{Text: "Help at home\n\nA carer visits. They cook and clean."}, nil)
	if r.Sentences != 3 || r.Words != 10 {
		t.Errorf("blocks: %d sentences, %d words; want 3, 10", r.Sentences, r.Words)
	}

	long := strings.Repeat("We help people who live here ", 7) // 42 words, one sentence
	r = c.Check(Doc{Text: "This is short. " + long + "."}, nil)
	if r.Rough {
		t.Error("45 words should not be rough")
	}
	if r.Empty() || len(r.LongSentences) != 1 || r.LongSentences[0].Words != 42 ||
		!strings.HasPrefix(r.LongSentences[0].Text, "We help people") {
		t.Errorf("long sentences = %+v, want the one of 42 words", r.LongSentences)
	}

	if r := c.Check(Doc{Text: "  "}, nil); !r.Empty() || r.Band != "" || r.Flags() != 0 {
		t.Errorf("empty text: %+v", r)
	}
}

func TestLongSentenceLimit(t *testing.T) {
	c := NewChecker(nil)
	words := func(n int) string { return strings.TrimSpace(strings.Repeat("word ", n)) + "." }
	if r := c.Check(Doc{Text: words(25)}, nil); len(r.LongSentences) != 0 {
		t.Error("25 words is not too long")
	}
	if r := c.Check(Doc{Text: words(26)}, nil); len(r.LongSentences) != 1 {
		t.Error("26 words is too long")
	}
}

func TestJargon(t *testing.T) {
	local := []Entry{{Phrase: "hub", Suggestion: "centre", Source: SourceLocal}, {Phrase: "deliver", Suggestion: "dup", Source: SourceLocal}}
	c := NewChecker(local)
	tests := []struct {
		text string
		want []string // Found, in order
	}{
		{"Our PCN will deliver integrated pathways going forward.", []string{"deliver", "pathways", "going forward"}},
		{"We delivered it and are delivering more. Deliver!", []string{"delivered"}},
		{"In order to help, we facilitate groups.", []string{"In order to", "facilitate"}},
		{"A one-stop shop for the area.", []string{"one-stop shop"}},
		{"Service users and their carers.", []string{"Service users"}},
		{"A monkey and a turkey.", nil}, // "key" only as a word
		{"The key worker has keys.", []string{"key"}},
		{"Come to the hub.", []string{"hub"}},
		{"We tackle and tackling; we utilise.", []string{"tackle", "utilise"}},
		{"Going to the shop, forward planning.", nil},
	}
	for _, tt := range tests {
		r := c.Check(Doc{Text: tt.text}, nil)
		var got []string
		for _, h := range r.Jargon {
			got = append(got, h.Found)
			if h.Suggestion == "" || h.Source == "" {
				t.Errorf("%q: hit %+v has no suggestion or source", tt.text, h)
			}
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%q: jargon = %q, want %q", tt.text, got, tt.want)
		}
	}
	r := c.Check(Doc{Text: "We deliver. They deliver. Deliveries deliver."}, nil)
	if len(r.Jargon) != 1 || r.Jargon[0].Count != 3 || r.Jargon[0].Source != SourceGOVUK {
		t.Errorf("repeated: %+v, want one GOV.UK hit counted 3 times", r.Jargon)
	}
	r = c.Check(Doc{Text: "A service user."}, nil)
	if len(r.Jargon) != 1 || r.Jargon[0].Suggestion != "people who use services, or say who: patients, carers, residents" {
		t.Errorf("NHS list: %+v", r.Jargon)
	}
}

func TestAcronyms(t *testing.T) {
	g := NewTerms([]Term{
		{Slug: "icb", Title: "ICB", Agreed: true},
		{Slug: "voluntary-and-community-sector", Title: "Voluntary and community sector (VCS)", Agreed: true},
		{Slug: "primary-care-network", Title: "Primary care network", Agreed: true},
	})
	tests := []struct {
		text string
		want []string
	}{
		{"Our PCN will help.", []string{"PCN"}},
		{"A primary care network (PCN) is a group. The PCN meets.", nil},
		{"The PCN (primary care network) meets.", nil},
		{"The PCN meets. A primary care network (PCN) is a group.", []string{"PCN"}}, // spelt out too late
		{"Ask your GP or the NHS. Watch TV in the UK.", nil},                         // everyday
		{"Two GPs and three PCNs.", []string{"PCN"}},
		{"The ICB pays. The VCS helps.", nil}, // glossary terms
		{"A JSNA and an SEND plan.", []string{"JSNA", "SEND"}},
		{"I think (A) is fine. Ok.", nil},
		{"A CCG (no).", []string{"CCG"}}, // one word in brackets is not a spelling-out
	}
	c := NewChecker(nil)
	for _, tt := range tests {
		r := c.Check(Doc{Text: tt.text}, g)
		if !reflect.DeepEqual(r.Acronyms, tt.want) {
			t.Errorf("%q: acronyms = %q, want %q", tt.text, r.Acronyms, tt.want)
		}
	}
	if r := c.Check(Doc{Text: "The ICB pays."}, nil); !reflect.DeepEqual(r.Acronyms, []string{"ICB"}) {
		t.Errorf("without a glossary ICB is unexplained, got %q", r.Acronyms)
	}
}

func TestContested(t *testing.T) {
	g := NewTerms([]Term{
		{Slug: "carer", Title: "Carer", Agreed: true},
		{Slug: "link-worker", Title: "Link worker"},
		{Slug: "test-and-learn", Title: "Test and learn", Agreed: true, OpenRound: true},
	})
	c := NewChecker(nil)
	r := c.Check(Doc{Text: "x", Links: []string{"carer", "link-worker", "test-and-learn", "community-hub", "link-worker"}}, g)
	want := []Contest{
		{Slug: "link-worker", Title: "Link worker", Why: NotAgreed},
		{Slug: "test-and-learn", Title: "Test and learn", Why: Voting},
		{Slug: "community-hub", Title: "Community hub", Why: NotStarted},
	}
	if !reflect.DeepEqual(r.Contested, want) {
		t.Errorf("contested = %+v\nwant %+v", r.Contested, want)
	}
	if r := c.Check(Doc{Text: "x", Links: []string{"carer"}}, nil); r.Contested != nil {
		t.Errorf("no glossary, no contested links: %+v", r.Contested)
	}
}

func TestStandardLists(t *testing.T) {
	es := StandardWords()
	sources := map[string]int{}
	for _, e := range es {
		sources[e.Source]++
	}
	if sources[SourceGOVUK] < 30 || sources[SourceNHS] < 10 {
		t.Errorf("lists look short: %v", sources)
	}
	for _, a := range []string{"GP", "NHS", "UK", "TV"} {
		if !Exempt(a) {
			t.Errorf("%s should be exempt", a)
		}
	}
	if Exempt("PCN") {
		t.Error("PCN should not be exempt")
	}
}

// A typical version: a paragraph of about 80 words and a list.
const typical = `Social prescribing is when a GP, nurse or other health worker refers you to a link worker. The link worker talks with you about what matters to you. They help you find local groups and services, such as walking groups, art classes, debt advice or help with housing. It can help with loneliness, stress and long-term health conditions. You do not need to pay.

Ask at your GP practice

Or ask at a community centre near you`

// BenchmarkCheck checks a typical wording again and again, so after the
// first round its words' syllables are remembered, as they are for the
// words a glossary keeps using. Run with:
// go test -tags sqlite_fts5 -run '^$' -bench Check ./server/plain/
func BenchmarkCheck(b *testing.B) {
	c := NewChecker(nil)
	g := NewTerms([]Term{{Slug: "link-worker", Title: "Link worker", Agreed: true}})
	d := Doc{Text: typical, Links: []string{"link-worker", "gp-practice"}}
	c.Check(d, g) // load the sentence model outside the timing
	b.ReportAllocs()
	for b.Loop() {
		c.Check(d, g)
	}
}

// One checker serves every request at once.
func TestConcurrentChecks(t *testing.T) {
	c := NewChecker(nil)
	want := c.Check(Doc{Text: typical}, nil)
	done := make(chan Report)
	for range 8 {
		go func() { done <- c.Check(Doc{Text: typical}, nil) }()
	}
	for range 8 {
		if got := <-done; !reflect.DeepEqual(got, want) {
			t.Errorf("concurrent check = %+v, want %+v", got, want)
		}
	}
}

// An Easy Read version is held to a reading age of 9, a standard wording to
// 11: the same text can meet one target and miss the other.
func TestEasyReadTarget(t *testing.T) {
	c := NewChecker(nil)
	tests := []struct {
		text             string
		standard, easier bool // on target as a wording, as Easy Read
	}{
		{"You see a doctor.\n\nThe doctor helps you.", true, true},
		// A reading age of about 10 (9.8): plain enough for a wording, not for
		// Easy Read.
		{"A link worker helps you find community groups near your home.", true, false},
		{"Integrated care organisations coordinate multidisciplinary interventions.", false, false},
	}
	for _, tt := range tests {
		std := c.Check(Doc{Text: tt.text}, nil)
		er := c.CheckEasyRead(Doc{Text: tt.text}, nil)
		if std.Target() != TargetAge || er.Target() != EasyReadTargetAge {
			t.Errorf("%q: targets %d and %d, want %d and %d", tt.text, std.Target(), er.Target(), TargetAge, EasyReadTargetAge)
		}
		if std.ReadingAge != er.ReadingAge {
			t.Errorf("%q: the Easy Read check reads age %.1f, the standard one %.1f", tt.text, er.ReadingAge, std.ReadingAge)
		}
		if std.OnTarget() != tt.standard || er.OnTarget() != tt.easier {
			t.Errorf("%q (age %.1f): on target %v as a wording and %v as Easy Read, want %v and %v",
				tt.text, std.ReadingAge, std.OnTarget(), er.OnTarget(), tt.standard, tt.easier)
		}
	}
}

func TestMeasure(t *testing.T) {
	for _, tt := range []struct {
		text             string
		sentences, words int
	}{
		{"", 0, 0},
		{"You see a doctor", 1, 4},
		{"You see a doctor. The doctor helps you.", 2, 8},
		{"Dr. Okafor helps you.", 1, 4},
	} {
		s, w := Measure(tt.text)
		if s != tt.sentences || w != tt.words {
			t.Errorf("Measure(%q) = %d sentences, %d words; want %d, %d", tt.text, s, w, tt.sentences, tt.words)
		}
	}
}

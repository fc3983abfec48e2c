package plain

import (
	"bufio"
	"embed"
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

//go:embed words/*.tsv words/*.txt
var wordFiles embed.FS

// Where a word to avoid comes from.
const (
	SourceGOVUK = "GOV.UK"
	SourceNHS   = "NHS"
	SourceLocal = "local"
)

// Entry is a word or phrase to avoid and a plainer suggestion.
type Entry struct {
	Phrase     string `json:"phrase"`
	Suggestion string `json:"suggestion"`
	Source     string `json:"source"` // SourceGOVUK, SourceNHS or SourceLocal
}

// standard holds the lists shipped in words/, read once at start-up.
var standard = mustLoad()

func mustLoad() struct {
	entries []Entry
	exempt  map[string]bool
} {
	var out struct {
		entries []Entry
		exempt  map[string]bool
	}
	for _, f := range []struct{ name, source string }{
		{"words/avoid.tsv", SourceGOVUK},
		{"words/nhs.tsv", SourceNHS},
	} {
		es, err := readEntries(f.name, f.source)
		if err != nil {
			panic(err) // the files are embedded: a bad one is a build mistake
		}
		out.entries = append(out.entries, es...)
	}
	out.exempt = make(map[string]bool)
	err := eachLine("words/acronyms.txt", func(line string) error {
		out.exempt[line] = true
		return nil
	})
	if err != nil {
		panic(err)
	}
	return out
}

// StandardWords returns the shipped lists of words to avoid.
func StandardWords() []Entry { return append([]Entry(nil), standard.entries...) }

// Exempt reports whether an acronym is an everyday one that needs no
// spelling out, such as GP or NHS.
func Exempt(acronym string) bool { return standard.exempt[acronym] }

func readEntries(name, source string) ([]Entry, error) {
	var es []Entry
	err := eachLine(name, func(line string) error {
		phrase, suggestion, ok := strings.Cut(line, "\t")
		if !ok || strings.TrimSpace(phrase) == "" || strings.TrimSpace(suggestion) == "" {
			return fmt.Errorf("want a phrase, a tab and a suggestion, got %q", line)
		}
		es = append(es, Entry{Phrase: strings.TrimSpace(phrase), Suggestion: strings.TrimSpace(suggestion), Source: source})
		return nil
	})
	return es, err
}

// eachLine calls fn for each line of an embedded file that is not blank or
// a "#" comment.
func eachLine(name string, fn func(string) error) error {
	f, err := wordFiles.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if err := fn(line); err != nil {
			return fmt.Errorf("%s:%d: %w", name, n, err)
		}
	}
	return sc.Err()
}

// token is one word of a text, with where it is.
type token struct {
	text       string // as written
	lower      string
	start, end int // byte offsets in the text
}

// tokens splits text into words: runs of letters, digits and apostrophes
// inside a word. Hyphens split words, so "one-stop shop" is three tokens.
func tokens(text string) []token {
	var out []token
	start := -1
	for i, r := range text {
		inWord := unicode.IsLetter(r) || unicode.IsDigit(r) ||
			((r == '\'' || r == '’') && start >= 0 && i+utf8.RuneLen(r) < len(text) && isLetterAt(text, i+utf8.RuneLen(r)))
		switch {
		case inWord && start < 0:
			start = i
		case !inWord && start >= 0:
			out = append(out, newToken(text, start, i))
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, newToken(text, start, len(text)))
	}
	return out
}

func isLetterAt(s string, i int) bool {
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsLetter(r)
}

func newToken(text string, start, end int) token {
	w := text[start:end]
	return token{text: w, lower: strings.ToLower(w), start: start, end: end}
}

// matcher finds words to avoid in a text, word by word, so "key" never
// matches inside "monkey". A one-word entry also matches its common
// inflections (deliver, delivers, delivered, delivering).
type matcher struct {
	entries []Entry
	words   [][]string       // each entry's words, lower case
	byFirst map[string][]int // entries by the forms their first word may take, longest first
}

func newMatcher(entries []Entry) *matcher {
	m := &matcher{byFirst: make(map[string][]int)}
	seen := make(map[string]bool)
	for _, e := range entries {
		var ws []string
		for _, t := range tokens(e.Phrase) {
			ws = append(ws, t.lower)
		}
		key := strings.Join(ws, " ")
		if len(ws) == 0 || seen[key] {
			continue // a local word that repeats a listed one adds nothing
		}
		seen[key] = true
		i := len(m.entries)
		m.entries = append(m.entries, e)
		m.words = append(m.words, ws)
		forms := []string{ws[0]}
		if len(ws) == 1 {
			forms = inflections(ws[0])
		}
		for _, f := range forms {
			m.byFirst[f] = append(m.byFirst[f], i)
		}
	}
	for f, is := range m.byFirst {
		sort.SliceStable(is, func(a, b int) bool { return len(m.words[is[a]]) > len(m.words[is[b]]) })
		m.byFirst[f] = is
	}
	return m
}

// inflections returns w and the forms English most often adds to it.
func inflections(w string) []string {
	out := []string{w, w + "s", w + "es", w + "ed", w + "ing"}
	if stem, ok := strings.CutSuffix(w, "e"); ok {
		out = append(out, stem+"ed", stem+"ing", w+"d")
	}
	if stem, ok := strings.CutSuffix(w, "y"); ok && len(stem) > 1 && !strings.ContainsAny(stem[len(stem)-1:], "aeiou") {
		out = append(out, stem+"ies", stem+"ied")
	}
	return out
}

// Hit is a word to avoid found in a text.
type Hit struct {
	Found string `json:"found"` // as written, the first time
	Count int    `json:"count"`
	Entry
}

// find returns the entries found in ts, in order of first use.
func (m *matcher) find(text string, ts []token) []Hit {
	var hits []Hit
	index := make(map[int]int) // entry -> position in hits
	for i := 0; i < len(ts); i++ {
	next:
		for _, e := range m.byFirst[ts[i].lower] {
			ws := m.words[e]
			if i+len(ws) > len(ts) {
				continue
			}
			for k := 1; k < len(ws); k++ {
				if ts[i+k].lower != ws[k] {
					continue next
				}
			}
			if h, ok := index[e]; ok {
				hits[h].Count++
			} else {
				index[e] = len(hits)
				hits = append(hits, Hit{Found: text[ts[i].start:ts[i+len(ws)-1].end], Count: 1, Entry: m.entries[e]})
			}
			i += len(ws) - 1
			break
		}
	}
	return hits
}

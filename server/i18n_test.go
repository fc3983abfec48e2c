package server

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/net/html"

	"wordgarden/server/i18n"
)

// wordsAllowed are words a template may write as they are, in every
// language: the site's name.
var wordsAllowed = map[string]bool{"wordgarden": true}

// textAttrs are the attributes whose values people read (or hear).
var textAttrs = map[string]bool{"alt": true, "title": true, "aria-label": true, "placeholder": true, "aria-description": true}

var (
	templateAction  = regexp.MustCompile(`(?s){{.*?}}`)
	templateMessage = regexp.MustCompile(`\bt\s+"([^"]+)"`)
	goMessage       = regexp.MustCompile(`(?:\btr\(c, |\.T\()"([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)"`)
)

// untranslated lists the words of an HTML template that are written as
// they are rather than said through the catalogue ({{t "id"}}).
func untranslated(src string) []string {
	src = templateAction.ReplaceAllString(src, "\x00")
	var found []string
	hasLetters := func(s string) bool {
		for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) }) {
			if !wordsAllowed[w] {
				return true
			}
		}
		return false
	}
	z := html.NewTokenizer(strings.NewReader(src))
	skip := ""
	for {
		switch z.Next() {
		case html.ErrorToken:
			return found
		case html.TextToken:
			if text := strings.TrimSpace(string(z.Text())); skip == "" && hasLetters(text) {
				found = append(found, text)
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			if tok.Data == "style" || tok.Data == "script" {
				skip = tok.Data
			}
			for _, a := range tok.Attr {
				if textAttrs[a.Key] && hasLetters(a.Val) {
					found = append(found, a.Key+`="`+a.Val+`"`)
				}
			}
		case html.EndTagToken:
			if tok := z.Token(); tok.Data == skip {
				skip = ""
			}
		}
	}
}

// Every word a page shows comes from the catalogue, so that every page
// reads in the reader's language; and every message a template or the
// server's code asks for is in the English catalogue (and so, by
// i18n.TestCataloguesComplete, in every language but a stub).
func TestTemplatesSayWordsThroughTheCatalogue(t *testing.T) {
	names, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		t.Fatal(err)
	}
	en := i18n.For(i18n.English)
	for _, name := range names {
		b, err := fs.ReadFile(templateFiles, name)
		if err != nil {
			t.Fatal(err)
		}
		if words := untranslated(string(b)); len(words) > 0 {
			t.Errorf("%s writes words outside the catalogue: %q", name, words)
		}
		for _, m := range templateMessage.FindAllStringSubmatch(string(b), -1) {
			if !en.Has(m[1]) {
				t.Errorf("%s asks for %q, which the English catalogue lacks", name, m[1])
			}
		}
	}
	goFiles, _ := filepath.Glob("*.go")
	slices.Sort(goFiles)
	for _, name := range goFiles {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range goMessage.FindAllStringSubmatch(string(b), -1) {
			if !en.Has(m[1]) {
				t.Errorf("%s asks for %q, which the English catalogue lacks", name, m[1])
			}
		}
	}
}

func TestUntranslated(t *testing.T) {
	for src, want := range map[string][]string{
		`<p>{{t "x.y"}}</p>`:                          nil,
		`<p>Sign in</p>`:                              {"Sign in"},
		`<a aria-label="Main">{{.Name}}</a>`:          {`aria-label="Main"`},
		`<a aria-label="{{t "nav.label"}}">x</a>`:     {"x"},
		`<title>{{.Title}} · wordgarden</title>`:      nil,
		`<style>p { color: red }</style><p>{{.}}</p>`: nil,
		`<p>{{.Count}} 42 · —</p>`:                    nil,
	} {
		if got := untranslated(src); !slices.Equal(got, want) {
			t.Errorf("untranslated(%q) = %q, want %q", src, got, want)
		}
	}
}

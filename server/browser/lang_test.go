package browser_test

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/chromedp/chromedp"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"

	"wordgarden"
	"wordgarden/server/i18n"
	"wordgarden/server/termfile"
)

// TestA11yLanguages runs TestA11y's checks (axe-core at desktop and phone
// widths, reflow at 320px and at 200% zoom) on a set of pages in Spanish,
// a whole catalogue, and in Arabic, a right-to-left stub whose words are
// mostly said in English: the home page, A–Z, a term with a Spanish
// wording, search, a vote's results, the printed glossary, the join and
// sign-in forms with their errors, and a resident's ballot and receipt.
// Each page must carry the language's lang and dir, offer the switcher
// within the window, and, in Spanish, show the catalogue's words and none
// of the English interface's.
func TestA11yLanguages(t *testing.T) {
	start := time.Now()
	axe := axeSource(t)
	site := newSite(t)
	d := a11yData(t, site)
	for _, l := range []i18n.Lang{i18n.Spanish, i18n.Arabic} {
		t.Run(l.Code, func(t *testing.T) {
			a := &a11yScan{t: t, axe: axe, incomplete: map[string]int{}}
			check := func(p *Person, name, heading string, keep ...string) {
				t.Helper()
				langPage(t, p, l, heading)
				a.check(p, l.Code+"-"+name, append(keep, `nav.langs a[hreflang="en"]`, `nav.langs a[aria-current]`)...)
				if name == "home" || name == "results-approval" || name == "ballot-approval" {
					// For people to look at.
					p.Viewport(phoneSize)
					p.Screenshot(l.Code + "-" + name + "-phone")
					p.Viewport(desktopSize)
				}
			}
			visitor := a.person(site, "visitor-"+l.Code)
			visitor.Open("/?lang=" + l.Code) // the cookie keeps it from here on
			check(visitor, "home", "home.heading", `#site-q`)
			if l.Dir == "rtl" {
				mirrored(t, visitor)
				englishReadsLeftToRight(t, visitor, "dl.index dd")
			}
			visitor.Open("/?letter=C")
			check(visitor, "home-letter", "home.heading")
			switchLanguage(t, visitor, l)
			visitor.Open("/terms/gp-practice")
			if visitor.Count(`.agreed .wording [lang="es"]`) != 1 && l == i18n.Spanish {
				t.Errorf("the Spanish term page does not show the agreed Spanish wording")
			}
			check(visitor, "term-translated", "")
			visitor.Open("/search?q=prescrib")
			if visitor.Count("ol.hits li") == 0 {
				t.Errorf("searching for prescrib finds nothing")
			}
			check(visitor, "search-hits", "search_page.heading")
			visitor.Open(fmt.Sprintf("/rounds/%d/results", d.approvalClosed))
			check(visitor, "results-approval", "", `.heat-caption`)
			visitor.Open("/glossary/print")
			check(visitor, "glossary-print", "print.heading")
			visitor.Open("/login")
			visitor.Fill("#email", "nobody@example.org")
			visitor.Fill("#password", "not the password at all")
			visitor.ClickAndWaitStatus(`main form[action="/login"] button[type=submit]`, http.StatusUnauthorized)
			check(visitor, "login-failed", "signin.title", `.error-summary`)
			visitor.Open("/join")
			visitor.Fill("#code", "ABCD-EFGH")
			visitor.Fill("#name", "Zeynep")
			visitor.Fill("#password", testPassword)
			visitor.ClickAndWaitStatus(`main form[action="/join"] button[type=submit]`, http.StatusUnprocessableEntity)
			check(visitor, "join-wrong-code", "join.title", `.error-summary`, `#code`)

			ballotButton := `form[action$="/ballot"] button[type=submit]`
			resident := a.person(site, "resident-"+l.Code)
			resident.Open("/login?lang=" + l.Code)
			resident.SignIn(d.voter, testPassword)
			resident.Open(fmt.Sprintf("/rounds/%d", d.approvalOpen))
			check(resident, "ballot-approval", "", ballotButton, `input[name=approve]`)
			resident.Check(fmt.Sprintf("#approve-%d", d.amendment))
			resident.ClickAndWait(ballotButton)
			check(resident, "receipt-approval", "voting.cast.heading", `#receipt`)

			if len(a.incomplete) > 0 {
				t.Logf("axe could not decide on some nodes (not failures): %v", a.incomplete)
			}
			t.Logf("axe-core %s: %d pages, %d scans in %s", a.version, a.pages, a.runs, a.axeTime.Round(time.Millisecond))
		})
	}
	t.Logf("whole test %s", time.Since(start).Round(time.Millisecond))
}

// langPage checks that the person's page is in the language l: its lang
// and dir, a switcher that offers every language and links to this page
// in each, the heading (the catalogue's message heading, if not "") and
// the header's words from l's catalogue, and, for a language whose
// catalogue is whole, none of the English interface's words.
func langPage(t *testing.T, p *Person, l i18n.Lang, heading string) {
	t.Helper()
	where := p.Location().RequestURI()
	if got := p.Attr("html", "lang"); got != l.HTML {
		t.Errorf("%s: %s has lang=%q, want %q", p.name, where, got, l.HTML)
	}
	if got := p.Attr("html", "dir"); got != l.Dir {
		t.Errorf("%s: %s has dir=%q, want %q", p.name, where, got, l.Dir)
	}
	var want []string
	for _, o := range i18n.Languages {
		want = append(want, o.Code)
	}
	if got := p.AttrAll("nav.langs a", "hreflang"); !slices.Equal(got, want) {
		t.Errorf("%s: the switcher on %s offers %q, want %q", p.name, where, got, want)
	}
	if got := p.AttrAll("nav.langs a[aria-current]", "hreflang"); !slices.Equal(got, []string{l.Code}) {
		t.Errorf("%s: the switcher on %s marks %q as current, want %q", p.name, where, got, l.Code)
	}
	path := p.Location().Path
	for _, href := range p.AttrAll("nav.langs a", "href") {
		if !strings.HasPrefix(href, path+"?") {
			t.Errorf("%s: the switcher on %s links to %s, not to the same page", p.name, where, href)
		}
	}
	lz := i18n.For(l)
	wantEqual(t, where+": the skip link", p.Text("a.skip"), lz.T("layout.skip"))
	wantEqual(t, where+": the first link of the menu", p.Text(`header.site nav ul li a[href="/"]`), lz.T("nav.glossary"))
	if heading != "" && lz.Has(heading) {
		wantEqual(t, where+": the heading", p.Text("h1"), lz.T(heading))
	}
	if !l.Stub {
		noEnglish(t, p)
	}
}

// switchLanguage follows the switcher from the person's page (in l) to
// English and back: each time the page stays the same page, with the same
// address, in the other language.
func switchLanguage(t *testing.T, p *Person, l i18n.Lang) {
	t.Helper()
	before := p.Location()
	for _, to := range []i18n.Lang{i18n.English, l} {
		p.ClickAndWait(fmt.Sprintf(`nav.langs a[hreflang="%s"]`, to.Code))
		after := p.Location()
		q := after.Query()
		if q.Get("lang") != to.Code {
			t.Errorf("%s: the switcher's %s link went to %s", p.name, to.Name, after)
		}
		q.Del("lang")
		if after.Path != before.Path || q.Encode() != before.Query().Encode() {
			t.Errorf("%s: the switcher's %s link went from %s to %s, not the same page", p.name, to.Name, before, after)
		}
		if got := p.Attr("html", "lang"); got != to.HTML {
			t.Errorf("%s: after choosing %s the page has lang=%q", p.name, to.Name, got)
		}
	}
}

// mirrored checks, at desktop width, that a right-to-left page mirrors:
// the site's name starts the header bar on the right, and the search box's
// label is right of its field.
func mirrored(t *testing.T, p *Person) {
	t.Helper()
	got := run(p, "measure the header", chromedp.Evaluate[string](`(() => {
		const W = document.documentElement.clientWidth;
		const brand = document.querySelector("a.brand").getBoundingClientRect();
		const out = [];
		if (brand.left < W / 2) out.push("the site's name is on the left, at x=" + Math.round(brand.left));
		const label = document.querySelector("form.search label").getBoundingClientRect();
		const field = document.querySelector("#site-q").getBoundingClientRect();
		if (label.top === field.top && label.left < field.left) out.push("the search label is left of its field");
		return out.join("; ");
	})()`))
	if got != "" {
		t.Errorf("%s: the right-to-left page does not mirror: %s", p.name, got)
	}
}

// englishReadsLeftToRight checks, on a right-to-left page, that English
// sentences (the elements that match sel and start with a Latin letter)
// read left to right: each begins at the left of its box and its full stop
// is its last letter on the right, not thrown to the left of its first
// word as it would be in a right-to-left paragraph.
func englishReadsLeftToRight(t *testing.T, p *Person, sel string) {
	t.Helper()
	got := run(p, "look at English sentences", chromedp.Evaluate[[]string](`(() => {
		const out = [];
		let seen = 0;
		for (const e of document.querySelectorAll(`+jsString(sel)+`)) {
			const text = e.textContent.trim();
			if (!/^[A-Za-z]/.test(text) || !text.endsWith(".")) continue;
			seen++;
			const node = Array.from(e.childNodes).filter(n => n.nodeType === Node.TEXT_NODE && n.textContent.trim()).pop();
			if (!node) continue;
			const end = node.textContent.trimEnd().length;
			const stop = document.createRange();
			stop.setStart(node, end - 1);
			stop.setEnd(node, end);
			const rects = Array.from(stop.getClientRects());
			const all = document.createRange();
			all.selectNodeContents(e);
			const line = Array.from(all.getClientRects()).filter(r => rects.length && Math.abs(r.top - rects[0].top) < 2);
			const right = Math.max(...line.map(r => r.right));
			if (rects.length && rects[0].right < right - 1) out.push("“" + text.slice(0, 40) + "…” has its full stop at x=" + Math.round(rects[0].right) + ", left of its line's end at x=" + Math.round(right));
		}
		if (seen === 0) out.push("no English sentence matches " + `+jsString(sel)+`);
		return out.slice(0, 5);
	})()`))
	for _, g := range got {
		t.Errorf("%s: %s: %s", p.name, p.Location().RequestURI(), g)
	}
}

// noEnglish fails the test if the person's page, in a language whose
// catalogue is whole, says anything of the English interface (see
// englishUI), in its text or in the names and hints screen readers say.
func noEnglish(t *testing.T, p *Person) {
	t.Helper()
	text := run(p, "read the page's words", chromedp.Evaluate[string](`[document.title, document.body.innerText,
		...Array.from(document.querySelectorAll("[aria-label], [title], [placeholder], [alt]"),
			e => [e.getAttribute("aria-label"), e.getAttribute("title"), e.getAttribute("placeholder"), e.getAttribute("alt")].filter(Boolean).join("\n"))].join("\n")`))
	text = strings.Join(strings.Fields(text), " ")
	var found []string
	for _, s := range englishUI(t) {
		if strings.Contains(text, s) {
			found = append(found, s)
		}
	}
	if len(found) > 0 {
		t.Errorf("%s: %s says the English interface's words: %q", p.name, p.Location().RequestURI(), found)
	}
}

var (
	englishOnce  sync.Once
	englishWords []string
	englishErr   error
)

// placeholder is a message's {{.Name}}.
var placeholder = regexp.MustCompile(`\{\{[^}]*\}\}`)

// englishUI is what the English catalogue says that no other language's
// page should: each message's stretches of three words or more between its
// placeholders, unless the Spanish catalogue says the same, or the starter
// glossary does ("Voluntary and community" is a button's words and a
// term's title). Shorter stretches ("Search", "Version") could be the
// words of a term a partner wrote, which a Spanish page shows as written.
func englishUI(t *testing.T) []string {
	t.Helper()
	englishOnce.Do(func() {
		read := func(code string) (map[string][]string, error) {
			names, err := filepath.Glob(filepath.Join("..", "i18n", "locales", "*."+code+".toml"))
			if err != nil || len(names) == 0 {
				return nil, fmt.Errorf("no catalogue files for %s in ../i18n/locales (%v)", code, err)
			}
			out := map[string][]string{}
			for _, name := range names {
				b, err := os.ReadFile(name)
				if err != nil {
					return nil, err
				}
				mf, err := goi18n.ParseMessageFileBytes(b, name, map[string]goi18n.UnmarshalFunc{"toml": toml.Unmarshal})
				if err != nil {
					return nil, fmt.Errorf("%s: %w", name, err)
				}
				for _, m := range mf.Messages {
					for _, s := range []string{m.Zero, m.One, m.Two, m.Few, m.Many, m.Other} {
						if s != "" {
							out[m.ID] = append(out[m.ID], s)
						}
					}
				}
			}
			return out, nil
		}
		en, err := read("en")
		if err != nil {
			englishErr = err
			return
		}
		es, err := read("es")
		if err != nil {
			englishErr = err
			return
		}
		files, err := termfile.ReadDir(wordgarden.Content, "content")
		if err != nil {
			englishErr = err
			return
		}
		var glossary strings.Builder
		for _, f := range files {
			fmt.Fprintln(&glossary, f.Title, f.Summary, strings.Join(strings.Fields(f.Markdown), " "))
		}
		content := strings.ToLower(glossary.String())
		seen := map[string]bool{}
		for id, forms := range en {
			spanish := strings.Join(es[id], "\n")
			for _, s := range forms {
				for _, part := range placeholder.Split(s, -1) {
					part = strings.Join(strings.Fields(part), " ")
					part = strings.Trim(part, " .,:;()“”‘’\"'")
					if len(strings.Fields(part)) < 3 || strings.Contains(spanish, part) || strings.Contains(content, strings.ToLower(part)) || seen[part] {
						continue
					}
					seen[part] = true
					englishWords = append(englishWords, part)
				}
			}
		}
		slices.Sort(englishWords)
	})
	if englishErr != nil {
		t.Fatal(englishErr)
	}
	return englishWords
}

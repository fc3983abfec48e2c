package browser_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
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
	"wordgarden/server/model"
	"wordgarden/server/tally"
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
			if l == i18n.Spanish && visitor.Count(`.agreed .wording [lang="es"]`) != 1 {
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

// stretch splits a message into stretches of words: at its placeholders
// ({{.Name}}) and at the ends of its sentences and clauses.
var stretch = regexp.MustCompile(`\{\{[^}]*\}\}|[.!?:;](\s|$)`)

// englishUI is what the English catalogue says that no other language's
// page should: each message's stretches of three words or more between its
// placeholders and sentence ends, unless the Spanish catalogue says the same, or the starter
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
				for _, part := range stretch.Split(s, -1) {
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

// TestJourneyInSpanish follows a Spanish-speaking resident, María, on her
// phone, with JavaScript on and off: the facilitator prints her invite
// slip in Spanish, whose link asks for the join page in Spanish (her
// phone's browser asks for English); she joins, reads a term whose agreed
// wording has a Spanish translation, and votes in a round the facilitator
// opened on Spanish wordings; the facilitator closes it and she reads the
// results. Every page she sees is lang="es", its headings and buttons are
// the Spanish catalogue's, and it says none of the English interface's
// words (see englishUI).
func TestJourneyInSpanish(t *testing.T) {
	t.Run("js", func(t *testing.T) { journeyInSpanish(t, true) })
	t.Run("nojs", func(t *testing.T) { journeyInSpanish(t, false) })
}

func journeyInSpanish(t *testing.T, js bool) {
	start := time.Now()
	ctx := context.Background()
	site := newSite(t)
	st := site.Store
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	var mode []PersonOption
	if !js {
		mode = append(mode, withoutJS())
	}
	es := i18n.For(i18n.Spanish)

	// Partners have translated two terms: gp-practice's agreed wording,
	// and link-worker's, twice, for residents to choose between.
	org, err := st.CreateOrganisation(ctx, "Peckham Community Hub", model.Voluntary)
	must(err)
	val, err := st.CreateUser(ctx, model.NewUser{Email: "val@peckhamhub.example", Name: "Val Mensah", Role: model.Partner, OrganisationID: org.ID, Password: testPassword})
	must(err)
	gp, err := st.Term(ctx, "gp-practice")
	must(err)
	_, err = st.ImportTranslation(ctx, gp.ID, model.NewTranslation{Lang: "es", Title: "Consulta del médico de cabecera",
		Markdown: "La consulta médica de tu zona. Allí trabajan médicos y enfermeras.", TranslatesID: gp.AgreedVersionID})
	must(err)
	lw, err := st.Term(ctx, "link-worker")
	must(err)
	for _, md := range []string{"Una persona que te pone en contacto con grupos de tu zona.", "Alguien que te ayuda a encontrar actividades y apoyo cerca de casa."} {
		_, err := st.CreateTranslation(ctx, lw.ID, model.NewTranslation{Lang: "es", Title: "Trabajador de enlace", Markdown: md, TranslatesID: lw.AgreedVersionID, Author: &val})
		must(err)
	}
	peckham, err := st.CreateNeighbourhood(ctx, "Peckham")
	must(err)

	// The facilitator prints a slip in Spanish ...
	fac := site.newPerson(t, "facilitator", mode...)
	fac.SignIn(site.Facilitator.Email, testPassword)
	fac.Open("/admin/neighbourhoods?lang=es")
	fac.SelectOption("#inv-neighbourhood", "Peckham")
	fac.Fill("#inv-count", "1")
	fac.ClickAndWait(`form[action="/admin/invites"] button[type=submit]`)
	code := fac.Text(".slip .code")
	slip, err := url.Parse(fac.Text(".slip strong"))
	must(err)
	if slip.Path != "/join" || slip.Query().Get("lang") != "es" {
		t.Fatalf("the Spanish slip sends residents to %s, want /join?lang=es", slip)
	}
	// ... and opens a vote on the Spanish wordings of link-worker.
	fac.Open("/terms/link-worker/rounds/new?language=es")
	for _, id := range fac.AttrAll(`input[name=candidate]`, "value") {
		fac.Check("#candidate-" + id)
	}
	fac.Check("#method-approval")
	fac.Fill("#quorum", "3")
	fac.Fill("#threshold", "50")
	fac.ClickAndWait(`form[action="/terms/link-worker/rounds"] button[type=submit]`)
	roundPath := fac.Location().Path
	var roundID int64
	if _, err := fmt.Sscanf(roundPath, "/rounds/%d", &roundID); err != nil {
		t.Fatalf("opening the vote led to %s, want /rounds/ID", roundPath)
	}
	round, err := st.Round(ctx, roundID)
	must(err)
	if round.Lang != "es" || len(round.Candidates) != 2 {
		t.Fatalf("the vote is in %q on %d wordings, want es and 2", round.Lang, len(round.Candidates))
	}
	first, second := round.Candidates[0].ID, round.Candidates[1].ID
	// Two neighbours have voted already.
	for _, name := range []string{"Rae", "Kofi"} {
		u, err := st.CreateUser(ctx, model.NewUser{Name: name, Role: model.Resident, NeighbourhoodID: peckham.ID, Password: testPassword})
		must(err)
		_, err = st.CastBallot(ctx, roundID, u, tally.Ballot{Approve: []int64{first}})
		must(err)
	}

	// María joins on her phone from the slip's link.
	maria := site.newPerson(t, "resident María", append([]PersonOption{phone()}, mode...)...)
	spanish := func(heading string) {
		t.Helper()
		langPage(t, maria, i18n.Spanish, "")
		if heading != "" {
			wantEqual(t, maria.Location().Path+": the heading", maria.Text("h1"), heading)
		}
		look(t, maria, "es"+strings.ReplaceAll(maria.Location().Path, "/", "-"))
	}
	maria.Open(slip.RequestURI())
	spanish(es.T("join.title"))
	wantEqual(t, "join button", maria.Text(`main form[action="/join"] button[type=submit]`), es.T("join.button"))
	maria.Fill("#code", code)
	maria.Fill("#name", "María")
	maria.Fill("#password", testPassword)
	maria.ClickAndWait(`main form[action="/join"] button[type=submit]`)
	spanish("")
	wantEqual(t, "María's welcome", maria.Text(".flash"), es.T("join.welcome", "Name", "María", "Neighbourhood", "Peckham"))
	wantEqual(t, "María's sign-out button", maria.Text(`form[action="/logout"] button`), es.T("nav.sign_out")+" (María)")

	// She reads a term: the agreed wording in Spanish comes first.
	maria.Open("/terms/gp-practice")
	spanish("")
	wantContains(t, "the agreed Spanish wording", maria.Text(`.agreed .wording [lang="es"]`), "La consulta médica de tu zona")

	// She finds the vote among the votes, and votes.
	maria.ClickAndWait(`header.site a[href="/rounds"]`)
	spanish(es.T("voting.list.title"))
	maria.ClickAndWait(`main a[href="` + roundPath + `"]`)
	spanish(es.T("voting.show.heading", "Term", round.TermTitle))
	wantContains(t, "a Spanish wording on the ballot", maria.Text(fmt.Sprintf("#candidate-%d .wording", second)), "actividades y apoyo cerca de casa")
	wantEqual(t, "label of the box", maria.Text(fmt.Sprintf(`label[for="approve-%d"]`, second)), es.T("voting.show.makes_sense", "ID", second))
	maria.Check(fmt.Sprintf("#approve-%d", second))
	button := `form[action="` + roundPath + `/ballot"] button[type=submit]`
	wantEqual(t, "ballot button", maria.Text(button), es.T("voting.show.cast"))
	maria.ClickAndWait(button)
	spanish(es.T("voting.cast.heading"))
	receipt := maria.Text("#receipt")
	if !receiptFormat.MatchString(receipt) {
		t.Fatalf("María's receipt %q does not look like a code", receipt)
	}

	// The facilitator closes the vote; María reads the results and finds
	// her receipt among the published ballots.
	fac.Open(roundPath + "/close")
	fac.ClickAndWait(`form[action="` + roundPath + `/close"] button[type=submit]`)
	maria.Open(roundPath)
	spanish(es.T("voting.show.heading", "Term", round.TermTitle))
	maria.ClickAndWait(`main a[href="` + roundPath + `/results"]`)
	spanish(es.T("voting.results.heading", "Term", round.TermTitle))
	var ballots []struct {
		Receipt string `json:"receipt"`
	}
	site.GetJSON(t, roundPath+"/ballots.json", &ballots)
	if !slices.ContainsFunc(ballots, func(b struct {
		Receipt string `json:"receipt"`
	}) bool {
		return b.Receipt == receipt
	}) {
		t.Errorf("María's receipt %s is not among the published ballots %v", receipt, ballots)
	}
	t.Logf("the journey in Spanish (JavaScript on: %v) took %s", js, time.Since(start).Round(time.Millisecond))
}

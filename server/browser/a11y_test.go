package browser_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"wordgarden/server/model"
	"wordgarden/server/tally"
)

// The accessibility checks run axe-core (https://github.com/dequelabs/axe-core)
// in the browser on every kind of page, at desktop and phone widths, and
// check that each page reflows at 320px and at 200% zoom.
//
// axe-core is an npm package, not committed: .ci/run installs it into
// .ci/node_modules and sets WORDGARDEN_AXE; on a developer's machine
// `npm install --no-save axe-core` at the module root will do. The tests
// find axe.min.js at $WORDGARDEN_AXE, else in node_modules/axe-core or
// .ci/node_modules/axe-core under the module root. Without it they skip,
// saying how to install it; when CI is set a missing axe-core fails the
// test, as a missing browser does.

// axeTags are the rule sets run: WCAG 2.0, 2.1 and 2.2, levels A and AA,
// and axe's best practices, which check what people who use screen readers
// find their way by: one h1, headings in order, landmarks with names that
// tell them apart, all content inside landmarks.
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"}

var (
	// narrow320 is the width WCAG 1.4.10 (reflow) asks pages to work at
	// without scrolling sideways: 320 CSS pixels.
	narrow320 = Viewport{Name: "320px", Width: 320, Height: 568, Mobile: true}
	// zoom200 is a 1280x900 desktop window zoomed to 200% (WCAG 1.4.4,
	// resize text). Browser zoom makes each CSS pixel two device pixels, so
	// the page lays itself out in a window 640 CSS pixels wide, and media
	// queries see 640px, exactly as in a real zoomed browser. Emulating that
	// (640x450 CSS pixels at device scale factor 2, not a mobile device) is
	// what browser zoom is. Pinch zoom (Emulation.setPageScaleFactor) only
	// magnifies and never reflows, and CSS zoom on the root leaves media
	// queries at the old width, so neither tests what a person who zooms sees.
	zoom200 = Viewport{Name: "zoom200", Width: 640, Height: 450}
)

// findAxe looks at $WORDGARDEN_AXE, then node_modules/axe-core and
// .ci/node_modules/axe-core at the module root (tests run in server/browser).
func findAxe() (string, error) {
	if p := os.Getenv("WORDGARDEN_AXE"); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("WORDGARDEN_AXE: %w", err)
		}
		return p, nil
	}
	for _, p := range []string{
		filepath.Join("..", "..", "node_modules", "axe-core", "axe.min.js"),
		filepath.Join("..", "..", ".ci", "node_modules", "axe-core", "axe.min.js"),
	} {
		if _, err := os.Stat(p); err == nil {
			return filepath.Abs(p)
		}
	}
	return "", errors.New("WORDGARDEN_AXE is not set, and there is no node_modules/axe-core/axe.min.js or .ci/node_modules/axe-core/axe.min.js at the module root")
}

// axeSource returns the text of axe.min.js, or skips the test (fails it
// when CI is set) when there is none.
func axeSource(t *testing.T) string {
	t.Helper()
	path, err := findAxe()
	if err != nil {
		msg := "accessibility tests need axe-core (" + err.Error() + "). Install it with `npm install --no-save axe-core` at the module root, or set WORDGARDEN_AXE to the path of its axe.min.js."
		if os.Getenv("CI") != "" {
			t.Fatal("CI is set, and in CI the " + msg)
		}
		t.Skip(msg)
	}
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(src)
}

// axeResults is what axeCheck returns: the rules that failed, and those axe
// could not decide on (logged, not failed).
type axeResults struct {
	Version    string    `json:"version"`
	Violations []axeRule `json:"violations"`
	Incomplete []axeRule `json:"incomplete"`
}

type axeRule struct {
	ID      string    `json:"id"`
	Impact  string    `json:"impact"`
	Help    string    `json:"help"`
	HelpURL string    `json:"helpUrl"`
	Nodes   []axeNode `json:"nodes"`
}

type axeNode struct {
	Target  json.RawMessage `json:"target"` // selectors; nested arrays for frames and shadow roots
	HTML    string          `json:"html"`
	Summary string          `json:"failureSummary"`
}

// a11yScan checks pages one by one and reports every problem it finds
// without stopping, so that one run lists all there is to fix.
type a11yScan struct {
	t       *testing.T
	axe     string
	version string
	pages   int
	runs    int
	axeTime time.Duration
	// incomplete counts, by rule, the nodes axe could not decide on.
	incomplete map[string]int
}

// TestA11y runs axe-core on every kind of page, as the person who sees it
// (visitor, partner, facilitator, resident), at desktop and phone widths,
// and requires zero violations of the WCAG 2.0/2.1/2.2 A and AA rules and
// of axe's best practices. On the same pages it checks reflow (nothing to
// scroll sideways and nothing cut off at 320px wide and at 200% zoom) and
// that a field with an error says so to a screen reader. The data is made
// through the store; forms whose answer is a page to check (an error, the
// invite slips, a receipt) are sent from the browser. One site and four
// people serve every page, each page is loaded once and checked at every
// size, so the test takes well under a minute.
func TestA11y(t *testing.T) {
	start := time.Now()
	a := &a11yScan{t: t, axe: axeSource(t), incomplete: map[string]int{}}
	site := newSite(t)
	d := a11yData(t, site)
	setup := time.Since(start)

	// A visitor reads the glossary and the votes.
	visitor := a.person(site, "visitor")
	visitor.Open("/")
	a.check(visitor, "home", `#site-q`)
	visitor.Open("/?letter=C")
	a.check(visitor, "home-letter")
	visitor.Open("/terms/neighbourhood-working")
	if n := visitor.Count(".notice a[href^='/rounds/']"); n != 1 {
		t.Errorf("the term page has %d notices of an open vote, want 1", n)
	}
	if n := visitor.Count(".versions .version"); n < 2 {
		t.Errorf("the term page lists %d proposed wordings, want 2 or more", n)
	}
	a.check(visitor, "term-open-round")
	visitor.Open("/terms/care-navigator")
	if visitor.Count(".provenance") != 1 {
		t.Errorf("the term page of a settled vote has no provenance")
	}
	a.check(visitor, "term-agreed-by-vote")
	visitor.Open("/terms/community-hub")
	a.check(visitor, "term-nothing-agreed")
	visitor.Open("/terms/gp-practice")
	if visitor.Count(`.easy-read img[alt="A doctor with a stethoscope"]`) != 1 {
		t.Errorf("the term page has no Easy Read version with its picture described")
	}
	a.check(visitor, "term-easy-read")
	// In Spanish: an agreed Spanish wording, the English with a note, and
	// a translation's page. (A person of their own: ?lang= is remembered.)
	spanish := a.person(site, "visitor-es")
	spanish.Open("/terms/gp-practice?lang=es")
	if spanish.Count(`.agreed .wording [lang="es"]`) != 1 {
		t.Errorf("the Spanish term page does not show the agreed Spanish wording")
	}
	a.check(spanish, "term-translated")
	spanish.Open("/terms/wellbeing")
	if spanish.Count("#in-english") != 1 {
		t.Errorf("the Spanish page of a term with no Spanish wording has no note")
	}
	a.check(spanish, "term-in-english")
	spanish.Open(fmt.Sprintf("/versions/%d", d.translation))
	a.check(spanish, "version-translation")
	// The definition other sites show in a frame, opened on its own.
	visitor.Open("/api/v1/terms/care-navigator/embed")
	if visitor.Count(".provenance a[href$='/results']") != 1 {
		t.Errorf("the embedded definition of a settled vote has no provenance")
	}
	a.check(visitor, "embed-agreed-by-vote")
	visitor.Open("/api/v1/terms/community-hub/embed")
	a.check(visitor, "embed-nothing-agreed")
	visitor.OpenStatus("/api/v1/terms/nobody-wrote-this/embed", http.StatusNotFound)
	a.check(visitor, "embed-missing")
	visitor.OpenStatus("/terms/nobody-wrote-this", http.StatusNotFound)
	a.check(visitor, "term-missing")
	visitor.Open(fmt.Sprintf("/versions/%d", d.amendment))
	if visitor.Count("section.plain-check") != 1 {
		t.Errorf("the version page has no plain language check")
	}
	a.check(visitor, "version")
	visitor.Open(fmt.Sprintf("/versions/%d", d.plainFlags))
	if n := visitor.Count("section.plain-check mark"); n != 1 {
		t.Errorf("the plain language check marks %d long sentences, want 1", n)
	}
	a.check(visitor, "version-plain-flags")
	visitor.Open("/terms/neighbourhood-working/history")
	a.check(visitor, "history", `form[action$="/diff"] button[type=submit]`)
	visitor.Open(fmt.Sprintf("/terms/neighbourhood-working/diff?from=%d&to=%d", d.proposal, d.amendment))
	a.check(visitor, "diff")
	visitor.Open("/search?q=prescrib")
	if visitor.Count("ol.hits li") == 0 {
		t.Errorf("searching for prescrib finds nothing")
	}
	a.check(visitor, "search-hits")
	visitor.Open("/search?q=zzyzx")
	a.check(visitor, "search-none")
	visitor.Open("/rounds")
	a.check(visitor, "rounds")
	visitor.Open("/changes")
	if n := visitor.Count("li.change"); n < 10 {
		t.Errorf("recent changes lists %d changes, want 10 or more", n)
	}
	a.check(visitor, "changes")
	visitor.Open("/glossary/print")
	if n := visitor.Count("article.print-term"); n < 20 {
		t.Errorf("the printed glossary has %d terms, want 20 or more", n)
	}
	a.check(visitor, "glossary-print")
	visitor.Open(fmt.Sprintf("/rounds/%d", d.approvalOpen))
	a.check(visitor, "round-visitor")
	visitor.Open(fmt.Sprintf("/rounds/%d", d.approvalClosed))
	a.check(visitor, "round-closed")
	visitor.Open(fmt.Sprintf("/rounds/%d/results", d.approvalOpen))
	a.check(visitor, "results-not-yet")
	visitor.Open(fmt.Sprintf("/rounds/%d/results", d.approvalClosed))
	if n := visitor.Count("svg[role=img]"); n != 1 {
		t.Errorf("the approval results have %d charts, want 1", n)
	}
	if n := visitor.Count("table.heat tbody tr"); n != 2 {
		t.Errorf("the approval results' neighbourhood table has %d rows, want 2 (Peckham and other)", n)
	}
	a.check(visitor, "results-approval", `.heat-caption`, `.heat-scroll`)
	a.heatCaptionVisible(visitor)
	visitor.Open(fmt.Sprintf("/rounds/%d/results", d.rankedClosed))
	if n := visitor.Count("table.matrix"); n != 2 {
		t.Errorf("the ranked results have %d matrices, want 2", n)
	}
	a.check(visitor, "results-ranked")
	visitor.OpenStatus("/nowhere", http.StatusNotFound)
	a.check(visitor, "404")
	visitor.Open("/login")
	a.check(visitor, "login", `main form[action="/login"] button[type=submit]`)
	visitor.Fill("#email", "nobody@example.org")
	visitor.Fill("#password", "not the password at all")
	visitor.ClickAndWaitStatus(`main form[action="/login"] button[type=submit]`, http.StatusUnauthorized)
	a.check(visitor, "login-failed", `.error-summary`)
	visitor.Open("/join")
	a.check(visitor, "join", `main form[action="/join"] button[type=submit]`)
	visitor.Fill("#code", "ABCD-EFGH")
	visitor.Fill("#name", "Zeynep")
	visitor.Fill("#password", testPassword)
	visitor.ClickAndWaitStatus(`main form[action="/join"] button[type=submit]`, http.StatusUnprocessableEntity)
	a.check(visitor, "join-wrong-code", `.error-summary`, `#code`)

	// A partner writes.
	partner := a.person(site, "partner")
	partner.SignIn("sam@southwark.example", testPassword)
	partner.Open("/terms/new")
	a.check(partner, "term-new", `main form[action="/terms"] button[type=submit]`)
	partner.Fill("#title", "   ") // passes the browser's required check; the server refuses it
	partner.Fill("#markdown", "A wording.")
	partner.ClickAndWaitStatus(`main form[action="/terms"] button[type=submit]`, http.StatusUnprocessableEntity)
	a.check(partner, "term-new-error", `.error-summary`, `#title`)
	partner.Open("/terms/neighbourhood-working/propose")
	a.check(partner, "propose", `#markdown`, `main form button[type=submit]`)
	partner.Fill("#markdown", plainFlagsWording)
	partner.ClickAndWait(`main form button[name=check]`)
	if partner.Count("section.plain-check h3") != 4 {
		t.Errorf("checking a jargon-heavy wording shows %d kinds of flag, want 4", partner.Count("section.plain-check h3"))
	}
	a.check(partner, "propose-checked", `#markdown`, `main form button[name=check]`)
	partner.Open(fmt.Sprintf("/terms/neighbourhood-working/propose?amend=%d", d.proposal))
	a.check(partner, "amend", `#markdown`, `main form button[type=submit]`)
	partner.Fill("#markdown", "  \n ")
	partner.ClickAndWaitStatus(`main form button[type=submit]`, http.StatusUnprocessableEntity)
	a.check(partner, "amend-error", `.error-summary`)
	partner.Open("/terms/neighbourhood-working")
	a.check(partner, "term-as-partner")
	commentButton := `form[aria-labelledby=new-comment] button[type=submit]`
	partner.Open(fmt.Sprintf("/versions/%d", d.amendment))
	if n := partner.Count("li.comment"); n < 6 {
		t.Errorf("the version page shows %d comments, want 6 or more", n)
	}
	a.check(partner, "version-comments", `#comment-body`, commentButton)
	partner.Check("#kind-question")
	partner.Fill("#comment-body", "  \n ")
	partner.ClickAndWaitStatus(commentButton, http.StatusUnprocessableEntity)
	a.check(partner, "version-comment-error", `.error-summary`, `#comment-body`)
	partner.Open(fmt.Sprintf("/versions/%d/translate", d.translated))
	a.check(partner, "translation-new", `#title`, `#markdown`, `main form button[type=submit]`)
	partner.SelectOption("#language", "Español")
	partner.Fill("#title", " ")
	partner.Fill("#markdown", "La consulta de tu zona.")
	partner.ClickAndWaitStatus(`main form button[type=submit]`, http.StatusUnprocessableEntity)
	a.check(partner, "translation-new-error", `.error-summary`, `#title`)
	partner.Open("/terms/gp-practice/easyread/new")
	a.check(partner, "easyread-new", `#markdown`, `#image-doctor`, `#image_alt`, `main form button[type=submit]`)
	partner.Click("#image-home")
	partner.Fill("#image_alt", " ")
	partner.ClickAndWaitStatus(`main form button[type=submit]:not([name])`, http.StatusUnprocessableEntity)
	a.check(partner, "easyread-new-error", `.error-summary`, `#image_alt`)
	partner.OpenStatus("/admin", http.StatusForbidden)
	a.check(partner, "403")

	// The facilitator runs the place.
	fac := a.person(site, "facilitator")
	fac.SignIn(site.Facilitator.Email, testPassword)
	fac.Open("/admin")
	a.check(fac, "admin", `form[action="/admin/organisations"] button[type=submit]`, `form[action="/admin/users"] button[type=submit]`)
	fac.Fill("#org-name", "  ")
	fac.Check("#sector-voluntary")
	fac.ClickAndWaitStatus(`form[action="/admin/organisations"] button[type=submit]`, http.StatusUnprocessableEntity)
	a.check(fac, "admin-error", `.error-summary`)
	fac.Open("/admin/words")
	a.check(fac, "words", `form[action="/admin/words"] button[type=submit]`)
	fac.Fill("#word-phrase", "hub")
	fac.Fill("#word-suggestion", " ")
	fac.ClickAndWaitStatus(`form[action="/admin/words"] button[type=submit]`, http.StatusUnprocessableEntity)
	a.check(fac, "words-error", `.error-summary`, `#word-suggestion`)
	fac.Fill("#word-suggestion", "community centre")
	fac.ClickAndWait(`form[action="/admin/words"] button[type=submit]`)
	a.check(fac, "words-added", `form[action$="/delete"] button[type=submit]`)
	fac.Open("/admin/neighbourhoods")
	a.check(fac, "neighbourhoods", `form[action="/admin/invites"] button[type=submit]`)
	fac.SelectOption("#inv-neighbourhood", "Camberwell")
	fac.Fill("#inv-count", "3")
	fac.ClickAndWait(`form[action="/admin/invites"] button[type=submit]`)
	a.check(fac, "invites-print", `.slip .code`)
	fac.Open("/terms/care-navigator/rounds/new")
	a.check(fac, "round-new", `main form button[type=submit]`)
	for _, id := range fac.AttrAll(`input[name=candidate]`, "value") {
		fac.Uncheck("#candidate-" + id)
	}
	fac.ClickAndWaitStatus(`main form button[type=submit]`, http.StatusUnprocessableEntity)
	a.check(fac, "round-new-error", `.error-summary`)
	fac.Open("/terms/link-worker/rounds/new?language=es")
	if n := fac.Count(`input[name=candidate]`); n != 2 {
		t.Errorf("the vote on Spanish wordings offers %d, want 2", n)
	}
	a.check(fac, "round-new-language", `#language`, `main form[method=post] button[type=submit]`)
	fac.Open(fmt.Sprintf("/rounds/%d", d.approvalOpen))
	a.check(fac, "round-facilitator", `a[href$="/close"]`, `form[action$="/extend"] button[type=submit]`, `form[action$="/cancel"] button[type=submit]`)
	fac.Open(fmt.Sprintf("/rounds/%d/close", d.approvalOpen))
	a.check(fac, "round-close", `form[action$="/close"] button[type=submit]`)
	// Paper ballots: the facilitators' page with a print run, an audit log
	// and a sheet whose two entries disagree; a print run's sheets; a
	// mistyped number; and the rank menus of a ranked vote.
	paperPath := fmt.Sprintf("/rounds/%d/paper", d.approvalOpen)
	d.paperSheets(t, site)
	fac.Open(paperPath)
	if n := fac.Count(".sheet-to-look"); n != 1 {
		t.Errorf("the paper page lists %d sheets to look at, want 1", n)
	}
	a.check(fac, "paper", `#entry-number`, `form[action$="/entries"] button[type=submit]`, `form[action$="/prints"] button[type=submit]`)
	fac.ClickAndWait(`a[href^="` + paperPath + `/prints/"]`)
	a.check(fac, "paper-sheets", `.sheet .number`)
	fac.Open(paperPath)
	fac.Fill("#entry-number", "1-0001-5")
	fac.ClickAndWaitStatus(`form[action$="/entries"] button[type=submit]`, http.StatusUnprocessableEntity)
	a.check(fac, "paper-error", `.error-summary`, `#entry-number`)
	fac.Open(fmt.Sprintf("/rounds/%d/paper", d.rankedOpen))
	a.check(fac, "paper-ranked", `select[name^="rank_"]`)
	fac.Open("/admin/reports")
	if n := fac.Count("ol.reported > li"); n != 1 {
		t.Errorf("the reports page lists %d comments, want 1", n)
	}
	a.check(fac, "reports", `form[action$="/hide"] button[type=submit]`)
	fac.Fill(`form[action$="/hide"] input[name=reason]`, " ")
	fac.ClickAndWaitStatus(`form[action$="/hide"] button[type=submit]`, http.StatusUnprocessableEntity)
	a.check(fac, "reports-error", `.error-summary`)

	// ... and its accounts, organisations and neighbourhoods.
	voter, err := site.Store.PersonBySignInName(context.Background(), d.voter)
	if err != nil {
		t.Fatal(err)
	}
	person := fmt.Sprintf("/admin/people/%d", voter.ID)
	fac.Open("/admin/people")
	a.check(fac, "people", `#people-q`)
	fac.Open(person)
	a.check(fac, "person", `form[action$="/name"] button[type=submit]`, `form[action$="/disable"] button[type=submit]`)
	fac.Fill("#person-name", " ")
	fac.ClickAndWaitStatus(`form[action$="/name"] button[type=submit]`, http.StatusUnprocessableEntity)
	a.check(fac, "person-error", `.error-summary`, `#person-name`)
	fac.Open(person + "/erase")
	a.check(fac, "erase-confirm", `form[action$="/erase"] button[type=submit]`)
	fac.Open(person)
	fac.ClickAndWait(`form[action$="/reset"] button[type=submit]`)
	a.check(fac, "reset-code", `.slip .code`)
	fac.Open("/admin")
	fac.ClickAndWait(`a[href^="/admin/organisations/"]`)
	a.check(fac, "organisation", `form[action$="/name"] button[type=submit]`)
	fac.Open("/admin/neighbourhoods/peckham")
	a.check(fac, "neighbourhood", `form[action$="/reprint"] button[type=submit]`, `#inv-code`)
	fac.Fill("#inv-code", "ABCD-EFGH")
	fac.ClickAndWaitStatus(`form[aria-labelledby="cancel-one"] button[type=submit]`, http.StatusUnprocessableEntity)
	a.check(fac, "neighbourhood-error", `.error-summary`, `#inv-code`)
	// Registering a resident at an event, and her sign-in slip.
	fac.Open("/admin/registrations/new?neighbourhood=peckham")
	a.check(fac, "registration-new", `#reg-name`, `#reg-neighbourhood`, `main form button[type=submit]`)
	fac.Fill("#reg-name", "Sam Okafor@")
	fac.ClickAndWaitStatus(`main form button[type=submit]`, http.StatusUnprocessableEntity)
	a.check(fac, "registration-error", `.error-summary`, `#reg-name`)
	fac.Fill("#reg-name", "Olu")
	fac.ClickAndWait(`main form button[type=submit]`)
	welcome := fac.Attr(".slip a.slip-qr", "href")
	a.check(fac, "registration-slip", `.slip .code`)
	if u, err := url.Parse(welcome); err != nil || u.Query().Get("code") == "" {
		t.Fatalf("the welcome slip links to %q", welcome)
	} else {
		visitor.Open(u.RequestURI())
		if visitor.Value("#code") == "" {
			t.Errorf("the welcome page did not fill in the code from its link")
		}
		a.check(visitor, "welcome", `main form button[type=submit]`)
	}
	visitor.Open("/reset")
	a.check(visitor, "reset", `main form[action="/reset"] button[type=submit]`)
	visitor.Fill("#login", "nobody@example.org")
	visitor.Fill("#code", "ABCD-EFGH")
	visitor.Fill("#password", "a new password for nobody")
	visitor.ClickAndWaitStatus(`main form[action="/reset"] button[type=submit]`, http.StatusUnprocessableEntity)
	a.check(visitor, "reset-error", `.error-summary`, `#code`)
	partner.Open("/account")
	a.check(partner, "account", `form[action="/account/password"] button[type=submit]`)
	partner.Fill("#pw-current", "not the password at all")
	partner.Fill("#pw-password", "a brand new password")
	partner.ClickAndWaitStatus(`form[action="/account/password"] button[type=submit]`, http.StatusUnprocessableEntity)
	a.check(partner, "account-error", `.error-summary`, `#pw-current`)

	// A resident votes: an approval ballot, then a ranked one, with a
	// mistake first.
	ballotButton := `form[action$="/ballot"] button[type=submit]`
	resident := a.person(site, "resident")
	resident.SignIn(d.voter, testPassword)
	resident.Open(fmt.Sprintf("/rounds/%d", d.approvalOpen))
	a.check(resident, "ballot-approval", ballotButton, `input[name=approve]`)
	resident.Check(fmt.Sprintf("#approve-%d", d.amendment))
	resident.ClickAndWait(ballotButton)
	a.check(resident, "receipt-approval", `#receipt`)
	resident.Open(fmt.Sprintf("/rounds/%d", d.approvalOpen))
	a.check(resident, "ballot-voted", ballotButton)
	resident.Open(fmt.Sprintf("/rounds/%d", d.rankedOpen))
	a.check(resident, "ballot-ranked", ballotButton, `select[name^=rank_]`)
	for _, id := range d.rankedOpenCandidates {
		resident.Fill(fmt.Sprintf("#rank-%d", id), "1")
	}
	resident.ClickAndWaitStatus(ballotButton, http.StatusUnprocessableEntity)
	a.check(resident, "ballot-ranked-error", `#ballot-error`, ballotButton)
	for i, id := range d.rankedOpenCandidates {
		resident.Fill(fmt.Sprintf("#rank-%d", id), fmt.Sprint(i+1))
	}
	resident.ClickAndWait(ballotButton)
	a.check(resident, "receipt-ranked", `#receipt`)

	if incomplete := a.incomplete; len(incomplete) > 0 {
		t.Logf("axe could not decide on some nodes (not failures; look if a rule is new): %v", incomplete)
	}
	t.Logf("axe-core %s: %d pages, %d scans in %s; setup %s; whole test %s",
		a.version, a.pages, a.runs, a.axeTime.Round(time.Millisecond), setup.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
}

// person is a desktop-sized person with JavaScript on, whose every page
// gets axe-core as it loads (Page.addScriptToEvaluateOnNewDocument, which
// like DevTools evaluation is not subject to the page's
// Content-Security-Policy). That is quicker than sending the script for
// each page; check still injects it into a page that lacks it.
func (a *a11yScan) person(site *Site, name string) *Person {
	a.t.Helper()
	p := site.newPerson(a.t, name)
	p.do("add axe-core to every page", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: a.axe})
		return err
	}))
	return p
}

// a11yFacts is the data a11yData made, for the pages to show.
type a11yFacts struct {
	voter                string // the name of a resident of Peckham who has not voted yet
	proposal, amendment  int64  // two proposed versions of neighbourhood-working, the second amends the first
	approvalOpen         int64  // an open approval round on neighbourhood-working
	rankedOpen           int64  // an open ranked round on social-prescribing
	rankedOpenCandidates []int64
	approvalClosed       int64 // a settled approval round on care-navigator
	rankedClosed         int64 // a settled ranked round on test-and-learn
	plainFlags           int64 // a version of community-hub that the plain language check flags
	translation          int64 // the agreed Spanish wording of gp-practice
	translated           int64 // the English wording it translates
}

// a11yData fills the site through its store: two partners of each sector,
// two neighbourhoods with residents, proposals and amendments, open and
// closed rounds of both methods with enough ballots for the neighbourhood
// table to show a neighbourhood and "other".
func a11yData(t *testing.T, site *Site) a11yFacts {
	t.Helper()
	ctx := context.Background()
	st := site.Store
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	sam, val := twoPartners(t, site)
	peckham, err := st.CreateNeighbourhood(ctx, "Peckham")
	must(err)
	camberwell, err := st.CreateNeighbourhood(ctx, "Camberwell")
	must(err)
	_, err = st.CreateInvites(ctx, peckham.ID, 4, time.Time{})
	must(err)
	// Five residents of Peckham make a row of their own in the results'
	// table; one of Camberwell is merged into "other", with the three
	// more of Camberwell and the one of Walworth (below) who make it 5.
	var voters []model.User
	for i, name := range []string{"Rae", "Priya", "Kofi", "Ade", "Bea", "Cal"} {
		nb := peckham.ID
		if i == 5 {
			nb = camberwell.ID
		}
		u, err := st.CreateUser(ctx, model.NewUser{Name: name, Role: model.Resident, NeighbourhoodID: nb, Password: testPassword})
		must(err)
		voters = append(voters, u)
	}
	last, err := st.CreateUser(ctx, model.NewUser{Name: "Dele", Role: model.Resident, NeighbourhoodID: peckham.ID, Password: testPassword})
	must(err)

	term := func(slug string) model.Term {
		t.Helper()
		tm, err := st.Term(ctx, slug)
		must(err)
		return tm
	}
	version := func(tm model.Term, author model.User, parent int64, md string) int64 {
		t.Helper()
		v, err := st.CreateVersion(ctx, tm.ID, model.NewVersion{Markdown: md, ParentID: parent, Author: &author})
		must(err)
		return v.ID
	}
	open := func(tm model.Term, method tally.Method, candidates ...int64) int64 {
		t.Helper()
		r, err := st.OpenRound(ctx, model.NewRound{
			TermID: tm.ID, Candidates: candidates, Method: method,
			ClosesAt: time.Now().Add(7 * 24 * time.Hour), Quorum: 3, ThresholdPct: 50, OpenedBy: site.Facilitator,
		})
		must(err)
		return r.ID
	}
	vote := func(round int64, who model.User, b tally.Ballot) {
		t.Helper()
		_, err := st.CastBallot(ctx, round, who, b)
		must(err)
	}
	var f a11yFacts
	f.voter = last.Name

	// neighbourhood-working: agreed (starter), two proposals, an open approval vote.
	nw := term("neighbourhood-working")
	f.proposal = version(nw, sam, 0, "Health and care services, the council and local groups work together in your area. "+
		"Your GP practice takes part through its [[Primary care network]].\n\n- one\n- two")
	f.amendment = version(nw, val, f.proposal, "Health and care services, the council and local **community groups** work together with you in your neighbourhood. "+
		"Your GP practice takes part through its [[Primary care network]]. See also [[Community kitchen]].")
	f.approvalOpen = open(nw, tally.Approval, f.proposal, f.amendment)
	vote(f.approvalOpen, voters[0], tally.Ballot{Approve: []int64{f.amendment}})

	// social-prescribing: an open ranked vote.
	sp := term("social-prescribing")
	f.rankedOpenCandidates = []int64{
		version(sp, sam, 0, "Your GP or another health worker puts you in touch with local groups and activities that can help."),
		version(sp, val, 0, "Help to find local groups, activities and support, through your GP practice or a link worker."),
		version(sp, val, 0, "Getting connected with things that help you stay well, like clubs, advice and walking groups."),
	}
	f.rankedOpen = open(sp, tally.Ranked, f.rankedOpenCandidates...)

	// care-navigator: a closed approval vote that settled.
	cn := term("care-navigator")
	c1 := version(cn, sam, 0, "A person who helps you find the right care and support.")
	c2 := version(cn, val, c1, "Someone who helps you find your way to the care and support that suits you.")
	f.approvalClosed = open(cn, tally.Approval, c1, c2)
	walworth, err := st.CreateNeighbourhood(ctx, "Walworth")
	must(err)
	closedVoters := append([]model.User{}, voters...)
	for i, name := range []string{"Dee", "Eli", "Fay", "Gus"} {
		nb := camberwell.ID
		if i == 3 {
			nb = walworth.ID
		}
		u, err := st.CreateUser(ctx, model.NewUser{Name: name, Role: model.Resident, NeighbourhoodID: nb, Password: testPassword})
		must(err)
		closedVoters = append(closedVoters, u)
	}
	for i, u := range closedVoters {
		b := tally.Ballot{Approve: []int64{c2}}
		if i%2 == 0 {
			b.Approve = append(b.Approve, c1)
		}
		vote(f.approvalClosed, u, b)
	}
	_, err = st.CloseRound(ctx, f.approvalClosed)
	must(err)

	// test-and-learn: a closed ranked vote, with its matrices.
	tl := term("test-and-learn")
	t1 := version(tl, sam, 0, "Trying a new way of working for a short time, and changing it from what we learn.")
	t2 := version(tl, val, 0, "Trying something out with residents, seeing what works, and keeping what does.")
	t3 := version(tl, val, t1, "Trying a new way of working for a while, with residents, and changing it from what we all learn.")
	f.rankedClosed = open(tl, tally.Ranked, t1, t2, t3)
	for i, u := range voters {
		rank := map[int64]int{t3: 1, t2: 2, t1: 3}
		if i%3 == 0 {
			rank = map[int64]int{t2: 1, t3: 2}
		}
		vote(f.rankedClosed, u, tally.Ballot{Rank: rank})
	}
	_, err = st.CloseRound(ctx, f.rankedClosed)
	must(err)

	// Comments: every kind, from every role, a reply, a hidden comment
	// and a reported one, on the amendment and on a candidate of the
	// ranked vote.
	comment := func(version, parent int64, kind model.CommentKind, who model.User, md string) int64 {
		t.Helper()
		c, err := st.CreateComment(ctx, model.NewComment{VersionID: version, ParentID: parent, Kind: kind, Markdown: md, Author: &who}, 0)
		must(err)
		return c.ID
	}
	fac := site.Facilitator
	tried := comment(f.amendment, 0, model.TriedIt, voters[0], "We read it out at the **coffee morning**. People liked *neighbourhood*, and asked what a [[Primary care network]] is.")
	q := comment(f.amendment, 0, model.Question, sam, "Should we name the council?")
	comment(f.amendment, q, model.Suggestion, val, "Yes: say “Southwark Council”.")
	comment(f.amendment, q, model.Question, fac, "Shall we try both at the library?")
	rude := comment(f.amendment, tried, model.Suggestion, voters[1], "This is rubbish.")
	must(st.HideComment(ctx, rude, &fac, "Unkind to another resident"))
	reported := comment(f.amendment, 0, model.Suggestion, voters[2], "Buy cheap watches at example.org")
	must(st.ReportComment(ctx, reported, &voters[0], "Spam"))
	must(st.ReportComment(ctx, reported, &sam, ""))
	sq := comment(f.rankedOpenCandidates[0], 0, model.Question, voters[3], "What is a health worker?")
	comment(f.rankedOpenCandidates[0], sq, model.Suggestion, sam, "Say “a nurse or a pharmacist”.")

	// community-hub: started by a partner, nothing agreed yet.
	hubTerm, _, err := st.CreateTerm(ctx, "Community hub", model.NewVersion{Markdown: "A place where local groups meet and offer help.", Author: &val})
	must(err)
	// A wording the plain language check flags on every count: a long
	// sentence, words to avoid, an acronym and a word still being decided.
	f.plainFlags = version(hubTerm, sam, 0, plainFlagsWording)

	// Translations: an agreed Spanish wording of gp-practice, and two
	// Spanish proposals of link-worker to open a vote on.
	gp := term("gp-practice")
	tr, err := st.ImportTranslation(ctx, gp.ID, model.NewTranslation{Lang: "es", Title: "Consulta del médico de cabecera",
		Markdown: "La consulta médica de tu zona. Allí trabajan médicos y enfermeras.", TranslatesID: gp.AgreedVersionID})
	must(err)
	f.translation, f.translated = tr.ID, gp.AgreedVersionID
	lw := term("link-worker")
	for _, by := range []model.User{sam, val} {
		_, err := st.CreateTranslation(ctx, lw.ID, model.NewTranslation{Lang: "es", Title: "Trabajador de enlace",
			Markdown: "Una persona que te pone en contacto con grupos de tu zona. Por " + by.Name + ".", TranslatesID: lw.AgreedVersionID, Author: &by})
		must(err)
	}

	// An Easy Read version of gp-practice, with a picture, beside its
	// agreed wording.
	_, err = st.CreateEasyRead(ctx, gp.ID, model.NewEasyRead{Lang: model.SourceLang, Markdown: "A GP practice is where your doctor works.\nYou can see a nurse there too.\nPhone them to book a visit.",
		Image: "doctor.svg", ImageAlt: "A doctor with a stethoscope", ExplainsID: gp.AgreedVersionID, Author: &val})
	must(err)
	return f
}

// paperSheets prints two sheets for the open approval vote and enters the
// first twice, by two facilitators who read it differently, so that it
// waits for a third look.
func (f a11yFacts) paperSheets(t *testing.T, site *Site) {
	t.Helper()
	ctx := context.Background()
	st := site.Store
	peckham, err := st.NeighbourhoodBySlug(ctx, "peckham")
	if err != nil {
		t.Fatal(err)
	}
	other, err := st.CreateUser(ctx, model.NewUser{Email: "femi@example.org", Name: "Femi Facilitator", Role: model.Facilitator, Password: testPassword})
	if err != nil {
		t.Fatal(err)
	}
	p, err := st.PrintSheets(ctx, model.NewPaperPrint{RoundID: f.approvalOpen, NeighbourhoodID: peckham.ID, Sheets: 2,
		Size: model.A4, HandIn: "Peckham Library", PrintedBy: site.Facilitator})
	if err != nil {
		t.Fatal(err)
	}
	for i, by := range []model.User{site.Facilitator, other} {
		ticks := []int64{f.proposal, f.amendment}[i : i+1]
		if _, err := st.EnterPaper(ctx, model.NewPaperEntry{RoundID: f.approvalOpen, Number: p.Numbers[0], EnteredBy: by},
			tally.Ballot{Approve: ticks}); err != nil {
			t.Fatal(err)
		}
	}
}

// twoPartners makes Southwark Council (statutory) and Peckham Community Hub
// (voluntary), with a partner in each: Sam Okafor and Val Mensah.
func twoPartners(t *testing.T, site *Site) (sam, val model.User) {
	t.Helper()
	ctx := context.Background()
	st := site.Store
	council, err := st.CreateOrganisation(ctx, "Southwark Council", model.Statutory)
	if err != nil {
		t.Fatal(err)
	}
	hub, err := st.CreateOrganisation(ctx, "Peckham Community Hub", model.Voluntary)
	if err != nil {
		t.Fatal(err)
	}
	sam, err = st.CreateUser(ctx, model.NewUser{Email: "sam@southwark.example", Name: "Sam Okafor", Role: model.Partner, OrganisationID: council.ID, Password: testPassword})
	if err != nil {
		t.Fatal(err)
	}
	val, err = st.CreateUser(ctx, model.NewUser{Email: "val@peckhamhub.example", Name: "Val Mensah", Role: model.Partner, OrganisationID: hub.ID, Password: testPassword})
	if err != nil {
		t.Fatal(err)
	}
	return sam, val
}

const plainFlagsWording = "Our PCN will deliver integrated pathways going forward, and in order to leverage the robust offer of the [[Community hub]] we will facilitate and streamline the way that every service user in the area is able to access the support that they need.\n\nIt is a [[Community hub|hub]] for you."

// check runs axe on the person's page at desktop and phone widths, then
// checks that it reflows at 320px and at 200% zoom: the page is no wider
// than the window, no content is pushed off it or cut off, and each
// element that keep names (a ballot's button, a form's field) is on the
// page and wholly within the window's width. The page itself is loaded
// once and relaid at each size, so the answer to a form can be checked too.
// The person's window is back at desktop size afterwards.
func (a *a11yScan) check(p *Person, name string, keep ...string) {
	a.t.Helper()
	a.pages++
	where := fmt.Sprintf("%s (%s)", name, p.Location().RequestURI())
	axeInject(p, a.axe)
	for _, v := range []Viewport{desktopSize, phoneSize} {
		p.Viewport(v)
		a.axeRun(p, where, v.Name)
	}
	for _, pr := range formErrorProblems(p) {
		a.t.Errorf("%s: %s", where, pr)
	}
	for _, v := range []Viewport{narrow320, zoom200} {
		if v == zoom200 {
			p.do("zoom to 200%", chromedp.EmulateViewport(v.Width, v.Height, chromedp.EmulateScale(2)))
		} else {
			p.Viewport(v)
		}
		a.reflow(p, where, v.Name, keep)
		// Screenshots for people to look at (a full page at 200% is
		// large, so only of a few).
		switch {
		case name == "ballot-approval", name == "results-approval",
			v == narrow320 && (name == "ballot-ranked" || name == "results-ranked" || name == "join-wrong-code" || name == "admin" || name == "history"):
			p.Screenshot(name + "-" + v.Name)
		}
	}
	p.Viewport(desktopSize)
}

// axeRun runs axe-core on the page as it is laid out now and reports each
// violation with what a person needs to fix it.
func (a *a11yScan) axeRun(p *Person, where, size string) {
	a.t.Helper()
	start := time.Now()
	res := axeCheck(p, where)
	a.axeTime += time.Since(start)
	a.runs++
	a.version = res.Version
	for _, r := range res.Incomplete {
		a.incomplete[r.ID] += len(r.Nodes)
	}
	if len(res.Violations) == 0 {
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s at %s width: %d accessibility rules fail", where, size, len(res.Violations))
	for _, v := range res.Violations {
		fmt.Fprintf(&b, "\n  %s (%s): %s\n    %s", v.ID, v.Impact, v.Help, v.HelpURL)
		for _, n := range v.Nodes {
			fmt.Fprintf(&b, "\n    - at %s\n      %s", n.Target, a11yClip(n.HTML, 300))
			if n.Summary != "" {
				fmt.Fprintf(&b, "\n      %s", strings.ReplaceAll(strings.TrimSpace(n.Summary), "\n", "\n      "))
			}
		}
	}
	shot := p.Screenshot(fileName(where) + "-" + size + "-axe")
	fmt.Fprintf(&b, "\n  screenshot: %s", shot)
	a.t.Error(b.String())
}

// axeInject puts axe-core into the person's page, unless it is there. The
// page's Content-Security-Policy (no inline script) does not apply: the
// script is evaluated through DevTools, not by the page. (If it did apply,
// Person.watch would see the violation, and TestA11yAxeSeesProblems proves
// it does not.)
func axeInject(p *Person, src string) {
	p.t.Helper()
	if !run(p, "look for axe", chromedp.Evaluate[bool](`typeof window.axe === "object"`)) {
		p.do("inject axe-core", chromedp.Evaluate[chromedp.Void](src))
	}
	p.checkProblems()
}

// axeCheck runs axe-core (injected already) with the rules of axeTags on
// the page as it is laid out now.
func axeCheck(p *Person, where string) axeResults {
	p.t.Helper()
	tags, _ := json.Marshal(axeTags)
	raw := run(p, "run axe on "+where, chromedp.Evaluate[[]byte](`(async () => {
		const r = await axe.run(document, {runOnly: {type: "tag", values: `+string(tags)+`}, resultTypes: ["violations"]});
		const rules = list => list.map(v => ({id: v.id, impact: v.impact || "", help: v.help, helpUrl: v.helpUrl,
			nodes: v.nodes.map(n => ({target: n.target, html: n.html, failureSummary: n.failureSummary || ""}))}));
		return {version: axe.version, violations: rules(r.violations), incomplete: rules(r.incomplete)};
	})()`, chromedp.EvalAwaitPromise))
	p.checkProblems()
	var res axeResults
	if err := json.Unmarshal(raw, &res); err != nil {
		p.t.Fatalf("axe's answer on %s: %v: %s", where, err, raw)
	}
	return res
}

// formErrorProblems checks what axe cannot: each field the error summary
// links to is on the page, and when it is a single field (not a group of
// radio buttons, whose legend and message are in its fieldset), it is
// marked aria-invalid and described by the message, so a screen reader
// says what is wrong when the field takes the focus.
func formErrorProblems(p *Person) []string {
	p.t.Helper()
	return run(p, "check the form's error", chromedp.Evaluate[[]string](`(() => {
		const out = [];
		for (const a of document.querySelectorAll(".error-summary a[href^='#']")) {
			const id = a.getAttribute("href").slice(1);
			const f = document.getElementById(id);
			if (!f) { out.push("the error summary links to #" + id + ", which is not on the page"); continue; }
			if (!["INPUT", "SELECT", "TEXTAREA"].includes(f.tagName)) continue;
			if (f.getAttribute("aria-invalid") !== "true") out.push("#" + id + ", which has the error, is not aria-invalid");
			const said = (f.getAttribute("aria-describedby") || "").split(/\s+/).map(d => document.getElementById(d)).filter(Boolean).map(d => d.textContent).join(" ");
			if (!said.includes(a.textContent.trim())) out.push("#" + id + " is not described by its error message “" + a.textContent.trim() + "” (aria-describedby)");
		}
		return out;
	})()`))
}

// reflow checks the page at the current size: nothing to scroll sideways,
// nothing outside the window or cut off by its box (content inside a box
// that scrolls on its own is left alone: it can be scrolled to), and each
// element of keep there and wholly within the window.
func (a *a11yScan) reflow(p *Person, where, size string, keep []string) {
	a.t.Helper()
	for _, pr := range reflowProblems(p, keep) {
		a.t.Errorf("%s at %s: %s", where, size, pr)
	}
}

// reflowProblems says what reflow finds wrong, if anything.
func reflowProblems(p *Person, keep []string) []string {
	p.t.Helper()
	var out []string
	if over := p.OverflowX(); over > 0 {
		out = append(out, fmt.Sprintf("the page is %dpx wider than the window, so it scrolls sideways", over))
	}
	if keep == nil {
		keep = []string{}
	}
	keepJSON, _ := json.Marshal(keep)
	cut := run(p, "look for content cut off", chromedp.Evaluate[[]string](`(() => {
		const W = document.documentElement.clientWidth;
		const out = [];
		const describe = (e) => {
			let s = e.tagName.toLowerCase();
			if (e.id) s += "#" + e.id;
			if (e.classList.length) s += "." + Array.from(e.classList).join(".");
			const text = e.tagName === "SELECT" ? "" : (e.innerText || e.value || "").trim().replace(/\s+/g, " ").slice(0, 50);
			return text ? s + " “" + text + "”" : s;
		};
		const scrolls = (e) => {
			for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
				const o = getComputedStyle(a).overflowX;
				if (o === "auto" || o === "scroll") return true;
			}
			return false;
		};
		const tiny = (r) => r.width <= 1 && r.height <= 1; // visually hidden text, for screen readers
		for (const e of document.querySelectorAll("header.site *, main *, footer.site *")) {
			const r = e.getBoundingClientRect();
			if (r.width === 0 || r.height === 0 || tiny(r) || getComputedStyle(e).visibility === "hidden") continue;
			if ((r.right > W + 1 || r.left < -1) && !scrolls(e)) {
				out.push(describe(e) + " reaches from x=" + Math.round(r.left) + " to x=" + Math.round(r.right) + " in a window " + W + "px wide");
				continue;
			}
			const o = getComputedStyle(e).overflowX;
			if ((o === "hidden" || o === "clip") && e.scrollWidth > e.clientWidth + 1 && !scrolls(e)) {
				out.push(describe(e) + " cuts off its content: " + e.scrollWidth + "px in a box " + e.clientWidth + "px wide");
			}
		}
		// A closed select shows its chosen option: it must fit, since a
		// select cannot wrap. (The width of the arrow is a guess, on the
		// safe side.)
		const ctx = document.createElement("canvas").getContext("2d");
		for (const e of document.querySelectorAll("main select")) {
			const o = e.options[e.selectedIndex];
			if (!o) continue;
			const cs = getComputedStyle(e);
			ctx.font = cs.fontStyle + " " + cs.fontWeight + " " + cs.fontSize + " " + cs.fontFamily;
			const room = e.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) - 24;
			const need = ctx.measureText(o.text).width;
			if (need > room) out.push(describe(e) + " shows “" + o.text + "” cut off: it needs " + Math.round(need) + "px and has " + Math.round(room) + "px");
		}
		for (const sel of `+string(keepJSON)+`) {
			const e = document.querySelector(sel);
			if (!e) { out.push("nothing matches " + sel); continue; }
			const r = e.getBoundingClientRect();
			if (r.width === 0 || r.height === 0) out.push(sel + " is not shown");
			else if (r.left < -1 || r.right > W + 1) out.push(sel + " is not wholly within the window: x=" + Math.round(r.left) + " to " + Math.round(r.right) + " of " + W);
		}
		return out.slice(0, 15);
	})()`))
	return append(out, cut...)
}

// heatCaptionVisible checks, at phone width, that the caption of the
// neighbourhood table is wholly visible: it does not scroll away with a
// table wider than the window, nor is it cut off by the table's
// scrolling box.
func (a *a11yScan) heatCaptionVisible(p *Person) {
	a.t.Helper()
	for _, v := range []Viewport{narrow320, phoneSize} {
		p.Viewport(v)
		got := run(p, "measure the caption", chromedp.Evaluate[string](`(() => {
			const c = document.querySelector(".heat-caption");
			if (!c) return "no element .heat-caption";
			const box = document.querySelector(".heat-scroll");
			if (box && box.contains(c)) return "the caption is inside the scrolling box";
			const r = c.getBoundingClientRect();
			if (r.right > document.documentElement.clientWidth + 1) return "the caption reaches x=" + Math.round(r.right);
			return "";
		})()`))
		if got != "" {
			a.t.Errorf("results at %s: the neighbourhood table's caption: %s", v.Name, got)
		}
	}
	p.Viewport(desktopSize)
}

// a11yClip shortens s to n bytes for a message.
func a11yClip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// TestA11yAxeSeesProblems proves the checks can fail, so that TestA11y's
// silence means something: on a page under the site's own kind of
// Content-Security-Policy (default-src 'self', no inline script), axe-core
// is injected without a CSP violation and finds an unlabelled field, a
// button without a name, grey text on white and a missing lang; the check
// of form errors finds a field with an error that is not marked as such;
// and the reflow check finds a page wider than 320px, a button pushed off
// it and a select too narrow for its option.
func TestA11yAxeSeesProblems(t *testing.T) {
	src := axeSource(t)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'self'")
		if r.URL.Path == "/faint.css" {
			w.Header().Set("Content-Type", "text/css")
			fmt.Fprint(w, ".faint { color: #aaaaaa; background: #ffffff; } .wide { width: 500px; } #far { margin-left: 400px; } select { width: 150px; }")
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!doctype html><html><head><title>problems</title><meta name="viewport" content="width=device-width, initial-scale=1"><link rel="stylesheet" href="/faint.css"></head>
<body><main><h1>Problems</h1><p class="faint">Grey on white</p><div class="error-summary"><a href="#q">Enter some words</a></div>
<input type="text" name="q" id="q"><button type="submit"></button>
<label for="s">Choose</label><select id="s"><option>An option too long for its select</option></select>
<div class="wide"><button type="submit" id="far">Far away</button></div></main></body></html>`)
	}))
	defer ts.Close()
	p := (&Site{URL: ts.URL}).newPerson(t, "checker")
	p.Viewport(narrow320)
	p.Open("/")
	axeInject(p, src)
	got := map[string]bool{}
	for _, v := range axeCheck(p, "the page of problems").Violations {
		got[v.ID] = true
	}
	for _, id := range []string{"label", "button-name", "color-contrast", "html-has-lang"} {
		if !got[id] {
			t.Errorf("axe did not report %s; it reported %v", id, got)
		}
	}
	errs := strings.Join(formErrorProblems(p), "\n")
	for _, want := range []string{"#q, which has the error, is not aria-invalid", "#q is not described by its error message"} {
		if !strings.Contains(errs, want) {
			t.Errorf("the check of form errors did not say %q; it said:\n%s", want, errs)
		}
	}
	problems := strings.Join(reflowProblems(p, []string{"#far"}), "\n")
	for _, want := range []string{"the page is", "div.wide", "#far is not wholly within the window", "select#s shows “An option too long for its select” cut off"} {
		if !strings.Contains(problems, want) {
			t.Errorf("the reflow check did not say %q; it said:\n%s", want, problems)
		}
	}
}

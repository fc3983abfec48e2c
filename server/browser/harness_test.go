// Package browser_test drives wordgarden in a real browser: Debian's Chromium,
// through chromedp. Only _test.go files live here.
//
// The harness, for tests in this package:
//
//	site := newSite(t)                           // wordgarden on a fresh database, starter glossary loaded
//	fac := site.newPerson(t, "facilitator")      // a person: own cookies, own tab, desktop size, JavaScript on
//	fac.SignIn(site.Facilitator.Email, testPassword)
//	fac.Open("/admin")                           // load a page; fails unless the status is 2xx
//	fac.Fill("#org-name", "Southwark Council")   // selectors are CSS selectors
//	fac.Check("#sector-statutory")
//	fac.ClickAndWait(`form[action="/admin/organisations"] button`) // submit, wait for the next page
//	fac.Text(".flash")                           // what the page shows
//
// Options of newPerson: phone() for a 375x667 phone, withoutJS() for a browser
// with JavaScript turned off. p.Viewport(phoneSize) changes the size later.
//
// Every person's tab is watched: a JavaScript dialog (alert, confirm,
// prompt), an uncaught exception, a console.error, a Content-Security-Policy
// violation or another error the browser logs fails the test at the next
// step (see Person.watch). When a test fails, each person's page is saved as
// a screenshot and HTML in the test's artifact folder, whose path the test
// logs. Screenshots a test takes on purpose (p.Screenshot) go there too.
//
// One Chromium process serves the whole package: it starts with the first
// test that needs it and stops in TestMain. Each person gets a new browser
// context (like an incognito window), so people never share cookies.
//
// Chromium is found at $WORDGARDEN_CHROMIUM, /usr/bin/chromium or as
// chromium on PATH. Without it the tests skip, saying how to install it;
// when CI is set (as .ci/run does) a missing browser fails the package.
package browser_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"golang.org/x/crypto/bcrypt"

	"wordgarden"
	"wordgarden/server"
	"wordgarden/server/model"
	"wordgarden/server/store"
	"wordgarden/server/store/storetest"
	"wordgarden/server/termfile"
)

// stepTimeout bounds one step (a page load, a query that waits for an
// element), so that a missing element fails the test instead of hanging it.
const stepTimeout = 20 * time.Second

// testPassword is the password of every account the tests make.
const testPassword = "correct horse battery staple"

var (
	// chromiumPath is the browser TestMain found; noBrowser says why there
	// is none, and the tests skip with it.
	chromiumPath string
	noBrowser    string

	// The one browser process of the package, started by the first test
	// that asks for it (sharedBrowser) and stopped by TestMain.
	browserOnce sync.Once
	browserCtx  context.Context
	browserErr  error
	stopBrowser = func() {}
)

func TestMain(m *testing.M) {
	path, err := findChromium()
	if err != nil {
		msg := "browser tests need Chromium (" + err.Error() + "). Install it with `apt-get install chromium`, or set WORDGARDEN_CHROMIUM to its path."
		if os.Getenv("CI") != "" {
			fmt.Fprintln(os.Stderr, "FAIL: CI is set, and in CI the "+msg)
			os.Exit(1)
		}
		fmt.Fprintln(os.Stderr, "SKIP: "+msg)
		noBrowser = msg
	}
	chromiumPath = path
	code := m.Run()
	stopBrowser()
	os.Exit(code)
}

// findChromium looks at $WORDGARDEN_CHROMIUM, /usr/bin/chromium, then PATH.
func findChromium() (string, error) {
	if p := os.Getenv("WORDGARDEN_CHROMIUM"); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("WORDGARDEN_CHROMIUM: %w", err)
		}
		return p, nil
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium", nil
	}
	p, err := exec.LookPath("chromium")
	if err != nil {
		return "", errors.New("no /usr/bin/chromium and no chromium on PATH")
	}
	return p, nil
}

// sharedBrowser returns the context of the package's browser, starting it
// the first time. It skips the test when there is no Chromium.
func sharedBrowser(t *testing.T) context.Context {
	t.Helper()
	// TestMain has looked already, but go test caches a package's result
	// keyed on the files and environment variables that tests read, not
	// TestMain. Looking again here makes a cached result depend on them, so
	// installing Chromium or setting CI runs the tests again.
	findChromium()
	os.Getenv("CI")
	if noBrowser != "" {
		t.Skip(noBrowser)
	}
	browserOnce.Do(func() {
		profile, err := os.MkdirTemp("", "wordgarden-chromium-profile-")
		if err != nil {
			browserErr = err
			return
		}
		opts := append(chromedp.DefaultExecAllocatorOptions[:], // headless, no first run, no sync, no background networking, ...
			chromedp.ExecPath(chromiumPath),
			chromedp.NoSandbox, // tests run as root in CI
			chromedp.DisableGPU,
			chromedp.Flag("disable-component-update", true),
			chromedp.UserDataDir(profile),
			chromedp.WindowSize(int(desktopSize.Width), int(desktopSize.Height)),
		)
		allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
		ctx, cancelBrowser := chromedp.NewContext(allocCtx)
		stopBrowser = func() {
			cancelBrowser()
			cancelAlloc() // waits for the process to end
			// Chromium's helpers can write to the profile for a moment after
			// it stops: try again until the folder goes.
			for deadline := time.Now().Add(5 * time.Second); os.RemoveAll(profile) != nil && time.Now().Before(deadline); {
				time.Sleep(10 * time.Millisecond)
			}
		}
		// The first Do starts the browser; it gets no timeout, because the
		// browser lives as long as the context of its first Do.
		if err := chromedp.Do(ctx); err != nil {
			browserErr = fmt.Errorf("start %s: %w", chromiumPath, err)
			return
		}
		browserCtx = ctx
	})
	if browserErr != nil {
		t.Fatal(browserErr)
	}
	return browserCtx
}

// Site is a wordgarden server on a fresh SQLite file, in this process.
type Site struct {
	URL   string // http://127.0.0.1:PORT, no trailing slash
	Store *store.Store
	// Facilitator is an account made through the store; its password is
	// testPassword.
	Facilitator model.User
}

// newSite starts wordgarden on a new database (storetest), with the
// starter glossary loaded, as `wordgarden serve` does on an empty database.
// It stops when the test ends.
func newSite(t *testing.T) *Site {
	t.Helper()
	ctx := context.Background()
	// bcrypt's lowest cost: the tests make dozens of accounts, and signing
	// in works the same at any cost.
	st, err := store.Open(storetest.DSN(t), store.WithPasswordCost(bcrypt.MinCost))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	files, err := termfile.ReadDir(wordgarden.Content, "content")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if _, err := st.ImportTerm(ctx, f.Title, f.Summary, f.Markdown); err != nil {
			t.Fatalf("starter glossary %s: %v", f.Slug, err)
		}
	}
	srv, err := server.New(server.Config{
		Store:      st,
		SessionKey: []byte("a session key for the browser tests, long enough"),
		Logger:     slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv) // listens on 127.0.0.1
	t.Cleanup(ts.Close)
	fac, err := st.CreateUser(ctx, model.NewUser{
		Email: "fran@example.org", Name: "Fran Facilitator", Role: model.Facilitator, Password: testPassword,
	})
	if err != nil {
		t.Fatal(err)
	}
	return &Site{URL: ts.URL, Store: st, Facilitator: fac}
}

// GetJSON fetches path from the site without a browser and decodes its JSON
// body into v. It fails the test unless the status is 200.
func (s *Site) GetJSON(t *testing.T, path string, v any) {
	t.Helper()
	body := s.Get(t, path)
	if err := json.Unmarshal([]byte(body), v); err != nil {
		t.Fatalf("GET %s: %v in %.300s", path, err, body)
	}
}

// Get fetches path from the site without a browser and returns its body. It
// fails the test unless the status is 200.
func (s *Site) Get(t *testing.T, path string) string {
	t.Helper()
	resp, err := http.Get(s.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d, want 200: %.300s", path, resp.StatusCode, body)
	}
	return string(body)
}

// Viewport is a window size to emulate.
type Viewport struct {
	Name          string // used in screenshot names: "desktop", "phone"
	Width, Height int64
	Mobile        bool // emulate a mobile device: meta viewport, overlay scrollbars
}

var (
	desktopSize = Viewport{Name: "desktop", Width: 1280, Height: 900}
	phoneSize   = Viewport{Name: "phone", Width: 375, Height: 667, Mobile: true}
)

type personConfig struct {
	viewport Viewport
	noJS     bool
}

// PersonOption changes how newPerson sets up the browser.
type PersonOption func(*personConfig)

// phone makes the person's window a 375x667 phone.
func phone() PersonOption { return func(c *personConfig) { c.viewport = phoneSize } }

// withoutJS turns JavaScript off in the person's browser, for every page.
func withoutJS() PersonOption { return func(c *personConfig) { c.noJS = true } }

// Person is one simulated person: a browser context of their own (cookies,
// storage) with one tab. The methods fail the test on any error, so a test
// reads as a list of steps. Selectors are CSS selectors.
type Person struct {
	t    *testing.T
	name string
	site *Site
	ctx  context.Context
	js   bool

	mu        sync.Mutex
	problems  []string                   // see watch; reported by checkProblems
	documents map[network.RequestID]bool // requests that loaded a page
}

// newPerson opens a browser context and tab for a person named name (used
// in messages and file names). By default the window is desktop-sized and
// JavaScript is on. The tab closes when the test ends; if the test failed,
// its page is saved first (see saveFailure).
func (s *Site) newPerson(t *testing.T, name string, opts ...PersonOption) *Person {
	t.Helper()
	parent := sharedBrowser(t)
	cfg := personConfig{viewport: desktopSize}
	for _, o := range opts {
		o(&cfg)
	}
	p := &Person{t: t, name: name, site: s, js: !cfg.noJS, documents: map[network.RequestID]bool{}}
	ctx, cancel := chromedp.NewContext(parent, chromedp.WithNewBrowserContext(), chromedp.WithListener(p.watch))
	t.Cleanup(cancel)
	p.ctx = ctx
	// The first Do opens the tab; no timeout, since the tab lives as long as
	// the context of its first Do.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("%s: open a tab: %v", name, err)
	}
	t.Cleanup(p.finish) // runs before cancel: cleanups run last first
	p.Viewport(cfg.viewport)
	p.do("turn JavaScript on or off",
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled,
				emulation.SetScriptExecutionDisabledParams{Value: cfg.noJS})
			return err
		}),
		// Prove the setting holds: a page's own script sets the title.
		chromedp.Navigate(`data:text/html,<title>before</title><script>document.title="script ran"</script>`))
	title := run(p, "read the title", chromedp.Title())
	if ran := title == "script ran"; ran != p.js {
		t.Fatalf("%s: JavaScript on = %v, but a page script ran = %v", name, p.js, ran)
	}
	return p
}

// Viewport resizes the person's window (emulated, like DevTools' device
// mode). The page stays and lays itself out for the new size.
func (p *Person) Viewport(v Viewport) {
	p.t.Helper()
	var o []chromedp.EmulateViewportOption
	if v.Mobile {
		o = append(o, chromedp.EmulateMobile)
	}
	p.do("set the window to "+v.Name, chromedp.EmulateViewport(v.Width, v.Height, o...))
}

// watch sees every event of the person's tab, in order, in chromedp's read
// loop (so it must return fast and send no command itself). It records what
// must never happen on a wordgarden page:
//   - a JavaScript dialog (alert, confirm, prompt, beforeunload): dismissed at once;
//   - an uncaught exception, or console.error / console.assert;
//   - a browser log entry of level error, which includes Content-Security-Policy
//     violations and failed subresources (a stylesheet that 404s). The status of
//     a page itself is checked by Open and ClickAndWait, so its own "Failed to
//     load resource" entry (a 404 page, a 422 form answer) is not recorded, nor
//     the 404 of /favicon.ico, which the browser asks for on its own (the site
//     has no icon).
func (p *Person) watch(ev any) {
	switch ev := ev.(type) {
	case *page.EventJavascriptDialogOpening:
		p.record("a JavaScript %s dialog opened on %s: %q", ev.Type, ev.URL, ev.Message)
		go func() {
			// Dismiss it, or the page stays blocked. The tab may be gone by now.
			chromedp.Call(p.ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
		}()
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		text := d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			text += " " + d.Exception.Description
		}
		p.record("uncaught exception at %s:%d: %s", d.URL, d.LineNumber+1, text)
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
			var args []string
			for _, a := range ev.Args {
				var str string
				if json.Unmarshal(a.Value, &str) == nil {
					args = append(args, str)
				} else if len(a.Value) > 0 {
					args = append(args, string(a.Value))
				} else {
					args = append(args, a.Description)
				}
			}
			p.record("console.%s: %s", ev.Type, strings.Join(args, " "))
		}
	case *network.EventRequestWillBeSent:
		if ev.Type == network.ResourceTypeDocument {
			p.mu.Lock()
			p.documents[ev.RequestID] = true
			p.mu.Unlock()
		}
	case *cdplog.EventEntryAdded:
		e := ev.Entry
		if e.Level != cdplog.EntryLevelError {
			return
		}
		p.mu.Lock()
		isDocument := p.documents[e.NetworkRequestID]
		p.mu.Unlock()
		if e.Source == cdplog.EntrySourceNetwork && (isDocument || strings.HasSuffix(e.URL, "/favicon.ico")) {
			return
		}
		p.record("browser %s error at %s: %s", e.Source, e.URL, e.Text)
	}
}

func (p *Person) record(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.problems = append(p.problems, fmt.Sprintf(format, args...))
}

// checkProblems fails the test if watch recorded anything since the last
// check. Every step that loads or changes a page calls it.
func (p *Person) checkProblems() {
	p.t.Helper()
	p.mu.Lock()
	problems := p.problems
	p.problems = nil
	p.mu.Unlock()
	if len(problems) > 0 {
		p.t.Fatalf("%s: the browser reported:\n  %s", p.name, strings.Join(problems, "\n  "))
	}
}

// finish runs when the test ends: problems not yet reported fail the test,
// and a failed test gets the person's page saved.
func (p *Person) finish() {
	p.mu.Lock()
	problems := p.problems
	p.mu.Unlock()
	if len(problems) > 0 {
		p.t.Errorf("%s: the browser reported:\n  %s", p.name, strings.Join(problems, "\n  "))
	}
	if p.t.Failed() {
		p.saveFailure()
	}
}

// saveFailure writes a full-page screenshot and the HTML of the person's
// page to the artifact folder.
func (p *Person) saveFailure() {
	ctx, cancel := context.WithTimeout(p.ctx, 10*time.Second)
	defer cancel()
	dir := artifactDir(p.t)
	base := filepath.Join(dir, fileName(p.name)+"-failure")
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	if png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
		os.WriteFile(base+".png", png, 0o644)
	} else {
		p.t.Logf("%s: no failure screenshot: %v", p.name, err)
	}
	if html, err := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("html"))); err == nil {
		os.WriteFile(base+".html", []byte(html), 0o644)
	} else {
		p.t.Logf("%s: no failure HTML: %v", p.name, err)
	}
	p.t.Logf("%s was at %s; screenshot and HTML: %s.png, %s.html", p.name, loc, base, base)
}

var (
	artifactMu   sync.Mutex
	artifactDirs = map[string]string{}
)

// artifactDir is the folder for the test's screenshots and failure pages:
// $WORDGARDEN_BROWSER_ARTIFACTS or the system temporary folder, then
// wordgarden-browser-<test name>. It is emptied the first time a test asks
// for it in a run, and the test logs its path.
func artifactDir(t *testing.T) string {
	t.Helper()
	artifactMu.Lock()
	defer artifactMu.Unlock()
	if dir, ok := artifactDirs[t.Name()]; ok {
		return dir
	}
	root := os.Getenv("WORDGARDEN_BROWSER_ARTIFACTS")
	if root == "" {
		root = os.TempDir()
	}
	dir := filepath.Join(root, "wordgarden-browser-"+fileName(t.Name()))
	os.RemoveAll(dir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	artifactDirs[t.Name()] = dir
	t.Logf("screenshots and failure pages of %s: %s", t.Name(), dir)
	return dir
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

func fileName(s string) string { return unsafeName.ReplaceAllString(s, "-") }

// do runs steps with the step timeout and fails the test on an error.
func (p *Person) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		p.t.Fatalf("%s: %s: %v", p.name, what, err)
	}
}

// run runs one action that returns a value, with the step timeout, and fails
// the test on an error.
func run[T any](p *Person, what string, a chromedp.Action[T]) T {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		p.t.Fatalf("%s: %s: %v", p.name, what, err)
	}
	return v
}

// runResponse runs steps that load a page, waits for it, and returns the
// response of its HTML document.
func (p *Person) runResponse(what string, steps ...chromedp.Action[chromedp.Void]) *network.Response {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, stepTimeout)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, steps...)
	if err != nil {
		p.t.Fatalf("%s: %s: %v", p.name, what, err)
	}
	return resp
}

// wantStatus fails the test unless resp has the status want, or any 2xx
// status when want is 0.
func (p *Person) wantStatus(what string, resp *network.Response, want int) *network.Response {
	p.t.Helper()
	switch {
	case resp == nil:
		p.t.Fatalf("%s: %s: no page was loaded", p.name, what)
	case want == 0 && (resp.Status < 200 || resp.Status > 299):
		p.t.Fatalf("%s: %s: status %d (%s), want 2xx; page says: %s", p.name, what, resp.Status, resp.URL, p.mainText())
	case want != 0 && resp.Status != int64(want):
		p.t.Fatalf("%s: %s: status %d (%s), want %d; page says: %s", p.name, what, resp.Status, resp.URL, want, p.mainText())
	}
	return resp
}

// mainText is the start of the page's main text, for failure messages.
func (p *Person) mainText() string {
	ctx, cancel := context.WithTimeout(p.ctx, 5*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector("main") || document.body || {innerText: ""}).innerText`))
	if err != nil {
		return "(unreadable: " + err.Error() + ")"
	}
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 300 {
		s = s[:300] + "..."
	}
	return s
}

func (p *Person) url(path string) string {
	if strings.HasPrefix(path, "http:") || strings.HasPrefix(path, "https:") || strings.HasPrefix(path, "data:") {
		return path
	}
	return p.site.URL + path
}

// Open loads a page of the site (a path such as "/admin") and waits until it
// has loaded. It fails the test unless the status is 2xx.
func (p *Person) Open(path string) *network.Response {
	p.t.Helper()
	return p.OpenStatus(path, 0)
}

// OpenStatus is Open for a page that should answer with the status want
// (0 means any 2xx), such as 404.
func (p *Person) OpenStatus(path string, want int) *network.Response {
	p.t.Helper()
	what := "open " + path
	resp := p.wantStatus(what, run(p, what, chromedp.NavigateResponse(p.url(path))), want)
	p.checkProblems()
	return resp
}

// ClickAndWait clicks the element (a button, a link) with the mouse and waits
// for the page the click loads. It fails the test unless the status is 2xx
// (after redirects: a form that answers 303 is judged by the page it leads to).
func (p *Person) ClickAndWait(sel string) *network.Response {
	p.t.Helper()
	return p.ClickAndWaitStatus(sel, 0)
}

// ClickAndWaitStatus is ClickAndWait for a page that should answer with the
// status want (0 means any 2xx), such as 422 for a form with a mistake.
func (p *Person) ClickAndWaitStatus(sel string, want int) *network.Response {
	p.t.Helper()
	what := "click " + sel
	resp := p.wantStatus(what, p.runResponse(what, chromedp.Click(chromedp.CSS(sel))), want)
	p.checkProblems()
	return resp
}

// Click clicks the element with the mouse and does not wait for a page load.
func (p *Person) Click(sel string) {
	p.t.Helper()
	p.do("click "+sel, chromedp.Click(chromedp.CSS(sel)))
	p.checkProblems()
}

// Fill sets the value of a text field, text area or select. It waits for the
// field to be there.
func (p *Person) Fill(sel, value string) {
	p.t.Helper()
	p.do("fill "+sel, chromedp.SetValue(chromedp.CSS(sel), value))
}

// Type clicks into a field and types text into it with key events, after
// what is there already. "\n" is the Enter key.
func (p *Person) Type(sel, text string) {
	p.t.Helper()
	p.do("type into "+sel, chromedp.SendKeys(chromedp.CSS(sel), text))
	p.checkProblems()
}

// SelectOption chooses the option of a select whose visible text contains
// label.
func (p *Person) SelectOption(sel, label string) {
	p.t.Helper()
	value := run(p, "find option "+label+" in "+sel, chromedp.Evaluate[string](fmt.Sprintf(
		`(() => { const o = Array.from(document.querySelectorAll(%s + " option")).find(o => o.textContent.includes(%s)); return o ? o.value : "\u0000none"; })()`,
		jsString(sel), jsString(label))))
	if value == "\x00none" {
		p.t.Fatalf("%s: %s has no option %q", p.name, sel, label)
	}
	p.Fill(sel, value)
}

// Value is the current value of a form field (what a text area holds, not
// its visible text). It waits for the field to be there.
func (p *Person) Value(sel string) string {
	p.t.Helper()
	return run(p, "read the value of "+sel, chromedp.Value(chromedp.CSS(sel)))
}

// Checked says whether a checkbox or radio button is checked.
func (p *Person) Checked(sel string) bool {
	p.t.Helper()
	return run(p, "read "+sel, chromedp.JavascriptAttribute[bool](chromedp.CSS(sel), "checked"))
}

// Check clicks a checkbox or radio button if it is not checked yet, and
// fails unless it is checked then.
func (p *Person) Check(sel string) { p.t.Helper(); p.setChecked(sel, true) }

// Uncheck clicks a checkbox if it is checked, and fails unless it is
// unchecked then.
func (p *Person) Uncheck(sel string) { p.t.Helper(); p.setChecked(sel, false) }

func (p *Person) setChecked(sel string, want bool) {
	p.t.Helper()
	if p.Checked(sel) != want {
		p.Click(sel)
	}
	if p.Checked(sel) != want {
		p.t.Fatalf("%s: %s: checked is %v after a click, want %v", p.name, sel, !want, want)
	}
}

// Text is the visible text of the first element that matches sel, trimmed.
// It waits for the element to be there.
func (p *Person) Text(sel string) string {
	p.t.Helper()
	return strings.TrimSpace(run(p, "read "+sel, chromedp.Text(chromedp.CSS(sel))))
}

// Texts is the visible text of every element that matches sel, trimmed. It
// does not wait: no match is an empty list.
func (p *Person) Texts(sel string) []string {
	p.t.Helper()
	return run(p, "read "+sel, chromedp.Evaluate[[]string](fmt.Sprintf(
		`Array.from(document.querySelectorAll(%s), e => e.innerText.trim())`, jsString(sel))))
}

// Count is how many elements match sel now.
func (p *Person) Count(sel string) int {
	p.t.Helper()
	return run(p, "count "+sel, chromedp.Evaluate[int](fmt.Sprintf(
		`document.querySelectorAll(%s).length`, jsString(sel))))
}

// Attr is an attribute of the first element that matches sel ("" if it has
// none). It waits for the element to be there.
func (p *Person) Attr(sel, name string) string {
	p.t.Helper()
	attrs := run(p, "read "+sel, chromedp.Attributes(chromedp.CSS(sel)))
	return attrs[name]
}

// AttrAll is an attribute of every element that matches sel ("" for one
// without it). It does not wait: no match is an empty list.
func (p *Person) AttrAll(sel, name string) []string {
	p.t.Helper()
	return run(p, "read "+sel, chromedp.Evaluate[[]string](fmt.Sprintf(
		`Array.from(document.querySelectorAll(%s), e => e.getAttribute(%s) ?? "")`, jsString(sel), jsString(name))))
}

// OverflowX is how many CSS pixels the page is wider than the window: 0 when
// a person never has to scroll sideways. (A wide table inside its own
// scrolling box does not count.)
func (p *Person) OverflowX() int {
	p.t.Helper()
	return run(p, "measure the page width", chromedp.Evaluate[int](
		`Math.max(0, document.documentElement.scrollWidth - document.documentElement.clientWidth)`))
}

// Location is the URL of the page the person is on.
func (p *Person) Location() *url.URL {
	p.t.Helper()
	u, err := url.Parse(run(p, "read the location", chromedp.Location()))
	if err != nil {
		p.t.Fatal(err)
	}
	return u
}

// Focused describes the element that has the keyboard focus: its id, or
// its tag and text when it has no id.
func (p *Person) Focused() string {
	p.t.Helper()
	return run(p, "read the focus", chromedp.Evaluate[string](
		`(() => { const e = document.activeElement; if (!e) return ""; return e.id ? "#" + e.id : e.tagName.toLowerCase() + " " + e.textContent.trim().slice(0, 40); })()`))
}

// Press sends real key events for each key (kb.Tab, kb.Enter, " ", ...) to
// the focused element, as a keyboard does: no mouse, no script.
func (p *Person) Press(keys ...string) {
	p.t.Helper()
	for _, k := range keys {
		p.do(fmt.Sprintf("press %q", k), chromedp.KeyEvent(k))
	}
	p.checkProblems()
}

// PressAndWait presses a key that loads a page (Enter on a button or in a
// form) and waits for it. It fails the test unless the status is 2xx.
func (p *Person) PressAndWait(key string) *network.Response {
	p.t.Helper()
	what := fmt.Sprintf("press %q", key)
	resp := p.wantStatus(what, p.runResponse(what, chromedp.KeyEvent(key)), 0)
	p.checkProblems()
	return resp
}

// TabTo presses Tab, as a keyboard user does, until the first element that
// matches sel has the focus (at most 60 times), and returns how many presses
// it took.
func (p *Person) TabTo(sel string) int {
	p.t.Helper()
	if p.Count(sel) == 0 {
		p.t.Fatalf("%s: TabTo(%s): no such element", p.name, sel)
	}
	isFocused := chromedp.Evaluate[bool](fmt.Sprintf(`document.activeElement === document.querySelector(%s)`, jsString(sel)))
	var path []string
	for n := 1; n <= 60; n++ {
		p.Press(kb.Tab)
		if run(p, "read the focus", isFocused) {
			return n
		}
		path = append(path, p.Focused())
	}
	p.t.Fatalf("%s: 60 presses of Tab never reached %s; the focus went: %s", p.name, sel, strings.Join(path, " → "))
	return 0
}

// Screenshot saves a full-page PNG of the person's page as name.png in the
// test's artifact folder, and returns its path.
func (p *Person) Screenshot(name string) string {
	p.t.Helper()
	png := run(p, "screenshot "+name, chromedp.FullScreenshot(100))
	path := filepath.Join(artifactDir(p.t), fileName(name)+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		p.t.Fatal(err)
	}
	return path
}

// SignIn signs in at /login with an email address (partners, facilitators)
// or a resident's name, and the password; it fails unless the page then
// offers to sign out.
func (p *Person) SignIn(login, password string) {
	p.t.Helper()
	p.Open("/login")
	p.Fill("#email", login)
	p.Fill("#password", password)
	p.ClickAndWait(`main form[action="/login"] button[type=submit]`)
	if n := p.Count(`form[action="/logout"]`); n != 1 {
		p.t.Fatalf("%s: after signing in as %s there is no sign-out button; page says: %s", p.name, login, p.mainText())
	}
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// TestHarnessSeesProblems proves the watch on every tab works, so that tests
// can trust a quiet browser: a dialog, an exception, console.error, a CSP
// violation and a missing stylesheet are each recorded, and a page that is
// itself a 404 is not.
func TestHarnessSeesProblems(t *testing.T) {
	pages := map[string]string{
		"/dialog":    `<script>alert("hello")</script>`,
		"/exception": `<script>console.error("boom"); throw new Error("thrown")</script>`,
		"/csp":       `<script>document.title = "inline ran"</script>`,
		"/style":     `<link rel="stylesheet" href="/missing.css">`,
	}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if r.URL.Path == "/csp" {
			w.Header().Set("Content-Security-Policy", "default-src 'self'") // forbids inline script
		} else {
			w.Header().Set("Content-Security-Policy", "default-src 'self' 'unsafe-inline'")
		}
		body, ok := pages[r.URL.Path]
		if !ok {
			w.WriteHeader(http.StatusNotFound)
			body = "<p>not here</p>"
		}
		fmt.Fprintf(w, "<!doctype html><title>t</title>%s", body)
	}))
	defer ts.Close()
	p := (&Site{URL: ts.URL}).newPerson(t, "watched")
	take := func() []string {
		p.mu.Lock()
		defer p.mu.Unlock()
		got := p.problems
		p.problems = nil
		return got
	}
	for path, want := range map[string]string{
		"/dialog":    "JavaScript alert dialog",
		"/exception": "console.error: boom",
		"/csp":       "Content Security Policy",
		"/style":     "missing.css",
	} {
		p.do("open "+path, chromedp.Navigate(ts.URL+path))
		got := strings.Join(take(), "\n")
		if !strings.Contains(got, want) {
			t.Errorf("%s: recorded %q, want it to mention %q", path, got, want)
		}
		if path == "/exception" && !strings.Contains(got, "thrown") {
			t.Errorf("%s: recorded %q, want the uncaught exception too", path, got)
		}
	}
	p.OpenStatus("/nowhere", http.StatusNotFound) // fails the test if anything is recorded
}

// ExpectProblems is for a step that must make the browser complain, such as
// script that the Content-Security-Policy has to block. It waits up to five
// seconds until, for each of wants, the tab's watch has recorded a problem
// that mentions it, takes those problems away, and returns them. It fails
// the test if a want never turns up. Problems that match no want stay, and
// the next step reports them as usual.
func (p *Person) ExpectProblems(wants ...string) []string {
	p.t.Helper()
	var taken []string
	missing := wants
	for deadline := time.Now().Add(5 * time.Second); ; {
		p.mu.Lock()
		var rest []string
		for _, problem := range p.problems {
			matched := false
			for _, w := range wants {
				if strings.Contains(problem, w) {
					matched = true
					break
				}
			}
			if matched {
				taken = append(taken, problem)
			} else {
				rest = append(rest, problem)
			}
		}
		p.problems = rest
		p.mu.Unlock()
		missing = missing[:0:0]
		for _, w := range wants {
			found := false
			for _, s := range taken {
				found = found || strings.Contains(s, w)
			}
			if !found {
				missing = append(missing, w)
			}
		}
		if len(missing) == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if len(missing) > 0 {
		p.t.Fatalf("%s: the browser never reported a problem mentioning %q (it reported %q)", p.name, missing, taken)
	}
	return taken
}

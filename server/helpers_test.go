package server

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strings"
	"testing"
	"time"
	"weak"

	"github.com/PuerkitoBio/goquery"
	"github.com/gorilla/securecookie"
	"golang.org/x/crypto/bcrypt"

	"wordgarden/server/model"
	"wordgarden/server/store"
	"wordgarden/server/store/storetest"
	"wordgarden/server/tally"
)

// testApp is a server on a fresh database with one person of each role.
type testApp struct {
	t           testing.TB
	srv         *Server
	store       *store.Store
	ts          *httptest.Server
	facilitator model.User
	statutory   model.User // partner at Southwark Council
	voluntary   model.User // partner at Peckham Community Hub
	resident    model.User
}

const testPassword = "correct horse battery staple"

func newTestApp(t testing.TB) *testApp {
	t.Helper()
	return newTestAppWith(t, nil)
}

// newTestAppWith is newTestApp with a change to the server's Config, such
// as a logger to read.
func newTestAppWith(t testing.TB, configure func(*Config)) *testApp {
	t.Helper()
	return newTestAppOn(t, nil, configure)
}

// newTestAppOn is newTestAppWith with options for the store, such as a
// clock to move on.
func newTestAppOn(t testing.TB, opts []store.Option, configure func(*Config)) *testApp {
	t.Helper()
	st := openTestStore(t, opts...)
	cfg := Config{
		Store:      st,
		SessionKey: []byte("a test session key that is long enough"),
		Logger:     slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	if configure != nil {
		configure(&cfg)
	}
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	a := &testApp{t: t, srv: srv, store: st, ts: httptest.NewServer(srv)}
	atEnd(t, a.ts.Close)

	ctx := context.Background()
	council, err := st.CreateOrganisation(ctx, "Southwark Council", model.Statutory)
	if err != nil {
		t.Fatal(err)
	}
	hub, err := st.CreateOrganisation(ctx, "Peckham Community Hub", model.Voluntary)
	if err != nil {
		t.Fatal(err)
	}
	a.facilitator = a.user(model.NewUser{Email: "fran@example.org", Name: "Fran", Role: model.Facilitator})
	a.statutory = a.user(model.NewUser{Email: "sam@example.org", Name: "Sam", Role: model.Partner, OrganisationID: council.ID})
	a.voluntary = a.user(model.NewUser{Email: "val@example.org", Name: "Val", Role: model.Partner, OrganisationID: hub.ID})
	peckham, err := st.CreateNeighbourhood(ctx, "Peckham")
	if err != nil {
		t.Fatal(err)
	}
	a.resident = a.user(model.NewUser{Name: "Rae", Role: model.Resident, NeighbourhoodID: peckham.ID})
	if _, err := st.ImportTerm(ctx, "Social prescribing", "Help from your GP to join local groups.",
		"Your GP can put you in touch with a [[Link worker]] and local groups. See [[Wellbeing]]."); err != nil {
		t.Fatal(err)
	}
	if _, err := st.ImportTerm(ctx, "Wellbeing", "Feeling well in body and mind.", "How well you feel, in body and mind."); err != nil {
		t.Fatal(err)
	}
	return a
}

// openTestStore opens a store on a fresh database (storetest: SQLite, or
// PostgreSQL when the run asks for it), closed when the test
// ends. It hashes passwords at bcrypt's lowest cost: at the default, the
// four accounts of a test app took most of its time.
func openTestStore(t testing.TB, opts ...store.Option) *store.Store {
	t.Helper()
	opts = append([]store.Option{store.WithPasswordCost(bcrypt.MinCost)}, opts...)
	st, err := store.Open(storetest.DSN(t), opts...)
	if err != nil {
		t.Fatal(err)
	}
	atEnd(t, func() { st.Close() })
	return st
}

// atEnd runs stop when the test ends, then lets go of it. The testing
// package keeps every parallel test's cleanups until the whole run ends (it
// shortens their slice but keeps its array), so a cleanup holding a test
// server held its parsed pages, some 50 MB a test: the race run of this
// package grew past 16 GB and stalled.
func atEnd(t testing.TB, stop func()) {
	t.Cleanup(func() {
		stop()
		stop = nil
	})
}

// openRound has the voluntary partner propose a second wording of the term
// and the facilitator open an approval round on both, closing in a week.
func (a *testApp) openRound(slug string) model.Round {
	a.t.Helper()
	ctx := context.Background()
	t, err := a.store.Term(ctx, slug)
	if err != nil {
		a.t.Fatal(err)
	}
	v, err := a.store.CreateVersion(ctx, t.ID, model.NewVersion{Markdown: "Another wording of " + t.Title + ".", Author: &a.voluntary})
	if err != nil {
		a.t.Fatal(err)
	}
	r, err := a.store.OpenRound(ctx, model.NewRound{TermID: t.ID, Candidates: []int64{t.AgreedVersionID, v.ID},
		Method: tally.Approval, ClosesAt: time.Now().Add(7 * 24 * time.Hour), Quorum: 1, ThresholdPct: 50,
		OpenedBy: a.facilitator})
	if err != nil {
		a.t.Fatal(err)
	}
	return r
}

func (a *testApp) user(nu model.NewUser) model.User {
	a.t.Helper()
	nu.Password = testPassword
	u, err := a.store.CreateUser(context.Background(), nu)
	if err != nil {
		a.t.Fatal(err)
	}
	return u
}

// client is a browser without JavaScript: it keeps cookies, does not follow
// redirects, and sends forms with the CSRF token the site gave it.
type client struct {
	t    testing.TB
	app  *testApp
	http *http.Client
	// header is added to every request, e.g. Sec-Fetch-Site.
	header http.Header
}

func (a *testApp) visitor() *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: a.t, app: a, header: http.Header{}, http: &http.Client{
		Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}}
}

// as returns a client signed in as u, with a session made directly in the
// store (signing in through the form is tested on its own).
func (a *testApp) as(u model.User) *client {
	a.t.Helper()
	c := a.visitor()
	token, err := a.store.CreateSession(context.Background(), u.ID, a.srv.ttl)
	if err != nil {
		a.t.Fatal(err)
	}
	encoded, err := securecookie.EncodeMulti(sessionName, map[any]any{tokenKey: token}, a.srv.cookies.Codecs...)
	if err != nil {
		a.t.Fatal(err)
	}
	u0, _ := url.Parse(a.ts.URL)
	c.http.Jar.SetCookies(u0, []*http.Cookie{{Name: sessionName, Value: encoded, Path: "/"}})
	return c
}

// response is what came back, with the page parsed.
type response struct {
	status int
	header http.Header
	body   string
	doc    *goquery.Document
	raw    *http.Response
}

func (r *response) cookies() []*http.Cookie { return r.raw.Cookies() }

func (c *client) do(req *http.Request) *response {
	c.t.Helper()
	for k, vs := range c.header {
		req.Header[k] = vs
	}
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(string(b)))
	if err != nil {
		c.t.Fatal(err)
	}
	return &response{status: res.StatusCode, header: res.Header, body: string(b), doc: doc, raw: res}
}

func (c *client) get(path string) *response {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodGet, c.app.ts.URL+path, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	return c.do(req)
}

// csrf returns the client's CSRF token, fetching a page first if it has none.
func (c *client) csrf() string {
	c.t.Helper()
	u, _ := url.Parse(c.app.ts.URL)
	for range 2 {
		for _, ck := range c.http.Jar.Cookies(u) {
			if ck.Name == "_csrf" {
				return ck.Value
			}
		}
		c.get("/login")
	}
	c.t.Fatal("the site gave no CSRF cookie")
	return ""
}

// post sends a form with the CSRF token.
func (c *client) post(path string, form url.Values) *response {
	c.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if !form.Has("_csrf") {
		form.Set("_csrf", c.csrf())
	}
	return c.postRaw(path, form)
}

// postRaw sends a form as it is.
func (c *client) postRaw(path string, form url.Values) *response {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodPost, c.app.ts.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// text is the trimmed, space-collapsed text of the selection.
func text(s *goquery.Selection) string {
	return strings.Join(strings.Fields(s.Text()), " ")
}

func (r *response) text(selector string) string { return text(r.doc.Find(selector)) }

// wantStatus fails the test unless the response has the status.
func (r *response) wantStatus(t *testing.T, want int) *response {
	t.Helper()
	if r.status != want {
		t.Fatalf("status = %d, want %d; page says: %.400s", r.status, want, r.text("main"))
	}
	return r
}

// wantRedirect fails the test unless the response is a 303 to the path.
func (r *response) wantRedirect(t *testing.T, to string) {
	t.Helper()
	if r.status != http.StatusSeeOther || r.header.Get("Location") != to {
		t.Fatalf("got %d to %q, want 303 to %q; page says: %.400s", r.status, r.header.Get("Location"), to, r.text("main"))
	}
}

var timeZero time.Time

func timeNowPlusWeek() time.Time { return time.Now().Add(7 * 24 * time.Hour) }

func tallyApprove(ids ...int64) tally.Ballot { return tally.Ballot{Approve: ids} }

func mustURL(raw string) *url.URL {
	u, err := url.Parse(raw)
	if err != nil {
		panic(err)
	}
	return u
}

// A finished test's app is freed while other tests still run: the testing
// package keeps a parallel subtest until its parent ends, cleanups and all.
func TestFinishedTestAppIsFreed(t *testing.T) {
	var app weak.Pointer[Server]
	t.Run("app", func(t *testing.T) {
		t.Parallel()
		app = weak.Make(newTestApp(t).srv)
	})
	t.Cleanup(func() { // after the subtest, while the testing package keeps it
		runtime.GC()
		runtime.GC()
		if app.Value() != nil {
			t.Error("the subtest's server is still held: a cleanup keeps it (use atEnd)")
		}
	})
}

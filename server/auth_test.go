package server

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
)

// wantAccess is DESIGN.md's table of who may do what, written out again by
// route. It is kept apart from routes.go on purpose: a route added there
// without a line here fails TestAuthorisationWalk.
var wantAccess = map[string][]string{
	"GET /":                               everyone,
	"GET /terms/:slug":                    everyone,
	"GET /terms/:slug/history":            everyone,
	"GET /terms/:slug/diff":               everyone,
	"GET /versions/:id":                   everyone,
	"GET /search":                         everyone,
	"GET /api/v1/terms":                   everyone,
	"GET /api/v1/terms/:slug":             everyone,
	"GET /static/*":                       everyone,
	"GET /login":                          everyone,
	"POST /login":                         everyone,
	"POST /logout":                        {"resident", "partner", "facilitator"},
	"GET /terms/new":                      {"partner", "facilitator"},
	"POST /terms":                         {"partner", "facilitator"},
	"GET /terms/:slug/propose":            {"partner", "facilitator"},
	"POST /terms/:slug/versions":          {"partner", "facilitator"},
	"GET /versions/:id/translate":         {"partner", "facilitator"},
	"POST /versions/:id/translate":        {"partner", "facilitator"},
	"GET /terms/:slug/easyread/new":       {"partner", "facilitator"},
	"POST /terms/:slug/easyread":          {"partner", "facilitator"},
	"GET /rounds":                         everyone,
	"GET /rounds/:id":                     everyone,
	"GET /rounds/:id/results":             everyone,
	"GET /rounds/:id/results.json":        everyone,
	"GET /rounds/:id/ballots.json":        everyone,
	"GET /rounds/:id/ballots.csv":         everyone,
	"GET /rounds/:id/ballots":             everyone,
	"GET /api/v1/rounds":                  everyone,
	"GET /api/v1/rounds/:id":              everyone,
	"GET /changes":                        everyone,
	"GET /feed.atom":                      everyone,
	"GET /rounds.atom":                    everyone,
	"GET /terms/:slug/feed.atom":          everyone,
	"GET /glossary/print":                 everyone,
	"GET /glossary.json":                  everyone,
	"GET /glossary.csv":                   everyone,
	"GET /glossary.jsonld":                everyone,
	"GET /join":                           everyone,
	"POST /join":                          everyone,
	"POST /rounds/:id/ballot":             {"resident"},
	"GET /admin/neighbourhoods":           {"facilitator"},
	"POST /admin/neighbourhoods":          {"facilitator"},
	"POST /admin/invites":                 {"facilitator"},
	"GET /terms/:slug/rounds/new":         {"facilitator"},
	"POST /terms/:slug/rounds":            {"facilitator"},
	"GET /rounds/:id/close":               {"facilitator"},
	"POST /rounds/:id/close":              {"facilitator"},
	"GET /rounds/:id/paper":               {"facilitator"},
	"POST /rounds/:id/paper/prints":       {"facilitator"},
	"GET /rounds/:id/paper/prints/:print": {"facilitator"},
	"POST /rounds/:id/paper/entries":      {"facilitator"},
	"POST /rounds/:id/extend":             {"facilitator"},
	"POST /rounds/:id/cancel":             {"facilitator"},
	"GET /admin":                          {"facilitator"},
	"POST /admin/organisations":           {"facilitator"},
	"POST /admin/users":                   {"facilitator"},
	"GET /admin/words":                    {"facilitator"},
	"POST /admin/words":                   {"facilitator"},
	"POST /admin/words/:id/delete":        {"facilitator"},
	"POST /versions/:id/comments":         {"resident", "partner", "facilitator"},
	"POST /comments/:id/report":           {"resident", "partner", "facilitator"},
	"POST /comments/:id/hide":             {"facilitator"},
	"GET /admin/reports":                  {"facilitator"},

	// Accounts: one's own, a forgotten password, and facilitators managing
	// everyone's (accounts_test.go).
	"GET /reset":                                       everyone,
	"POST /reset":                                      everyone,
	"GET /welcome":                                     everyone,
	"GET /account":                                     {"resident", "partner", "facilitator"},
	"POST /account/name":                               {"resident", "partner", "facilitator"},
	"POST /account/password":                           {"resident", "partner", "facilitator"},
	"GET /admin/people":                                {"facilitator"},
	"GET /admin/people/:id":                            {"facilitator"},
	"POST /admin/people/:id/name":                      {"facilitator"},
	"POST /admin/people/:id/disable":                   {"facilitator"},
	"POST /admin/people/:id/enable":                    {"facilitator"},
	"POST /admin/people/:id/sign-out":                  {"facilitator"},
	"POST /admin/people/:id/reset":                     {"facilitator"},
	"GET /admin/registrations/new":                     {"facilitator"},
	"POST /admin/registrations":                        {"facilitator"},
	"GET /admin/people/:id/export.json":                {"facilitator"},
	"GET /admin/people/:id/erase":                      {"facilitator"},
	"POST /admin/people/:id/erase":                     {"facilitator"},
	"GET /admin/organisations/:id":                     {"facilitator"},
	"POST /admin/organisations/:id/name":               {"facilitator"},
	"GET /admin/neighbourhoods/:slug":                  {"facilitator"},
	"POST /admin/neighbourhoods/:slug/name":            {"facilitator"},
	"POST /admin/neighbourhoods/:slug/invites/cancel":  {"facilitator"},
	"POST /admin/neighbourhoods/:slug/invites/reprint": {"facilitator"},

	// The API's description, the embeddable definition, and the operator's view.
	"GET /api/openapi.json":         everyone,
	"GET /api/v1/terms/:slug/embed": everyone,
	"GET /healthz":                  everyone,
	"GET /metrics":                  everyone, // and only from Config.MetricsAllow's addresses: TestMetricsAddresses
}

var everyone = []string{"visitor", "resident", "partner", "facilitator"}

func TestAuthorisationWalk(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	sp, _ := a.store.Term(context.Background(), "social-prescribing")
	round := a.openRound(sp.Slug)
	fill := strings.NewReplacer(":slug", sp.Slug, ":id", strconv.FormatInt(sp.AgreedVersionID, 10), "*", "style.css")
	fillRound := strings.NewReplacer(":id", strconv.FormatInt(round.ID, 10), ":print", "1")
	query := map[string]string{
		"GET /terms/:slug/diff": "?from=" + strconv.FormatInt(sp.AgreedVersionID, 10) + "&to=" + strconv.FormatInt(sp.AgreedVersionID, 10),
	}

	// Every GET route answers HEAD as well, under the same rule
	// (TestHeadAnswersLikeGet); the walk is of the rest.
	var routes []*echo.Route
	for _, r := range a.srv.e.Routes() {
		if r.Method == http.MethodHead {
			if a.srv.rules["HEAD "+r.Path] != a.srv.rules["GET "+r.Path] {
				t.Errorf("HEAD %s has another rule than GET", r.Path)
			}
			continue
		}
		routes = append(routes, r)
	}
	if len(routes) != len(wantAccess) {
		t.Errorf("%d routes registered, %d in wantAccess", len(routes), len(wantAccess))
	}
	for _, r := range routes {
		key := r.Method + " " + r.Path
		allowed, ok := wantAccess[key]
		if !ok {
			t.Errorf("route %s has no line in wantAccess: say who may use it", key)
			continue
		}
		if _, ok := a.srv.rules[key]; !ok {
			t.Errorf("route %s was not registered through Server.handle, so it has no access rule", key)
		}
		for _, role := range everyone {
			t.Run(key+" as "+role, func(t *testing.T) {
				c := a.visitor()
				switch role {
				case "resident":
					c = a.as(a.resident)
				case "partner":
					c = a.as(a.voluntary)
				case "facilitator":
					c = a.as(a.facilitator)
				}
				path := fill.Replace(r.Path) + query[key]
				if strings.Contains(r.Path, "rounds/:id") {
					path = fillRound.Replace(r.Path)
				}
				var res *response
				if r.Method == http.MethodGet {
					res = c.get(path)
				} else {
					res = c.post(path, url.Values{})
				}
				loc := res.header.Get("Location")
				denied := res.status == http.StatusForbidden || res.status == http.StatusUnauthorized ||
					strings.HasPrefix(loc, "/login")
				want := contains(allowed, role)
				switch {
				case want && denied:
					t.Errorf("%s was refused (%d %s), but may use it", role, res.status, loc)
				case !want && !denied:
					t.Errorf("%s was let in (%d), but may not", role, res.status)
				case !want && role == "visitor" && r.Method == http.MethodGet && loc != "/login?next="+url.QueryEscape(path):
					t.Errorf("a visitor should be sent to sign in and back, got %d to %q", res.status, loc)
				case !want && role == "visitor" && r.Method != http.MethodGet && res.status != http.StatusUnauthorized:
					t.Errorf("a visitor's POST should get 401, got %d", res.status)
				case !want && role != "visitor" && res.status != http.StatusForbidden:
					t.Errorf("%s should get 403, got %d", role, res.status)
				}
			})
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestSignInAndOut(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	c := a.visitor()

	res := c.get("/login?next=/terms/new").wantStatus(t, http.StatusOK)
	if res.doc.Find(`form[action="/login"] input[name="_csrf"]`).AttrOr("value", "") == "" {
		t.Fatal("the sign-in form has no CSRF token")
	}
	if res.doc.Find(`label[for="email"]`).Length() != 1 || res.doc.Find(`label[for="password"]`).Length() != 1 {
		t.Error("the sign-in fields have no labels")
	}
	before := c.csrf()

	res = c.post("/login", url.Values{"email": {"sam@example.org"}, "password": {"wrong password"}, "next": {"/terms/new"}})
	res.wantStatus(t, http.StatusUnauthorized)
	if !strings.Contains(res.text(".error-summary"), "do not match") {
		t.Errorf("error = %q", res.text(".error-summary"))
	}
	if v := res.doc.Find("#email").AttrOr("value", ""); v != "sam@example.org" {
		t.Errorf("the email typed is not kept: %q", v)
	}

	res = c.post("/login", url.Values{"email": {"SAM@example.org"}, "password": {testPassword}, "next": {"/terms/new"}})
	res.wantRedirect(t, "/terms/new")
	var session *http.Cookie
	for _, ck := range res.cookies() {
		switch ck.Name {
		case sessionName:
			session = ck
		case "_csrf":
			if ck.MaxAge >= 0 {
				t.Error("sign-in should drop the old CSRF token")
			}
		}
	}
	if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode || session.Secure {
		t.Fatalf("session cookie = %+v, want HttpOnly, SameSite=Lax, not Secure on plain HTTP", session)
	}
	if session.MaxAge < 24*3600 {
		t.Errorf("session cookie MaxAge = %d", session.MaxAge)
	}
	if c.csrf() == before {
		t.Error("the CSRF token did not change at sign-in")
	}
	res = c.get("/terms/new").wantStatus(t, http.StatusOK)
	if !strings.Contains(res.text("header nav"), "Sam") {
		t.Errorf("the header does not show who is signed in: %q", res.text("header nav"))
	}

	// Signing out ends the session on the server: the old cookie is worthless.
	stolen := session.Value
	c.post("/logout", nil).wantRedirect(t, "/")
	res = c.get("/terms/new")
	res.wantRedirect(t, "/login?next=%2Fterms%2Fnew")
	thief := a.visitor()
	u, _ := url.Parse(a.ts.URL)
	thief.http.Jar.SetCookies(u, []*http.Cookie{{Name: sessionName, Value: stolen, Path: "/"}})
	thief.get("/terms/new").wantRedirect(t, "/login?next=%2Fterms%2Fnew")
}

func TestSignInRotatesSession(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	c := a.as(a.voluntary)
	u, _ := url.Parse(a.ts.URL)
	old := cookieValue(c, u, sessionName)
	c.post("/login", url.Values{"email": {"sam@example.org"}, "password": {testPassword}}).wantRedirect(t, "/")
	if cookieValue(c, u, sessionName) == old {
		t.Fatal("the session cookie is the same after signing in")
	}
	res := c.get("/")
	if !strings.Contains(res.text("header nav"), "Sam") {
		t.Errorf("after signing in as Sam the header says %q", res.text("header nav"))
	}
	// The session from before is over.
	thief := a.visitor()
	thief.http.Jar.SetCookies(u, []*http.Cookie{{Name: sessionName, Value: old, Path: "/"}})
	if strings.Contains(thief.get("/").text("header nav"), "Val") {
		t.Error("the session from before sign-in still works")
	}
}

func cookieValue(c *client, u *url.URL, name string) string {
	for _, ck := range c.http.Jar.Cookies(u) {
		if ck.Name == name {
			return ck.Value
		}
	}
	return ""
}

func TestLoginRedirectStaysOnSite(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"/terms/new":           "/terms/new",
		"":                     "/",
		"https://evil.example": "/",
		"//evil.example/x":     "/",
		"/\\evil.example":      "/",
		"javascript:alert(1)":  "/",
	}
	for next, want := range tests {
		if got := localPath(next); got != want {
			t.Errorf("localPath(%q) = %q, want %q", next, got, want)
		}
	}
}

func TestFailedSignInsAreLimited(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	c := a.visitor()
	for i := range 5 {
		c.post("/login", url.Values{"email": {"sam@example.org"}, "password": {"guess " + strconv.Itoa(i)}}).
			wantStatus(t, http.StatusUnauthorized)
	}
	res := c.post("/login", url.Values{"email": {"sam@example.org"}, "password": {testPassword}})
	res.wantStatus(t, http.StatusTooManyRequests)
	if secs, err := strconv.Atoi(res.header.Get("Retry-After")); err != nil || secs <= 0 {
		t.Errorf("Retry-After = %q", res.header.Get("Retry-After"))
	}
	if !strings.Contains(res.text(".error-summary"), "Too many tries") {
		t.Errorf("message = %q", res.text(".error-summary"))
	}
	// Another account from the same address is not locked out by Sam's.
	c.post("/login", url.Values{"email": {"val@example.org"}, "password": {testPassword}}).wantRedirect(t, "/")
}

func TestCSRF(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	form := func() url.Values {
		return url.Values{"title": {"Care home"}, "markdown": {"A home where people live and get care."}}
	}

	refused := func(t *testing.T, res *response) {
		t.Helper()
		res.wantStatus(t, http.StatusForbidden)
		if !strings.Contains(res.text("main"), "reload the page") {
			t.Errorf("message = %q", res.text("main"))
		}
	}
	t.Run("no token and no Sec-Fetch-Site is refused", func(t *testing.T) {
		refused(t, a.as(a.statutory).postRaw("/terms", form()))
	})
	t.Run("a wrong token is refused", func(t *testing.T) {
		c := a.as(a.statutory)
		c.csrf()
		f := form()
		f.Set("_csrf", "not the token")
		c.postRaw("/terms", f).wantStatus(t, http.StatusForbidden)
	})
	t.Run("a token in the query string is refused", func(t *testing.T) {
		c := a.as(a.statutory)
		refused(t, c.postRaw("/terms?_csrf="+url.QueryEscape(c.csrf()), form()))
	})
	for _, site := range []string{"cross-site", "same-site"} {
		t.Run("a "+site+" browser request is refused even with a token", func(t *testing.T) {
			c := a.as(a.statutory)
			f := form()
			f.Set("_csrf", c.csrf())
			c.header.Set("Sec-Fetch-Site", site)
			refused(t, c.postRaw("/terms", f))
		})
	}
	t.Run("an old browser's request from another origin is refused even with a token", func(t *testing.T) {
		c := a.as(a.statutory)
		f := form()
		f.Set("_csrf", c.csrf())
		c.header.Set("Origin", "https://elsewhere.example")
		refused(t, c.postRaw("/terms", f))
	})
	t.Run("an old browser's request from this site needs the token", func(t *testing.T) {
		c := a.as(a.statutory)
		c.header.Set("Origin", a.ts.URL)
		refused(t, c.postRaw("/terms", form()))
	})
	if _, err := a.store.Term(context.Background(), "care-home"); err == nil {
		t.Fatal("a refused request made the term")
	}
	t.Run("a same-origin browser request needs no token", func(t *testing.T) {
		c := a.as(a.statutory)
		c.header.Set("Sec-Fetch-Site", "same-origin")
		c.postRaw("/terms", form()).wantRedirect(t, "/terms/care-home")
	})
	for title, send := range map[string]func(c *client, f url.Values) *response{
		"Carer": func(c *client, f url.Values) *response { return c.post("/terms", f) },
		"Care plan": func(c *client, f url.Values) *response {
			c.header.Set("Origin", a.ts.URL) // an old browser on this site
			return c.post("/terms", f)
		},
		"Care package": func(c *client, f url.Values) *response {
			c.header.Set("X-CSRF-Token", c.csrf())
			return c.postRaw("/terms", f)
		},
	} {
		t.Run("the token is accepted: "+title, func(t *testing.T) {
			c := a.as(a.statutory)
			f := form()
			f.Set("title", title)
			send(c, f).wantRedirect(t, "/terms/"+strings.ReplaceAll(strings.ToLower(title), " ", "-"))
		})
	}
	t.Run("pages give the token cookie, programs' answers do not", func(t *testing.T) {
		for _, fetchSite := range []string{"", "same-origin", "none"} {
			for path, want := range map[string]bool{
				"/": true, "/login": true, "/terms/care-home": true,
				"/api/v1/terms": false, "/feed.atom": false, "/glossary.json": false,
				"/healthz": false, "/metrics": false,
			} {
				c := a.visitor()
				c.header.Set("Sec-Fetch-Site", fetchSite)
				res := c.get(path).wantStatus(t, http.StatusOK)
				got := slices.ContainsFunc(res.cookies(), func(ck *http.Cookie) bool { return ck.Name == "_csrf" && ck.Value != "" })
				if got != want {
					t.Errorf("GET %s, Sec-Fetch-Site %q: CSRF cookie %v, want %v", path, fetchSite, got, want)
				}
			}
		}
	})
	t.Run("browsers are given a real token in forms", func(t *testing.T) {
		c := a.as(a.statutory)
		c.header.Set("Sec-Fetch-Site", "same-origin")
		token := c.get("/terms/new").doc.Find(`input[name="_csrf"]`).First().AttrOr("value", "")
		if len(token) < 16 || strings.Contains(token, "sec_fetch") {
			t.Errorf("form token = %q", token)
		}
	})
}

package server

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestCSRF (auth_test.go) covers the rest: no token, a wrong token, a token
// in the query string, cross-site and same-site requests with a token, and
// the ways a token is accepted.

// A CSRF token belongs to one session: it is refused in any other, and a
// cookie that this server did not make counts for nothing.
func TestCSRFTokenTiedToSession(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	term := func(title, token string) url.Values {
		return url.Values{"title": {title}, "markdown": {"A wording of " + title + "."}, "_csrf": {token}}
	}
	refused := func(t *testing.T, res *response) {
		t.Helper()
		res.wantStatus(t, http.StatusForbidden)
		if !strings.Contains(res.text("main"), "reload the page") {
			t.Errorf("message = %q", res.text("main"))
		}
	}
	u, _ := url.Parse(a.ts.URL)

	t.Run("a token from another session of the same person", func(t *testing.T) {
		// Even with the other session's cookie beside it: a signed-in
		// session's token comes from the session, not from the cookie.
		first, second := a.as(a.statutory), a.as(a.statutory)
		token := first.csrf()
		second.http.Jar.SetCookies(u, []*http.Cookie{{Name: "_csrf", Value: token, Path: "/"}})
		refused(t, second.postRaw("/terms", term("Care home", token)))
		second.http.Jar.SetCookies(u, []*http.Cookie{{Name: "_csrf", Value: "", Path: "/", MaxAge: -1}})
		second.postRaw("/terms", term("Care home", second.csrf())).wantRedirect(t, "/terms/care-home")
	})
	t.Run("a token from someone else's session", func(t *testing.T) {
		refused(t, a.as(a.voluntary).postRaw("/terms", term("Carer", a.as(a.statutory).csrf())))
	})
	t.Run("a token from another visitor", func(t *testing.T) {
		other, me := a.visitor(), a.visitor()
		me.csrf()
		refused(t, me.postRaw("/login", url.Values{"email": {"sam@example.org"}, "password": {testPassword}, "_csrf": {other.csrf()}}))
	})
	t.Run("a planted cookie and its value", func(t *testing.T) {
		// As someone who can set a cookie for the site (a neighbouring
		// subdomain, or the network on plain HTTP) would: plain double
		// submit would take it.
		v := a.visitor()
		v.http.Jar.SetCookies(u, []*http.Cookie{{Name: "_csrf", Value: "chosen.by-the-attacker", Path: "/"}})
		refused(t, v.postRaw("/login", url.Values{"email": {"sam@example.org"}, "password": {testPassword}, "_csrf": {"chosen.by-the-attacker"}}))
		v.get("/login")
		if got := cookieValue(v, u, "_csrf"); got == "chosen.by-the-attacker" || got == "" {
			t.Errorf("the next page kept the planted cookie: %q", got)
		}

		sam := a.as(a.statutory)
		sam.http.Jar.SetCookies(u, []*http.Cookie{{Name: "_csrf", Value: "chosen", Path: "/"}})
		refused(t, sam.postRaw("/terms", term("Care plan", "chosen")))
	})
	t.Run("signing in makes a new token and the old one stops working", func(t *testing.T) {
		c := a.visitor()
		before := c.csrf()
		page := c.get("/login")
		if got := page.doc.Find(`form[action="/login"] input[name="_csrf"]`).AttrOr("value", ""); got != before {
			t.Fatalf("the form's token %q is not the cookie's %q", got, before)
		}
		c.post("/login", url.Values{"email": {"sam@example.org"}, "password": {testPassword}}).wantRedirect(t, "/")
		refused(t, c.postRaw("/terms", term("Care package", before)))
		after := c.csrf()
		if after == before {
			t.Fatal("the token did not change at sign-in")
		}
		c.postRaw("/terms", term("Care package", after)).wantRedirect(t, "/terms/care-package")
	})
}

// send makes a request as a browser reaching the site through the test's
// proxy would, with the cookies given (a cookie jar sends Secure cookies
// only over HTTPS), and reads the answer.
func send(t *testing.T, a *testApp, method, path string, header http.Header, cookies []*http.Cookie, form url.Values) (*http.Response, string) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, a.ts.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for _, ck := range cookies {
		req.AddCookie(&http.Cookie{Name: ck.Name, Value: ck.Value})
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, string(b)
}

func cookieNamed(res *http.Response, name string) *http.Cookie {
	for _, ck := range res.Cookies() {
		if ck.Name == name {
			return ck
		}
	}
	return nil
}

// Only a trusted proxy says a request came over HTTPS. Then the cookies are
// Secure and named __Host-, which browsers take only from this host over
// HTTPS, and links to the site start https://.
func TestSchemeOnlyFromTrustedProxies(t *testing.T) {
	t.Parallel()
	https := http.Header{"X-Forwarded-Proto": {"https"}}
	sameOrigin := http.Header{"X-Forwarded-Proto": {"https"}, "Sec-Fetch-Site": {"same-origin"}}

	t.Run("a client that claims HTTPS", func(t *testing.T) {
		a := newTestApp(t)
		res, _ := send(t, a, http.MethodGet, "/login", https, nil, nil)
		if ck := cookieNamed(res, "_csrf"); ck == nil || ck.Secure || cookieNamed(res, "__Host-csrf") != nil {
			t.Errorf("cookies %v, want _csrf, not Secure", res.Cookies())
		}
		_, data := send(t, a, http.MethodGet, "/glossary.json", https, nil, nil)
		if !strings.Contains(data, `"url": "http://127.0.0.1:`) {
			t.Errorf("glossary.json gives the site as %.200s", data)
		}
		res, _ = send(t, a, http.MethodPost, "/login", sameOrigin, nil, signInAs("sam@example.org", testPassword))
		if ck := cookieNamed(res, sessionName); res.StatusCode != http.StatusSeeOther || ck == nil || ck.Secure {
			t.Errorf("sign-in: %d, cookies %v; want a session cookie, not Secure", res.StatusCode, res.Cookies())
		}
	})

	t.Run("a trusted proxy that says HTTPS", func(t *testing.T) {
		a := newTestAppWith(t, trustLocalProxy)
		res, _ := send(t, a, http.MethodGet, "/login", https, nil, nil)
		ck := cookieNamed(res, "__Host-csrf")
		if ck == nil || !ck.Secure || ck.Path != "/" || ck.Domain != "" || !ck.HttpOnly || cookieNamed(res, "_csrf") != nil {
			t.Errorf("cookies %v, want __Host-csrf, Secure, HttpOnly, Path=/, no Domain", res.Cookies())
		}
		_, data := send(t, a, http.MethodGet, "/glossary.json", https, nil, nil)
		if !strings.Contains(data, `"url": "https://127.0.0.1:`) {
			t.Errorf("glossary.json gives the site as %.200s", data)
		}

		// The token of a __Host-csrf cookie works; a plain _csrf cookie,
		// which anyone on the network could have planted, is not read.
		form := signInAs("sam@example.org", testPassword)
		form.Set("_csrf", ck.Value)
		res, _ = send(t, a, http.MethodPost, "/login", https, []*http.Cookie{{Name: "_csrf", Value: ck.Value}}, form)
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("a token in a plain cookie over HTTPS: %d, want 403", res.StatusCode)
		}
		res, _ = send(t, a, http.MethodPost, "/login", https, []*http.Cookie{ck}, form)
		session := cookieNamed(res, "__Host-wordgarden")
		if res.StatusCode != http.StatusSeeOther || session == nil || !session.Secure || session.Path != "/" || session.Domain != "" {
			t.Fatalf("sign-in: %d, cookies %v; want __Host-wordgarden, Secure, Path=/", res.StatusCode, res.Cookies())
		}
		if old := cookieNamed(res, "__Host-csrf"); old == nil || old.MaxAge >= 0 || !old.Secure {
			t.Errorf("sign-in should drop the old token with a Secure cookie (or browsers ignore it): %v", old)
		}
		_, page := send(t, a, http.MethodGet, "/", https, []*http.Cookie{session}, nil)
		if !strings.Contains(page, "Sam") {
			t.Error("the __Host- session cookie does not sign Sam in")
		}
		// Over plain HTTP the session cookie has its old name.
		res, _ = send(t, a, http.MethodPost, "/login", http.Header{"Sec-Fetch-Site": {"same-origin"}}, nil, signInAs("sam@example.org", testPassword))
		if ck := cookieNamed(res, sessionName); ck == nil || ck.Secure {
			t.Errorf("sign-in over HTTP: cookies %v, want %s, not Secure", res.Cookies(), sessionName)
		}
	})
}

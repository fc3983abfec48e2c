// Package server is wordgarden's web application: routes, sessions, pages
// and the JSON API, over the store.
package server

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/pprof"
	"net/netip"
	"strings"
	"sync/atomic"
	"time"
	_ "time/tzdata" // Europe/London even where the system has no zone files

	"github.com/gorilla/sessions"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"golang.org/x/sync/singleflight"

	"wordgarden"
	"wordgarden/server/model"
	"wordgarden/server/opendata"
	"wordgarden/server/plain"
	"wordgarden/server/store"
	"wordgarden/server/version"
)

// Config is what New needs.
type Config struct {
	Store *store.Store
	// SessionKey signs and encrypts session cookies; at least 32 bytes.
	SessionKey []byte
	Logger     *slog.Logger
	// SessionTTL is how long a sign-in lasts (default 30 days).
	SessionTTL time.Duration
	// LoginBurst failed sign-ins are allowed per account and address, then
	// one more every LoginRefill (defaults 5 and 1 minute). The limits per
	// address and per account follow from them (see limits.go).
	LoginBurst  int
	LoginRefill time.Duration
	// Location is the time zone dates are shown and typed in (default
	// Europe/London).
	Location *time.Location
	// SiteURL is the address the site is served at, such as
	// https://glossary.example.org. Feeds, open data and invite slips give
	// absolute addresses with it; when empty, they use the address each
	// request came to.
	SiteURL string
	// Licence is the licence the glossary's content is published under
	// (default the Open Government Licence v3.0).
	Licence opendata.Licence
	// CommentsPerMinute is how many comments one person may post in a
	// minute (default 5); more are refused with 429.
	CommentsPerMinute int
	// Version is the build's version, shown by /healthz (default
	// version.String()).
	Version string
	// MetricsAllow are the address ranges /metrics answers (default
	// DefaultMetricsAllow: this machine only).
	MetricsAllow []netip.Prefix
	// TrustedProxies are the address ranges of the proxies in front of the
	// server (default none, not even this machine). A request from one of
	// them is taken to come from the address its X-Forwarded-For names,
	// over HTTPS if its X-Forwarded-Proto says so. From anywhere else those
	// headers are ignored: limits key on the connection's address, and the
	// scheme is the connection's own.
	TrustedProxies []netip.Prefix
	// LoadTesting adds GET /_load/baseline, a fixed 6 KB page served through
	// the same middleware, which load runs measure every scenario against,
	// and GET /_load/heap, the heap profile (go tool pprof). Never in
	// production: it is open to anyone.
	LoadTesting bool
}

// Server is the web application. It is an http.Handler.
type Server struct {
	e        *echo.Echo
	store    *store.Store
	cookies  *sessions.CookieStore
	pages    *pages
	log      *slog.Logger
	ttl      time.Duration
	loc      *time.Location
	site     string // Config.SiteURL, checked; "" for each request's own
	licence  opendata.Licence
	loginIP  limiter // the limits on sign-ins and joins: limits.go
	loginFor limiter
	loginAt  limiter
	joinIP   limiter
	joinAll  limiter
	usual    recent // addresses each account signed in from
	// joinPaused is true while the ceiling on joins refuses; it is logged
	// when it starts.
	joinPaused atomic.Bool
	// authenticate checks a password: the store's, but tests count calls.
	authenticate func(ctx context.Context, login, password string) (model.User, error)
	// trusted are Config.TrustedProxies; untrustedForward is logged once.
	trusted          []netip.Prefix
	untrustedForward atomic.Bool
	// csrfKey signs CSRF tokens; it is made from the session key.
	csrfKey []byte
	// commentsPerMinute is the spam limit on comments, per person.
	commentsPerMinute int
	// rules holds the access rule of every route, by "METHOD /path".
	rules map[string]access
	cache *pageCache
	// rendering lets visitors asking for one page at once share one rendering.
	rendering singleflight.Group
	terms     dataCache[termData]
	homes     dataCache[homeData]
	// plainStates holds what the plain-language check needs (plaincheck.go).
	plainStates dataCache[plainState]
	// plainReports holds the check of each version shown, by id.
	plainReports dataCache[*plain.Report]
	// bodies holds rendered page content by page, key and role (renderShared).
	bodies  dataCache[template.HTML]
	metrics *metrics
	version string
}

// New builds the application.
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil {
		return nil, errors.New("server: no store")
	}
	if len(cfg.SessionKey) < 32 {
		return nil, errors.New("server: the session key must be at least 32 bytes")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.SessionTTL == 0 {
		cfg.SessionTTL = 30 * 24 * time.Hour
	}
	if cfg.LoginBurst == 0 {
		cfg.LoginBurst = 5
	}
	if cfg.LoginRefill == 0 {
		cfg.LoginRefill = time.Minute
	}
	if cfg.CommentsPerMinute <= 0 {
		cfg.CommentsPerMinute = 5
	}
	if cfg.Location == nil {
		loc, err := DefaultLocation()
		if err != nil {
			return nil, fmt.Errorf("server: %w", err)
		}
		cfg.Location = loc
	}
	if cfg.SiteURL != "" {
		u, err := opendata.ParseSiteURL(cfg.SiteURL)
		if err != nil {
			return nil, fmt.Errorf("server: %w", err)
		}
		cfg.SiteURL = u
	}
	if cfg.Licence == (opendata.Licence{}) {
		cfg.Licence = opendata.OGL
	}
	if cfg.Version == "" {
		cfg.Version = version.String()
	}
	if cfg.MetricsAllow == nil {
		cfg.MetricsAllow = DefaultMetricsAllow
	}
	p, err := parsePages(cfg.Location)
	if err != nil {
		return nil, err
	}
	s := &Server{
		e:       echo.New(),
		store:   cfg.Store,
		cookies: newCookieStore(cfg.SessionKey, cfg.SessionTTL),
		pages:   p,
		log:     cfg.Logger,
		ttl:     cfg.SessionTTL,
		loc:     cfg.Location,
		site:    cfg.SiteURL,
		licence: cfg.Licence,
		rules:   make(map[string]access),
		cache:   newPageCache(),
		trusted: cfg.TrustedProxies,
		csrfKey: deriveKey(cfg.SessionKey, "wordgarden csrf "),

		commentsPerMinute: cfg.CommentsPerMinute,
		version:           cfg.Version,
	}
	s.makeLimits(cfg)
	s.authenticate = cfg.Store.Authenticate
	s.metrics = newMetrics(cfg.Store, s.cache, cfg.MetricsAllow)
	s.e.IPExtractor, s.e.SchemeExtractor = proxyTrust(cfg.TrustedProxies)
	s.e.HideBanner = true
	s.e.HidePort = true
	s.e.HTTPErrorHandler = s.handleError
	s.e.Pre(middleware.RemoveTrailingSlashWithConfig(middleware.TrailingSlashConfig{
		RedirectCode: http.StatusMovedPermanently,
	}))
	s.e.Use(
		middleware.RequestID(),
		s.logRequests,
		s.warnUntrustedForward,
		middleware.Recover(),
		chooseLang,
		securityHeaders,
		apiCORS,
		etags,
		middleware.BodyLimit("1M"),
		readForm,
		s.csrf(),
		s.loadUser,
	)
	static, err := fs.Sub(wordgarden.Static, "static")
	if err != nil {
		return nil, fmt.Errorf("server: static files: %w", err)
	}
	s.routes(static)
	if cfg.LoadTesting {
		s.handle(http.MethodGet, "/_load/baseline", anyone, baseline)
		// The heap as the load left it, for `go tool pprof`.
		s.handle(http.MethodGet, "/_load/heap", anyone, echo.WrapHandler(pprof.Handler("heap")))
	}
	return s, nil
}

// DefaultLocation is the time zone dates are shown in unless Config says
// otherwise, and that exports write them in: London's.
func DefaultLocation() (*time.Location, error) {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		return nil, fmt.Errorf("time zone: %w", err)
	}
	return loc, nil
}

// ServeHTTP serves a request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.e.ServeHTTP(w, r)
}

// siteURL is the address of the site, for links that leave it (feeds, open
// data, printed slips): the configured one, else the one the request came to.
func (s *Server) siteURL(c echo.Context) string {
	if s.site != "" {
		return s.site
	}
	return c.Scheme() + "://" + c.Request().Host
}

// newCookieStore makes the session cookie store. gorilla's defaults
// (Secure, SameSite=None, readable by scripts) would break sign-in on plain
// HTTP and weaken it elsewhere, so every option is set here.
func newCookieStore(key []byte, ttl time.Duration) *sessions.CookieStore {
	cs := sessions.NewCookieStore(deriveKey(key, "wordgarden session hash "), deriveKey(key, "wordgarden session block "))
	cs.Options = &sessions.Options{
		Path:     "/",
		MaxAge:   int(ttl / time.Second),
		HttpOnly: true,
		SameSite: http.SameSiteLaxMode,
	}
	cs.MaxAge(cs.Options.MaxAge)
	return cs
}

// csrf guards every state-changing request, in two steps.
//
// http.CrossOriginProtection refuses a browser's request from elsewhere:
// one whose Sec-Fetch-Site is anything but same-origin or none (so
// same-site too: a neighbouring subdomain may not post here), or, from a
// browser too old to send that header, whose Origin is not this host.
//
// Then a browser that says Sec-Fetch-Site: same-origin is trusted on
// that. Every other client (programs, old browsers) must present its
// session's token (csrfToken), in a form field named _csrf or the
// X-CSRF-Token header. Every page is given the token in a cookie (_csrf,
// or __Host-csrf over HTTPS), and its forms the token, so a form works in
// any browser.
//
// Not echo's CSRF middleware: it gives browsers that send Sec-Fetch-Site
// a placeholder rather than a token, so the header had to be hidden from
// it on every page; and its token is whatever the cookie says, which a
// planted cookie decides.
func (s *Server) csrf() echo.MiddlewareFunc {
	crossOrigin := http.NewCrossOriginProtection()
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			r := c.Request()
			if err := crossOrigin.Check(r); err != nil {
				return csrfRefused(err)
			}
			safe := false
			switch r.Method {
			case http.MethodGet, http.MethodHead, http.MethodOptions:
				// Programs reading the API, feeds, open data, health or
				// metrics fill in no forms: they get no token cookie,
				// which would only keep shared caches from keeping the
				// answers.
				if forPrograms(r.URL.Path) {
					return next(c)
				}
				safe = true
			}
			name := csrfCookieName(c)
			token := s.csrfToken(c, name)
			if !safe && r.Header.Get(echo.HeaderSecFetchSite) != "same-origin" && !csrfTokenSent(r, token) {
				return csrfRefused(errors.New("no CSRF token, or not this session's"))
			}
			c.SetCookie(&http.Cookie{
				Name:     name,
				Value:    token,
				Path:     "/",
				MaxAge:   7 * 24 * 3600,
				Secure:   name == secureCSRFCookie,
				HttpOnly: true,
				SameSite: http.SameSiteLaxMode,
			})
			c.Set("csrf", token) // for newPage
			c.Response().Header().Add(echo.HeaderVary, echo.HeaderCookie)
			return next(c)
		}
	}
}

const (
	// csrfCookie is the name of the cookie that holds the CSRF token.
	csrfCookie = "_csrf"
	// secureCSRFCookie is its name over HTTPS: browsers keep a __Host-
	// cookie only if this host set it over HTTPS, so neither a neighbouring
	// subdomain nor someone on the network can plant one.
	secureCSRFCookie = "__Host-csrf"
)

// csrfCookieName is the name of the CSRF cookie for the request's scheme.
func csrfCookieName(c echo.Context) string {
	if c.Scheme() == "https" {
		return secureCSRFCookie
	}
	return csrfCookie
}

// csrfToken is the token the request's session must send with a state
// change: an HMAC, under a key made from the session key, of who the
// session is. Nobody can make one up, and a token from one session is
// refused in every other.
//
// A signed-in person is their session token, which is new at every sign-in,
// so the CSRF token is new too. A visitor is a random id that the token
// carries, "id.mac", kept in the CSRF cookie; a cookie this server did not
// make (its mac is wrong) is replaced by a new id.
func (s *Server) csrfToken(c echo.Context, cookieName string) string {
	if token := s.sessionToken(c); token != "" {
		return s.csrfMAC("session", token)
	}
	if ck, err := c.Request().Cookie(cookieName); err == nil {
		id, mac, ok := strings.Cut(ck.Value, ".")
		if ok && hmac.Equal([]byte(mac), []byte(s.csrfMAC("visitor", id))) {
			return ck.Value
		}
	}
	id := rand.Text()
	return id + "." + s.csrfMAC("visitor", id)
}

// csrfMAC is the HMAC of a session's kind ("session" or "visitor") and id.
func (s *Server) csrfMAC(kind, id string) string {
	m := hmac.New(sha256.New, s.csrfKey)
	m.Write([]byte(kind + "\x00" + id))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// deriveKey makes a key for one use from the session key, so that no two
// uses share one.
func deriveKey(key []byte, label string) []byte {
	k := sha256.Sum256(append([]byte(label), key...))
	return k[:]
}

// csrfTokenSent reports whether the request carries the token, in the
// posted form or the X-CSRF-Token header; not in the query string, which
// proxies log and links give away.
func csrfTokenSent(r *http.Request, token string) bool {
	for _, sent := range []string{r.PostFormValue("_csrf"), r.Header.Get(echo.HeaderXCSRFToken)} {
		if subtle.ConstantTimeCompare([]byte(sent), []byte(token)) == 1 {
			return true
		}
	}
	return false
}

// csrfRefused is the answer to a state change the CSRF check refuses,
// whichever step refused it.
func csrfRefused(err error) error {
	return echo.NewHTTPError(http.StatusForbidden,
		"This form has expired or did not come from this site. Go back, reload the page and try again.").SetInternal(err)
}

// readForm parses a posted form before the CSRF check reads it, so that a
// body over the limit is answered 413 and a broken one 400, rather than
// taken for a missing token.
func readForm(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if r.Method != http.MethodPost || !strings.HasPrefix(r.Header.Get(echo.HeaderContentType), echo.MIMEApplicationForm) {
			return next(c)
		}
		if err := r.ParseForm(); err != nil {
			if errors.Is(err, echo.ErrStatusRequestEntityTooLarge) {
				return echo.ErrStatusRequestEntityTooLarge
			}
			return badRequest("The form could not be read. Go back and send it again.")
		}
		return next(c)
	}
}

// securityHeaders sets the headers every response carries.
func securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		return next(c)
	}
}

// forPrograms reports whether path is read by programs rather than people.
func forPrograms(path string) bool {
	return strings.HasPrefix(path, "/api/") || isFeedOrData(path) || path == "/healthz" || path == "/metrics"
}

// logRequests writes one line per request and counts it in the metrics. A
// line has the route pattern, the path without its query string (which can
// carry an invite code: /join?code=...), the status, how long it took and
// the request id, which the answer carries in X-Request-Id. It never has
// form values, cookies or other headers, so no password, invite code,
// session or CSRF token is ever written down; nor addresses of people.
func (s *Server) logRequests(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		took := time.Since(start)
		r, res := c.Request(), c.Response()
		s.metrics.observe(c.Path(), r.Method, res.Status, took)
		s.log.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("method", r.Method),
			slog.String("route", c.Path()),
			slog.String("path", r.URL.Path),
			slog.Int("status", res.Status),
			slog.Float64("duration_ms", float64(took.Microseconds())/1000),
			slog.Int64("bytes", res.Size),
			slog.String("request_id", res.Header().Get(echo.HeaderXRequestID)))
		return nil
	}
}

// baselinePage is what /_load/baseline serves: 6 KB of fixed HTML.
var baselinePage = []byte("<!doctype html><title>baseline</title><p>" + strings.Repeat("wordgarden ", 558) + "</p>\n")

// baseline answers with baselinePage, to measure the cost of the echo stack
// and middleware alone.
func baseline(c echo.Context) error {
	return c.HTMLBlob(http.StatusOK, baselinePage)
}

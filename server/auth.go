package server

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/gorilla/sessions"
	"github.com/labstack/echo/v4"

	"wordgarden/server/model"
)

// access is who may use a route; see the table in DESIGN.md.
type access int

const (
	anyone       access = iota // visitors too
	signedIn                   // any signed-in user
	residents                  // residents only: vote
	writers                    // partners and facilitators: start terms, propose versions
	facilitators               // facilitators only
)

// allows reports whether u (nil for a visitor) may use a route with rule a.
func (a access) allows(u *model.User) bool {
	switch a {
	case anyone:
		return true
	case signedIn:
		return u != nil
	case residents:
		return u != nil && u.Role == model.Resident
	case writers:
		return u != nil && (u.Role == model.Partner || u.Role == model.Facilitator)
	case facilitators:
		return u != nil && u.Role == model.Facilitator
	}
	return false
}

const (
	sessionName = "wordgarden"
	// secureSessionName is the session cookie's name over HTTPS: browsers
	// keep a __Host- cookie only if this host set it over HTTPS, so neither
	// a neighbouring subdomain nor someone on the network can plant a
	// session of theirs. A cookie from before a site moved to HTTPS has the
	// old name and is not read there: its holder signs in again, once.
	secureSessionName = "__Host-wordgarden"
	userKey           = "user"  // context key of the signed-in *store.User
	tokenKey          = "token" // session value: the server-side session token
)

// sessionCookieName is the name of the session cookie for the request's
// scheme (which only a trusted proxy can say is HTTPS).
func sessionCookieName(c echo.Context) string {
	if c.Scheme() == "https" {
		return secureSessionName
	}
	return sessionName
}

// sessionToken is the server-side session token in the request's session
// cookie, or "" if it has none that this server made.
func (s *Server) sessionToken(c echo.Context) string {
	sess, err := s.cookies.Get(c.Request(), sessionCookieName(c))
	if err != nil {
		return ""
	}
	token, _ := sess.Values[tokenKey].(string)
	return token
}

// loadUser puts the signed-in user, if any, into the request context.
func (s *Server) loadUser(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if token := s.sessionToken(c); token != "" {
			u, err := s.store.SessionUser(c.Request().Context(), token)
			switch {
			case err == nil:
				c.Set(userKey, &u)
			case !errors.Is(err, model.ErrNotFound):
				return err
			}
		}
		return next(c)
	}
}

// currentUser returns the signed-in user, or nil for a visitor.
func currentUser(c echo.Context) *model.User {
	u, _ := c.Get(userKey).(*model.User)
	return u
}

// require guards a route with its access rule: visitors are sent to sign in
// (or told 401 by the API), signed-in users without the right get 403.
func require(a access) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			u := currentUser(c)
			if a.allows(u) {
				return next(c)
			}
			if u != nil {
				return echo.NewHTTPError(http.StatusForbidden, forbiddenMessage(c, a))
			}
			r := c.Request()
			if r.Method == http.MethodGet && !strings.HasPrefix(c.Path(), "/api/") {
				return c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(r.URL.RequestURI()))
			}
			return echo.NewHTTPError(http.StatusUnauthorized, tr(c, "access.sign_in_first"))
		}
	}
}

// forbiddenMessage says, on the 403 page, who may do what was refused.
func forbiddenMessage(c echo.Context, a access) string {
	switch a {
	case writers:
		return tr(c, "access.writers")
	case facilitators:
		return tr(c, "access.facilitators")
	case residents:
		return tr(c, "access.residents")
	}
	return tr(c, "access.anything")
}

// session returns the request's cookie session, new if it has none or it
// cannot be read (for example after the key changed).
func (s *Server) session(c echo.Context) *sessions.Session {
	name := sessionCookieName(c)
	sess, err := s.cookies.Get(c.Request(), name)
	if err != nil {
		sess, _ = s.cookies.New(c.Request(), name)
	}
	sess.Options.Secure = name == secureSessionName
	return sess
}

// signIn starts a fresh session for u: a new server-side token in a new
// cookie, and a new CSRF token, so nothing from before sign-in carries over.
// Messages for the next page go in here: s.flash after signIn would save the
// old session over the new one.
func (s *Server) signIn(c echo.Context, u model.User, flashes ...string) error {
	ctx := c.Request().Context()
	old := s.session(c)
	if token, ok := old.Values[tokenKey].(string); ok {
		if err := s.store.DeleteSession(ctx, token); err != nil {
			return err
		}
	}
	token, err := s.store.CreateSession(ctx, u.ID, s.ttl)
	if err != nil {
		return err
	}
	name := sessionCookieName(c)
	sess, _ := s.cookies.New(c.Request(), name)
	sess.Options.Secure = name == secureSessionName
	sess.Values = map[any]any{tokenKey: token}
	for _, f := range flashes {
		sess.AddFlash(f)
	}
	if err := sess.Save(c.Request(), c.Response()); err != nil {
		return err
	}
	expireCookie(c, csrfCookieName(c))
	return nil
}

// signOut ends the session on the server and in the browser.
func (s *Server) signOut(c echo.Context) error {
	sess := s.session(c)
	if token, ok := sess.Values[tokenKey].(string); ok {
		if err := s.store.DeleteSession(c.Request().Context(), token); err != nil {
			return err
		}
	}
	sess.Values = map[any]any{}
	sess.Options.MaxAge = -1
	if err := sess.Save(c.Request(), c.Response()); err != nil {
		return err
	}
	expireCookie(c, csrfCookieName(c))
	return nil
}

// expireCookie tells the browser to drop a cookie, replacing any value for it
// that this response was about to set.
func expireCookie(c echo.Context, name string) {
	h := c.Response().Header()
	kept := h.Values("Set-Cookie")[:0:0]
	for _, v := range h.Values("Set-Cookie") {
		if !strings.HasPrefix(v, name+"=") {
			kept = append(kept, v)
		}
	}
	h.Del("Set-Cookie")
	for _, v := range kept {
		h.Add("Set-Cookie", v)
	}
	c.SetCookie(&http.Cookie{Name: name, Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: strings.HasPrefix(name, "__Host-")}) // or browsers ignore it
}

// flash keeps a message to show on the next page.
func (s *Server) flash(c echo.Context, msg string) {
	sess := s.session(c)
	sess.AddFlash(msg)
	if err := sess.Save(c.Request(), c.Response()); err != nil {
		s.log.Warn("save flash", "err", err)
	}
}

// flashes takes the messages kept for this page.
func (s *Server) flashes(c echo.Context) []string {
	name := sessionCookieName(c)
	sess, err := s.cookies.Get(c.Request(), name)
	if err != nil {
		return nil
	}
	fs := sess.Flashes()
	if len(fs) == 0 {
		return nil
	}
	sess.Options.Secure = name == secureSessionName
	if err := sess.Save(c.Request(), c.Response()); err != nil {
		s.log.Warn("save flash", "err", err)
	}
	var msgs []string
	for _, f := range fs {
		if m, ok := f.(string); ok {
			msgs = append(msgs, m)
		}
	}
	return msgs
}

// localPath returns next if it is a path on this site, else "/": sign-in
// must not redirect people elsewhere.
func localPath(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Host != "" || u.Scheme != "" {
		return "/"
	}
	return next
}

package server

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"wordgarden/server/i18n"
)

// langCookie remembers the language a reader chose with the switcher.
const langCookie = "lang"

// chooseLang decides each request's language (i18n.Choose: ?lang=, then the
// cookie, then Accept-Language) and remembers one chosen in the address,
// so that the switcher's plain links work without JavaScript. Pages differ
// by all three, so caches are told so.
func chooseLang(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		query := r.URL.Query().Get("lang")
		// Programs (the API, feeds, open data) are answered by the address
		// and Accept-Language alone, as their Vary says: a cookie a
		// browser happens to send along does not change them.
		cookie := ""
		if ck, err := r.Cookie(langCookie); err == nil && !forPrograms(r.URL.Path) {
			cookie = ck.Value
		}
		lang := i18n.Choose(query, cookie, r.Header.Get("Accept-Language"))
		if q, ok := i18n.ByCode(query); ok && q.Code != cookie && !forPrograms(r.URL.Path) {
			c.SetCookie(&http.Cookie{
				Name:     langCookie,
				Value:    q.Code,
				Path:     "/",
				MaxAge:   365 * 24 * 3600,
				HttpOnly: true,
				SameSite: http.SameSiteLaxMode,
				Secure:   c.Scheme() == "https",
			})
		}
		c.Set("lang", lang)
		h := c.Response().Header()
		h.Add(echo.HeaderVary, "Accept-Language")
		h.Add(echo.HeaderVary, echo.HeaderCookie)
		return next(c)
	}
}

// langOf is the request's language (English before chooseLang has run).
func langOf(c echo.Context) i18n.Lang {
	if l, ok := c.Get("lang").(i18n.Lang); ok {
		return l
	}
	return i18n.English
}

// tr says a message of the catalogue in the request's language.
func tr(c echo.Context, id string, args ...any) string {
	return i18n.For(langOf(c)).T(id, args...)
}

// moment writes a time and day in the request's language and the site's
// time zone.
func (s *Server) moment(c echo.Context, t time.Time) string {
	return i18n.For(langOf(c)).Moment(t.In(s.loc))
}

// langLink is one language in the switcher.
type langLink struct {
	Code, Name, Href string
	Current          bool
}

// langLinks are the switcher's links: this page in each language.
func langLinks(c echo.Context) []langLink {
	cur := langOf(c)
	u := *c.Request().URL
	links := make([]langLink, len(i18n.Languages))
	for i, l := range i18n.Languages {
		q := u.Query()
		q.Set("lang", l.Code)
		links[i] = langLink{Code: l.Code, Name: l.Name, Href: u.Path + "?" + q.Encode(), Current: l.Code == cur.Code}
	}
	return links
}

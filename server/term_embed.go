package server

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"wordgarden/server/i18n"
	"wordgarden/server/model"
)

// embedCSP is the Content-Security-Policy of the embedded definition: like
// every page's, but any site may frame it, and it needs nothing but its
// own stylesheet.
const embedCSP = "default-src 'none'; style-src 'self'; img-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors *"

// frameable lets any site show a route in a frame, overriding the
// frame-ancestors 'none' and X-Frame-Options: DENY every other answer
// carries (securityHeaders). It goes around s.shared, so that answers from
// the page cache get the same headers.
func frameable(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", embedCSP)
		h.Del("X-Frame-Options")
		return next(c)
	}
}

// embedView is what the embedded definition shows; a zero Term is a term
// that does not exist.
type embedView struct {
	Lang       i18n.Lang // the language it is shown in (?lang=, as on any page)
	Term       model.Term
	Agreed     *model.Version
	Provenance *model.Provenance
}

// termEmbed is a term's agreed wording alone, with where it came from and a
// link to its page, for a council or NHS page to show in an iframe. Its
// links open in a new tab (and say so where it matters): the site's own
// pages may not be framed.
func (s *Server) termEmbed(c echo.Context) error {
	d, err := s.termData(c, c.Param("slug"))
	if errors.Is(err, model.ErrNotFound) {
		return s.renderEmbed(c, http.StatusNotFound, embedView{})
	}
	if err != nil {
		return err
	}
	v := embedView{Term: d.Term, Provenance: d.Provenance}
	if d.Agreed != nil {
		agreed := *d.Agreed // a copy: d is shared with term pages
		agreed.HTML = linksInNewTab(agreed.HTML)
		v.Agreed = &agreed
	}
	return s.renderEmbed(c, http.StatusOK, v)
}

// linksInNewTab makes the links in a stored wording (wiki links to other
// terms) open in a new tab, since the pages they lead to refuse to be
// framed. The wording was sanitised when it was stored, so "<a " starts a
// link and nothing else: any "<" in text or attributes is escaped.
func linksInNewTab(html string) string {
	return strings.ReplaceAll(html, "<a ", `<a target="_blank" `)
}

// renderEmbed writes the embed page, which has no site layout around it.
func (s *Server) renderEmbed(c echo.Context, status int, v embedView) error {
	var buf bytes.Buffer
	v.Lang = langOf(c)
	t, err := s.pages.get(v.Lang, "term_embed")
	if err != nil {
		return err
	}
	if err := t.ExecuteTemplate(&buf, "term_embed", v); err != nil {
		return fmt.Errorf("render embed: %w", err)
	}
	return c.HTMLBlob(status, buf.Bytes())
}

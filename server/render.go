package server

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"wordgarden/server/i18n"
	"wordgarden/server/model"
	"wordgarden/server/plain"
)

//go:embed templates/*.html
var templateFiles embed.FS

// pages holds, for each language, one template set per page: the layout
// plus that page, with the functions that write words bound to the
// language's catalogue.
type pages struct {
	byLang map[string]map[string]*template.Template
}

// get returns the page's templates in the language.
func (p *pages) get(l i18n.Lang, name string) (*template.Template, error) {
	t, ok := p.byLang[l.Code][name]
	if !ok {
		return nil, fmt.Errorf("render: no page %q", name)
	}
	return t, nil
}

// templateFuncs are the functions pages may call: words from lz's
// catalogue, and times shown in loc.
func templateFuncs(loc *time.Location, lz *i18n.Localizer) template.FuncMap {
	return template.FuncMap{
		// t says a message of the catalogue: {{t "signin.title"}}, or with
		// placeholders {{t "round.voted" "Count" .Ballots}}.
		"t": lz.T,
		// trusted marks HTML that the store rendered and sanitised when the
		// version was written, or that package chart built from escaped
		// text. Never use it on anything else.
		"trusted":  func(s string) template.HTML { return template.HTML(s) },
		"date":     func(t time.Time) string { return lz.Date(t.In(loc)) },
		"time":     func(t time.Time) string { return lz.Moment(t.In(loc)) },
		"clock":    func(t time.Time) string { return lz.Clock(t.In(loc)) },
		"datetime": func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		"number":   lz.Number,
		"sector":   func(s model.Sector) string { return sectorWord(lz, s) },
		"percent":  func(f float64) string { return percentWord(lz, f) },
		"flags":    func(r *plain.Report) string { return flagList(lz, r) },
		"kind":     func(k model.CommentKind) string { return kindWord(lz, k) },
		"comments": func(n model.CommentCounts) string { return commentCounts(lz, n) },
		// lang marks content written in a language other than the page's,
		// so that screen readers read it in that language and right-to-left
		// pages keep it left to right: <div class="wording"{{lang .Lang}}>,
		// or {{lang "en"}} for terms' titles and summaries, which are
		// English. It says nothing on a page in the same language.
		"lang": func(code string) template.HTMLAttr { return contentLang(lz.Lang, code) },
	}
}

// contentLang is the lang and dir attributes of content in the language
// code on a page in the language page, or nothing when they are the same.
func contentLang(page i18n.Lang, code string) template.HTMLAttr {
	if code == "" {
		code = model.SourceLang
	}
	l, ok := i18n.ByCode(code)
	if !ok || l.Code == page.Code {
		return ""
	}
	return template.HTMLAttr(` lang="` + l.HTML + `" dir="` + l.Dir + `"`)
}

// parsePages parses every page once for each language.
func parsePages(loc *time.Location) (*pages, error) {
	names, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		return nil, err
	}
	p := &pages{byLang: make(map[string]map[string]*template.Template)}
	for _, l := range i18n.Languages {
		// The layout and the partials (files starting with "_") go into
		// every page.
		layout, err := template.New("layout.html").Funcs(templateFuncs(loc, i18n.For(l))).ParseFS(templateFiles,
			"templates/layout.html", "templates/_*.html")
		if err != nil {
			return nil, fmt.Errorf("parse layout: %w", err)
		}
		set := make(map[string]*template.Template)
		for _, name := range names {
			base := path.Base(name)
			if base == "layout.html" || strings.HasPrefix(base, "_") {
				continue
			}
			t, err := template.Must(layout.Clone()).ParseFS(templateFiles, name)
			if err != nil {
				return nil, fmt.Errorf("parse %s: %w", name, err)
			}
			set[strings.TrimSuffix(base, ".html")] = t
		}
		p.byLang[l.Code] = set
	}
	return p, nil
}

// page is what every page's data starts with.
type page struct {
	Title   string
	User    *model.User
	CSRF    string
	Flashes []string
	Path    string
	// Lang is the page's language; Langs the switcher's links to the page
	// in every language.
	Lang  i18n.Lang
	Langs []langLink
	Query string // the search box's text
	// Body, when set, is the page's content already rendered (see
	// renderShared); the layout shows it instead of the "content" template.
	Body template.HTML
	// Feeds are the Atom feeds of what the page shows, for feed readers
	// and browsers to find.
	Feeds []feedLink
}

// feedLink is a page's Atom feed.
type feedLink struct {
	Title string
	Href  string
}

// CanWrite reports whether the viewer may start terms and propose versions.
func (p page) CanWrite() bool { return writers.allows(p.User) }

// IsFacilitator reports whether the viewer is a facilitator.
func (p page) IsFacilitator() bool { return facilitators.allows(p.User) }

// newPage fills in what every page needs.
func (s *Server) newPage(c echo.Context, title string) page {
	token, _ := c.Get("csrf").(string)
	return page{
		Title:   title,
		User:    currentUser(c),
		CSRF:    token,
		Flashes: s.flashes(c),
		Path:    c.Request().URL.Path,
		Lang:    langOf(c),
		Langs:   langLinks(c),
	}
}

// render writes a page. The page is rendered into a buffer first, so that a
// template error becomes a proper error page rather than half a page.
func (s *Server) render(c echo.Context, status int, name string, data any) error {
	return s.renderWith(c, status, name, data, "private, no-cache")
}

// renderNoStore is render for a page that must not be kept anywhere, such
// as one showing a code that works once: not in the browser's history
// cache, not by a proxy.
func (s *Server) renderNoStore(c echo.Context, status int, name string, data any) error {
	return s.renderWith(c, status, name, data, "no-store")
}

func (s *Server) renderWith(c echo.Context, status int, name string, data any, cacheControl string) error {
	t, err := s.pages.get(langOf(c), name)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", data); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	c.Response().Header().Set("Cache-Control", cacheControl)
	return c.HTMLBlob(status, buf.Bytes())
}

// renderShared renders a page whose content is the same for everyone with
// the same role, such as a term page: the content is rendered once per store
// generation and kept under key, and only the layout around it (the header
// with the viewer's name, the messages) is rendered for each request. The
// content must hold no form with a CSRF token. data is a pointer to the
// page's view, and p points to the page inside it.
func (s *Server) renderShared(c echo.Context, name, key string, p *page, data any) error {
	lang := langOf(c)
	t, err := s.pages.get(lang, name)
	if err != nil {
		return err
	}
	gen := s.store.Generation()
	key = name + "|" + key + "|" + roleOf(p.User) + "|" + lang.Code
	body, ok := s.bodies.get(gen, key)
	if !ok {
		var buf bytes.Buffer
		if err := t.ExecuteTemplate(&buf, "content", data); err != nil {
			return fmt.Errorf("render %s: %w", name, err)
		}
		body = template.HTML(buf.String())
		s.bodies.put(gen, key, body)
	}
	p.Body = body
	return s.render(c, http.StatusOK, name, data)
}

// roleOf names what a viewer may do, for keeping content per role.
func roleOf(u *model.User) string {
	if u == nil {
		return "visitor"
	}
	return string(u.Role)
}

// formError is a form's error message for one field. Prefix tells apart
// the ids of fields when one page has several forms.
type formError struct {
	Prefix  string
	Field   string
	Message string
}

// For reports whether the error is about the field whose id is id (Prefix
// and Field), so that a template can mark that field aria-invalid and
// point its aria-describedby at the message. It is false for no error.
func (e *formError) For(id string) bool { return e != nil && e.Prefix+e.Field == id }

// redirect answers a successful POST.
func redirect(c echo.Context, to string) error {
	return c.Redirect(http.StatusSeeOther, to)
}

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

	"wordgarden/server/model"
)

//go:embed templates/*.html
var templateFiles embed.FS

// pages holds one template set per page: the layout plus that page.
type pages struct {
	byName map[string]*template.Template
}

// timeLayout is how pages show a moment, such as a vote's closing time.
const timeLayout = "3:04pm, Monday 2 January 2006"

// templateFuncs are the functions pages may call; times show in loc.
func templateFuncs(loc *time.Location) template.FuncMap {
	return template.FuncMap{
		// trusted marks HTML that the store rendered and sanitised when the
		// version was written, or that package chart built from escaped
		// text. Never use it on anything else.
		"trusted":  func(s string) template.HTML { return template.HTML(s) },
		"date":     func(t time.Time) string { return t.In(loc).Format("2 January 2006") },
		"time":     func(t time.Time) string { return t.In(loc).Format(timeLayout) },
		"clock":    func(t time.Time) string { return t.In(loc).Format("3:04pm") },
		"datetime": func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		"sector":   func(s model.Sector) string { return s.Label() },
		"percent":  func(f float64) string { return fmt.Sprintf("%.0f%%", f*100) },
		"flags":    flagList,
		"plural":   plural,
		"kind":     func(k model.CommentKind) string { return k.Label() },
		"comments": describeCounts,
	}
}

// plural is "1 vote" or "2 votes".
func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

func parsePages(loc *time.Location) (*pages, error) {
	// The layout and the partials (files starting with "_") go into every page.
	layout, err := template.New("layout.html").Funcs(templateFuncs(loc)).ParseFS(templateFiles,
		"templates/layout.html", "templates/_*.html")
	if err != nil {
		return nil, fmt.Errorf("parse layout: %w", err)
	}
	names, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		return nil, err
	}
	p := &pages{byName: make(map[string]*template.Template)}
	for _, name := range names {
		base := path.Base(name)
		if base == "layout.html" || strings.HasPrefix(base, "_") {
			continue
		}
		t, err := template.Must(layout.Clone()).ParseFS(templateFiles, name)
		if err != nil {
			return nil, fmt.Errorf("parse %s: %w", name, err)
		}
		p.byName[strings.TrimSuffix(base, ".html")] = t
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
	Query   string // the search box's text
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
	}
}

// render writes a page. The page is rendered into a buffer first, so that a
// template error becomes a proper error page rather than half a page.
func (s *Server) render(c echo.Context, status int, name string, data any) error {
	t, ok := s.pages.byName[name]
	if !ok {
		return fmt.Errorf("render: no page %q", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", data); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	c.Response().Header().Set("Cache-Control", "private, no-cache")
	return c.HTMLBlob(status, buf.Bytes())
}

// renderShared renders a page whose content is the same for everyone with
// the same role, such as a term page: the content is rendered once per store
// generation and kept under key, and only the layout around it (the header
// with the viewer's name, the messages) is rendered for each request. The
// content must hold no form with a CSRF token. data is a pointer to the
// page's view, and p points to the page inside it.
func (s *Server) renderShared(c echo.Context, name, key string, p *page, data any) error {
	t, ok := s.pages.byName[name]
	if !ok {
		return fmt.Errorf("render: no page %q", name)
	}
	gen := s.store.Generation()
	key = name + "|" + key + "|" + roleOf(p.User)
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

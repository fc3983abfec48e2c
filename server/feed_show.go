package server

import (
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"wordgarden/server/atom"
	"wordgarden/server/i18n"
	"wordgarden/server/model"
)

// feedAll is the Atom feed of every change.
func (s *Server) feedAll(c echo.Context) error {
	return s.feed(c, tr(c, allChangesFeed.Title), allChangesFeed.Href, "/changes", model.ChangeQuery{}, time.Time{})
}

// feedRounds is the Atom feed of votes opening and closing.
func (s *Server) feedRounds(c echo.Context) error {
	f, _ := changeFilterNamed("rounds")
	return s.feed(c, tr(c, roundsFeed.Title), roundsFeed.Href, "/rounds",
		model.ChangeQuery{Kinds: f.Kinds}, time.Time{})
}

// feedTerm is the Atom feed of one term: its new wordings and its votes,
// for following a term the way people watch a wiki page.
func (s *Server) feedTerm(c echo.Context) error {
	t, err := s.store.Term(c.Request().Context(), c.Param("slug"))
	if err != nil {
		return err
	}
	return s.feed(c, tr(c, "feed.term", "Title", t.Title), "/terms/"+t.Slug+"/feed.atom", "/terms/"+t.Slug,
		model.ChangeQuery{TermID: t.ID}, t.CreatedAt)
}

// feed answers with the newest changes that q picks as an Atom feed. self is
// the feed's own path and page the page that shows the same changes; since
// is the feed's time while it has no entries (zero: now).
func (s *Server) feed(c echo.Context, title, self, page string, q model.ChangeQuery, since time.Time) error {
	q.Limit = changesPageSize
	list, err := s.store.Changes(c.Request().Context(), q)
	if err != nil {
		return err
	}
	site := s.siteURL(c)
	lz := i18n.For(langOf(c))
	f := atom.Feed{
		Base:  site + "/",
		Lang:  lz.Lang.HTML,
		ID:    site + self,
		Title: title,
		Links: []atom.Link{
			{Rel: "self", Type: "application/atom+xml", Href: site + self},
			{Rel: "alternate", Type: "text/html", Href: site + page},
			{Rel: "license", Href: s.licence.URL, Title: s.licence.Name},
		},
		Author:  &atom.Person{Name: "wordgarden", URI: site + "/"},
		Rights:  lz.T("feed.rights", "Licence", s.licence.Name),
		Updated: since,
	}
	if f.Updated.IsZero() {
		f.Updated = time.Now().Truncate(time.Second)
	}
	if len(list) > 0 {
		f.Updated = list[0].At
	}
	for _, ch := range list {
		e, err := s.feedEntry(lz, site, ch)
		if err != nil {
			return err
		}
		f.Entries = append(f.Entries, e)
	}
	body, err := atom.Marshal(f)
	if err != nil {
		return err
	}
	return c.Blob(http.StatusOK, atom.ContentType, body)
}

// feedEntry tells a change as an Atom entry. Its id is a tag: URI named for
// the thing that changed, so it stays the same however often it is read.
func (s *Server) feedEntry(lz *i18n.Localizer, site string, ch model.Change) (atom.Entry, error) {
	ci := s.describeChange(lz, ch)
	specific := string(ch.Kind) + "/" + strconv.FormatInt(ch.ID, 10)
	switch ch.Kind {
	case model.ChangeOpened, model.ChangeClosed, model.ChangeSettled:
		specific = "round/" + strconv.FormatInt(ch.RoundID, 10) + "/" + string(ch.Kind)
	}
	id, err := atom.TagURI(site, ch.At, specific)
	if err != nil {
		return atom.Entry{}, err
	}
	e := atom.Entry{
		ID:         id,
		Title:      lz.T("feed.entry", "Label", ci.Label, "Term", ch.TermTitle),
		Updated:    ch.At,
		Published:  ch.At,
		Links:      []atom.Link{{Rel: "alternate", Type: "text/html", Href: site + ci.Href}},
		Author:     &atom.Person{Name: "wordgarden"},
		Categories: []atom.Category{{Term: string(ch.Kind), Label: ci.Label}},
		Summary:    &atom.Text{Type: "text", Body: ci.Summary},
	}
	if ch.Version.ID != 0 {
		name := ch.Version.AuthorName
		if ch.Version.OrganisationName != "" {
			name += ", " + ch.Version.OrganisationName
		}
		e.Author = &atom.Person{Name: name}
		// The wording as the site shows it: rendered and sanitised when it
		// was written. Its links to terms are relative, read against the
		// feed's xml:base.
		e.Content = &atom.Text{Type: "html", Body: ch.Version.HTML}
	}
	return e, nil
}

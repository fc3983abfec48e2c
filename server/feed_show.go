package server

import (
	"net/http"
	"strconv"
	"strings"
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
// In a language the term has a current agreed wording in, the feed calls
// the term by its title in that language.
func (s *Server) feedTerm(c echo.Context) error {
	ctx := c.Request().Context()
	t, err := s.store.Term(ctx, c.Param("slug"))
	if err != nil {
		return err
	}
	title := t.Title
	if lang := langOf(c).Code; model.TranslationLang(lang) {
		agreed, err := s.store.AgreedTranslations(ctx, t.ID)
		if err != nil {
			return err
		}
		for _, a := range agreed {
			if a.Version.Lang == lang && !a.Version.OutOfDate(t) {
				title = a.Version.Title
			}
		}
	}
	return s.feed(c, tr(c, "feed.term", "Title", title), "/terms/"+t.Slug+"/feed.atom", "/terms/"+t.Slug,
		model.ChangeQuery{TermID: t.ID}, t.CreatedAt)
}

// feed answers with the newest changes that q picks as an Atom feed. self is
// the feed's own path and page the page that shows the same changes; since
// is the feed's time while it has no entries (zero: now).
//
// A feed is in one language (langOf): its words, and the changes it
// carries: in English every change, in another language the changes of
// English wordings, which every translation follows, and of wordings in
// its language (model.ChangeQuery.Lang). A feed in another language is a
// feed of its own: its id and links carry ?lang=.
func (s *Server) feed(c echo.Context, title, self, page string, q model.ChangeQuery, since time.Time) error {
	lang := langOf(c)
	q.Limit, q.Lang = changesPageSize, lang.Code
	list, err := s.store.Changes(c.Request().Context(), q)
	if err != nil {
		return err
	}
	site := s.siteURL(c)
	lz := i18n.For(lang)
	f := atom.Feed{
		Base:  site + "/",
		Lang:  lz.Lang.HTML,
		ID:    site + inLang(self, lang),
		Title: title,
		Links: []atom.Link{
			{Rel: "self", Type: "application/atom+xml", Href: site + inLang(self, lang)},
			{Rel: "alternate", Type: "text/html", Href: site + inLang(page, lang), HrefLang: lang.HTML},
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
		e, err := s.feedEntry(lz, site, ch, lang)
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
// A translation's entry calls the term by its title in the translation's
// language. A wording in another language than the feed's (a translation
// in the English feed, the English in a Spanish one) is marked with its
// own, and so is its summary when that is the wording's.
func (s *Server) feedEntry(lz *i18n.Localizer, site string, ch model.Change, lang i18n.Lang) (atom.Entry, error) {
	wordingLang := ""
	if ch.Version.ID != 0 {
		if l, ok := i18n.ByCode(ch.Version.Lang); ok && l.Code != lang.Code {
			wordingLang = l.HTML
		}
		if ch.Version.Translation() && ch.Version.Title != "" {
			ch.TermTitle = ch.Version.Title
		}
	}
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
		Links:      []atom.Link{{Rel: "alternate", Type: "text/html", Href: site + inLang(ci.Href, lang)}},
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
		e.Content = &atom.Text{Type: "html", Lang: wordingLang, Body: ch.Version.HTML}
		if ch.Kind == model.ChangeTerm || ch.Kind == model.ChangeVersion {
			e.Summary.Lang = wordingLang // the wording's own summary
		}
	}
	return e, nil
}

// inLang is a path on the site in lang: with ?lang= for a language other
// than English, before any #fragment.
func inLang(path string, lang i18n.Lang) string {
	if lang.Code == i18n.English.Code {
		return path
	}
	path, frag, hasFrag := strings.Cut(path, "#")
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	path += sep + "lang=" + lang.Code
	if hasFrag {
		path += "#" + frag
	}
	return path
}

package server

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/labstack/echo/v4"
	"golang.org/x/text/collate"

	"wordgarden/server/i18n"
	"wordgarden/server/model"
	"wordgarden/server/opendata"
)

// letterGroup is the terms under one letter of the A–Z index.
type letterGroup struct {
	Letter string
	Terms  []indexTerm
}

// indexTerm is a term of the A–Z index, titled and summed up in the
// reader's language where it has a current agreed wording in it, else in
// English.
type indexTerm struct {
	model.Term
	Lang string // the language of Title and Summary
}

// The whole A–Z index is shown on the home page while the glossary is
// small; a larger one is shown a letter at a time, indexPageSize terms a page.
const (
	fullIndexMax  = 150
	indexPageSize = 100
)

type homeView struct {
	page
	Letters  []letterGroup // the letters the index has, for the letter links
	Shown    []letterGroup // the terms shown on this page, by letter
	ByLetter bool          // the index is shown a letter at a time
	Letter   string
	Next     int // the next page of this letter, or 0
	Prev     int // the previous page, or 0
	Recent   []model.Term
	Licence  opendata.Licence
	Open     []model.Round // the votes open now, soonest to close first
}

// homeData is the index and recent changes, the same for everyone who
// reads the page in one language.
type homeData struct {
	letters []letterGroup
	total   int
	recent  []model.Term
	// open are the rounds taking ballots: the same for everyone, and the
	// store's generation moves when one opens, closes, is extended or
	// cancelled, or reaches its closing time.
	open []model.Round
}

// homeShow is the votes open now, the A–Z index of the glossary and what
// changed lately.
func (s *Server) homeShow(c echo.Context) error {
	gen := s.store.Generation()
	lang := langOf(c)
	d, ok := s.homes.get(gen, lang.Code)
	if !ok {
		ctx := c.Request().Context()
		terms, err := s.indexTerms(ctx, lang)
		if err != nil {
			return err
		}
		recent, err := s.store.RecentTerms(ctx, 8)
		if err != nil {
			return err
		}
		open, err := s.store.OpenRounds(ctx)
		if err != nil {
			return err
		}
		d = homeData{letters: byLetter(terms), total: len(terms), recent: recent, open: open}
		s.homes.put(gen, lang.Code, d)
	}
	v := homeView{page: s.newPage(c, tr(c, "home.title")), Letters: d.letters, Shown: d.letters, Recent: d.recent, Licence: s.licence, Open: d.open}
	v.Feeds = []feedLink{{Title: tr(c, "feed.all"), Href: "/feed.atom"}}
	if d.total <= fullIndexMax {
		return s.render(c, http.StatusOK, "home_show", v)
	}
	v.ByLetter = true
	v.Letter = c.QueryParam("letter")
	if v.Letter == "" && len(d.letters) > 0 {
		v.Letter = d.letters[0].Letter
	}
	i := slices.IndexFunc(d.letters, func(g letterGroup) bool { return g.Letter == v.Letter })
	if i < 0 {
		return notFound(tr(c, "home.no_letter", "Letter", v.Letter))
	}
	terms := d.letters[i].Terms
	pageNo := 1
	if raw := c.QueryParam("page"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || (n-1)*indexPageSize >= len(terms) {
			return notFound(tr(c, "home.no_page"))
		}
		pageNo = n
	}
	end := min(pageNo*indexPageSize, len(terms))
	v.Shown = []letterGroup{{Letter: v.Letter, Terms: terms[(pageNo-1)*indexPageSize : end]}}
	if end < len(terms) {
		v.Next = pageNo + 1
	}
	if pageNo > 1 {
		v.Prev = pageNo - 1
	}
	if v.Letter != d.letters[0].Letter || pageNo > 1 {
		v.Title = tr(c, "home.title_letter", "Letter", v.Letter)
	}
	return s.render(c, http.StatusOK, "home_show", v)
}

// indexTerms is every term for the A–Z index in lang, sorted by title in
// that language's order.
func (s *Server) indexTerms(ctx context.Context, lang i18n.Lang) ([]indexTerm, error) {
	terms, err := s.store.Terms(ctx) // A–Z in English
	if err != nil {
		return nil, err
	}
	out := make([]indexTerm, len(terms))
	for i, t := range terms {
		out[i] = indexTerm{Term: t, Lang: model.SourceLang}
	}
	if lang.Code == model.SourceLang {
		return out, nil
	}
	entries, err := s.store.AgreedGlossary(ctx)
	if err != nil {
		return nil, err
	}
	here := make(map[string]opendata.Wording)
	for i := range entries {
		if w := opendata.Wordings(&entries[i], lang.Code)[0]; !w.Fallback {
			here[w.Entry.Term.Slug] = w
		}
	}
	if len(here) == 0 {
		return out, nil
	}
	for i := range out {
		if w, ok := here[out[i].Slug]; ok {
			out[i].Title, out[i].Summary, out[i].Lang = w.Title, w.Version.Summary, w.Lang
		}
	}
	col := collate.New(lang.Tag(), collate.IgnoreCase)
	slices.SortStableFunc(out, func(a, b indexTerm) int { return col.CompareString(a.Title, b.Title) })
	return out, nil
}

// byLetter groups terms, already sorted A–Z, by their first letter, its
// accent set aside (Ó goes under O).
func byLetter(terms []indexTerm) []letterGroup {
	var groups []letterGroup
	for _, t := range terms {
		letter := baseLetter(letterOf(t.Title))
		if n := len(groups); n == 0 || groups[n-1].Letter != letter {
			groups = append(groups, letterGroup{Letter: letter})
		}
		groups[len(groups)-1].Terms = append(groups[len(groups)-1].Terms, t)
	}
	return groups
}

// letterOf is the letter of the A–Z a title goes under; titles that start
// with a digit or symbol go under "#".
func letterOf(title string) string {
	for _, r := range title {
		if unicode.IsLetter(r) {
			return strings.ToUpper(string(r))
		}
		break
	}
	return "#"
}

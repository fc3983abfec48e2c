package server

import (
	"context"
	"errors"
	"hash/fnv"
	"net/http"

	"github.com/labstack/echo/v4"

	"wordgarden/server/model"
	"wordgarden/server/plain"
	"wordgarden/server/slug"
)

type termView struct {
	page
	termData
	// Here are the wordings in the reader's language, when it is not
	// English: the page shows their agreed one instead of the English, or
	// says there is none yet.
	Here *languageWordings
}

// AgreedHere reports whether the page shows the agreed wording in the
// reader's language rather than the English one.
func (v termView) AgreedHere() bool { return v.Here != nil && v.Here.Agreed != nil }

// termData is what a term page shows, the same for everyone who reads it.
type termData struct {
	Term       model.Term
	Agreed     *model.Version
	Provenance *model.Provenance // how residents chose the agreed wording
	OpenRound  *model.Round
	Proposed   []model.Version
	UsedIn     []model.Term
	Comments   map[int64]model.CommentCounts // by version id
	// Translations are the term's wordings in other languages, by
	// language (translations.go).
	Translations []languageWordings
	// EasyRead is the term's Easy Read version, shown beside the agreed
	// wording, and EasyReadCheck its plain-language check against the
	// Easy Read target.
	EasyRead      *model.EasyRead
	EasyReadCheck *plain.Report
}

type missingTermView struct {
	page
	Slug     string
	Title    string // a guess at the title, from the slug
	WantedBy []model.Term
}

// termShow is a term's page: the agreed wording first, then every other
// proposed wording, in an order that favours neither sector.
func (s *Server) termShow(c echo.Context) error {
	sl := c.Param("slug")
	d, err := s.termData(c, sl)
	if errors.Is(err, model.ErrNotFound) {
		return s.termMissing(c, sl)
	}
	if err != nil {
		return err
	}
	here := readersWordings(c, d)
	title := d.Term.Title
	if here != nil && here.Agreed != nil {
		title = here.Agreed.Version.Title
	}
	v := &termView{page: s.newPage(c, title), termData: d, Here: here}
	v.Feeds = []feedLink{
		{Title: tr(c, "feed.term", "Title", title), Href: "/terms/" + d.Term.Slug + "/feed.atom"},
		{Title: tr(c, "feed.all"), Href: "/feed.atom"},
	}
	return s.renderShared(c, "term_show", sl, &v.page, v)
}

// termData returns what the term page (and the embed) shows of a term,
// from the cache when the store has not changed since it was read. (The
// generation moves on when an open round's time is up, so the data never
// shows it open after that.)
func (s *Server) termData(c echo.Context, sl string) (termData, error) {
	gen := s.store.Generation()
	if d, ok := s.terms.get(gen, sl); ok {
		return d, nil
	}
	d, err := s.loadTermData(c.Request().Context(), sl)
	if err != nil {
		return termData{}, err
	}
	s.terms.put(gen, sl, d)
	return d, nil
}

// loadTermData reads what the term page shows.
func (s *Server) loadTermData(ctx context.Context, sl string) (termData, error) {
	t, err := s.store.Term(ctx, sl)
	if err != nil {
		return termData{}, err
	}
	versions, err := s.store.Versions(ctx, t.ID)
	if err != nil {
		return termData{}, err
	}
	usedIn, err := s.store.UsedIn(ctx, t.Slug)
	if err != nil {
		return termData{}, err
	}
	prov, err := s.store.AgreedProvenance(ctx, t)
	if err != nil {
		return termData{}, err
	}
	open, err := s.store.OpenRoundOf(ctx, t.ID)
	if err != nil {
		return termData{}, err
	}
	comments, err := s.store.CommentCountsOf(ctx, t.ID)
	if err != nil {
		return termData{}, err
	}
	d := termData{Term: t, UsedIn: usedIn, Provenance: prov, OpenRound: open, Comments: comments}
	var others []model.Version
	for i := range versions {
		// The page shows the rendered wording only; the cached data need
		// not hold the markdown and plain text too.
		versions[i].Markdown, versions[i].Text = "", ""
		if versions[i].ID == t.AgreedVersionID {
			d.Agreed = &versions[i]
		} else {
			others = append(others, versions[i])
		}
	}
	d.Proposed = fairOrder(others, t.Slug)
	if d.Translations, err = s.loadTranslations(ctx, t); err != nil {
		return termData{}, err
	}
	e, err := s.store.EasyRead(ctx, t.ID, model.SourceLang)
	switch {
	case err == nil:
		d.EasyRead = &e
		if d.EasyReadCheck, err = s.checkEasyRead(ctx, e.Markdown); err != nil {
			return termData{}, err
		}
	case !errors.Is(err, model.ErrNotFound):
		return termData{}, err
	}
	return d, nil
}

// termMissing answers for a term nobody has started: a 404 that says who
// links to it and offers to start it. An address typed as a title
// ("/terms/Social Prescribing") is sent on to the slug's address.
func (s *Server) termMissing(c echo.Context, sl string) error {
	if canonical := slug.Make(sl); canonical != sl {
		if canonical == "" {
			return notFound("")
		}
		return c.Redirect(http.StatusMovedPermanently, "/terms/"+canonical)
	}
	wanted, err := s.store.WantedBy(c.Request().Context(), sl)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusNotFound, "term_missing", missingTermView{
		page:     s.newPage(c, tr(c, "term.missing_title")),
		Slug:     sl,
		Title:    titleFromSlug(sl),
		WantedBy: wanted,
	})
}

// titleFromSlug guesses a title for a term not yet started:
// "primary-care-network" -> "Primary care network".
func titleFromSlug(sl string) string {
	r := []rune(sl)
	for i, c := range r {
		if c == '-' {
			r[i] = ' '
		}
	}
	if len(r) > 0 && r[0] >= 'a' && r[0] <= 'z' {
		r[0] -= 'a' - 'A'
	}
	return string(r)
}

// fairOrder orders proposed versions so that neither sector comes first by
// rule: statutory and voluntary versions take turns, each sector's oldest
// first, and which sector leads depends on the term (a hash of its slug),
// like rotating the order of names on a ballot paper. Versions by
// facilitators or imports, which have no sector, follow.
func fairOrder(vs []model.Version, seed string) []model.Version {
	var stat, vol, rest []model.Version
	for _, v := range vs {
		switch v.Sector {
		case model.Statutory:
			stat = append(stat, v)
		case model.Voluntary:
			vol = append(vol, v)
		default:
			rest = append(rest, v)
		}
	}
	h := fnv.New32a()
	h.Write([]byte(seed))
	first, second := stat, vol
	if h.Sum32()%2 == 1 {
		first, second = vol, stat
	}
	out := make([]model.Version, 0, len(vs))
	for i := 0; i < len(first) || i < len(second); i++ {
		if i < len(first) {
			out = append(out, first[i])
		}
		if i < len(second) {
			out = append(out, second[i])
		}
	}
	return append(out, rest...)
}

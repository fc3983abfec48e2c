package server

import (
	"net/http"
	"slices"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/text/collate"
	"golang.org/x/text/unicode/norm"

	"wordgarden/server/i18n"
	"wordgarden/server/model"
	"wordgarden/server/opendata"
)

// printEntry is a term of the printed glossary, in the page's language
// where it has a current agreed wording in it, else in English.
type printEntry struct {
	Slug       string
	Title      string
	HTML       string // the wording, rendered when it was written
	Provenance string
	// InEnglish is set on a term shown in English on a page in another
	// language, which says so and marks the English as English.
	InEnglish   bool
	EnglishLang string // the lang attribute of English, for InEnglish
}

// printLetter is the terms under one letter.
type printLetter struct {
	Letter  string
	Entries []printEntry
}

type glossaryPrintView struct {
	page
	Letters []printLetter
	Count   int
	Updated time.Time // when a wording was last agreed
	Site    string
	Licence opendata.Licence
}

// glossaryPrint is the agreed glossary A–Z on one page, laid out by the
// print stylesheet for A4: a letter a page, each term with who wrote it and
// how it was agreed, for community events and people who are not online.
func (s *Server) glossaryPrint(c echo.Context) error {
	entries, err := s.store.AgreedGlossary(c.Request().Context())
	if err != nil {
		return err
	}
	site := s.dataSite(c)
	lang := langOf(c)
	lz := i18n.For(lang)
	v := glossaryPrintView{page: s.newPage(c, lz.T("print.title")), Count: len(entries), Site: site.URL, Licence: s.licence}
	list := make([]printEntry, 0, len(entries))
	for i := range entries {
		// The wording in the page's language, or the English in its place.
		w := opendata.Wordings(&entries[i], lang.Code)[0]
		e := model.GlossaryEntry{Version: w.Version, AgreedAt: w.AgreedAt, RoundID: w.RoundID, Ballots: w.Ballots}
		list = append(list, printEntry{Slug: entries[i].Term.Slug, Title: w.Title, HTML: w.Version.HTML,
			Provenance: s.provenance(lz, e), InEnglish: w.Fallback, EnglishLang: i18n.English.HTML})
		if w.AgreedAt.After(v.Updated) {
			v.Updated = w.AgreedAt
		}
	}
	// A–Z by the titles as printed, in the page's language's order.
	col := collate.New(lang.Tag(), collate.IgnoreCase)
	slices.SortStableFunc(list, func(a, b printEntry) int { return col.CompareString(a.Title, b.Title) })
	for _, e := range list {
		letter := baseLetter(letterOf(e.Title))
		if n := len(v.Letters); n == 0 || v.Letters[n-1].Letter != letter {
			v.Letters = append(v.Letters, printLetter{Letter: letter})
		}
		l := &v.Letters[len(v.Letters)-1]
		l.Entries = append(l.Entries, e)
	}
	return s.render(c, http.StatusOK, "glossary_print", v)
}

// provenance says in a sentence who wrote an agreed wording and how it was
// agreed, in the reader's language: opendata.Site.Provenance's sentence,
// which the open data files keep in English.
func (s *Server) provenance(lz *i18n.Localizer, e model.GlossaryEntry) string {
	v := e.Version
	var who string
	switch {
	case v.AuthorRole == "import":
		who = lz.T("print.imported")
	case v.OrganisationName != "" && v.Sector.Valid():
		who = lz.T("print.by_sector", "Name", v.AuthorName, "Organisation", v.OrganisationName,
			"Sector", sectorInSentence(lz, v.Sector))
	case v.OrganisationName != "":
		who = lz.T("print.by_org", "Name", v.AuthorName, "Organisation", v.OrganisationName)
	case v.AuthorRole == string(model.Facilitator):
		who = lz.T("print.by_facilitator", "Name", v.AuthorName)
	default:
		who = lz.T("print.by_partner", "Name", v.AuthorName)
	}
	if e.RoundID == 0 {
		return who
	}
	return who + lz.T("print.chosen", "Round", e.RoundID, "Count", e.Ballots, "Date", lz.Date(e.AgreedAt.In(s.loc)))
}

// baseLetter is a letter without its accents ("É" is "E"), so that titles
// the collation sorts together are printed under one letter.
func baseLetter(l string) string {
	for _, r := range norm.NFD.String(l) {
		return string(r)
	}
	return l
}

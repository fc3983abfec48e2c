package server

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"wordgarden/server/i18n"
	"wordgarden/server/model"
	"wordgarden/server/opendata"
)

// printEntry is a term of the printed glossary.
type printEntry struct {
	model.GlossaryEntry
	Provenance string
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
	lz := i18n.For(langOf(c))
	v := glossaryPrintView{page: s.newPage(c, lz.T("print.title")), Count: len(entries), Site: site.URL, Licence: s.licence}
	for _, e := range entries {
		letter := letterOf(e.Term.Title)
		if n := len(v.Letters); n == 0 || v.Letters[n-1].Letter != letter {
			v.Letters = append(v.Letters, printLetter{Letter: letter})
		}
		l := &v.Letters[len(v.Letters)-1]
		l.Entries = append(l.Entries, printEntry{GlossaryEntry: e, Provenance: s.provenance(lz, e)})
		if e.AgreedAt.After(v.Updated) {
			v.Updated = e.AgreedAt
		}
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

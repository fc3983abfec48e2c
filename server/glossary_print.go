package server

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

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
	v := glossaryPrintView{page: s.newPage(c, "The glossary, to print"), Count: len(entries), Site: site.URL, Licence: s.licence}
	for _, e := range entries {
		letter := letterOf(e.Term.Title)
		if n := len(v.Letters); n == 0 || v.Letters[n-1].Letter != letter {
			v.Letters = append(v.Letters, printLetter{Letter: letter})
		}
		l := &v.Letters[len(v.Letters)-1]
		l.Entries = append(l.Entries, printEntry{GlossaryEntry: e, Provenance: site.Provenance(e)})
		if e.AgreedAt.After(v.Updated) {
			v.Updated = e.AgreedAt
		}
	}
	return s.render(c, http.StatusOK, "glossary_print", v)
}

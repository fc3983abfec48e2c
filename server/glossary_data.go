package server

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"wordgarden/server/opendata"
)

// dataSite is what the open data files and the printed glossary say about
// where they come from.
func (s *Server) dataSite(c echo.Context) opendata.Site {
	return opendata.Site{URL: s.siteURL(c), Licence: s.licence, Location: s.loc}
}

// glossaryData serves one of the open data files of the agreed glossary
// (glossary.json, .csv, .jsonld), made by the same code that
// `wordgarden export --format` writes them with.
func (s *Server) glossaryData(f opendata.Format) echo.HandlerFunc {
	return func(c echo.Context) error {
		entries, err := s.store.AgreedGlossary(c.Request().Context())
		if err != nil {
			return err
		}
		body, err := f.Build(s.dataSite(c), entries)
		if err != nil {
			return err
		}
		return c.Blob(http.StatusOK, f.ContentType, body)
	}
}

// openData sets the headers of an open data file: its licence, which a CSV
// file has no place for, and CORS, so that any web page may fetch it (it is
// public, and no cookie is needed or sent). It wraps s.shared, whose kept
// answers carry only their body and type.
func (s *Server) openData(h echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		hd := c.Response().Header()
		hd.Set("Link", "<"+s.licence.URL+`>; rel="license"; title="`+s.licence.Name+`"`)
		hd.Set("Access-Control-Allow-Origin", "*")
		return h(c)
	}
}

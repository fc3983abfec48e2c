package server

import (
	"net/http"
	"strings"

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
// Its ?lang= (checked by openData) picks the language; without it the file
// has every language. It is kept per address, ?lang= and all.
func (s *Server) glossaryData(f opendata.Format) echo.HandlerFunc {
	return func(c echo.Context) error {
		entries, err := s.store.AgreedGlossary(c.Request().Context())
		if err != nil {
			return err
		}
		body, err := f.Build(s.dataSite(c), entries, dataLang(c))
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
//
// A ?lang= that names no language the glossary is published in is a 400,
// said in the file's own kind (a JSON error, or a line of text for the
// CSV file), and the file's Content-Language says the language asked for.
func (s *Server) openData(f opendata.Format, h echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		hd := c.Response().Header()
		hd.Set("Link", "<"+s.licence.URL+`>; rel="license"; title="`+s.licence.Name+`"`)
		hd.Set("Access-Control-Allow-Origin", "*")
		lang := dataLang(c)
		if !opendata.ValidLang(lang) {
			msg := unknownLang(c)
			if f.Name == "csv" {
				return c.String(http.StatusBadRequest, msg+"\n")
			}
			return c.JSON(http.StatusBadRequest, map[string]string{"error": msg})
		}
		if lang != "" {
			hd.Set("Content-Language", lang)
		}
		return h(c)
	}
}

// dataLang is the language the open data file or API answer is asked for
// in by its address (?lang=), lower case; "" when it names none.
func dataLang(c echo.Context) string {
	return strings.ToLower(c.QueryParam("lang"))
}

// unknownLang says that the ?lang= asked for is not a language the
// glossary is published in, and which are.
func unknownLang(c echo.Context) string {
	return tr(c, "translations.published.unknown_lang", "Lang", c.QueryParam("lang"),
		"Codes", strings.Join(opendata.Langs(), ", "))
}

package server

import (
	"net/http"
	"strings"
	"unicode"

	"github.com/labstack/echo/v4"

	"wordgarden/server/store"
)

// letterGroup is the terms under one letter of the A–Z index.
type letterGroup struct {
	Letter string
	Terms  []store.Term
}

type homeView struct {
	page
	Letters []letterGroup
	Recent  []store.Term
}

// home is the A–Z index of the glossary and what changed lately.
func (s *Server) home(c echo.Context) error {
	ctx := c.Request().Context()
	terms, err := s.store.Terms(ctx)
	if err != nil {
		return err
	}
	recent, err := s.store.RecentTerms(ctx, 8)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "home", homeView{
		page:    s.newPage(c, "Glossary"),
		Letters: byLetter(terms),
		Recent:  recent,
	})
}

// byLetter groups terms, already sorted A–Z, by their first letter; titles
// that start with a digit or symbol go under "#".
func byLetter(terms []store.Term) []letterGroup {
	var groups []letterGroup
	for _, t := range terms {
		letter := "#"
		for _, r := range t.Title {
			if unicode.IsLetter(r) {
				letter = strings.ToUpper(string(r))
			}
			break
		}
		if n := len(groups); n == 0 || groups[n-1].Letter != letter {
			groups = append(groups, letterGroup{Letter: letter})
		}
		groups[len(groups)-1].Terms = append(groups[len(groups)-1].Terms, t)
	}
	return groups
}

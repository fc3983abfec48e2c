package server

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"wordgarden/server/model"
	"wordgarden/server/plain"
)

type printView struct {
	page
	Round  model.Round
	Print  model.PaperPrint
	Checks map[int64]*plain.Report // for each candidate's reading age
	Places []int                   // 1..number of candidates, for the rank boxes' hint
}

// printShow is a print run's sheets, one to a printed page, on A4 or A5:
// the term, the question, the rules, each wording in full with its reading
// age and a box beside it, and the sheet's number. It can be shown again:
// a sheet counts only once two facilitators have keyed it in, so its
// number is no secret.
func (s *Server) printShow(c echo.Context) error {
	r, err := s.loadRound(c)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(c.Param("print"), 10, 64)
	if err != nil || id <= 0 {
		return model.NotFound(model.ThingPaperPrint, c.Param("print"))
	}
	p, err := s.store.PaperPrint(c.Request().Context(), r.ID, id)
	if err != nil {
		return err
	}
	checks, err := s.sheetChecks(c, r)
	if err != nil {
		return err
	}
	v := printView{page: s.newPage(c, tr(c, "paper.sheet.title", "Term", r.TermTitle)), Round: r, Print: p, Checks: checks}
	for i := range r.Candidates {
		v.Places = append(v.Places, i+1)
	}
	return s.render(c, http.StatusOK, "print_show", v)
}

package server

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"wordgarden/server/model"
)

// paperPrint numbers a print run of paper ballots and shows it, ready to
// print.
func (s *Server) paperPrint(c echo.Context) error {
	r, err := s.loadRound(c)
	if err != nil {
		return err
	}
	f := printForm{
		Neighbourhood: c.FormValue("neighbourhood"),
		Sheets:        strings.TrimSpace(c.FormValue("sheets")),
		Size:          c.FormValue("size"),
		HandIn:        strings.TrimSpace(c.FormValue("hand_in")),
	}
	refuse := func(err error) error {
		ve, ok := errors.AsType[*model.ValidationError](err)
		if !ok {
			return err
		}
		status := http.StatusUnprocessableEntity
		if errors.Is(err, model.ErrClosed) {
			status = http.StatusConflict
		}
		return s.renderPaper(c, status, paperView{Round: r, Print: f,
			Error: &formError{Prefix: "print-", Field: ve.Field, Message: problem(c, ve)}})
	}
	n, err := s.store.NeighbourhoodBySlug(c.Request().Context(), f.Neighbourhood)
	if errors.Is(err, model.ErrNotFound) {
		return refuse(model.Invalid("neighbourhood", "invalid.paper.neighbourhood"))
	}
	if err != nil {
		return err
	}
	sheets, err := strconv.Atoi(f.Sheets)
	if err != nil {
		sheets = 0 // refused below, with the range
	}
	p, err := s.store.PrintSheets(c.Request().Context(), model.NewPaperPrint{RoundID: r.ID, NeighbourhoodID: n.ID,
		Sheets: sheets, Size: model.PaperSize(f.Size), HandIn: f.HandIn, PrintedBy: *currentUser(c)})
	if err != nil {
		return refuse(err)
	}
	return redirect(c, fmt.Sprintf("/rounds/%d/paper/prints/%d", r.ID, p.ID))
}

package server

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"wordgarden/server/model"
	"wordgarden/server/tally"
)

// paperEnter keys in one paper ballot: its number, then its marks as on
// the online ballot, or spoiled with a reason. It says what happened (the
// first entry, a match, a mismatch) on the paper page, where the form waits
// for the next sheet.
func (s *Server) paperEnter(c echo.Context) error {
	r, err := s.loadRound(c)
	if err != nil {
		return err
	}
	f := entryForm{
		Number:   strings.TrimSpace(c.FormValue("number")),
		Spoiled:  c.FormValue("spoiled") == "1",
		Reason:   strings.TrimSpace(c.FormValue("reason")),
		Again:    c.FormValue("again") == "1",
		Approved: map[int64]bool{},
		Ranks:    map[int64]int{},
	}
	refuse := func(ve *model.ValidationError) error {
		status := http.StatusUnprocessableEntity
		if errors.Is(ve, model.ErrClosed) {
			status = http.StatusConflict
		}
		return s.renderPaper(c, status, paperView{Round: r, Entry: f, Print: printForm{Sheets: "50", Size: string(model.A4)},
			Error: &formError{Prefix: "entry-", Field: ve.Field, Message: problem(c, ve)}})
	}
	var b tally.Ballot
	if !f.Spoiled {
		f.Reason = ""
		var err error
		b, f.None, err = readBallot(c, r)
		for _, id := range b.Approve {
			f.Approved[id] = true
		}
		for id, rank := range b.Rank {
			f.Ranks[id] = rank
		}
		if ve, ok := errors.AsType[*model.ValidationError](err); ok {
			return refuse(ve)
		}
		if err != nil {
			return err
		}
	}
	res, err := s.store.EnterPaper(c.Request().Context(), model.NewPaperEntry{RoundID: r.ID, Number: f.Number,
		Spoil: f.Spoiled, Spoiled: f.Reason, SamePerson: f.Again, EnteredBy: *currentUser(c)}, b)
	if ve, ok := errors.AsType[*model.ValidationError](err); ok {
		return refuse(ve)
	}
	if err != nil {
		return err
	}
	s.flash(c, tr(c, entrySaid(res), "Number", res.Number))
	return redirect(c, "/rounds/"+strconv.FormatInt(r.ID, 10)+"/paper#entry-heading")
}

// entrySaid names the message that says what an entry did to its sheet.
func entrySaid(res model.PaperResult) string {
	switch {
	case res.State == model.SheetOneEntry:
		return "paper.entered.first"
	case res.State == model.SheetMatched && res.Look == 2:
		return "paper.entered.matched"
	case res.State == model.SheetMatched:
		return "paper.entered.settled"
	case res.State == model.SheetSpoiled:
		return "paper.entered.spoiled"
	case res.Look == 2:
		return "paper.entered.mismatch"
	}
	return "paper.entered.still_mismatch"
}

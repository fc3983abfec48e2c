package server

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"wordgarden/server/model"
)

// roundCancel cancels an open round with a reason: it takes no more
// ballots, is never counted, and agrees no wording. The ballots cast stay
// stored, neither counted nor published.
func (s *Server) roundCancel(c echo.Context) error {
	r, err := s.loadRound(c)
	if err != nil {
		return err
	}
	form, err := c.FormParams()
	if err != nil {
		return badRequest(tr(c, "votes.cancel.unreadable"))
	}
	f := changeForm{Reason: form.Get("reason")}
	r, err = s.store.CancelRound(c.Request().Context(), r.ID, *currentUser(c), f.Reason)
	if err := changeRefused(c, err); err != nil {
		return err
	}
	var ve *model.ValidationError
	if errors.As(err, &ve) {
		again, err := s.loadRound(c)
		if err != nil {
			return err
		}
		v, err := s.roundView(c, again)
		if err != nil {
			return err
		}
		v.Cancel, v.CancelError = f, &formError{Prefix: "cancel-", Field: ve.Field, Message: problem(c, ve)}
		return s.render(c, http.StatusUnprocessableEntity, "round_show", v)
	}
	if err != nil {
		return err
	}
	s.flash(c, tr(c, "votes.cancel.done"))
	return redirect(c, "/rounds/"+strconv.FormatInt(r.ID, 10))
}

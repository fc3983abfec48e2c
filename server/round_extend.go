package server

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"wordgarden/server/model"
)

// roundExtend moves an open round's closing time later, and records who
// did it and when on the round's page.
func (s *Server) roundExtend(c echo.Context) error {
	r, err := s.loadRound(c)
	if err != nil {
		return err
	}
	form, err := c.FormParams()
	if err != nil {
		return badRequest(tr(c, "votes.extend.unreadable"))
	}
	f := changeForm{ClosesAt: strings.TrimSpace(form.Get("closes_at")), Reason: form.Get("reason")}
	invalid := func(field, msg string) error {
		v, err := s.roundView(c, r)
		if err != nil {
			return err
		}
		v.Extend, v.ExtendError = f, &formError{Prefix: "extend-", Field: field, Message: msg}
		return s.render(c, http.StatusUnprocessableEntity, "round_show", v)
	}
	to, err := s.parseTime(f.ClosesAt)
	if err != nil {
		return invalid("closes_at", tr(c, "votes.extend.bad_time"))
	}
	r, err = s.store.ExtendRound(c.Request().Context(), r.ID, *currentUser(c), to, f.Reason)
	if err := changeRefused(c, err); err != nil {
		return err
	}
	var ve *model.ValidationError
	if errors.As(err, &ve) {
		return invalid(ve.Field, problem(c, ve))
	}
	if err != nil {
		return err
	}
	s.flash(c, tr(c, "votes.extend.done", "When", s.moment(c, r.ClosesAt)))
	return redirect(c, "/rounds/"+strconv.FormatInt(r.ID, 10))
}

// changeRefused answers a change to a round that is no longer open with a
// 409 that says why; it returns nil for any other error.
func changeRefused(c echo.Context, err error) error {
	var ve *model.ValidationError
	if errors.Is(err, model.ErrClosed) && errors.As(err, &ve) {
		return echo.NewHTTPError(http.StatusConflict, problem(c, ve))
	}
	return nil
}

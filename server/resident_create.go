package server

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"wordgarden/server/model"
)

// residentCreate spends an invite code. Each try is taken from the join
// limits (limits.go) before the code is checked, per address and across the
// whole site, so codes cannot be guessed; only codes that did not work keep
// their tries.
func (s *Server) residentCreate(c echo.Context) error {
	v := joinView{
		page: s.newPage(c, tr(c, "join.title")),
		Code: strings.TrimSpace(c.FormValue("code")),
		Name: strings.TrimSpace(c.FormValue("name")),
	}
	fail := func(status int, field, msg string) error {
		v.Error = &formError{Field: field, Message: msg}
		return s.render(c, status, "resident_new", v)
	}
	if v.Code == "" {
		return fail(http.StatusUnprocessableEntity, "code", tr(c, "join.missing_code"))
	}
	limits := []limit{{s.joinIP, clientAddr(c)}, {s.joinAll, "all"}}
	switch refused, wait := take(limits...); refused {
	case -1:
		s.joinPaused.Store(false)
	case 0:
		return fail(http.StatusTooManyRequests, "code", tr(c, "join.too_many_here", "Count", retryAfter(c, wait)))
	default:
		if s.joinPaused.CompareAndSwap(false, true) {
			s.log.Warn("joining is paused: too many wrong invite codes across the whole site, which looks like guessing")
		}
		return fail(http.StatusTooManyRequests, "code", tr(c, "join.paused", "Count", retryAfter(c, wait)))
	}
	u, err := s.store.Join(c.Request().Context(), v.Code, v.Name, c.FormValue("password"))
	if !errors.Is(err, model.ErrBadCode) {
		giveBack(limits...) // not a wrong code
	}
	var ve *model.ValidationError
	if errors.As(err, &ve) {
		return fail(http.StatusUnprocessableEntity, ve.Field, problem(c, ve))
	}
	if err != nil {
		return err
	}
	welcome := tr(c, "join.welcome", "Name", u.Name, "Neighbourhood", u.NeighbourhoodName)
	if err := s.signIn(c, u, welcome); err != nil {
		return err
	}
	return redirect(c, "/rounds")
}

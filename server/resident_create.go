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
		page: s.newPage(c, "Join with your invite code"),
		Code: strings.TrimSpace(c.FormValue("code")),
		Name: strings.TrimSpace(c.FormValue("name")),
	}
	fail := func(status int, field, msg string) error {
		v.Error = &formError{Field: field, Message: msg}
		return s.render(c, status, "resident_new", v)
	}
	if v.Code == "" {
		return fail(http.StatusUnprocessableEntity, "code", "Enter the code from your invite slip.")
	}
	limits := []limit{{s.joinIP, clientAddr(c)}, {s.joinAll, "all"}}
	switch refused, wait := take(limits...); refused {
	case -1:
		s.joinPaused.Store(false)
	case 0:
		secs := retryAfter(c, wait)
		return fail(http.StatusTooManyRequests, "code", "Too many codes that did not work have come from your connection. "+
			"Your code has not been used: wait "+secs+" seconds, then try again.")
	default:
		if s.joinPaused.CompareAndSwap(false, true) {
			s.log.Warn("joining is paused: too many wrong invite codes across the whole site, which looks like guessing")
		}
		secs := retryAfter(c, wait)
		return fail(http.StatusTooManyRequests, "code", "Joining is paused for a moment for everyone, because many codes that did not work "+
			"have been tried on this site. Your code has not been used: wait "+secs+" seconds, then try again.")
	}
	u, err := s.store.Join(c.Request().Context(), v.Code, v.Name, c.FormValue("password"))
	if !errors.Is(err, model.ErrBadCode) {
		giveBack(limits...) // not a wrong code
	}
	var ve *model.ValidationError
	if errors.As(err, &ve) {
		return fail(http.StatusUnprocessableEntity, ve.Field, ve.Message)
	}
	if err != nil {
		return err
	}
	welcome := "Welcome, " + u.Name + ". You are signed in as a resident of " + u.NeighbourhoodName +
		". Next time, sign in with your name and password."
	if err := s.signIn(c, u, welcome); err != nil {
		return err
	}
	return redirect(c, "/rounds")
}

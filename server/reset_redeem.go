package server

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"wordgarden/server/model"
)

// resetRedeem spends a reset code: the person's password changes, every
// place they were signed in is signed out, and they are signed in here. A
// resident registered at an event who chose her first password goes on to
// the votes.
// Codes that do not work count against the address like invite codes that
// do not work, in the same limiter, so neither kind can be guessed at speed.
func (s *Server) resetRedeem(c echo.Context) error {
	v := resetView{
		page:    s.newPage(c, tr(c, "reset.title")),
		Login:   strings.TrimSpace(c.FormValue("login")),
		Welcome: c.FormValue("welcome") != "",
	}
	if v.Welcome {
		v.Title = tr(c, "welcome.title")
	}
	code := strings.TrimSpace(c.FormValue("code"))
	fail := func(status int, field, msg string) error {
		v.Error = &formError{Field: field, Message: msg}
		if field != "code" {
			v.Code = code // keep a code that may work, for the next try
		}
		return s.render(c, status, "reset_new", v)
	}
	switch {
	case v.Login == "":
		return fail(http.StatusUnprocessableEntity, "login", tr(c, "reset.missing_login"))
	case code == "":
		return fail(http.StatusUnprocessableEntity, "code", tr(c, "reset.missing_code"))
	}
	// Codes are guessed like invite codes, so they share the joins'
	// limits: per address, and the ceiling across the site.
	limits := []limit{{s.joinIP, clientAddr(c)}, {s.joinAll, "all"}}
	if refused, wait := take(limits...); refused >= 0 {
		return fail(http.StatusTooManyRequests, "code", tr(c, "reset.too_many", "Count", retryAfter(c, wait)))
	}
	u, first, err := s.store.ResetPassword(c.Request().Context(), v.Login, code, c.FormValue("password"))
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
	if first {
		// A resident registered at an event has chosen her first
		// password: on to the votes, as after joining.
		welcome := tr(c, "join.welcome", "Name", u.Name, "Neighbourhood", u.NeighbourhoodName)
		if err := s.signIn(c, u, welcome); err != nil {
			return err
		}
		return redirect(c, "/rounds")
	}
	if err := s.signIn(c, u, tr(c, "reset.done")); err != nil {
		return err
	}
	return redirect(c, "/account")
}

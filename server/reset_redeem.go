package server

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"wordgarden/server/model"
)

// resetRedeem spends a reset code: the person's password changes, every
// place they were signed in is signed out, and they are signed in here.
// Codes that do not work count against the address like invite codes that
// do not work, in the same limiter, so neither kind can be guessed at speed.
func (s *Server) resetRedeem(c echo.Context) error {
	v := resetView{
		page:  s.newPage(c, tr(c, "reset.title")),
		Login: strings.TrimSpace(c.FormValue("login")),
	}
	code := strings.TrimSpace(c.FormValue("code"))
	fail := func(status int, field, msg string) error {
		v.Error = &formError{Field: field, Message: msg}
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
	u, err := s.store.ResetPassword(c.Request().Context(), v.Login, code, c.FormValue("password"))
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
	if err := s.signIn(c, u, tr(c, "reset.done")); err != nil {
		return err
	}
	return redirect(c, "/account")
}

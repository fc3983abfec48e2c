package server

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"wordgarden/server/model"
)

// sessionCreate checks an email (or a resident's name) and password. Each
// try is taken from the sign-in limits (limits.go) before the password is
// checked, so passwords cannot be guessed at speed, however many requests
// arrive at once.
func (s *Server) sessionCreate(c echo.Context) error {
	email := strings.TrimSpace(c.FormValue("email"))
	password := c.FormValue("password")
	next := localPath(c.FormValue("next"))
	fail := func(status int, msg string) error {
		return s.render(c, status, "session_new", loginView{
			page:  s.newPage(c, tr(c, "signin.title")),
			Email: email,
			Next:  next,
			Error: msg,
		})
	}
	if email == "" || password == "" {
		return fail(http.StatusUnprocessableEntity, tr(c, "signin.missing"))
	}
	limits, here := s.loginLimits(c, email)
	if refused, wait := take(limits...); refused >= 0 {
		return fail(http.StatusTooManyRequests, tr(c, "limit.tries", "Count", retryAfter(c, wait)))
	}
	u, err := s.authenticate(c.Request().Context(), email, password)
	if errors.Is(err, model.ErrBadCredentials) {
		return fail(http.StatusUnauthorized, tr(c, "signin.wrong"))
	}
	giveBack(limits...) // not a wrong guess
	if errors.Is(err, model.ErrDisabled) {
		// Said only to someone who knows the password: it tells them
		// what they need, and a guesser nothing.
		return fail(http.StatusForbidden, tr(c, "signin.switched_off"))
	}
	if err != nil {
		return err
	}
	s.loginAt.Reset(here)
	s.usual.Add(here)
	if err := s.signIn(c, u); err != nil {
		return err
	}
	return redirect(c, next)
}

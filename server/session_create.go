package server

import (
	"errors"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"wordgarden/server/model"
)

// sessionCreate checks an email and password. Failures are limited per address and
// per email, so passwords cannot be guessed at speed.
func (s *Server) sessionCreate(c echo.Context) error {
	email := strings.TrimSpace(c.FormValue("email"))
	password := c.FormValue("password")
	next := localPath(c.FormValue("next"))
	ipKey, emailKey := "ip:"+c.RealIP(), "email:"+strings.ToLower(email)
	fail := func(status int, msg string) error {
		return s.render(c, status, "session_new", loginView{
			page:  s.newPage(c, "Sign in"),
			Email: email,
			Next:  next,
			Error: msg,
		})
	}
	if s.loginIP.Blocked(ipKey) || s.loginFor.Blocked(emailKey) {
		wait := max(s.loginIP.RetryAfter(ipKey), s.loginFor.RetryAfter(emailKey))
		secs := int(math.Ceil(wait.Seconds()))
		c.Response().Header().Set("Retry-After", strconv.Itoa(secs))
		return fail(http.StatusTooManyRequests,
			"Too many tries. Wait "+strconv.Itoa(secs)+" seconds, then try again.")
	}
	if email == "" || password == "" {
		return fail(http.StatusUnprocessableEntity, "Enter your email address (or your name) and your password.")
	}
	u, err := s.store.Authenticate(c.Request().Context(), email, password)
	if errors.Is(err, model.ErrBadCredentials) {
		s.loginIP.Fail(ipKey)
		s.loginFor.Fail(emailKey)
		return fail(http.StatusUnauthorized, "That name or email and password do not match an account.")
	}
	if errors.Is(err, model.ErrDisabled) {
		// Said only to someone who knows the password: it tells them
		// what they need, and a guesser nothing.
		return fail(http.StatusForbidden, "Your account is switched off, so you cannot sign in. If you think it should not be, ask a facilitator.")
	}
	if err != nil {
		return err
	}
	s.loginFor.Reset(emailKey)
	if err := s.signIn(c, u); err != nil {
		return err
	}
	return redirect(c, next)
}

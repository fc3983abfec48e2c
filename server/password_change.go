package server

import (
	"errors"
	"math"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"wordgarden/server/model"
)

// passwordChange sets a new password for the signed-in person, who must
// give their current one, and signs them out everywhere else. Wrong current
// passwords are limited per account like failed sign-ins, so a session
// left open cannot be used to guess the password at speed.
func (s *Server) passwordChange(c echo.Context) error {
	me := currentUser(c)
	key := "account:" + strconv.FormatInt(me.ID, 10)
	fail := func(status int, field, msg string) error {
		return s.renderAccount(c, status, nameForm{Name: me.Name}, &formError{Prefix: "pw-", Field: field, Message: msg})
	}
	if s.loginFor.Blocked(key) {
		secs := int(math.Ceil(s.loginFor.RetryAfter(key).Seconds()))
		c.Response().Header().Set("Retry-After", strconv.Itoa(secs))
		return fail(http.StatusTooManyRequests, "current", "Too many tries. Wait "+strconv.Itoa(secs)+" seconds, then try again.")
	}
	current, next := c.FormValue("current"), c.FormValue("password")
	if current == "" {
		return fail(http.StatusUnprocessableEntity, "current", "Enter your current password.")
	}
	err := s.store.ChangePassword(c.Request().Context(), me.ID, current, next)
	var ve *model.ValidationError
	if errors.As(err, &ve) {
		if errors.Is(err, model.ErrBadCredentials) {
			s.loginFor.Fail(key)
		}
		return fail(http.StatusUnprocessableEntity, ve.Field, ve.Message)
	}
	if err != nil {
		return err
	}
	// Every session ended with the change, this one too: start a new one.
	if err := s.signIn(c, *me, "Your password is changed. Anywhere else you were signed in, you are now signed out."); err != nil {
		return err
	}
	return redirect(c, "/account")
}

package server

import (
	"errors"
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
	limits := []limit{{s.loginAt, "account:" + strconv.FormatInt(me.ID, 10)}}
	fail := func(status int, field, msg string) error {
		return s.renderAccount(c, status, nameForm{Name: me.Name}, &formError{Prefix: "pw-", Field: field, Message: msg})
	}
	current, next := c.FormValue("current"), c.FormValue("password")
	if current == "" {
		return fail(http.StatusUnprocessableEntity, "current", tr(c, "account.missing_current"))
	}
	// The try is taken before the password is checked, as at sign-in.
	if refused, wait := take(limits...); refused >= 0 {
		return fail(http.StatusTooManyRequests, "current", tr(c, "limit.tries", "Count", retryAfter(c, wait)))
	}
	err := s.store.ChangePassword(c.Request().Context(), me.ID, current, next)
	if !errors.Is(err, model.ErrBadCredentials) {
		giveBack(limits...) // not a wrong password
	}
	var ve *model.ValidationError
	if errors.As(err, &ve) {
		return fail(http.StatusUnprocessableEntity, ve.Field, problem(c, ve))
	}
	if err != nil {
		return err
	}
	// Every session ended with the change, this one too: start a new one.
	if err := s.signIn(c, *me, tr(c, "account.password_changed")); err != nil {
		return err
	}
	return redirect(c, "/account")
}

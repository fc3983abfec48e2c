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

// residentCreate spends an invite code. Failed codes are limited per address, like
// failed sign-ins, so codes cannot be guessed.
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
	ipKey := "ip:" + c.RealIP()
	if s.joinIP.Blocked(ipKey) {
		secs := int(math.Ceil(s.joinIP.RetryAfter(ipKey).Seconds()))
		c.Response().Header().Set("Retry-After", strconv.Itoa(secs))
		return fail(http.StatusTooManyRequests, "code", "Too many codes that did not work. Wait "+strconv.Itoa(secs)+" seconds, then try again.")
	}
	if v.Code == "" {
		return fail(http.StatusUnprocessableEntity, "code", "Enter the code from your invite slip.")
	}
	u, err := s.store.Join(c.Request().Context(), v.Code, v.Name, c.FormValue("password"))
	var ve *model.ValidationError
	if errors.As(err, &ve) {
		if errors.Is(err, model.ErrBadCode) {
			s.joinIP.Fail(ipKey)
		}
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

package server

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
)

// errorView is the data of the error page.
type errorView struct {
	page
	Status  int
	Message string
}

// handleError answers every error a handler returns: JSON for the API, a
// page for people. Unexpected errors are logged and shown as a plain 500,
// without their details.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status, msg := http.StatusInternalServerError, "Something went wrong on our side. Please try again in a moment."
	var he *echo.HTTPError
	if errors.As(err, &he) {
		status = he.Code
		switch m, _ := he.Message.(string); {
		case m != "" && m != http.StatusText(status):
			msg = m
		case status == http.StatusNotFound:
			msg = "There is no page here. It may have moved, or the address may be mistyped."
		case status == http.StatusMethodNotAllowed:
			msg = "This page cannot be used that way."
		case status == http.StatusRequestEntityTooLarge:
			msg = "What you sent is too large."
		default:
			msg = http.StatusText(status)
		}
	}
	if status >= 500 {
		s.log.Error("request failed", "method", c.Request().Method, "path", c.Request().URL.Path, "err", err)
	}
	if strings.HasPrefix(c.Request().URL.Path, "/api/") {
		err = c.JSON(status, map[string]string{"error": msg})
	} else {
		err = s.render(c, status, "error", errorView{
			page:    s.newPage(c, http.StatusText(status)),
			Status:  status,
			Message: msg,
		})
	}
	if err != nil {
		s.log.Error("write error response", "err", err)
	}
}

// badRequest is a 400 with a message for the person who sent it.
func badRequest(msg string) error {
	return echo.NewHTTPError(http.StatusBadRequest, msg)
}

// notFound is a 404 with a message.
func notFound(msg string) error {
	return echo.NewHTTPError(http.StatusNotFound, msg)
}

// paramID reads the route's :id. Anything but a positive number names
// nothing there is, so it is a 404 saying missing.
func paramID(c echo.Context, missing string) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, notFound(missing)
	}
	return id, nil
}

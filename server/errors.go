package server

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"wordgarden/server/model"
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
	var nf *model.NotFoundError
	switch {
	case errors.As(err, &nf):
		status, msg = http.StatusNotFound, notFoundMessage(nf.Thing)
	case errors.Is(err, model.ErrNotFound):
		status, msg = http.StatusNotFound, notFoundMessage("")
	case errors.As(err, &he):
		status = he.Code
		switch m, _ := he.Message.(string); {
		case m != "" && m != http.StatusText(status):
			msg = m
		case status == http.StatusNotFound:
			msg = notFoundMessage("")
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

// notFoundMessages say what a 404 tells the person who asked for a missing
// thing of each kind. The store's *model.NotFoundError names the kind, so
// handlers pass it up and handleError words it here.
var notFoundMessages = map[model.Thing]string{
	model.ThingTerm:      "There is no term here. Search the glossary, or start the term if you are a partner.",
	model.ThingVersion:   "There is no version with that number.",
	model.ThingRound:     "There is no vote with that number.",
	model.ThingComment:   "There is no comment with that number.",
	model.ThingLocalWord: "There is no such word on the list. Someone may have taken it off already.",
}

func notFoundMessage(thing model.Thing) string {
	if m, ok := notFoundMessages[thing]; ok {
		return m
	}
	return "There is no page here. It may have moved, or the address may be mistyped."
}

// paramID reads the route's :id, the id of a thing. Anything but a positive
// number names nothing there is, so it is that thing's 404.
func paramID(c echo.Context, thing model.Thing) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, model.NotFound(thing, c.Param("id"))
	}
	return id, nil
}

// problem says what is wrong with input in the reader's language: the
// catalogue's message when the error names one, else its English.
func problem(c echo.Context, ve *model.ValidationError) string {
	if ve.ID != "" {
		return tr(c, ve.ID, ve.Args...)
	}
	return ve.Message
}

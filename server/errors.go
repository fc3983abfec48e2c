package server

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"wordgarden/server/i18n"
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
	status, msg := http.StatusInternalServerError, tr(c, "error.went_wrong")
	var he *echo.HTTPError
	var nf *model.NotFoundError
	switch {
	case errors.As(err, &nf):
		status, msg = http.StatusNotFound, notFoundMessage(c, nf.Thing)
	case errors.Is(err, model.ErrNotFound):
		status, msg = http.StatusNotFound, notFoundMessage(c, "")
	case errors.As(err, &he):
		status = he.Code
		switch m, _ := he.Message.(string); {
		case m != "" && m != http.StatusText(status):
			msg = m
		case status == http.StatusNotFound:
			msg = notFoundMessage(c, "")
		case status == http.StatusMethodNotAllowed:
			msg = tr(c, "error.method")
		case status == http.StatusRequestEntityTooLarge:
			msg = tr(c, "error.too_large")
		default:
			msg = statusTitle(c, status)
		}
	}
	if status >= 500 {
		s.log.Error("request failed", "method", c.Request().Method, "path", c.Request().URL.Path, "err", err)
	}
	if strings.HasPrefix(c.Request().URL.Path, "/api/") {
		err = c.JSON(status, map[string]string{"error": msg})
	} else {
		err = s.render(c, status, "error", errorView{
			page:    s.newPage(c, statusTitle(c, status)),
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

// notFoundMessage says what a 404 tells the person who asked for a missing
// thing of each kind. The store's *model.NotFoundError names the kind, so
// handlers pass it up and handleError words it here.
func notFoundMessage(c echo.Context, thing model.Thing) string {
	switch thing {
	case model.ThingTerm:
		return tr(c, "error.missing.term")
	case model.ThingVersion:
		return tr(c, "error.missing.version")
	case model.ThingRound:
		return tr(c, "error.missing.round")
	case model.ThingComment:
		return tr(c, "error.missing.comment")
	case model.ThingLocalWord:
		return tr(c, "error.missing.local_word")
	}
	return tr(c, "error.missing.page")
}

// statusTitle names a status for the error page's title, in the reader's
// language; English keeps the status's own name ("Not Found").
func statusTitle(c echo.Context, status int) string {
	lz := i18n.For(langOf(c))
	if id := "error.status." + strconv.Itoa(status); i18n.For(i18n.English).Has(id) {
		return lz.T(id)
	}
	if lz.Lang.Code == i18n.English.Code {
		return http.StatusText(status)
	}
	if status >= 500 {
		return lz.T("error.sorry")
	}
	return lz.T("error.problem")
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

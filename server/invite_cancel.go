package server

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"wordgarden/server/model"
)

// inviteCancel makes invite codes of a neighbourhood stop working: the
// unused codes of one print run (batch), or one code typed from its slip
// (code).
func (s *Server) inviteCancel(c echo.Context) error {
	n, err := s.neighbourhoodParam(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	code := strings.TrimSpace(c.FormValue("code"))
	invalid := func(field, msg string) error {
		return s.renderNeighbourhood(c, http.StatusUnprocessableEntity, neighbourhoodView{
			Neighbourhood: n, Rename: nameForm{Name: n.Name}, Code: code,
			Error: &formError{Prefix: "inv-", Field: field, Message: msg},
		})
	}
	var ve *model.ValidationError
	if raw := c.FormValue("batch"); raw != "" {
		batch, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || batch <= 0 {
			return invalid("", tr(c, "admin.invites.choose_cancel"))
		}
		count, err := s.store.CancelInvites(ctx, n.ID, batch)
		if errors.As(err, &ve) {
			return invalid("", problem(c, ve))
		}
		if err != nil {
			return err
		}
		s.flash(c, tr(c, "admin.invites.cancelled", "Count", count, "Name", n.Name))
		return redirect(c, neighbourhoodPath(n))
	}
	if code == "" {
		return invalid("code", tr(c, "admin.invites.enter_code"))
	}
	err = s.store.CancelInvite(ctx, n.ID, code)
	if errors.As(err, &ve) {
		return invalid("code", problem(c, ve))
	}
	if err != nil {
		return err
	}
	s.flash(c, tr(c, "admin.invites.code_cancelled", "Code", model.FormatCode(model.NormaliseCode(code))))
	return redirect(c, neighbourhoodPath(n))
}

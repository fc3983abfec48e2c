package server

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"wordgarden/server/model"
)

// accountRename changes the signed-in person's own name. A resident's name
// is what they sign in with, so it must be free among residents.
func (s *Server) accountRename(c echo.Context) error {
	me := currentUser(c)
	f := nameForm{Name: c.FormValue("name")}
	u, err := s.store.RenameUser(c.Request().Context(), me.ID, f.Name)
	var ve *model.ValidationError
	if errors.As(err, &ve) {
		f.Error = &formError{Prefix: "name-", Field: "name", Message: problem(c, ve)}
		return s.renderAccount(c, http.StatusUnprocessableEntity, f, nil)
	}
	if err != nil {
		return err
	}
	msg := tr(c, "account.renamed", "Name", u.Name)
	if u.Role == model.Resident {
		msg = tr(c, "account.renamed_resident", "Name", u.Name)
	}
	s.flash(c, msg)
	return redirect(c, "/account")
}

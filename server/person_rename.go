package server

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"wordgarden/server/model"
)

// personRename changes the name a person is shown by; a resident's name is
// also what they sign in with.
func (s *Server) personRename(c echo.Context) error {
	u, err := s.personParam(c)
	if err != nil {
		return err
	}
	f := nameForm{Name: c.FormValue("name")}
	renamed, err := s.store.RenameUser(c.Request().Context(), u.ID, f.Name)
	var ve *model.ValidationError
	if errors.As(err, &ve) {
		f.Error = &formError{Prefix: "person-", Field: "name", Message: problem(c, ve)}
		return s.renderPerson(c, http.StatusUnprocessableEntity, u, f, nil)
	}
	if err != nil {
		return s.personFailed(c, u, err)
	}
	msg := tr(c, "admin.renamed", "Old", u.Name, "New", renamed.Name)
	if renamed.Role == model.Resident {
		msg = tr(c, "admin.person.renamed_resident", "Old", u.Name, "New", renamed.Name)
	}
	s.flash(c, msg)
	return redirect(c, personPath(renamed))
}

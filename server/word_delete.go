package server

import (
	"github.com/labstack/echo/v4"

	"wordgarden/server/model"
)

// wordDelete takes a local word off the list.
func (s *Server) wordDelete(c echo.Context) error {
	id, err := paramID(c, model.ThingLocalWord)
	if err != nil {
		return err
	}
	if err := s.store.DeleteLocalWord(c.Request().Context(), id); err != nil {
		return err
	}
	s.flash(c, tr(c, "admin.words.removed"))
	return redirect(c, "/admin/words")
}

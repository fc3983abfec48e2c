package server

import (
	"errors"

	"github.com/labstack/echo/v4"

	"wordgarden/server/store"
)

// wordDelete takes a local word off the list.
func (s *Server) wordDelete(c echo.Context) error {
	id, err := paramID(c, "There is no such word on the list.")
	if err != nil {
		return err
	}
	err = s.store.DeleteLocalWord(c.Request().Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return notFound("There is no such word on the list. Someone may have taken it off already.")
	}
	if err != nil {
		return err
	}
	s.flash(c, "The word is taken off the list.")
	return redirect(c, "/admin/words")
}

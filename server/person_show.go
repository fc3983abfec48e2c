package server

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"wordgarden/server/model"
)

// nameForm keeps what was typed into a form that renames something.
type nameForm struct {
	Name  string
	Error *formError
}

type personView struct {
	page
	Person   model.User
	Sessions int
	// Registered says who registered the person at an event, and when;
	// zero for an account made otherwise.
	Registered model.Registration
	Self       bool     // the facilitator looking is this person
	Rename     nameForm // Prefix "person-"
	Error      *formError
}

// personShow is a facilitator's page about one account: who they are, and
// what can be done to the account.
func (s *Server) personShow(c echo.Context) error {
	u, err := s.personParam(c)
	if err != nil {
		return err
	}
	return s.renderPerson(c, http.StatusOK, u, nameForm{Name: u.Name}, nil)
}

// renderPerson shows a person's page, with a form's error if there is one.
func (s *Server) renderPerson(c echo.Context, status int, u model.User, rename nameForm, fe *formError) error {
	ctx := c.Request().Context()
	n, err := s.store.CountSessions(ctx, u.ID)
	if err != nil {
		return err
	}
	reg, err := s.store.Registration(ctx, u.ID)
	if err != nil {
		return err
	}
	return s.render(c, status, "person_show", personView{
		page:       s.newPage(c, u.Name),
		Person:     u,
		Sessions:   n,
		Registered: reg,
		Self:       currentUser(c).ID == u.ID,
		Rename:     rename,
		Error:      fe,
	})
}

// personParam reads the account the route's :id names; an account that
// does not exist, or was erased, is a 404.
func (s *Server) personParam(c echo.Context) (model.User, error) {
	id, err := paramID(c, model.ThingUser)
	if err == nil {
		var u model.User
		if u, err = s.store.Person(c.Request().Context(), id); err == nil {
			return u, nil
		}
	}
	if errors.Is(err, model.ErrNotFound) {
		return model.User{}, notFound(tr(c, "admin.person.missing"))
	}
	return model.User{}, err
}

// personFailed answers an action on a person's account that the store
// refused: its message on the person's page, with a 422, or the error.
func (s *Server) personFailed(c echo.Context, u model.User, err error) error {
	var ve *model.ValidationError
	if errors.As(err, &ve) {
		return s.renderPerson(c, http.StatusUnprocessableEntity, u, nameForm{Name: u.Name},
			&formError{Message: problem(c, ve)})
	}
	if errors.Is(err, model.ErrNotFound) {
		return notFound(tr(c, "admin.person.missing"))
	}
	return err
}

// personPath is the address of a person's page.
func personPath(u model.User) string {
	return "/admin/people/" + strconv.FormatInt(u.ID, 10)
}

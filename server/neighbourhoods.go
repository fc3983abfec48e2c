package server

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"wordgarden/server/store"
)

type neighbourhoodsView struct {
	page
	Neighbourhoods []store.Neighbourhood
	Name           string // the add form's name
	Invite         inviteForm
	Error          *formError
}

type inviteForm struct {
	Neighbourhood string
	Count         string
	Expires       string
}

// neighbourhoods is where facilitators add neighbourhoods and print invite codes.
func (s *Server) neighbourhoods(c echo.Context) error {
	return s.renderNeighbourhoods(c, http.StatusOK, neighbourhoodsView{Invite: inviteForm{Count: "20"}})
}

func (s *Server) renderNeighbourhoods(c echo.Context, status int, v neighbourhoodsView) error {
	ns, err := s.store.Neighbourhoods(c.Request().Context())
	if err != nil {
		return err
	}
	v.page = s.newPage(c, "Neighbourhoods and invite codes")
	v.Neighbourhoods = ns
	return s.render(c, status, "neighbourhoods", v)
}

// neighbourhoodCreate adds a neighbourhood.
func (s *Server) neighbourhoodCreate(c echo.Context) error {
	name := c.FormValue("name")
	n, err := s.store.CreateNeighbourhood(c.Request().Context(), name)
	var ve *store.ValidationError
	if errors.As(err, &ve) {
		return s.renderNeighbourhoods(c, http.StatusUnprocessableEntity, neighbourhoodsView{
			Name:   name,
			Invite: inviteForm{Count: "20"},
			Error:  &formError{Prefix: "nb-", Field: ve.Field, Message: ve.Message},
		})
	}
	if err != nil {
		return err
	}
	s.flash(c, n.Name+" is added. Print invite codes for its residents below.")
	return redirect(c, "/admin/neighbourhoods")
}

type invitesView struct {
	page
	Neighbourhood store.Neighbourhood
	Codes         []string
	Expires       time.Time
	SiteURL       string
}

// invitesCreate issues invite codes and shows them, once, as a page to print
// and cut into slips. Only hashes of the codes are kept, so this page cannot
// be shown again.
func (s *Server) invitesCreate(c echo.Context) error {
	f := inviteForm{
		Neighbourhood: c.FormValue("neighbourhood"),
		Count:         strings.TrimSpace(c.FormValue("count")),
		Expires:       strings.TrimSpace(c.FormValue("expires")),
	}
	ctx := c.Request().Context()
	invalid := func(field, msg string) error {
		return s.renderNeighbourhoods(c, http.StatusUnprocessableEntity, neighbourhoodsView{
			Invite: f,
			Error:  &formError{Prefix: "inv-", Field: field, Message: msg},
		})
	}
	n, err := s.store.NeighbourhoodBySlug(ctx, f.Neighbourhood)
	if errors.Is(err, store.ErrNotFound) {
		return invalid("neighbourhood", "Choose the neighbourhood the codes are for.")
	}
	if err != nil {
		return err
	}
	count, err := strconv.Atoi(f.Count)
	if err != nil {
		return invalid("count", "Enter how many codes to print, as a number.")
	}
	var expires time.Time
	if f.Expires != "" {
		day, err := time.ParseInLocation("2006-01-02", f.Expires, s.loc)
		if err != nil {
			return invalid("expires", "Enter the expiry as a date, like 2027-03-31, or leave it empty.")
		}
		expires = day.AddDate(0, 0, 1) // the codes work all through that day
	}
	codes, err := s.store.CreateInvites(ctx, n.ID, count, expires)
	var ve *store.ValidationError
	if errors.As(err, &ve) {
		return invalid(ve.Field, ve.Message)
	}
	if err != nil {
		return err
	}
	lastDay := expires // zero: the codes never expire
	if !expires.IsZero() {
		lastDay = expires.Add(-time.Second)
	}
	return s.render(c, http.StatusOK, "invites_print", invitesView{
		page:          s.newPage(c, "Invite codes for "+n.Name),
		Neighbourhood: n,
		Codes:         codes,
		Expires:       lastDay,
		SiteURL:       s.siteURL(c),
	})
}

package server

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"wordgarden/server/model"
)

type invitesView struct {
	page
	Neighbourhood model.Neighbourhood
	Codes         []string
	Expires       time.Time
	SiteURL       string
}

// inviteCreate issues invite codes and shows them, once, as a page to print
// and cut into slips. Only hashes of the codes are kept, so this page cannot
// be shown again.
func (s *Server) inviteCreate(c echo.Context) error {
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
	if errors.Is(err, model.ErrNotFound) {
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
	var ve *model.ValidationError
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
	return s.renderNoStore(c, http.StatusOK, "invite_create", invitesView{
		page:          s.newPage(c, "Invite codes for "+n.Name),
		Neighbourhood: n,
		Codes:         codes,
		Expires:       lastDay,
		SiteURL:       s.siteURL(c),
	})
}

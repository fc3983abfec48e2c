package server

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"wordgarden/server/model"
	"wordgarden/server/qr"
)

type invitesView struct {
	page
	Neighbourhood model.Neighbourhood
	Slips         []inviteSlip
	Expires       time.Time
	JoinURL       string // the join page, in the language the slips are printed in
}

// inviteSlip is one printed invite: the code to type, and the same code in
// a link and a QR code, so that a phone's camera opens the join page with
// the code filled in.
type inviteSlip struct {
	Code string
	Link string
	QR   template.HTML
}

// renderInvites shows new invite codes, once, as slips to print. The slips
// are in the facilitator's language, and their link asks for the join page
// in it, so a resident handed a slip in Spanish joins in Spanish whatever
// their phone's language.
func (s *Server) renderInvites(c echo.Context, n model.Neighbourhood, codes []string, expires time.Time) error {
	lastDay := expires // zero: the codes never expire
	if !expires.IsZero() {
		lastDay = expires.Add(-time.Second)
	}
	v := invitesView{
		page:          s.newPage(c, tr(c, "admin.invites.title", "Name", n.Name)),
		Neighbourhood: n,
		Expires:       lastDay,
		JoinURL:       s.siteURL(c) + "/join?lang=" + langOf(c).Code,
	}
	label := tr(c, "admin.slip.qr_label")
	for _, code := range codes {
		link := v.JoinURL + "&code=" + url.QueryEscape(code)
		svg, err := qr.SVG(link, label)
		if err != nil {
			return err
		}
		v.Slips = append(v.Slips, inviteSlip{Code: code, Link: link, QR: svg})
	}
	// The page answers a POST and its codes are shown only once: the
	// switcher's links would lose them. The page says how to print the
	// slips in another language instead.
	v.Langs = nil
	return s.renderNoStore(c, http.StatusOK, "invite_create", v)
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
		return invalid("neighbourhood", tr(c, "admin.invites.choose_neighbourhood"))
	}
	if err != nil {
		return err
	}
	count, err := strconv.Atoi(f.Count)
	if err != nil {
		return invalid("count", tr(c, "admin.invites.count_number"))
	}
	var expires time.Time
	if f.Expires != "" {
		day, err := time.ParseInLocation("2006-01-02", f.Expires, s.loc)
		if err != nil {
			return invalid("expires", tr(c, "admin.invites.expires_date"))
		}
		expires = day.AddDate(0, 0, 1) // the codes work all through that day
	}
	codes, err := s.store.CreateInvites(ctx, n.ID, count, expires)
	var ve *model.ValidationError
	if errors.As(err, &ve) {
		return invalid(ve.Field, problem(c, ve))
	}
	if err != nil {
		return err
	}
	return s.renderInvites(c, n, codes, expires)
}

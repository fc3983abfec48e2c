package server

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"wordgarden/server/model"
	"wordgarden/server/qr"
)

type welcomeSlipView struct {
	page
	Reset      model.ResetCode
	Registered bool   // just registered, rather than a new slip for a lost one
	WelcomeURL string // the page to type the name and code on: an address, not words
	Link       string // the same with the name and code filled in, as the QR code has it
	QR         template.HTML
}

// registrationCreate registers a resident at an event: an account with her
// name and neighbourhood and no password, and a slip, shown once, with the
// one-time code with which she chooses her password, with a helper if she
// likes. The facilitator who registered her is kept with the account.
func (s *Server) registrationCreate(c echo.Context) error {
	f := registrationForm{
		Name:          strings.TrimSpace(c.FormValue("name")),
		Neighbourhood: c.FormValue("neighbourhood"),
	}
	invalid := func(field, msg string) error {
		return s.renderRegistration(c, http.StatusUnprocessableEntity, registrationView{
			Form:  f,
			Error: &formError{Prefix: "reg-", Field: field, Message: msg},
		})
	}
	ctx := c.Request().Context()
	n, err := s.store.NeighbourhoodBySlug(ctx, f.Neighbourhood)
	if errors.Is(err, model.ErrNotFound) {
		return invalid("neighbourhood", tr(c, "admin.register.choose_neighbourhood"))
	}
	if err != nil {
		return err
	}
	rc, err := s.store.RegisterResident(ctx, f.Name, n.ID, currentUser(c).ID)
	var ve *model.ValidationError
	if errors.As(err, &ve) {
		return invalid(ve.Field, problem(c, ve))
	}
	if err != nil {
		return err
	}
	return s.renderWelcomeSlip(c, rc, true)
}

// renderWelcomeSlip shows a resident's sign-in slip, once: her name, the
// code, the address to type them at, and a QR code of the address with
// both filled in. It is in the page's language, and so is the page the QR
// code opens.
func (s *Server) renderWelcomeSlip(c echo.Context, rc model.ResetCode, registered bool) error {
	welcome := s.siteURL(c) + "/welcome"
	link := welcome + "?lang=" + langOf(c).Code + "&login=" + url.QueryEscape(rc.User.Name) +
		"&code=" + url.QueryEscape(rc.Code)
	svg, err := qr.SVG(link, tr(c, "admin.register.qr_label"))
	if err != nil {
		return err
	}
	title := tr(c, "admin.register.slip_new", "Name", rc.User.Name)
	if registered {
		title = tr(c, "admin.register.done", "Name", rc.User.Name, "Neighbourhood", rc.User.NeighbourhoodName)
	}
	v := welcomeSlipView{
		page:       s.newPage(c, title),
		Reset:      rc,
		Registered: registered,
		WelcomeURL: welcome,
		Link:       link,
		QR:         svg,
	}
	// The page answers a POST and its code is shown only once: the
	// switcher's links would lose it.
	v.Langs = nil
	return s.renderNoStore(c, http.StatusOK, "registration_create", v)
}

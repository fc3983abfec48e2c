package server

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
)

// The facilitators' pages speak the language the facilitator chose: the
// words of the page, what the server says after a form, and the invite
// slips, whose link opens the join page in the same language.
func TestAdminPagesInSpanish(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	fac := a.as(a.facilitator)

	res := fac.get("/admin?lang=es").wantStatus(t, http.StatusOK)
	if got := res.doc.Find("html").AttrOr("lang", ""); got != "es" {
		t.Errorf("the admin page's lang is %q", got)
	}
	for _, want := range []string{"Organizaciones y personas", "Añadir una organización", "Servicio público", "Grupo comunitario"} {
		if !strings.Contains(res.text("main"), want) {
			t.Errorf("the admin page in Spanish does not say %q", want)
		}
	}
	// Sam's row: his role and his account's state are words too.
	var row []string
	res.doc.Find(`tr:has(a[href="` + personURL(a.statutory) + `"]) td`).Each(func(_ int, td *goquery.Selection) {
		row = append(row, text(td))
	})
	if got := strings.Join(row, " | "); got != "Sam | sam@example.org | colaborador | Southwark Council | activa" {
		t.Errorf("Sam's row reads %q", got)
	}
	for _, english := range []string{"Organisations and people", "Add organisation", "Statutory", "partner", "active"} {
		if strings.Contains(res.text("main"), english) {
			t.Errorf("the admin page in Spanish still says %q", english)
		}
	}

	// The language stays chosen (a cookie): what the server says after a
	// form is Spanish too.
	res = fac.post("/admin/users", url.Values{"name": {"Lee"}, "email": {"lee@example.org"}, "role": {"resident"}, "password": {testPassword}})
	wantProblem(t, res, http.StatusUnprocessableEntity, "Elige colaborador o facilitador.")
	fac.post("/admin/organisations", url.Values{"name": {"Camberwell Foodbank"}, "sector": {"voluntary"}}).wantRedirect(t, "/admin")
	if got := fac.get("/admin").text(".flash"); got != "Se ha añadido Camberwell Foodbank." {
		t.Errorf("the message after adding an organisation says %q", got)
	}
	res = fac.post(personURL(a.facilitator)+"/sign-out", nil)
	wantProblem(t, res, http.StatusUnprocessableEntity, "Para cerrar tus otras sesiones")

	res = fac.get("/admin/people")
	if got := res.text("main > p:nth-of-type(2)"); got != "4 cuentas." {
		t.Errorf("the people page counts %q", got)
	}
	if got := fac.get(personURL(a.statutory)).text("#switch-heading ~ form button"); got != "Desactivar la cuenta de Sam" {
		t.Errorf("the button to switch Sam off says %q", got)
	}
}

// Invite slips print in the facilitator's language, and their link asks for
// the join page in it, so that a resident handed a slip in Spanish joins in
// Spanish whatever language their phone is set to. The page of slips says
// so, and has no language switcher: its codes are shown once.
func TestInviteSlipsInTheFacilitatorsLanguage(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	fac := a.as(a.facilitator)
	nb, err := a.store.NeighbourhoodBySlug(context.Background(), "peckham")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.store.CreateInvites(context.Background(), nb.ID, 3, time.Time{}); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		lang, title, language, notSaid string
	}{
		{"en", "Have your say on the words we use", "(English)", "Da tu opinión"},
		{"es", "Da tu opinión sobre las palabras que usamos", "(Español)", "Have your say"},
		{"pt", "Dê a sua opinião sobre as palavras que usamos", "(Português)", "Have your say"},
		{"fr", "Donnez votre avis sur les mots que nous utilisons", "(Français)", "Have your say"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			if got := fac.get("/admin/neighbourhoods?lang=" + tc.lang).text("#codes-heading ~ p"); !strings.Contains(got, tc.language) {
				t.Errorf("the neighbourhoods page does not say the slips print in %s: %q", tc.language, got)
			}
			for _, res := range []*response{
				fac.post("/admin/invites", url.Values{"neighbourhood": {"peckham"}, "count": {"2"}}),
				fac.post("/admin/neighbourhoods/peckham/invites/reprint", url.Values{"batch": {firstBatch(t, fac)}}),
			} {
				res.wantStatus(t, http.StatusOK)
				if got := res.doc.Find("html").AttrOr("lang", ""); !strings.HasPrefix(got, tc.lang) {
					t.Errorf("the slips' page has lang %q", got)
				}
				slips := res.doc.Find(".slip")
				if slips.Length() < 2 {
					t.Fatalf("%d slips", slips.Length())
				}
				if got := text(slips.First().Find(".slip-title")); got != tc.title {
					t.Errorf("the slip's title is %q, want %q", got, tc.title)
				}
				if strings.Contains(res.text("main"), tc.notSaid) {
					t.Errorf("the slips say %q", tc.notSaid)
				}
				link := text(slips.First().Find("strong"))
				if want := a.ts.URL + "/join?lang=" + tc.lang; link != want {
					t.Errorf("the slip's link is %q, want %q", link, want)
				}
				if !strings.Contains(res.text(".screen-only"), tc.language) {
					t.Errorf("the page does not say which language the slips are in: %q", res.text(".screen-only"))
				}
				if n := res.doc.Find("nav.langs").Length(); n != 0 {
					t.Error("the slips' page has a language switcher, whose links would lose the codes")
				}
				if strings.Contains(res.body, "[admin.") {
					t.Errorf("the page asks for a message no catalogue has: %s", res.body)
				}

				// A resident whose phone prefers English types the link.
				phone := a.visitor()
				phone.header.Set("Accept-Language", "en-GB,en;q=0.9")
				u, err := url.Parse(link)
				if err != nil {
					t.Fatal(err)
				}
				if got := phone.get(u.RequestURI()).doc.Find("html").AttrOr("lang", ""); !strings.HasPrefix(got, tc.lang) {
					t.Errorf("the slip's link opens the join page with lang %q", got)
				}
			}
		})
	}
}

// firstBatch is the print run listed first on Peckham's page.
func firstBatch(t *testing.T, c *client) string {
	t.Helper()
	b := c.get("/admin/neighbourhoods/peckham").doc.Find(`form[action$="/reprint"] input[name="batch"]`).AttrOr("value", "")
	if b == "" {
		t.Fatal("Peckham's page lists no print run")
	}
	return b
}

// Every facilitators' page, and every message the server says on them,
// is in each language's catalogue: none shows a message's id.
func TestAdminPagesSayNoMissingMessage(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	ctx := context.Background()
	nb, _ := a.store.NeighbourhoodBySlug(ctx, "peckham")
	if _, err := a.store.CreateInvites(ctx, nb.ID, 3, time.Now().Add(24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := a.store.AddLocalWord(ctx, "hub", "community centre", "Fran"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.store.DisableUser(ctx, a.voluntary.ID, a.facilitator.ID); err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"en", "es", "pt", "fr"} {
		t.Run(lang, func(t *testing.T) {
			fac := a.as(a.facilitator)
			fac.get("/?lang=" + lang)
			for _, path := range []string{
				"/admin", "/admin/people", "/admin/people?q=example", "/admin/people?q=nobody",
				personURL(a.facilitator), personURL(a.resident), personURL(a.voluntary), personURL(a.statutory),
				"/admin/organisations/" + itoa(a.voluntary.OrganisationID),
				"/admin/neighbourhoods", "/admin/neighbourhoods/peckham", "/admin/words",
			} {
				res := fac.get(path).wantStatus(t, http.StatusOK)
				if got := res.doc.Find("html").AttrOr("lang", ""); !strings.HasPrefix(got, lang) {
					t.Errorf("%s has lang %q", path, got)
				}
				if i := strings.Index(res.body, "[admin."); i >= 0 {
					t.Errorf("%s asks for a message no catalogue has: %.60s", path, res.body[i:])
				}
			}
		})
	}
}

// Each invite slip carries its code in a link and a QR code: a phone's
// camera opens the join page in the slip's language with the code filled in,
// and the resident only chooses a name and a password. (server/qr's test
// reads the codes it draws with a decoder.)
func TestInviteSlipsLinkAndQRCode(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	res := a.as(a.facilitator).post("/admin/invites?lang=es", url.Values{"neighbourhood": {"peckham"}, "count": {"3"}}).
		wantStatus(t, http.StatusOK)
	slips := res.doc.Find(".slip")
	if slips.Length() != 3 {
		t.Fatalf("%d slips", slips.Length())
	}
	seen := map[string]bool{}
	slips.Each(func(i int, slip *goquery.Selection) {
		code := text(slip.Find(".code"))
		link := slip.Find("a.slip-qr").AttrOr("href", "")
		if want := a.ts.URL + "/join?lang=es&code=" + code; link != want {
			t.Errorf("slip %d links to %q, want %q", i, link, want)
		}
		svg := slip.Find("a.slip-qr svg")
		if svg.AttrOr("role", "") != "img" || svg.AttrOr("aria-label", "") != "Código QR: abre la página para unirse con este código ya escrito" {
			t.Errorf("slip %d's QR code is not named: role %q, label %q", i, svg.AttrOr("role", ""), svg.AttrOr("aria-label", ""))
		}
		if seen[svg.Find("path").AttrOr("d", "")] {
			t.Errorf("slip %d has the QR code of another slip", i)
		}
		seen[svg.Find("path").AttrOr("d", "")] = true
	})

	// The first slip's link, as the camera opens it.
	code := text(slips.First().Find(".code"))
	u, err := url.Parse(slips.First().Find("a.slip-qr").AttrOr("href", ""))
	if err != nil {
		t.Fatal(err)
	}
	phone := a.visitor()
	join := phone.get(u.RequestURI()).wantStatus(t, http.StatusOK)
	if join.doc.Find("html").AttrOr("lang", "") != "es" || join.doc.Find(`input[name="code"]`).AttrOr("value", "") != code {
		t.Fatalf("the join page opened with lang %q and code %q, want es and %q",
			join.doc.Find("html").AttrOr("lang", ""), join.doc.Find(`input[name="code"]`).AttrOr("value", ""), code)
	}
	phone.post("/join", url.Values{"code": {code}, "name": {"Sol"}, "password": {testPassword}}).wantRedirect(t, "/rounds")
}

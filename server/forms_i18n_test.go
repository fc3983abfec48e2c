package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"wordgarden/server/i18n"
	"wordgarden/server/model"
)

// wantSays fails the test unless the page's text at selector has every
// sentence in says and none in not.
func wantSays(t *testing.T, res *response, selector string, says, not []string) {
	t.Helper()
	got := res.text(selector)
	for _, s := range says {
		if !strings.Contains(got, s) {
			t.Errorf("%s says %q, want %q", selector, got, s)
		}
	}
	for _, s := range not {
		if strings.Contains(got, s) {
			t.Errorf("%s still says %q in English", selector, s)
		}
	}
}

// Signing in, its errors and the messages built in Go read in Spanish for
// a reader who chose it: the page, the form's problem and a flash after a
// redirect.
func TestSignInAndAccountInSpanish(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	v := a.visitor()

	res := v.get("/login?lang=es").wantStatus(t, http.StatusOK)
	if lang := res.doc.Find("html").AttrOr("lang", ""); lang != "es" {
		t.Errorf("the sign-in page's lang is %q, want es", lang)
	}
	if got := res.text("h1"); got != "Iniciar sesión" {
		t.Errorf("the sign-in page's heading is %q", got)
	}
	wantSays(t, res, "main",
		[]string{"Correo electrónico, o tu nombre", "Vecinos: si tienes un código de invitación, únete con él. Los socios reciben su cuenta de un facilitador."},
		[]string{"Email address", "Forgotten your password?", "Partners"})

	// The language chosen with ?lang= stays for the form sent from the page.
	res = v.post("/login", url.Values{"email": {"rae"}}).wantStatus(t, http.StatusUnprocessableEntity)
	wantSays(t, res, ".error-summary",
		[]string{"Hay un problema", "Escribe tu correo electrónico (o tu nombre) y tu contraseña."},
		[]string{"There is a problem", "Enter your email"})
	res = v.post("/login", url.Values{"email": {"Rae"}, "password": {"not the password"}}).wantStatus(t, http.StatusUnauthorized)
	wantSays(t, res, ".error-summary", []string{"Ese nombre o correo y esa contraseña no coinciden con ninguna cuenta."}, nil)

	rae := a.as(a.resident)
	rae.get("/account?lang=es").wantStatus(t, http.StatusOK)
	rae.post("/account/name", url.Values{"name": {"Raquel"}}).wantRedirect(t, "/account")
	res = rae.get("/account").wantStatus(t, http.StatusOK)
	wantSays(t, res, ".flash", []string{"Tu nombre ahora es Raquel. A partir de ahora, entra con él."}, []string{"Your name"})
	if dt, dd := text(res.doc.Find("main dl dt").Eq(1)), text(res.doc.Find("main dl dd").Eq(1)); dt != "Rol" || dd != "vecino" {
		t.Errorf("the account page says %q: %q, want Rol: vecino", dt, dd)
	}

	// A validation error from the store is said through problem(): in
	// English until the store names its messages, but on a Spanish page.
	res = rae.post("/account/password", url.Values{"current": {testPassword}, "password": {"short"}}).wantStatus(t, http.StatusUnprocessableEntity)
	if got := res.doc.Find("html").AttrOr("lang", ""); got != "es" {
		t.Errorf("the account page with an error has lang %q", got)
	}
	wantSays(t, res, ".error-summary h2", []string{"Hay un problema"}, nil)

	// The 403 page says who may write, in Spanish.
	res = rae.get("/terms/new").wantStatus(t, http.StatusForbidden)
	wantSays(t, res, "main", []string{"Solo los socios y los facilitadores pueden escribir redacciones."}, []string{"Only partners"})
}

// The reported comments page reads in Spanish, and so do the comment's
// kind and its author's role, which come from the template functions.
func TestCommentsInSpanish(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	vid := a.agreedOf("social-prescribing")
	c := a.comment(vid, 0, model.Question, "Is this spam?", a.resident)
	if err := a.store.ReportComment(context.Background(), c.ID, &a.statutory, "Off topic"); err != nil {
		t.Fatal(err)
	}

	res := a.as(a.facilitator).get("/admin/reports?lang=es").wantStatus(t, http.StatusOK)
	if got := res.text("h1"); got != "Comentarios denunciados" {
		t.Errorf("the reports page's heading is %q", got)
	}
	item := res.doc.Find("ol.reported > li")
	if got, want := text(item.Find("h2")), fmt.Sprintf("En la versión %d de “Social prescribing”", vid); got != want {
		t.Errorf("the report is of %q, want %q", got, want)
	}
	if got := text(item.Find(".comment-meta")); !strings.HasPrefix(got, "pregunta Rae, vecino de Peckham") {
		t.Errorf("the comment is by %q", got)
	}
	if got := text(item.Find("ul.reports")); !strings.HasPrefix(got, "Sam (socio), ") || !strings.HasSuffix(got, ": “Off topic”") {
		t.Errorf("the report says %q", got)
	}
	wantSays(t, res, "main", []string{"1 denuncia:", "Ocultar este comentario"}, []string{"Reported comments", "report:", "resident of", "Hide this comment"})

	res = a.visitor().get("/terms/social-prescribing?lang=es").wantStatus(t, http.StatusOK)
	if got := res.text(".agreed .comment-count"); !strings.HasSuffix(got, ": 1 pregunta") {
		t.Errorf("the term page counts the comments as %q", got)
	}
}

// Waits are said with the count's plural form, in every language.
func TestWaitsSayTheirPlural(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		l     i18n.Lang
		count int
		want  string
	}{
		{i18n.English, 1, "Too many tries. Wait 1 second, then try again."},
		{i18n.English, 60, "Too many tries. Wait 60 seconds, then try again."},
		{i18n.Spanish, 1, "Demasiados intentos. Espera 1 segundo y vuelve a intentarlo."},
		{i18n.French, 2, "Trop d’essais. Attendez 2 secondes, puis réessayez."},
	} {
		if got := i18n.For(tc.l).T("limit.tries", "Count", tc.count); got != tc.want {
			t.Errorf("%s, %d: %q, want %q", tc.l.Name, tc.count, got, tc.want)
		}
	}
}

// The form to start a term is titled as a page, in the reader's language,
// whatever term is typed in it: the title it shows in a tab and says to a
// screen reader on load.
func TestStartATermPageTitle(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	sam := a.as(a.statutory)
	for _, tc := range []struct {
		name string
		res  *response
		want string
	}{
		{"the empty form", sam.get("/terms/new?title=Hub"), "Start a term · wordgarden"},
		{"the form with a problem", sam.post("/terms", url.Values{"title": {"Hub"}}), "Start a term · wordgarden"},
		{"the form checked", sam.post("/terms", url.Values{"title": {"Hub"}, "markdown": {"A place."}, "check": {"1"}}), "Start a term · wordgarden"},
		{"the form in Spanish", sam.get("/terms/new?lang=es"), "Añadir un término · wordgarden"},
	} {
		if got := tc.res.text("title"); got != tc.want {
			t.Errorf("%s is titled %q, want %q", tc.name, got, tc.want)
		}
	}
	if got := sam.get("/terms/new?title=Hub").doc.Find("#title").AttrOr("value", ""); got != "Hub" {
		t.Errorf("?title= fills in %q, want Hub", got)
	}
}

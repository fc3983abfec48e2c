package server

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"wordgarden/server/model"
)

// problem says the store's validation errors in the reader's language,
// placeholders and all, and in English exactly as before the catalogue.
func TestProblemSaysValidationErrorsInTheReadersLanguage(t *testing.T) {
	t.Parallel()
	st := openTestStore(t)
	ctx := context.Background()
	if _, err := st.CreateOrganisation(ctx, "Southwark Council", model.Statutory); err != nil {
		t.Fatal(err)
	}
	_, empty := st.CreateOrganisation(ctx, "", model.Statutory)
	_, taken := st.CreateOrganisation(ctx, "Southwark Council", model.Statutory)
	e := echo.New()
	for _, tc := range []struct {
		err            error
		acceptLanguage string
		want           string
	}{
		{empty, "", "Enter the organisation’s name."},
		{empty, "es-ES,es;q=0.9", "Escribe el nombre de la organización."},
		{empty, "pt-BR", "Escreva o nome da organização."},
		{empty, "fr", "Saisissez le nom de l’organisation."},
		{taken, "", "There is already an organisation called “Southwark Council”."},
		{taken, "es", "Ya hay una organización que se llama “Southwark Council”."},
		{model.ErrAlreadyHidden, "fr", "Ce commentaire est déjà masqué."},
	} {
		ve, ok := errors.AsType[*model.ValidationError](tc.err)
		if !ok {
			t.Fatalf("%v is not a validation error", tc.err)
		}
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.Header.Set("Accept-Language", tc.acceptLanguage)
		var got string
		err := chooseLang(func(c echo.Context) error {
			got = problem(c, ve)
			return nil
		})(e.NewContext(req, httptest.NewRecorder()))
		if err != nil {
			t.Fatal(err)
		}
		if got != tc.want {
			t.Errorf("Accept-Language %q: %q, want %q", tc.acceptLanguage, got, tc.want)
		}
	}
}

// A join without a name, in Spanish, is refused in Spanish on a Spanish
// page, whether asked for in the address or by the browser. It needs
// residentCreate to show the error with problem(c, ve).
func TestJoinPageSaysValidationErrorsInSpanish(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	form := func() url.Values {
		return url.Values{"code": {"ABCD-EFGH"}, "name": {""}, "password": {testPassword}}
	}
	spanish := a.visitor()
	spanish.header.Set("Accept-Language", "es-ES,es;q=0.9,en;q=0.5")
	for name, res := range map[string]*response{
		"?lang=es":        a.visitor().post("/join?lang=es", form()),
		"Accept-Language": spanish.post("/join", form()),
	} {
		res.wantStatus(t, http.StatusUnprocessableEntity)
		if lang, _ := res.doc.Find("html").Attr("lang"); lang != "es" {
			t.Errorf("%s: the page's lang is %q, want es", name, lang)
		}
		summary := res.text(".error-summary")
		if !strings.Contains(summary, "Escribe un nombre.") || strings.Contains(summary, "Enter a name.") {
			t.Errorf("%s: the error summary says %q, want “Escribe un nombre.”", name, summary)
		}
	}
	// English readers read what they always did.
	res := a.visitor().post("/join", form()).wantStatus(t, http.StatusUnprocessableEntity)
	if summary := res.text(".error-summary"); !strings.Contains(summary, "Enter a name.") {
		t.Errorf("in English the error summary says %q, want “Enter a name.”", summary)
	}
}

package server

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"wordgarden/server/model"
)

func TestAdminOrganisationsAndPartners(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	fran := a.as(a.facilitator)
	ctx := context.Background()

	page := fran.get("/admin").wantStatus(t, http.StatusOK)
	if !strings.Contains(page.text("table"), "Southwark Council") {
		t.Errorf("organisations table = %q", page.text("table"))
	}

	fran.post("/admin/organisations", url.Values{"name": {"Camberwell Foodbank"}, "sector": {"voluntary"}}).wantRedirect(t, "/admin")
	page = fran.get("/admin")
	if !strings.Contains(page.text(".flash"), "Camberwell Foodbank is added") {
		t.Errorf("flash = %q", page.text(".flash"))
	}
	org, err := a.store.OrganisationByName(ctx, "camberwell foodbank")
	if err != nil || org.Sector != model.Voluntary {
		t.Fatalf("organisation = %+v, %v", org, err)
	}

	for _, tt := range []struct {
		form  url.Values
		field string
	}{
		{url.Values{"name": {"Camberwell Foodbank"}, "sector": {"voluntary"}}, "org-name"},
		{url.Values{"name": {""}, "sector": {"statutory"}}, "org-name"},
		{url.Values{"name": {"Guy's and St Thomas'"}, "sector": {"private"}}, "org-sector"},
	} {
		res := fran.post("/admin/organisations", tt.form).wantStatus(t, http.StatusUnprocessableEntity)
		if res.doc.Find(`.error-summary a[href="#`+tt.field+`"]`).Length() != 1 {
			t.Errorf("%v: error summary = %q, want a link to #%s", tt.form, res.text(".error-summary"), tt.field)
		}
		if got := res.doc.Find("#org-name").AttrOr("value", ""); got != tt.form.Get("name") {
			t.Errorf("name kept = %q", got)
		}
	}
	if orgs, _ := a.store.Organisations(ctx); len(orgs) != 3 {
		t.Errorf("refused organisations were stored: %d", len(orgs))
	}

	fran.post("/admin/users", url.Values{
		"name": {"Kim"}, "email": {"kim@foodbank.example"}, "role": {"partner"},
		"organisation_id": {itoa(org.ID)}, "password": {"a good long passphrase"},
	}).wantRedirect(t, "/admin")
	kim, err := a.store.Authenticate(ctx, "kim@foodbank.example", "a good long passphrase")
	if err != nil || kim.Role != model.Partner || kim.OrganisationName != "Camberwell Foodbank" {
		t.Fatalf("Kim = %+v, %v", kim, err)
	}

	good := url.Values{"name": {"Lee"}, "email": {"lee@example.org"}, "role": {"partner"},
		"organisation_id": {itoa(org.ID)}, "password": {"a good long passphrase"}}
	for _, tt := range []struct {
		name, key, value, field string
	}{
		{"taken email", "email", "kim@foodbank.example", "user-email"},
		{"bad email", "email", "lee", "user-email"},
		{"no organisation", "organisation_id", "", "user-organisation"},
		{"unknown organisation", "organisation_id", "9999", "user-organisation"},
		{"organisation not a number", "organisation_id", "x", "user-organisation"},
		{"resident", "role", "resident", "user-role"},
		{"short password", "password", "short", "user-password"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			form := url.Values{}
			for k, v := range good {
				form[k] = v
			}
			form.Set(tt.key, tt.value)
			res := fran.post("/admin/users", form).wantStatus(t, http.StatusUnprocessableEntity)
			if res.doc.Find(`.error-summary a[href="#`+tt.field+`"]`).Length() != 1 {
				t.Errorf("error summary = %q, want a link to #%s", res.text(".error-summary"), tt.field)
			}
			if got := res.doc.Find("#user-name").AttrOr("value", ""); got != "Lee" {
				t.Errorf("name kept = %q", got)
			}
			if res.doc.Find("#user-password").AttrOr("value", "") != "" {
				t.Error("the password is sent back in the page")
			}
		})
	}
	if _, err := a.store.Authenticate(ctx, "lee@example.org", "a good long passphrase"); err == nil {
		t.Error("a refused account was made")
	}

	// A facilitator account belongs to no organisation, whatever the list said.
	fran.post("/admin/users", url.Values{"name": {"Max"}, "email": {"max@example.org"}, "role": {"facilitator"},
		"organisation_id": {itoa(org.ID)}, "password": {"a good long passphrase"}}).wantRedirect(t, "/admin")
	max, _ := a.store.Authenticate(ctx, "max@example.org", "a good long passphrase")
	if max.Role != model.Facilitator || max.OrganisationID != 0 {
		t.Errorf("Max = %+v", max)
	}
}

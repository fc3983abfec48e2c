package server

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"wordgarden/server/model"
	"wordgarden/server/tally"
)

// register has the facilitator register a resident of Peckham at an event
// and returns the slip's page.
func (a *testApp) register(t *testing.T, name string) *response {
	t.Helper()
	return a.as(a.facilitator).post("/admin/registrations", url.Values{"name": {name}, "neighbourhood": {"peckham"}})
}

// TestRegisterResidentJourney follows a resident with no phone or email
// from an event to her vote: the facilitator registers her and prints her
// slip; later a helper opens the slip's link with her, she chooses a
// password, is signed in and votes in her neighbourhood's round.
func TestRegisterResidentJourney(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	ctx := context.Background()
	fac := a.as(a.facilitator)

	form := fac.get("/admin/registrations/new?neighbourhood=peckham").wantStatus(t, http.StatusOK)
	for _, id := range []string{"reg-name", "reg-neighbourhood"} {
		if form.doc.Find(`label[for="`+id+`"]`).Length() != 1 {
			t.Errorf("the registration form's %s field has no label", id)
		}
	}
	if form.doc.Find(`form[action="/admin/registrations"] input`).Not(`[type=hidden]`).Length() != 1 {
		t.Error("the registration form asks for more than a name (and a neighbourhood)")
	}
	if v, _ := form.doc.Find(`#reg-neighbourhood option[selected]`).Attr("value"); v != "peckham" {
		t.Errorf("?neighbourhood=peckham chose %q", v)
	}
	if fac.get("/admin/neighbourhoods/peckham").doc.Find(`a[href="/admin/registrations/new?neighbourhood=peckham"]`).Length() != 1 {
		t.Error("the neighbourhood's page has no link to register a resident there")
	}

	res := a.register(t, " Dot Okafor ").wantStatus(t, http.StatusOK)
	if cc := res.header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("the slip's page has Cache-Control %q, want no-store", cc)
	}
	if h1 := res.text("h1"); h1 != "Dot Okafor is registered in Peckham" {
		t.Errorf("the slip's page is headed %q", h1)
	}
	slip := res.doc.Find(".slip")
	code := text(slip.Find(".code"))
	if len(code) != 9 || code[4] != '-' {
		t.Fatalf("the slip's code is %q", code)
	}
	if name := text(slip.Find(".name")); name != "Dot Okafor" {
		t.Errorf("the slip's name is %q", name)
	}
	if !strings.Contains(text(slip), a.ts.URL+"/welcome") || !strings.Contains(text(slip), "vote") {
		t.Errorf("the slip reads %q", text(slip))
	}
	link, _ := slip.Find("a.slip-qr").Attr("href")
	want := a.ts.URL + "/welcome?lang=en&login=Dot+Okafor&code=" + code
	if link != want {
		t.Errorf("the slip links to %q, want %q", link, want)
	}
	svg := slip.Find("a.slip-qr svg")
	if label, _ := svg.Attr("aria-label"); svg.Length() != 1 || !strings.Contains(label, "name and code filled in") {
		t.Errorf("the slip's QR code is %d svg labelled %q", svg.Length(), label)
	}
	dot, err := a.store.PersonBySignInName(ctx, "Dot Okafor")
	if err != nil || dot.NeighbourhoodSlug != "peckham" || dot.Email != "" {
		t.Fatalf("the registered account = %+v, %v", dot, err)
	}

	// The person's page says who registered her.
	page := fac.get(personURL(dot)).wantStatus(t, http.StatusOK)
	today := time.Now().In(a.srv.loc)
	if got := page.text("dl"); !strings.Contains(got, "At an event, by Fran, on "+today.Format("2 January 2006")) {
		t.Errorf("Dot's page says %q", got)
	}
	if got := fac.get(personURL(a.resident)).text("dl"); strings.Contains(got, "Registered") {
		t.Errorf("Rae joined with an invite, but her page says %q", got)
	}

	// Nobody can sign in to the account before the code is used.
	for _, p := range []string{"a guessed password", testPassword} {
		a.visitor().post("/login", url.Values{"email": {"Dot Okafor"}, "password": {p}}).wantStatus(t, http.StatusUnauthorized)
	}

	// A round for Peckham is open.
	sp, err := a.store.Term(ctx, "social-prescribing")
	if err != nil {
		t.Fatal(err)
	}
	v, err := a.store.CreateVersion(ctx, sp.ID, model.NewVersion{Markdown: "Your GP helps you find groups.", Author: &a.voluntary})
	if err != nil {
		t.Fatal(err)
	}
	round, err := a.store.OpenRound(ctx, model.NewRound{TermID: sp.ID, Candidates: []int64{sp.AgreedVersionID, v.ID},
		Method: tally.Approval, ClosesAt: time.Now().Add(time.Hour), Quorum: 1, ThresholdPct: 50,
		Neighbourhoods: []int64{dot.NeighbourhoodID}, OpenedBy: a.facilitator})
	if err != nil {
		t.Fatal(err)
	}

	// The helper's phone opens the QR code's link: the form has her name
	// and code filled in, and she types a password.
	helper := a.visitor()
	welcome := helper.get(strings.TrimPrefix(link, a.ts.URL)).wantStatus(t, http.StatusOK)
	if h1 := welcome.text("h1"); h1 != "Choose your password" {
		t.Errorf("the welcome page is headed %q", h1)
	}
	if got, _ := welcome.doc.Find("#login").Attr("value"); got != "Dot Okafor" {
		t.Errorf("the name field holds %q", got)
	}
	if got, _ := welcome.doc.Find("#code").Attr("value"); got != code {
		t.Errorf("the code field holds %q", got)
	}
	filled := url.Values{}
	welcome.doc.Find(`form[action="/reset"] input[type=hidden]`).Each(func(_ int, s *goquery.Selection) {
		filled.Set(s.AttrOr("name", ""), s.AttrOr("value", ""))
	})
	filled.Set("login", "Dot Okafor")
	filled.Set("code", code)

	// A short password is refused, and the page keeps her name and code.
	filled.Set("password", "short")
	res = helper.post("/reset", filled)
	wantProblem(t, res, http.StatusUnprocessableEntity, "at least 10 characters")
	if got, _ := res.doc.Find("#code").Attr("value"); got != code || res.text("h1") != "Choose your password" {
		t.Errorf("after a short password the page is %q with the code %q", res.text("h1"), got)
	}

	filled.Set("password", "dot's own password")
	helper.post("/reset", filled).wantRedirect(t, "/rounds")
	if who := signedInAs(t, helper); who != "(Dot Okafor)" {
		t.Errorf("after choosing her password the header says %q", who)
	}
	path := "/rounds/" + strconv.FormatInt(round.ID, 10) + "/ballot"
	helper.post(path, url.Values{"approve": {strconv.FormatInt(v.ID, 10)}}).wantStatus(t, http.StatusOK)
	if b, ok, err := a.store.MyBallot(ctx, round, dot.ID); err != nil || !ok || len(b.Approve) != 1 || b.Approve[0] != v.ID {
		t.Errorf("Dot's ballot = %+v, %v, %v", b, ok, err)
	}

	// Later she signs in herself, like any resident.
	a.visitor().post("/login", url.Values{"email": {"dot okafor"}, "password": {"dot's own password"}}).wantRedirect(t, "/")

	// The code worked once.
	filled.Set("password", "someone else's password")
	filled.Del("_csrf") // another browser's token
	wantProblem(t, a.visitor().post("/reset", filled), http.StatusUnprocessableEntity, "has been used")
}

// TestRegisterResidentLostSlip: the facilitator's reset button on the
// person's page prints a new sign-in slip for a resident who has not chosen
// a password yet, and the lost slip's code stops working.
func TestRegisterResidentLostSlip(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	lost := a.register(t, "Dot").wantStatus(t, http.StatusOK).text(".slip .code")
	dot, err := a.store.PersonBySignInName(context.Background(), "Dot")
	if err != nil {
		t.Fatal(err)
	}
	fac := a.as(a.facilitator)
	if got := fac.get(personURL(dot)).text("main"); !strings.Contains(got, "lost the slip") {
		t.Errorf("Dot's page does not say how to replace a lost slip: %q", got)
	}
	res := fac.post(personURL(dot)+"/reset", nil).wantStatus(t, http.StatusOK)
	if h1 := res.text("h1"); h1 != "A new sign-in slip for Dot" {
		t.Errorf("the new slip's page is headed %q", h1)
	}
	if res.header.Get("Cache-Control") != "no-store" {
		t.Error("the new slip's page may be stored")
	}
	code := res.text(".slip .code")
	if code == "" || code == lost || res.doc.Find(".slip a.slip-qr svg").Length() != 1 {
		t.Fatalf("the new slip reads %q", res.text(".slip"))
	}
	c := a.visitor()
	form := url.Values{"welcome": {"1"}, "login": {"Dot"}, "password": {"dot's own password"}}
	form.Set("code", lost)
	wantProblem(t, c.post("/reset", form), http.StatusUnprocessableEntity, "do not go together")
	form.Set("code", code)
	c.post("/reset", form).wantRedirect(t, "/rounds")

	// With a password of her own, she gets a plain reset code, as anyone.
	res = fac.post(personURL(dot)+"/reset", nil).wantStatus(t, http.StatusOK)
	if h1 := res.text("h1"); h1 != "Password reset code for Dot" {
		t.Errorf("a reset for Dot once she has a password is headed %q", h1)
	}
}

// TestResetPrefills: the reset page fills in a sign-in name and code from
// its address, as a link on a slip can give them.
func TestResetPrefills(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	res := a.visitor().get("/reset?login=Rae&code=ABCD-EFGH").wantStatus(t, http.StatusOK)
	if got, _ := res.doc.Find("#login").Attr("value"); got != "Rae" {
		t.Errorf("the name field holds %q", got)
	}
	if got, _ := res.doc.Find("#code").Attr("value"); got != "ABCD-EFGH" {
		t.Errorf("the code field holds %q", got)
	}
	if h1 := res.text("h1"); h1 != "Choose a new password" {
		t.Errorf("the reset page is headed %q", h1)
	}
}

func TestRegisterResidentRefuses(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	ctx := context.Background()
	people := func() int {
		t.Helper()
		_, n, err := a.store.People(ctx, "", 1)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := people()
	fac := a.as(a.facilitator)
	tests := []struct {
		name         string
		form         url.Values
		field, msg   string
		keepsTheName bool
	}{
		{"no name", url.Values{"name": {"  "}, "neighbourhood": {"peckham"}}, "reg-name", "Enter", false},
		{"another resident's name", url.Values{"name": {"rae"}, "neighbourhood": {"peckham"}}, "reg-name", "Another resident has this name", true},
		{"an unknown neighbourhood", url.Values{"name": {"Dot"}, "neighbourhood": {"atlantis"}}, "reg-neighbourhood", "Choose the resident’s neighbourhood", true},
		{"no neighbourhood", url.Values{"name": {"Dot"}}, "reg-neighbourhood", "Choose the resident’s neighbourhood", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := fac.post("/admin/registrations", tt.form)
			wantProblem(t, res, http.StatusUnprocessableEntity, tt.msg)
			if res.doc.Find("#"+tt.field+`[aria-invalid="true"]`).Length() != 1 {
				t.Errorf("the field %s is not marked invalid", tt.field)
			}
			if got, _ := res.doc.Find("#reg-name").Attr("value"); tt.keepsTheName && got != tt.form.Get("name") {
				t.Errorf("the form lost the name typed: %q", got)
			}
			if res.doc.Find(".slip").Length() != 0 {
				t.Error("a refused registration printed a slip")
			}
		})
	}

	// Others may not register anyone, nor may a form without its CSRF
	// token.
	for who, c := range map[string]*client{"a partner": a.as(a.voluntary), "a resident": a.as(a.resident)} {
		c.get("/admin/registrations/new").wantStatus(t, http.StatusForbidden)
		if res := a.registerAs(c, "Dot"); res.status != http.StatusForbidden {
			t.Errorf("%s registering got %d", who, res.status)
		}
	}
	visitor := a.visitor()
	visitor.get("/admin/registrations/new").wantRedirect(t, "/login?next="+url.QueryEscape("/admin/registrations/new"))
	a.registerAs(visitor, "Dot").wantStatus(t, http.StatusUnauthorized)
	fac.postRaw("/admin/registrations", url.Values{"name": {"Dot"}, "neighbourhood": {"peckham"}}).wantStatus(t, http.StatusForbidden)

	if n := people(); n != before {
		t.Errorf("refused registrations made %d accounts", n-before)
	}
}

func (a *testApp) registerAs(c *client, name string) *response {
	return c.post("/admin/registrations", url.Values{"name": {name}, "neighbourhood": {"peckham"}})
}

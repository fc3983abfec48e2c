package server

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"wordgarden/server/model"
	"wordgarden/server/tally"
)

func personURL(u model.User) string { return "/admin/people/" + strconv.FormatInt(u.ID, 10) }

// signedInAs reports whether the header of the client's home page names
// someone signed in, and who.
func signedInAs(t *testing.T, c *client) string {
	t.Helper()
	res := c.get("/")
	if res.doc.Find(`form[action="/logout"]`).Length() == 0 {
		return ""
	}
	return res.text("header .who")
}

// wantProblem fails unless the page shows an error summary holding msg.
func wantProblem(t *testing.T, res *response, status int, msg string) {
	t.Helper()
	res.wantStatus(t, status)
	if got := res.text(".error-summary"); !strings.Contains(got, msg) {
		t.Errorf("the error summary says %q, want %q", got, msg)
	}
}

func TestPeoplePages(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	fac := a.as(a.facilitator)

	res := fac.get("/admin/people").wantStatus(t, http.StatusOK)
	for _, u := range []model.User{a.facilitator, a.statutory, a.voluntary, a.resident} {
		if res.doc.Find(`a[href="`+personURL(u)+`"]`).Length() != 1 {
			t.Errorf("the people page does not link to %s", u.Name)
		}
	}
	if got := res.text("tbody tr:last-child"); got != "Rae Rae resident Peckham active" {
		t.Errorf("Rae's row reads %q", got)
	}
	res = fac.get("/admin/people?q=EXAMPLE.org").wantStatus(t, http.StatusOK)
	if n := res.doc.Find("tbody tr").Length(); n != 3 {
		t.Errorf("searching for example.org lists %d people, want the 3 with email addresses", n)
	}
	if res = fac.get("/admin/people?q=nobody"); !strings.Contains(res.text("main"), "No account matches") {
		t.Errorf("an empty search says %q", res.text("main"))
	}
	fac.get("/admin/people?q="+strings.Repeat("x", 201)).wantStatus(t, http.StatusBadRequest)

	res = fac.get(personURL(a.statutory)).wantStatus(t, http.StatusOK)
	if h := res.text("h1"); h != "Sam" {
		t.Errorf("the person page's heading is %q", h)
	}
	for _, action := range []string{"name", "reset", "sign-out", "disable"} {
		sel := `form[action="` + personURL(a.statutory) + `/` + action + `"] input[name="_csrf"]`
		if res.doc.Find(sel).Length() != 1 {
			t.Errorf("the person page has no %s form with a CSRF token", action)
		}
	}
	if res.doc.Find(`a[href$="/erase"]`).Length() != 0 {
		t.Error("a partner's page offers to erase them")
	}
	if res = fac.get(personURL(a.resident)); res.doc.Find(`a[href="`+personURL(a.resident)+`/erase"]`).Length() != 1 {
		t.Error("a resident's page does not offer to erase them")
	}
	for _, path := range []string{"/admin/people/9999", "/admin/people/x", "/admin/people/0/erase"} {
		res := fac.get(path)
		res.wantStatus(t, http.StatusNotFound)
		if !strings.Contains(res.text("main"), "no account with that number") {
			t.Errorf("%s says %q", path, res.text("main"))
		}
	}
	// The admin page links each person to their page.
	if fac.get("/admin").doc.Find(`a[href="`+personURL(a.voluntary)+`"]`).Length() != 1 {
		t.Error("the admin page does not link to Val's page")
	}
}

// TestOtherRolesChangeNothing posts every account action as a partner and
// as a resident: each is refused, and nothing changed.
func TestOtherRolesChangeNothing(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	rae := a.as(a.resident)
	rae.get("/") // her session is in use, so cached
	target := personURL(a.resident)
	for _, who := range []*client{a.as(a.voluntary), a.as(a.resident)} {
		for _, action := range []string{"/name", "/disable", "/sign-out", "/reset", "/erase"} {
			res := who.post(target+action, url.Values{"name": {"Mallory"}, "confirm": {"yes"}})
			res.wantStatus(t, http.StatusForbidden)
		}
		who.get(target+"/export.json").wantStatus(t, http.StatusForbidden)
		who.post("/admin/organisations/1/name", url.Values{"name": {"Mallory Ltd"}}).wantStatus(t, http.StatusForbidden)
		who.post("/admin/neighbourhoods/peckham/name", url.Values{"name": {"Mallorytown"}}).wantStatus(t, http.StatusForbidden)
	}
	u, err := a.store.User(context.Background(), a.resident.ID)
	if err != nil || u.Name != "Rae" || u.Disabled() || u.Erased() || u.NeighbourhoodName != "Peckham" {
		t.Errorf("Rae after refused actions: %+v, %v", u, err)
	}
	if signedInAs(t, rae) == "" {
		t.Error("a refused sign-out signed Rae out")
	}
	if d, _ := a.store.PersonData(context.Background(), a.resident.ID); len(d.ResetCodes) != 0 {
		t.Errorf("refused resets made %d codes", len(d.ResetCodes))
	}
	// Without the CSRF token, even a facilitator changes nothing.
	a.as(a.facilitator).postRaw(personURL(a.statutory)+"/disable", url.Values{}).wantStatus(t, http.StatusForbidden)
	if u, _ := a.store.User(context.Background(), a.statutory.ID); u.Disabled() {
		t.Error("a post without the CSRF token switched Sam off")
	}
}

func TestSwitchAccountOffAndOn(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	fac := a.as(a.facilitator)
	sam := a.as(a.statutory)
	if signedInAs(t, sam) == "" {
		t.Fatal("Sam is not signed in")
	}

	fac.post(personURL(a.statutory)+"/disable", nil).wantRedirect(t, personURL(a.statutory))
	res := fac.get(personURL(a.statutory))
	if !strings.Contains(res.text(".flash"), "switched off") || !strings.Contains(res.text("dl"), "switched off since") {
		t.Errorf("after switching off, the page says %q / %q", res.text(".flash"), res.text("dl"))
	}
	// Sam's session, just used and so cached, has ended.
	sam.get("/terms/new").wantRedirect(t, "/login?next=%2Fterms%2Fnew")
	// At sign-in, the right password is told plainly; a wrong one learns nothing.
	c := a.visitor()
	res = c.post("/login", url.Values{"email": {"sam@example.org"}, "password": {testPassword}})
	wantProblem(t, res, http.StatusForbidden, "Your account is switched off")
	res = c.post("/login", url.Values{"email": {"sam@example.org"}, "password": {"not the password"}})
	wantProblem(t, res, http.StatusUnauthorized, "do not match")

	fac.post(personURL(a.statutory)+"/enable", nil).wantRedirect(t, personURL(a.statutory))
	c.post("/login", url.Values{"email": {"sam@example.org"}, "password": {testPassword}}).wantRedirect(t, "/")
	if who := signedInAs(t, c); !strings.Contains(who, "Sam") {
		t.Errorf("after switching on, Sam signs in: header %q", who)
	}

	// A facilitator cannot switch themselves off, nor the last facilitator.
	if fac.get(personURL(a.facilitator)).doc.Find(`form[action$="/disable"], form[action$="/sign-out"]`).Length() != 0 {
		t.Error("Fran's own page offers to switch her off or sign her out")
	}
	res = fac.post(personURL(a.facilitator)+"/disable", nil)
	wantProblem(t, res, http.StatusUnprocessableEntity, "your own account")
	if signedInAs(t, fac) == "" {
		t.Error("a refused switch-off signed Fran out")
	}
	finn := a.user(model.NewUser{Email: "finn@example.org", Name: "Finn", Role: model.Facilitator})
	fac.post(personURL(finn)+"/disable", nil).wantRedirect(t, personURL(finn))
	res = a.as(finn).post(personURL(a.facilitator)+"/disable", nil)
	if res.status != http.StatusUnauthorized {
		t.Errorf("a switched-off facilitator's post: %d, want 401", res.status)
	}
	fac.post("/admin/people/9999/disable", nil).wantStatus(t, http.StatusNotFound)
}

func TestPersonSignOut(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	fac := a.as(a.facilitator)
	phone, laptop := a.as(a.resident), a.as(a.resident)
	signedInAs(t, phone)
	signedInAs(t, laptop)
	other := a.as(a.voluntary)

	fac.post(personURL(a.resident)+"/sign-out", nil).wantRedirect(t, personURL(a.resident))
	if got := fac.get(personURL(a.resident)).text(".flash"); !strings.Contains(got, "2 sessions ended") {
		t.Errorf("the message says %q", got)
	}
	for _, c := range []*client{phone, laptop} {
		if who := signedInAs(t, c); who != "" {
			t.Errorf("a session of Rae's still works: %q", who)
		}
	}
	if signedInAs(t, other) == "" {
		t.Error("Val was signed out too")
	}
	// Rae signs in again with her password.
	c := a.visitor()
	c.post("/login", url.Values{"email": {"rae"}, "password": {testPassword}}).wantRedirect(t, "/")

	res := fac.post(personURL(a.facilitator)+"/sign-out", nil)
	wantProblem(t, res, http.StatusUnprocessableEntity, "change your password")
}

func TestPersonRename(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	ctx := context.Background()
	fac := a.as(a.facilitator)
	rae := a.as(a.resident)
	sp, _ := a.store.Term(ctx, "social-prescribing")
	if _, err := a.store.CreateComment(ctx, model.NewComment{VersionID: sp.AgreedVersionID, Kind: model.Question,
		Markdown: "Who pays?", Author: &a.resident}, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := a.store.CreateUser(ctx, model.NewUser{Name: "Sol", Role: model.Resident,
		NeighbourhoodID: a.resident.NeighbourhoodID, Password: testPassword}); err != nil {
		t.Fatal(err)
	}
	signedInAs(t, rae)

	fac.post(personURL(a.resident)+"/name", url.Values{"name": {"Rae Q"}}).wantRedirect(t, personURL(a.resident))
	if got := fac.get(personURL(a.resident)).text(".flash"); !strings.Contains(got, "Rae is now called Rae Q") || !strings.Contains(got, "sign in with this name") {
		t.Errorf("the message says %q", got)
	}
	if who := signedInAs(t, rae); who != "(Rae Q)" {
		t.Errorf("Rae's header says %q at once, want (Rae Q)", who)
	}
	// Her comment keeps the name it was written under.
	if got := a.visitor().get("/versions/" + strconv.FormatInt(sp.AgreedVersionID, 10)).text(".comment .speaker"); !strings.HasPrefix(got, "Rae,") {
		t.Errorf("the comment's speaker reads %q", got)
	}

	res := fac.post(personURL(a.resident)+"/name", url.Values{"name": {"sol"}})
	wantProblem(t, res, http.StatusUnprocessableEntity, "Another resident has this name")
	if res.doc.Find(`#person-name[aria-invalid="true"][aria-describedby="person-name-error"]`).Length() != 1 {
		t.Error("the name field is not marked invalid and described by its error")
	}
	if v := res.doc.Find("#person-name").AttrOr("value", ""); v != "sol" {
		t.Errorf("the name typed is not kept: %q", v)
	}
	wantProblem(t, fac.post(personURL(a.statutory)+"/name", url.Values{"name": {" "}}), http.StatusUnprocessableEntity, "Enter a name")
	if u, _ := a.store.User(ctx, a.statutory.ID); u.Name != "Sam" {
		t.Errorf("a refused rename changed Sam to %q", u.Name)
	}
}

func TestResetCodeJourney(t *testing.T) {
	t.Parallel()
	a := newTestAppWith(t, func(c *Config) { c.LoginBurst = 3 })
	fac := a.as(a.facilitator)
	old := a.as(a.resident)
	signedInAs(t, old)

	res := fac.post(personURL(a.resident)+"/reset", nil).wantStatus(t, http.StatusOK)
	if cc := res.header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("the code's page has Cache-Control %q, want no-store", cc)
	}
	code := res.text(".slip .code")
	if len(code) != 9 || !strings.Contains(res.text(".slip"), "/reset") || !strings.Contains(res.text(".slip"), "Rae") {
		t.Fatalf("the slip reads %q", res.text(".slip"))
	}

	c := a.visitor()
	form := c.get("/reset").wantStatus(t, http.StatusOK)
	for _, id := range []string{"login", "code", "password"} {
		if form.doc.Find(`label[for="`+id+`"]`).Length() != 1 {
			t.Errorf("the reset form's %s field has no label", id)
		}
	}
	tests := []struct {
		name, login, code, password string
		status                      int
		msg                         string
	}{
		{"no name", "", code, "a new password for rae", http.StatusUnprocessableEntity, "Enter the email address or name"},
		{"no code", "Rae", "", "a new password for rae", http.StatusUnprocessableEntity, "Enter the reset code"},
		{"short password", "Rae", code, "short", http.StatusUnprocessableEntity, "at least 10 characters"},
		{"someone else's name", "sam@example.org", code, "a new password for rae", http.StatusUnprocessableEntity, "do not go together"},
	}
	for _, tt := range tests {
		res := c.post("/reset", url.Values{"login": {tt.login}, "code": {tt.code}, "password": {tt.password}})
		wantProblem(t, res, tt.status, tt.msg)
	}
	if signedInAs(t, old) == "" {
		t.Error("a refused reset signed Rae out")
	}

	c.post("/reset", url.Values{"login": {"rae"}, "code": {strings.ToLower(code)}, "password": {"a new password for rae"}}).wantRedirect(t, "/account")
	if who := signedInAs(t, c); who != "(Rae)" {
		t.Errorf("after the reset the header says %q", who)
	}
	if signedInAs(t, old) != "" {
		t.Error("Rae's other session still works after the reset")
	}
	a.visitor().post("/login", url.Values{"email": {"Rae"}, "password": {"a new password for rae"}}).wantRedirect(t, "/")
	res = a.visitor().post("/reset", url.Values{"login": {"Rae"}, "code": {code}, "password": {"another new password"}})
	wantProblem(t, res, http.StatusUnprocessableEntity, "has been used")

	// Codes that do not work are limited per address (every client here
	// has the same one), with invite codes: of the joinPerAddress tries,
	// the two refused above took two.
	guesser := a.visitor()
	guess := url.Values{"login": {"Rae"}, "code": {"ABCD-EFGH"}, "password": {"a guessed password"}}
	for range joinPerAddress - 2 {
		guesser.post("/reset", guess).wantStatus(t, http.StatusUnprocessableEntity)
	}
	res = guesser.post("/reset", guess)
	wantProblem(t, res, http.StatusTooManyRequests, "Too many codes")
	if res.header.Get("Retry-After") == "" {
		t.Error("no Retry-After")
	}
	guesser.post("/join", url.Values{"code": {"ABCD-EFGH"}, "name": {"Guess"}, "password": {"a guessed password"}}).
		wantStatus(t, http.StatusTooManyRequests)

	// A switched-off account gets no code.
	fac.post(personURL(a.statutory)+"/disable", nil)
	wantProblem(t, fac.post(personURL(a.statutory)+"/reset", nil), http.StatusUnprocessableEntity, "switched off")
}

func TestOwnAccount(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	ctx := context.Background()
	if _, err := a.store.CreateUser(ctx, model.NewUser{Name: "Sol", Role: model.Resident,
		NeighbourhoodID: a.resident.NeighbourhoodID, Password: testPassword}); err != nil {
		t.Fatal(err)
	}
	for _, u := range []model.User{a.resident, a.voluntary, a.facilitator} {
		res := a.as(u).get("/account").wantStatus(t, http.StatusOK)
		if got := res.text("dl"); !strings.Contains(got, u.SignInName()) {
			t.Errorf("%s's account page says %q", u.Name, got)
		}
		if res.doc.Find(`header a[href="/account"]`).Length() != 1 {
			t.Errorf("%s's header does not link to their account", u.Name)
		}
	}
	a.visitor().get("/account").wantRedirect(t, "/login?next=%2Faccount")

	rae := a.as(a.resident)
	res := rae.post("/account/name", url.Values{"name": {"SOL"}})
	wantProblem(t, res, http.StatusUnprocessableEntity, "Another resident has this name")
	if res.doc.Find(`#name-name[aria-invalid="true"]`).Length() != 1 {
		t.Error("the name field is not marked invalid")
	}
	rae.post("/account/name", url.Values{"name": {"Rae Morgan"}}).wantRedirect(t, "/account")
	if got := rae.get("/account").text(".flash"); !strings.Contains(got, "Sign in with it") {
		t.Errorf("the message says %q", got)
	}
	a.visitor().post("/login", url.Values{"email": {"rae morgan"}, "password": {testPassword}}).wantRedirect(t, "/")

	val, valPhone := a.as(a.voluntary), a.as(a.voluntary)
	signedInAs(t, valPhone)
	res = val.post("/account/password", url.Values{"current": {"not my password"}, "password": {"a brand new password"}})
	wantProblem(t, res, http.StatusUnprocessableEntity, "current password is not right")
	if res.doc.Find(`#pw-current[aria-invalid="true"][aria-describedby="pw-current-error"]`).Length() != 1 {
		t.Error("the current password field is not marked invalid")
	}
	wantProblem(t, val.post("/account/password", url.Values{"current": {testPassword}, "password": {"short"}}),
		http.StatusUnprocessableEntity, "at least 10 characters")
	wantProblem(t, val.post("/account/password", url.Values{"password": {"a brand new password"}}),
		http.StatusUnprocessableEntity, "Enter your current password")
	if signedInAs(t, valPhone) == "" {
		t.Error("a refused change signed Val out elsewhere")
	}
	val.post("/account/password", url.Values{"current": {testPassword}, "password": {"a brand new password"}}).wantRedirect(t, "/account")
	if signedInAs(t, val) == "" {
		t.Error("changing her password signed Val out here")
	}
	if signedInAs(t, valPhone) != "" {
		t.Error("changing her password left Val signed in elsewhere")
	}
	a.visitor().post("/login", url.Values{"email": {"val@example.org"}, "password": {"a brand new password"}}).wantRedirect(t, "/")
	a.visitor().post("/login", url.Values{"email": {"val@example.org"}, "password": {testPassword}}).wantStatus(t, http.StatusUnauthorized)
}

func TestExportPerson(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	sp, _ := a.store.Term(context.Background(), "social-prescribing")
	r := a.openRound(sp.Slug)
	receipt, err := a.store.CastBallot(context.Background(), r.ID, a.resident, tally.Ballot{Approve: []int64{sp.AgreedVersionID}})
	if err != nil {
		t.Fatal(err)
	}
	res := a.as(a.facilitator).get(personURL(a.resident)+"/export.json").wantStatus(t, http.StatusOK)
	if cd := res.header.Get("Content-Disposition"); cd != `attachment; filename="wordgarden-person-`+strconv.FormatInt(a.resident.ID, 10)+`.json"` {
		t.Errorf("Content-Disposition = %q", cd)
	}
	if cc := res.header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control = %q", cc)
	}
	var d model.PersonData
	if err := json.Unmarshal([]byte(res.body), &d); err != nil {
		t.Fatal(err)
	}
	if d.Account.Name != "Rae" || d.Account.Neighbourhood != "Peckham" || len(d.Ballots) != 1 || d.Ballots[0].Receipt != receipt {
		t.Errorf("export = %+v", d)
	}
	a.as(a.facilitator).get("/admin/people/9999/export.json").wantStatus(t, http.StatusNotFound)
}

func TestErasePerson(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	ctx := context.Background()
	fac := a.as(a.facilitator)
	sp, _ := a.store.Term(ctx, "social-prescribing")
	r := a.openRound(sp.Slug)
	if _, err := a.store.CastBallot(ctx, r.ID, a.resident, tally.Ballot{Approve: []int64{sp.AgreedVersionID}}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.store.CreateComment(ctx, model.NewComment{VersionID: sp.AgreedVersionID, Kind: model.TriedIt,
		Markdown: "My neighbours got it.", Author: &a.resident}, 0); err != nil {
		t.Fatal(err)
	}
	rae := a.as(a.resident)
	signedInAs(t, rae)

	res := fac.get(personURL(a.resident)+"/erase").wantStatus(t, http.StatusOK)
	if res.doc.Find(`form[action="`+personURL(a.resident)+`/erase"] input[name="confirm"][value="yes"]`).Length() != 1 {
		t.Fatal("the erase page has no confirming form")
	}
	if !strings.Contains(res.text("main"), "ballots stay and still count") {
		t.Errorf("the erase page says %q", res.text("main"))
	}
	// Without the confirmation, nothing happens.
	fac.post(personURL(a.resident)+"/erase", nil).wantStatus(t, http.StatusBadRequest)
	if signedInAs(t, rae) == "" {
		t.Fatal("an unconfirmed erase signed Rae out")
	}

	fac.post(personURL(a.resident)+"/erase", url.Values{"confirm": {"yes"}}).wantRedirect(t, "/admin/people")
	res = fac.get("/admin/people")
	if !strings.Contains(res.text(".flash"), "Rae’s account is erased") || res.doc.Find(`a[href="`+personURL(a.resident)+`"]`).Length() != 0 {
		t.Errorf("after erasing, the people page says %q and lists Rae: %v", res.text(".flash"), res.doc.Find(`a[href="`+personURL(a.resident)+`"]`).Length())
	}
	if signedInAs(t, rae) != "" {
		t.Error("Rae's session works after her erasure")
	}
	fac.get(personURL(a.resident)).wantStatus(t, http.StatusNotFound)
	a.visitor().post("/login", url.Values{"email": {"Rae"}, "password": {testPassword}}).wantStatus(t, http.StatusUnauthorized)

	// Her comment reads as a former resident's; her name is gone from the page.
	page := a.visitor().get("/versions/" + strconv.FormatInt(sp.AgreedVersionID, 10))
	if got := page.text(".comment .speaker"); got != "A former resident of Peckham" {
		t.Errorf("the comment's speaker reads %q", got)
	}
	if strings.Contains(page.text("main"), "Rae") {
		t.Error("the version page still names Rae")
	}
	// Her ballot still counts.
	closed, err := a.store.CloseRound(ctx, r.ID)
	if err != nil || closed.Results.Ballots != 1 {
		t.Errorf("the round counted %d ballots (%v), want Rae's", closed.Results.Ballots, err)
	}

	// Partners and facilitators are not erased.
	res = fac.get(personURL(a.statutory)+"/erase").wantStatus(t, http.StatusOK)
	if res.doc.Find(`form[action$="/erase"]`).Length() != 0 {
		t.Error("the erase page offers to erase a partner")
	}
	wantProblem(t, fac.post(personURL(a.statutory)+"/erase", url.Values{"confirm": {"yes"}}), http.StatusUnprocessableEntity, "Only residents")
}

func TestRenameOrganisationAndNeighbourhoodPages(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	fac := a.as(a.facilitator)
	org := "/admin/organisations/" + strconv.FormatInt(a.statutory.OrganisationID, 10)

	res := fac.get(org).wantStatus(t, http.StatusOK)
	if res.text("h1") != "Southwark Council" || res.doc.Find(`a[href="`+personURL(a.statutory)+`"]`).Length() != 1 {
		t.Errorf("the organisation page: %q", res.text("main"))
	}
	fac.post(org+"/name", url.Values{"name": {"Southwark Borough Council"}}).wantRedirect(t, org)
	if got := fac.get(org).text("h1"); got != "Southwark Borough Council" {
		t.Errorf("after renaming, the heading is %q", got)
	}
	if got := a.as(a.statutory).get("/account").text("dl"); !strings.Contains(got, "Southwark Borough Council") {
		t.Errorf("Sam's account shows %q", got)
	}
	wantProblem(t, fac.post(org+"/name", url.Values{"name": {"peckham community hub"}}), http.StatusUnprocessableEntity, "already an organisation")
	fac.get("/admin/organisations/9999").wantStatus(t, http.StatusNotFound)

	res = fac.get("/admin/neighbourhoods/peckham").wantStatus(t, http.StatusOK)
	if !strings.Contains(res.text("main"), "stays peckham") {
		t.Errorf("the neighbourhood page does not say its address stays: %q", res.text("main"))
	}
	fac.post("/admin/neighbourhoods/peckham/name", url.Values{"name": {"Peckham Rye"}}).wantRedirect(t, "/admin/neighbourhoods/peckham")
	if got := fac.get("/admin/neighbourhoods/peckham").text("h1"); got != "Peckham Rye" {
		t.Errorf("after renaming, the heading is %q", got)
	}
	wantProblem(t, fac.post("/admin/neighbourhoods/peckham/name", url.Values{"name": {strings.Repeat("x", 101)}}),
		http.StatusUnprocessableEntity, "100 characters")
	fac.get("/admin/neighbourhoods/nowhere").wantStatus(t, http.StatusNotFound)
	if fac.get("/admin/neighbourhoods").doc.Find(`a[href="/admin/neighbourhoods/peckham"]`).Length() != 1 {
		t.Error("the neighbourhoods page does not link to Peckham's")
	}
}

func TestInviteCodesPage(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	ctx := context.Background()
	fac := a.as(a.facilitator)
	nb, _ := a.store.NeighbourhoodBySlug(ctx, "peckham")
	until := time.Now().Add(30 * 24 * time.Hour)
	old, err := a.store.CreateInvites(ctx, nb.ID, 3, until)
	if err != nil {
		t.Fatal(err)
	}
	page := "/admin/neighbourhoods/peckham"

	res := fac.get(page).wantStatus(t, http.StatusOK)
	if got := res.text(".word-list li p"); !strings.HasPrefix(got, "3 of 3 printed") {
		t.Errorf("the run reads %q", got)
	}
	batch := res.doc.Find(`form[action$="/reprint"] input[name="batch"]`).AttrOr("value", "")

	res = fac.post(page+"/invites/reprint", url.Values{"batch": {batch}}).wantStatus(t, http.StatusOK)
	if cc := res.header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("the reprinted codes' page has Cache-Control %q", cc)
	}
	codes := res.doc.Find(".slip .code")
	if codes.Length() != 3 {
		t.Fatalf("the reprint shows %d codes, want 3", codes.Length())
	}
	if a.visitor().post("/join", url.Values{"code": {old[0]}, "name": {"Sol"}, "password": {testPassword}}).status != http.StatusUnprocessableEntity {
		t.Error("an old code works after the reprint")
	}
	a.visitor().post("/join", url.Values{"code": {codes.First().Text()}, "name": {"Sol"}, "password": {testPassword}}).wantRedirect(t, "/rounds")

	// Reprinting the same run again: its codes are gone.
	wantProblem(t, fac.post(page+"/invites/reprint", url.Values{"batch": {batch}}), http.StatusUnprocessableEntity, "list is up to date")
	wantProblem(t, fac.post(page+"/invites/reprint", url.Values{"batch": {"x"}}), http.StatusUnprocessableEntity, "Choose the codes")

	// One code, typed from its slip; then the rest of the run.
	second := codes.Eq(1).Text()
	fac.post(page+"/invites/cancel", url.Values{"code": {strings.ToLower(second)}}).wantRedirect(t, page)
	if got := fac.get(page).text(".flash"); !strings.Contains(got, second+" is cancelled") {
		t.Errorf("the message says %q", got)
	}
	res = fac.post(page+"/invites/cancel", url.Values{"code": {second}})
	wantProblem(t, res, http.StatusUnprocessableEntity, "expired or was cancelled")
	if res.doc.Find(`#inv-code[aria-invalid="true"]`).Length() != 1 {
		t.Error("the code field is not marked invalid")
	}
	wantProblem(t, fac.post(page+"/invites/cancel", url.Values{"code": {""}}), http.StatusUnprocessableEntity, "Enter the code")
	batch = fac.get(page).doc.Find(`form[action$="/cancel"] input[name="batch"]`).AttrOr("value", "")
	fac.post(page+"/invites/cancel", url.Values{"batch": {batch}}).wantRedirect(t, page)
	res = fac.get(page)
	if !strings.Contains(res.text(".flash"), "1 invite code for Peckham cancelled") || res.doc.Find(".word-list li").Length() != 0 {
		t.Errorf("after cancelling: %q", res.text("main"))
	}
	if a.visitor().post("/join", url.Values{"code": {codes.Eq(2).Text()}, "name": {"Tam"}, "password": {testPassword}}).status != http.StatusUnprocessableEntity {
		t.Error("a cancelled code works")
	}
}

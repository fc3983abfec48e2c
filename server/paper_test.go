package server

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"wordgarden/server/model"
)

// paperCounts is how many print runs and entries the store holds.
func paperCounts(t *testing.T, a *testApp) (prints, entries int) {
	t.Helper()
	for _, rr := range mustRounds(t, a) {
		ps, err := a.store.PaperPrints(context.Background(), rr.ID)
		if err != nil {
			t.Fatal(err)
		}
		prints += len(ps)
		audit, err := a.store.PaperAudit(context.Background(), rr.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range audit {
			if e.Entry != nil {
				entries++
			}
		}
	}
	return prints, entries
}

func mustRounds(t *testing.T, a *testApp) []model.Round {
	t.Helper()
	rs, err := a.store.Rounds(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

// followFlash reads the page a POST sent the facilitator to, and its
// message.
func followFlash(t *testing.T, c *client, res *response) string {
	t.Helper()
	loc := res.header.Get("Location")
	if res.status != http.StatusSeeOther || loc == "" {
		t.Fatalf("got %d to %q, want a redirect: %s", res.status, loc, res.text(".error-summary"))
	}
	return c.get(loc).text(".flash")
}

func TestPaperOnlyForFacilitators(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	r := a.openRound("social-prescribing")
	path := "/rounds/" + strconv.FormatInt(r.ID, 10) + "/paper"

	a.as(a.resident).get(path).wantStatus(t, http.StatusForbidden)
	a.as(a.voluntary).get(path).wantStatus(t, http.StatusForbidden)
	a.visitor().get(path).wantRedirect(t, "/login?next="+url.QueryEscape(path))
	fac := a.as(a.facilitator)
	fac.get(path).wantStatus(t, http.StatusOK)
	// The round page links to it for facilitators only.
	if fac.get("/rounds/"+strconv.FormatInt(r.ID, 10)).doc.Find(`a[href="`+path+`"]`).Length() != 1 {
		t.Error("the open round's page has no link to its paper ballots for the facilitator")
	}
	if a.as(a.resident).get("/rounds/"+strconv.FormatInt(r.ID, 10)).doc.Find(`a[href="`+path+`"]`).Length() != 0 {
		t.Error("a resident sees the link to paper ballots")
	}

	form := url.Values{"neighbourhood": {"peckham"}, "sheets": {"3"}, "size": {"A4"}}
	a.as(a.resident).post(path+"/prints", form).wantStatus(t, http.StatusForbidden)
	// Without the CSRF token, from a client that does not say it is on
	// the site's own page, nothing is printed.
	fac.postRaw(path+"/prints", form).wantStatus(t, http.StatusForbidden)
	if prints, _ := paperCounts(t, a); prints != 0 {
		t.Errorf("%d print runs made by refused requests", prints)
	}
}

// TestPaperJourney prints sheets, keys them in as two facilitators, and
// reads what each step says, the print page, the results and the
// published ballots.
func TestPaperJourney(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	kit := a.user(model.NewUser{Email: "kit@example.org", Name: "Kit", Role: model.Facilitator})
	r := a.openRound("social-prescribing")
	id := strconv.FormatInt(r.ID, 10)
	path := "/rounds/" + id + "/paper"
	fran, other := a.as(a.facilitator), a.as(kit)
	first, second := strconv.FormatInt(r.Candidates[0].ID, 10), strconv.FormatInt(r.Candidates[1].ID, 10)

	res := fran.post(path+"/prints", url.Values{"neighbourhood": {"peckham"}, "sheets": {"4"}, "size": {"A5"}, "hand_in": {"Peckham Library front desk"}})
	loc := res.header.Get("Location")
	if res.status != http.StatusSeeOther || !strings.HasPrefix(loc, path+"/prints/") {
		t.Fatalf("printing: %d to %q: %s", res.status, loc, res.text(".error-summary"))
	}
	page := fran.get(loc).wantStatus(t, http.StatusOK)
	sheets := page.doc.Find(".sheets-A5 .sheet")
	if sheets.Length() != 4 {
		t.Fatalf("%d sheets on the print page, want 4", sheets.Length())
	}
	var numbers []string
	sheets.Each(func(_ int, s *goquery.Selection) {
		numbers = append(numbers, text(s.Find(".sheet-number .number")))
	})
	want := model.FormatSheetNumber(model.SheetNumber(r.ID, 1))
	if numbers[0] != want || numbers[1] == numbers[0] {
		t.Errorf("sheet numbers = %v, want %s first, each its own", numbers, want)
	}
	one := sheets.First()
	for _, v := range r.Candidates {
		if !strings.Contains(text(one.Find(".wording")), v.Text) {
			t.Errorf("the sheet lacks the wording %q in full", v.Text)
		}
	}
	if got := one.Find(".sheet-candidate .box").Length(); got != len(r.Candidates)+1 {
		t.Errorf("%d boxes, want one a wording and one for none", got)
	}
	if n := one.Find(".sheet-candidate .age").Length(); n != len(r.Candidates) || !strings.Contains(text(one.Find(".age").First()), "reading age") {
		t.Errorf("the sheet shows %d reading ages: %q", n, text(one.Find(".age")))
	}
	for _, s := range []string{"Tick every wording that makes sense to you", "For residents of Peckham", "Peckham Library front desk", "Social prescribing"} {
		if !strings.Contains(text(one), s) {
			t.Errorf("the sheet does not say %q", s)
		}
	}

	enter := func(c *client, number string, extra url.Values) *response {
		form := url.Values{"number": {number}}
		for k, v := range extra {
			form[k] = v
		}
		return c.post(path+"/entries", form)
	}
	approve := func(ids ...string) url.Values { return url.Values{"approve": ids} }

	// Sheet 1: two people agree.
	if got := followFlash(t, fran, enter(fran, numbers[0], approve(first))); got != "First entry saved. A second person must enter sheet "+numbers[0]+" too." {
		t.Errorf("first entry says %q", got)
	}
	if got := followFlash(t, other, enter(other, strings.ReplaceAll(numbers[0], "-", " "), approve(first))); got != "Matches the first entry: sheet "+numbers[0]+" counts." {
		t.Errorf("second entry says %q", got)
	}
	// Sheet 2: a mismatch, listed for a third look.
	followFlash(t, fran, enter(fran, numbers[1], approve(first)))
	if got := followFlash(t, other, enter(other, numbers[1], approve(second))); got != "Does not match the first entry: sheet "+numbers[1]+" is listed for a third look." {
		t.Errorf("a mismatch says %q", got)
	}
	look := fran.get(path).text(".sheet-to-look")
	if !strings.Contains(look, numbers[1]) || !strings.Contains(look, "Fran") || !strings.Contains(look, "Kit") {
		t.Errorf("sheets to look at = %q", look)
	}
	// Sheet 3: spoiled, by one person twice, saying so.
	followFlash(t, fran, enter(fran, numbers[2], url.Values{"spoiled": {"1"}, "reason": {"Two wordings crossed out"}}))
	if got := followFlash(t, fran, enter(fran, numbers[2], url.Values{"spoiled": {"1"}, "reason": {"Crossed out"}, "again": {"1"}})); !strings.Contains(got, "spoiled") {
		t.Errorf("second spoiled entry says %q", got)
	}
	// Sheet 4 is never entered.

	// Bad input: a 4xx with a clear message, and nothing stored.
	_, before := paperCounts(t, a)
	wrong := numbers[3][:len(numbers[3])-1] + "X"
	if numbers[3][len(numbers[3])-1] == 'X' {
		wrong = numbers[3][:len(numbers[3])-1] + "0"
	}
	bad := []struct {
		name   string
		form   url.Values
		status int
		says   string
	}{
		{"a wrong check character", url.Values{"number": {wrong}, "approve": {first}}, http.StatusUnprocessableEntity, "has a typing mistake"},
		{"an unknown sheet", url.Values{"number": {model.FormatSheetNumber(model.SheetNumber(r.ID, 99))}, "approve": {first}}, http.StatusUnprocessableEntity, "No sheet with the number"},
		{"a sheet that counts", url.Values{"number": {numbers[0]}, "approve": {first}, "again": {"1"}}, http.StatusUnprocessableEntity, "already counts"},
		{"the same person again without saying so", url.Values{"number": {numbers[1]}, "approve": {first}}, http.StatusUnprocessableEntity, "You entered sheet"},
		{"nothing ticked", url.Values{"number": {numbers[3]}}, http.StatusUnprocessableEntity, "None of these make sense"},
		{"spoiled without a reason", url.Values{"number": {numbers[3]}, "spoiled": {"1"}}, http.StatusUnprocessableEntity, "Say why the sheet is spoiled"},
		{"a wording that is no candidate", url.Values{"number": {numbers[3]}, "approve": {"99999"}}, http.StatusBadRequest, ""},
	}
	for _, tt := range bad {
		res := fran.post(path+"/entries", tt.form)
		if res.status != tt.status || !strings.Contains(res.body, tt.says) {
			t.Errorf("%s: %d %q, want %d saying %q", tt.name, res.status, res.text(".error-summary"), tt.status, tt.says)
		}
	}
	if _, after := paperCounts(t, a); after != before {
		t.Errorf("bad input stored %d entries", after-before)
	}
	audit := fran.get(path).doc.Find(".audit li")
	if audit.Length() != 6+1 || !strings.Contains(text(audit.First()), "as their own second entry") {
		t.Errorf("the audit log has %d lines, newest %q", audit.Length(), text(audit.First()))
	}

	// One online ballot, then close.
	a.as(a.resident).post("/rounds/"+id+"/ballot", url.Values{"approve": {second}}).wantStatus(t, http.StatusOK)
	closed := fran.post("/rounds/"+id+"/close", nil)
	if got := followFlash(t, fran, closed); !strings.Contains(got, "1 paper sheet was entered but never matched") {
		t.Errorf("closing says %q", got)
	}
	fran.post(path+"/entries", url.Values{"number": {numbers[1]}, "approve": {second}, "again": {"1"}}).wantStatus(t, http.StatusConflict)

	results := a.visitor().get("/rounds/"+id+"/results").wantStatus(t, http.StatusOK)
	if got := results.text("#channels"); got != "1 online, 1 on paper, 1 spoiled. 1 paper sheet was entered but never matched, so it was not counted." {
		t.Errorf("results say %q", got)
	}
	var rj struct {
		Ballots  int                   `json:"ballots"`
		Channels *model.ResultChannels `json:"channels"`
	}
	json.Unmarshal([]byte(a.visitor().get("/rounds/"+id+"/results.json").body), &rj)
	if rj.Ballots != 2 || rj.Channels == nil || *rj.Channels != (model.ResultChannels{Online: 1, Paper: 1, Spoiled: 1, Unmatched: 1, Unreturned: 1}) {
		t.Errorf("results.json: %d ballots, channels %+v", rj.Ballots, rj.Channels)
	}
	var pub []model.PublishedBallot
	json.Unmarshal([]byte(a.visitor().get("/rounds/"+id+"/ballots.json").body), &pub)
	if len(pub) != 2 || !pub[1].Paper || pub[1].Receipt != numbers[0] || pub[0].Paper {
		t.Errorf("ballots.json = %+v", pub)
	}
	rows, err := csv.NewReader(strings.NewReader(a.visitor().get("/rounds/" + id + "/ballots.csv").body)).ReadAll()
	if err != nil || len(rows) != 3 || rows[0][3] != "channel" || rows[2][0] != numbers[0] || rows[2][3] != "paper" || rows[1][3] != "online" {
		t.Errorf("ballots.csv = %v, %v", rows, err)
	}
	stored, recount, err := a.store.Recount(context.Background(), r.ID)
	if err != nil || !stored.Equal(recount) {
		t.Errorf("the recount differs: %v", err)
	}
	// The paper page of a closed round keeps its log and takes nothing.
	closedPage := fran.get(path).wantStatus(t, http.StatusOK)
	if closedPage.doc.Find("form[action$='/entries']").Length() != 0 || closedPage.doc.Find(".audit li").Length() != 7 {
		t.Error("the closed round's paper page still takes entries, or lost its log")
	}
}

func TestPaperPrintRefused(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	r := a.openRound("social-prescribing")
	path := "/rounds/" + strconv.FormatInt(r.ID, 10) + "/paper/prints"
	fran := a.as(a.facilitator)
	for _, form := range []url.Values{
		{"neighbourhood": {"peckham"}, "sheets": {"0"}, "size": {"A4"}},
		{"neighbourhood": {"peckham"}, "sheets": {"501"}, "size": {"A4"}},
		{"neighbourhood": {"peckham"}, "sheets": {"many"}, "size": {"A4"}},
		{"neighbourhood": {"peckham"}, "sheets": {"5"}, "size": {"Letter"}},
		{"neighbourhood": {"nowhere"}, "sheets": {"5"}, "size": {"A4"}},
	} {
		res := fran.post(path, form)
		if res.status != http.StatusUnprocessableEntity || res.text(".error-summary") == "" {
			t.Errorf("%v: %d %q", form, res.status, res.text(".error-summary"))
		}
	}
	if prints, _ := paperCounts(t, a); prints != 0 {
		t.Errorf("%d print runs made from bad input", prints)
	}
	fran.get(path+"/999").wantStatus(t, http.StatusNotFound)
}

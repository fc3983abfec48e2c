package server

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"wordgarden/server/model"
	"wordgarden/server/tally"
)

// Open votes come first on the home page, for everyone, saying who may
// vote; the votes list tells a resident where she voted and where she may.
func TestVotesFindResidents(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	ctx := context.Background()
	everyone := a.openRound("social-prescribing")
	walworth, err := a.store.CreateNeighbourhood(ctx, "Walworth")
	if err != nil {
		t.Fatal(err)
	}
	wb, err := a.store.Term(ctx, "wellbeing")
	if err != nil {
		t.Fatal(err)
	}
	v, err := a.store.CreateVersion(ctx, wb.ID, model.NewVersion{Markdown: "Feeling good.", Author: &a.voluntary})
	if err != nil {
		t.Fatal(err)
	}
	theirs, err := a.store.OpenRound(ctx, model.NewRound{TermID: wb.ID, Candidates: []int64{wb.AgreedVersionID, v.ID},
		Method: tally.Approval, ClosesAt: time.Now().Add(48 * time.Hour), OpenedBy: a.facilitator,
		Neighbourhoods: []int64{walworth.ID}})
	if err != nil {
		t.Fatal(err)
	}

	home := a.visitor().get("/").wantStatus(t, http.StatusOK)
	if id := home.doc.Find("main h2").First().AttrOr("id", ""); id != "votes-open" {
		t.Errorf("the home page's first section is %q, want the open votes", id)
	}
	open := home.text("section.votes-open")
	for _, want := range []string{"Votes open now", "Social prescribing", "every resident may vote", "Wellbeing", "For Walworth residents"} {
		if !strings.Contains(open, want) {
			t.Errorf("open votes on the home page lack %q: %q", want, open)
		}
	}
	es := a.visitor().get("/?lang=es")
	if got := es.text("section.votes-open"); !strings.Contains(got, "Votaciones abiertas ahora") || !strings.Contains(got, "Para vecinos de Walworth") {
		t.Errorf("open votes in Spanish: %q", got)
	}
	if es.doc.Find(`section.votes-open a[href="/rounds/`+strconv.FormatInt(everyone.ID, 10)+`"][lang^="en"]`).Length() == 0 {
		t.Error("on a Spanish page the open vote's English title is not marked as English")
	}

	rae := a.as(a.resident)
	list := rae.get("/rounds").wantStatus(t, http.StatusOK)
	if got := list.text("section[aria-labelledby=open-heading]"); !strings.Contains(got, "Not voted yet") || !strings.Contains(got, "For Walworth residents") || strings.Contains(got, "You voted") {
		t.Errorf("before voting Rae's list says %q", got)
	}
	if _, err := a.store.CastBallot(ctx, everyone.ID, a.resident, tally.Ballot{Approve: []int64{everyone.Candidates[0].ID}}); err != nil {
		t.Fatal(err)
	}
	list = rae.get("/rounds")
	if got := list.text("section[aria-labelledby=open-heading]"); !strings.Contains(got, "You voted. Change your vote") || strings.Contains(got, "Not voted yet") {
		t.Errorf("after voting Rae's list says %q", got)
	}
	// Nobody else is told about Rae's vote, and partners are told nothing.
	for _, c := range []*client{a.visitor(), a.as(a.statutory)} {
		if got := c.get("/rounds").text("main"); strings.Contains(got, "You voted") || strings.Contains(got, "Not voted yet") {
			t.Errorf("a non-resident's list says %q", got)
		}
	}
	if _, err := a.store.CloseRound(ctx, everyone.ID); err != nil {
		t.Fatal(err)
	}
	if got := rae.get("/rounds").text("section[aria-labelledby=closed-heading]"); !strings.Contains(got, "You voted.") {
		t.Errorf("closed votes on Rae's list: %q", got)
	}
	if got := a.visitor().get("/").text("section.votes-open"); strings.Contains(got, "Social prescribing") || !strings.Contains(got, "Wellbeing") {
		t.Errorf("after closing, the home page's open votes: %q", got)
	}
	_ = theirs
}

// A resident's own page lists her receipts; once the vote is counted she
// checks a receipt against the published ballots.
func TestReceiptsAndTheirCheck(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	ctx := context.Background()
	r := a.openRound("social-prescribing")
	path := "/rounds/" + strconv.FormatInt(r.ID, 10)
	rae := a.as(a.resident)
	if got := rae.get("/account").text("main"); !strings.Contains(got, "You have not voted yet.") {
		t.Errorf("account before voting: %q", got)
	}
	second := strconv.FormatInt(r.Candidates[1].ID, 10)
	receipt := rae.post(path+"/ballot", url.Values{"approve": {second}}).wantStatus(t, http.StatusOK).text("#receipt")
	account := rae.get("/account").wantStatus(t, http.StatusOK)
	if got := account.text("ul.my-votes"); !strings.Contains(got, "Social prescribing") || !strings.Contains(got, receipt) || !strings.Contains(got, "Change your vote") {
		t.Errorf("Rae's votes while open: %q", got)
	}
	check := path + "/ballots?receipt=" + url.QueryEscape(receipt)
	if got := a.visitor().get(check).wantStatus(t, http.StatusOK).text("#receipt-answer"); !strings.Contains(got, "once the vote closes") {
		t.Errorf("checking while open: %q", got)
	}
	// Partners and facilitators have no votes section.
	if a.as(a.statutory).get("/account").doc.Find("#votes-heading").Length() != 0 {
		t.Error("a partner's account lists votes")
	}

	if _, err := a.store.CloseRound(ctx, r.ID); err != nil {
		t.Fatal(err)
	}
	link := rae.get("/account").doc.Find(`ul.my-votes a[href="` + check + `"]`)
	if link.Length() != 1 {
		t.Fatalf("no link to check the receipt on Rae's account: %q", rae.get("/account").text("ul.my-votes"))
	}
	// Anyone with the receipt may check it: it shows no more than ballots.json.
	found := a.visitor().get(check).wantStatus(t, http.StatusOK)
	if got := found.text("#receipt-answer"); !strings.Contains(got, "Your ballot, receipt "+receipt+", is the only published ballot") ||
		!strings.Contains(got, "Version "+second+" makes sense") || strings.Contains(got, "Peckham") || strings.Contains(got, "Rae") {
		t.Errorf("the check says %q", got)
	}
	lower := a.visitor().get(path + "/ballots?receipt=" + url.QueryEscape(" "+strings.ToLower(receipt)+" "))
	if !strings.Contains(lower.text("#receipt-answer"), "is the only published ballot") {
		t.Errorf("a receipt typed in lower case with spaces: %q", lower.text("#receipt-answer"))
	}
	missing := a.visitor().get(path+"/ballots?receipt=AAAAA-BBBBB").wantStatus(t, http.StatusOK)
	if got := missing.text("#receipt-answer"); !strings.Contains(got, "There is no ballot with receipt AAAAA-BBBBB among the 1 published ballot") {
		t.Errorf("a receipt not there: %q", got)
	}
	for _, bad := range []string{"", "<script>", strings.Repeat("A", 40)} {
		res := a.visitor().get(path+"/ballots?receipt="+url.QueryEscape(bad)).wantStatus(t, http.StatusBadRequest)
		if !strings.Contains(res.text(".error-summary"), "A receipt has letters, numbers and a dash") {
			t.Errorf("receipt %q: %q", bad, res.text(".error-summary"))
		}
	}
	// The results page has the form.
	if a.visitor().get(path+"/results").doc.Find(`form[action="`+path+`/ballots"] input[name="receipt"]`).Length() != 1 {
		t.Error("the results page has no form to check a receipt")
	}
}

// A facilitator moves a vote's closing time later; the round page says so,
// and cached pages show the new time.
func TestExtendVote(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	ctx := context.Background()
	r := a.openRound("social-prescribing")
	path := "/rounds/" + strconv.FormatInt(r.ID, 10)
	fran := a.as(a.facilitator)
	page := fran.get(path).wantStatus(t, http.StatusOK)
	if page.doc.Find(`form[action="`+path+`/extend"] input[type="datetime-local"][name="closes_at"]`).Length() != 1 ||
		page.doc.Find(`form[action="`+path+`/extend"] input[name="_csrf"]`).Length() != 1 {
		t.Fatal("no form to move the closing time")
	}
	if a.as(a.resident).get(path).doc.Find(`form[action="`+path+`/extend"]`).Length() != 0 {
		t.Error("a resident is offered the form to move the closing time")
	}
	a.visitor().get("/") // cache the home page
	layout := "2006-01-02T15:04"
	for _, tt := range []struct {
		name, closes, want string
	}{
		{"earlier", r.ClosesAt.Add(-time.Hour).In(a.srv.loc).Format(layout), "Choose a closing time later than the one the vote has now."},
		{"in the past", time.Now().Add(-time.Hour).In(a.srv.loc).Format(layout), "Choose a closing time later than the one the vote has now."},
		{"not a time", "next week", "Enter the new closing time as a date and time"},
		{"over a year", time.Now().Add(400 * 24 * time.Hour).In(a.srv.loc).Format(layout), "Choose a closing time within a year."},
	} {
		res := fran.post(path+"/extend", url.Values{"closes_at": {tt.closes}}).wantStatus(t, http.StatusUnprocessableEntity)
		if got := res.text(".error-summary"); !strings.Contains(got, tt.want) {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
		if res.doc.Find("#extend-closes_at[aria-invalid=true]").Length() != 1 {
			t.Errorf("%s: the field is not marked invalid", tt.name)
		}
	}
	forged := url.Values{"closes_at": {r.ClosesAt.Add(48 * time.Hour).In(a.srv.loc).Format(layout)}, "_csrf": {"forged"}}
	if fran.postRaw(path+"/extend", forged).status != http.StatusForbidden {
		t.Error("a forged CSRF token moved the closing time")
	}
	if got, _ := a.store.Round(ctx, r.ID); !got.ClosesAt.Equal(r.ClosesAt) || len(got.Changes) != 0 {
		t.Fatalf("refused extensions changed the round: %v, %+v", got.ClosesAt, got.Changes)
	}

	later := r.ClosesAt.Add(7 * 24 * time.Hour).In(a.srv.loc).Truncate(time.Minute)
	fran.post(path+"/extend", url.Values{"closes_at": {later.Format(layout)}, "reason": {"Half term"}}).wantRedirect(t, path)
	got, _ := a.store.Round(ctx, r.ID)
	if !got.ClosesAt.Equal(later) {
		t.Fatalf("closes %v, want %v", got.ClosesAt, later)
	}
	changes := a.visitor().get(path).text("ul.round-changes")
	for _, want := range []string{"Closing time moved from", "by Fran on", "Reason: Half term"} {
		if !strings.Contains(changes, want) {
			t.Errorf("the round page's changes lack %q: %q", want, changes)
		}
	}
	home := a.visitor().get("/").text("section.votes-open")
	if !strings.Contains(home, later.Format("2006")) || !strings.Contains(home, strconv.Itoa(later.Day())) {
		t.Errorf("the home page does not show the new time %v: %q", later, home)
	}
}

// A facilitator cancels a vote with a reason: it takes no more ballots,
// publishes nothing, and says why wherever it is listed.
func TestCancelVote(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	ctx := context.Background()
	r := a.openRound("social-prescribing")
	path := "/rounds/" + strconv.FormatInt(r.ID, 10)
	first := strconv.FormatInt(r.Candidates[0].ID, 10)
	rae := a.as(a.resident)
	rae.post(path+"/ballot", url.Values{"approve": {first}}).wantStatus(t, http.StatusOK)
	fran := a.as(a.facilitator)
	for _, reason := range []string{"", "   ", strings.Repeat("x", 501)} {
		res := fran.post(path+"/cancel", url.Values{"reason": {reason}}).wantStatus(t, http.StatusUnprocessableEntity)
		if res.doc.Find("#cancel-reason[aria-invalid=true]").Length() != 1 || res.text(".error-summary") == "" {
			t.Errorf("reason %q: no message on the field", reason)
		}
	}
	if got, _ := a.store.Round(ctx, r.ID); !got.Open() {
		t.Fatal("a refused cancellation cancelled the round")
	}
	fran.post(path+"/cancel", url.Values{"reason": {"The wordings had a mistake"}}).wantRedirect(t, path)

	page := a.visitor().get(path).wantStatus(t, http.StatusOK)
	if got := page.text("#cancelled"); !strings.Contains(got, "Cancelled by Fran on") || !strings.Contains(got, "The wordings had a mistake") ||
		!strings.Contains(got, "The 1 ballot cast before it was cancelled is kept, but it is not counted or published") {
		t.Errorf("the round page says %q", got)
	}
	if got := a.visitor().get("/rounds").text("section[aria-labelledby=closed-heading]"); !strings.Contains(got, "Cancelled by Fran on") || !strings.Contains(got, "The wordings had a mistake") {
		t.Errorf("the votes list says %q", got)
	}
	if got := a.visitor().get(path + "/results").text("main"); !strings.Contains(got, "Cancelled by Fran") {
		t.Errorf("the results page says %q", got)
	}
	if a.visitor().get("/").doc.Find("section.votes-open").Length() != 0 {
		t.Error("the home page still lists the cancelled vote as open")
	}
	if got := rae.get("/account").text("ul.my-votes"); !strings.Contains(got, "This vote was cancelled") {
		t.Errorf("Rae's account says %q", got)
	}
	if res := rae.post(path+"/ballot", url.Values{"approve": {first}}); res.status < 400 || res.status >= 500 {
		t.Errorf("a ballot in a cancelled vote: %d", res.status)
	}
	for _, p := range []string{"/results.json", "/ballots.json", "/ballots.csv"} {
		a.visitor().get(path+p).wantStatus(t, http.StatusNotFound)
	}
	fran.post(path+"/close", nil).wantStatus(t, http.StatusConflict)
	fran.post(path+"/cancel", url.Values{"reason": {"again"}}).wantStatus(t, http.StatusConflict)
	fran.post(path+"/extend", url.Values{"closes_at": {r.ClosesAt.Add(time.Hour).Format(time.RFC3339)}}).wantStatus(t, http.StatusConflict)
	if got, _ := a.store.Round(ctx, r.ID); got.Results != nil || len(got.Changes) != 1 || got.Ballots != 1 {
		t.Errorf("after refused changes: results %v, changes %+v, ballots %d", got.Results, got.Changes, got.Ballots)
	}
	// The term may have a new vote.
	if page := fran.get("/terms/social-prescribing/rounds/new"); page.status != http.StatusOK {
		t.Errorf("opening a new vote after a cancelled one: %d", page.status)
	}
	if _, err := a.store.OpenRound(ctx, model.NewRound{TermID: r.TermID, Candidates: []int64{r.Candidates[0].ID, r.Candidates[1].ID},
		Method: tally.Approval, ClosesAt: time.Now().Add(time.Hour), OpenedBy: a.facilitator}); err != nil {
		t.Errorf("a new round after the cancelled one: %v", err)
	}
	api := a.visitor().get("/api/v1/rounds/" + strconv.FormatInt(r.ID, 10)).body
	if !strings.Contains(api, `"status":"cancelled"`) {
		t.Errorf("the API says %s", api)
	}
}

// Closing asks first, without JavaScript: the round page links to a page
// that says what closing does, whose form posts the close.
func TestCloseAsksFirst(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	ctx := context.Background()
	r := a.openRound("social-prescribing")
	path := "/rounds/" + strconv.FormatInt(r.ID, 10)
	if _, err := a.store.CastBallot(ctx, r.ID, a.resident, tally.Ballot{Approve: []int64{r.Candidates[0].ID}}); err != nil {
		t.Fatal(err)
	}
	fran := a.as(a.facilitator)
	page := fran.get(path)
	if page.doc.Find(`a[href="`+path+`/close"]`).Length() != 1 || page.doc.Find(`form[action="`+path+`/close"]`).Length() != 0 {
		t.Error("the round page closes the vote without asking")
	}
	ask := fran.get(path+"/close").wantStatus(t, http.StatusOK)
	if got := ask.text("main"); !strings.Contains(got, "Close this vote now?") || !strings.Contains(got, "1 ballot so far.") ||
		!strings.Contains(got, "It is due to close") || !strings.Contains(got, "This cannot be undone") {
		t.Errorf("the confirmation says %q", got)
	}
	if ask.doc.Find(`form[method="post"][action="`+path+`/close"] input[name="_csrf"]`).Length() != 1 {
		t.Fatal("the confirmation has no form to close")
	}
	if got, _ := a.store.Round(ctx, r.ID); !got.Open() {
		t.Fatal("asking closed the vote")
	}
	fran.post(path+"/close", nil).wantRedirect(t, path+"/results")
	fran.get(path+"/close").wantRedirect(t, path+"/results")
}

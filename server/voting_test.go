package server

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"wordgarden/server/model"
)

func TestNeighbourhoodsAndInvites(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	fran := a.as(a.facilitator)
	page := fran.get("/admin/neighbourhoods").wantStatus(t, http.StatusOK)
	if !strings.Contains(page.text("table"), "Peckham") {
		t.Errorf("neighbourhoods table = %q", page.text("table"))
	}
	fran.post("/admin/neighbourhoods", url.Values{"name": {"North Walworth"}}).wantRedirect(t, "/admin/neighbourhoods")
	res := fran.post("/admin/neighbourhoods", url.Values{"name": {"north walworth"}}).wantStatus(t, http.StatusUnprocessableEntity)
	if res.doc.Find(`.error-summary a[href="#nb-name"]`).Length() != 1 || res.doc.Find("#nb-name").AttrOr("value", "") != "north walworth" {
		t.Errorf("duplicate neighbourhood: %q", res.text(".error-summary"))
	}

	print := fran.post("/admin/invites", url.Values{"neighbourhood": {"north-walworth"}, "count": {"3"}, "expires": {"2099-12-31"}})
	print.wantStatus(t, http.StatusOK)
	var codes []string
	print.doc.Find(".slip .code").Each(func(_ int, s *goquery.Selection) { codes = append(codes, text(s)) })
	if len(codes) != 3 {
		t.Fatalf("print page shows %d codes", len(codes))
	}
	slip := print.text(".slip")
	for _, want := range []string{a.ts.URL[len("http://"):] + "/join", "North Walworth", "31 December 2099", "one person"} {
		if !strings.Contains(slip, want) {
			t.Errorf("slip does not say %q: %q", want, slip)
		}
	}
	if cc := print.header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("the page of codes has Cache-Control %q, want no-store: it is shown once", cc)
	}
	// Codes printed with no last day say nothing of one.
	forever := fran.post("/admin/invites", url.Values{"neighbourhood": {"north-walworth"}, "count": {"1"}}).wantStatus(t, http.StatusOK)
	if slip := forever.text(".slip"); strings.Contains(slip, "works until") {
		t.Errorf("a code with no expiry has a last day: %q", slip)
	}

	for _, tt := range []struct {
		form  url.Values
		field string
	}{
		{url.Values{"neighbourhood": {"nowhere"}, "count": {"3"}}, "inv-neighbourhood"},
		{url.Values{"neighbourhood": {"peckham"}, "count": {"lots"}}, "inv-count"},
		{url.Values{"neighbourhood": {"peckham"}, "count": {"501"}}, "inv-count"},
		{url.Values{"neighbourhood": {"peckham"}, "count": {"3"}, "expires": {"soon"}}, "inv-expires"},
		{url.Values{"neighbourhood": {"peckham"}, "count": {"3"}, "expires": {"2001-01-01"}}, "inv-expires"},
	} {
		res := fran.post("/admin/invites", tt.form).wantStatus(t, http.StatusUnprocessableEntity)
		if res.doc.Find(`.error-summary a[href="#`+tt.field+`"]`).Length() != 1 {
			t.Errorf("%v: error = %q, want a link to #%s", tt.form, res.text(".error-summary"), tt.field)
		}
	}
	ns, _ := a.store.Neighbourhoods(context.Background())
	for _, n := range ns {
		if n.Slug == "peckham" && n.Unused != 0 {
			t.Errorf("refused requests made %d codes", n.Unused)
		}
	}

	// A resident joins with a printed code and is signed in.
	res = a.visitor().post("/join", url.Values{"code": {strings.ToLower(codes[0])}, "name": {"Ola"}, "password": {"a long enough secret"}})
	res.wantRedirect(t, "/rounds")
	c := a.visitor()
	c.post("/join", url.Values{"code": {codes[1]}, "name": {"Pat"}, "password": {"a long enough secret"}}).wantRedirect(t, "/rounds")
	rounds := c.get("/rounds")
	if !strings.Contains(rounds.text(".flash"), "Welcome, Pat") || !strings.Contains(rounds.text(".flash"), "North Walworth") {
		t.Errorf("after joining: flash %q", rounds.text(".flash"))
	}
	if !strings.Contains(rounds.text("header nav"), "Pat") {
		t.Errorf("not signed in after joining: %q", rounds.text("header nav"))
	}
	// Pat can sign in again with the name.
	c.post("/logout", nil)
	a.visitor().post("/login", url.Values{"email": {"pat"}, "password": {"a long enough secret"}}).wantRedirect(t, "/")
}

func TestJoinErrors(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	ctx := context.Background()
	n, _ := a.store.NeighbourhoodBySlug(ctx, "peckham")
	codes, _ := a.store.CreateInvites(ctx, n.ID, 1, timeZero)
	for _, tt := range []struct {
		name, code, who, password, field, message string
	}{
		{"no code", "", "Ola", "a long enough secret", "code", "Enter the code"},
		{"wrong code", "ZZZZ-ZZZZ", "Ola", "a long enough secret", "code", "not right"},
		{"taken name", codes[0], "rae", "a long enough secret", "name", "already joined"},
		{"short password", codes[0], "Ola", "short", "password", "at least 10"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res := a.visitor().post("/join", url.Values{"code": {tt.code}, "name": {tt.who}, "password": {tt.password}})
			res.wantStatus(t, http.StatusUnprocessableEntity)
			if got := res.text("#" + tt.field + "-error"); !strings.Contains(got, tt.message) {
				t.Errorf("field error = %q, want %q", got, tt.message)
			}
			if res.doc.Find("#code").AttrOr("value", "") != tt.code || res.doc.Find("#name").AttrOr("value", "") != tt.who {
				t.Error("what was typed is not kept")
			}
			if res.doc.Find("#password").AttrOr("value", "") != "" {
				t.Error("the password is sent back")
			}
		})
	}
	if n, _ := a.store.CountUsers(ctx, model.Resident); n != 1 {
		t.Errorf("failed joins made residents: %d", n)
	}
}

func TestFailedJoinsAreLimited(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	c := a.visitor()
	// Enough for a room at an event (limits.go); mistakes and guesses look alike.
	for i := range joinPerAddress {
		c.post("/join", url.Values{"code": {"ZZZZ-" + strconv.Itoa(1000+i)}, "name": {"Ola"}, "password": {"a long enough secret"}}).
			wantStatus(t, http.StatusUnprocessableEntity)
	}
	res := c.post("/join", url.Values{"code": {"ZZZZ-ZZZZ"}, "name": {"Ola"}, "password": {"a long enough secret"}})
	res.wantStatus(t, http.StatusTooManyRequests)
	if res.header.Get("Retry-After") == "" {
		t.Error("no Retry-After")
	}
}

func TestOpenRoundForm(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	ctx := context.Background()
	fran := a.as(a.facilitator)
	sp, _ := a.store.Term(ctx, "social-prescribing")
	v, _ := a.store.CreateVersion(ctx, sp.ID, model.NewVersion{Markdown: "Your GP links you with local help.", Author: &a.voluntary})
	agreed := strconv.FormatInt(sp.AgreedVersionID, 10)
	second := strconv.FormatInt(v.ID, 10)

	form := fran.get("/terms/social-prescribing/rounds/new").wantStatus(t, http.StatusOK)
	if form.doc.Find(`input[name="candidate"]`).Length() != 2 || form.doc.Find(`input[name="closes_at"][type="datetime-local"]`).Length() != 1 {
		t.Fatalf("open-round form: %q", form.text("form"))
	}
	london, _ := time.LoadLocation("Europe/London")
	closes := time.Now().In(london).AddDate(0, 1, 0).Truncate(time.Minute)
	good := func() url.Values {
		return url.Values{"candidate": {agreed, second}, "method": {"approval"}, "closes_at": {closes.Format("2006-01-02T15:04")},
			"quorum": {"3"}, "threshold": {"50"}, "neighbourhood": {"peckham"}}
	}
	for _, tt := range []struct {
		key, value, field string
	}{
		{"candidate", agreed, "candidate"},
		{"method", "plurality", "method"},
		{"closes_at", "next week", "closes_at"},
		{"closes_at", "2001-01-01T10:00", "closes_at"},
		{"closes_at", closes.AddDate(2, 0, 0).Format("2006-01-02T15:04"), "closes_at"},
		{"quorum", "-1", "quorum"},
		{"quorum", "ten", "quorum"},
		{"threshold", "150", "threshold"},
		{"neighbourhood", "atlantis", "neighbourhood"},
	} {
		f := good()
		f.Set(tt.key, tt.value)
		res := fran.post("/terms/social-prescribing/rounds", f).wantStatus(t, http.StatusUnprocessableEntity)
		if res.doc.Find(`.error-summary a[href="#`+tt.field+`"]`).Length() != 1 {
			t.Errorf("%s=%s: error = %q", tt.key, tt.value, res.text(".error-summary"))
		}
		if tt.key != "quorum" && res.doc.Find("#quorum").AttrOr("value", "") != "3" {
			t.Errorf("%s=%s: the quorum typed is not kept", tt.key, tt.value)
		}
	}
	if rs, _ := a.store.Rounds(ctx, 0); len(rs) != 0 {
		t.Fatalf("refused forms opened %d rounds", len(rs))
	}

	res := fran.post("/terms/social-prescribing/rounds", good())
	rs, _ := a.store.Rounds(ctx, 0)
	if len(rs) != 1 {
		t.Fatalf("%d rounds", len(rs))
	}
	res.wantRedirect(t, "/rounds/"+strconv.FormatInt(rs[0].ID, 10))
	r, _ := a.store.Round(ctx, rs[0].ID)
	if r.Quorum != 3 || r.ThresholdPct != 50 || len(r.Neighbourhoods) != 1 || !r.ClosesAt.Equal(closes) {
		t.Errorf("round = quorum %d threshold %d neighbourhoods %v closes %v", r.Quorum, r.ThresholdPct, r.Neighbourhoods, r.ClosesAt)
	}
	// RFC 3339 is accepted too; a second open round on the term is not.
	f := good()
	f.Set("closes_at", closes.UTC().Format(time.RFC3339))
	res = fran.post("/terms/social-prescribing/rounds", f).wantStatus(t, http.StatusUnprocessableEntity)
	if !strings.Contains(res.text(".error-summary"), "already has an open round") {
		t.Errorf("second round: %q", res.text(".error-summary"))
	}
}

// TestVoting follows a round from the ballot to the agreed wording.
func TestVoting(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	ctx := context.Background()
	r := a.openRound("social-prescribing")
	roundPath := "/rounds/" + strconv.FormatInt(r.ID, 10)
	first, second := strconv.FormatInt(r.Candidates[0].ID, 10), strconv.FormatInt(r.Candidates[1].ID, 10)

	// Everyone sees the candidates and the rules; only residents get a ballot.
	page := a.visitor().get(roundPath).wantStatus(t, http.StatusOK)
	if page.doc.Find("li.candidate").Length() != 2 || page.doc.Find("li.candidate .wording").Length() != 2 {
		t.Fatalf("candidates: %q", page.text("ol.candidates"))
	}
	if page.doc.Find(`form[action$="/ballot"]`).Length() != 0 || !strings.Contains(page.text(".notice"), "sign in") {
		t.Errorf("a visitor gets a ballot, or no word on how to vote: %q", page.text(".notice"))
	}
	if !strings.Contains(page.text(".rules"), "at least 50%") {
		t.Errorf("rules = %q", page.text(".rules"))
	}
	partner := a.as(a.statutory).get(roundPath)
	if partner.doc.Find(`input[name="approve"]`).Length() != 0 || !strings.Contains(partner.text(".notice"), "Only residents vote") {
		t.Errorf("a partner is offered a ballot: %q", partner.text(".notice"))
	}

	rae := a.as(a.resident)
	ballot := rae.get(roundPath)
	boxes := ballot.doc.Find(`form[action="` + roundPath + `/ballot"] input[type="checkbox"][name="approve"]`)
	if boxes.Length() != 2 {
		t.Fatalf("resident's ballot has %d boxes", boxes.Length())
	}
	boxes.Each(func(_ int, s *goquery.Selection) {
		if ballot.doc.Find(`label[for="`+s.AttrOr("id", "")+`"]`).Length() != 1 {
			t.Errorf("checkbox %s has no label", s.AttrOr("id", ""))
		}
	})

	res := rae.post(roundPath+"/ballot", url.Values{"approve": {first}}).wantStatus(t, http.StatusOK)
	receipt1 := res.text("#receipt")
	if len(receipt1) < 8 {
		t.Fatalf("receipt = %q", receipt1)
	}
	res = rae.post(roundPath+"/ballot", url.Values{"approve": {second}}).wantStatus(t, http.StatusOK)
	receipt2 := res.text("#receipt")
	if receipt2 == receipt1 || !strings.Contains(res.text(".my-marks"), "makes sense to you") {
		t.Errorf("changed vote: receipt %q (was %q), marks %q", receipt2, receipt1, res.text(".my-marks"))
	}
	again := rae.get(roundPath)
	if !again.doc.Find("#approve-"+second).Is("[checked]") || again.doc.Find("#approve-"+first).Is("[checked]") {
		t.Error("the round page does not show Rae's current ballot")
	}
	// While open: turnout only, no counts, no published files.
	if !strings.Contains(again.text(".turnout"), "1 person has voted") {
		t.Errorf("turnout = %q", again.text(".turnout"))
	}
	results := a.visitor().get(roundPath+"/results").wantStatus(t, http.StatusOK)
	if results.doc.Find("svg").Length() != 0 || !strings.Contains(results.text("main"), "shown when the vote closes") {
		t.Errorf("results shown while open: %q", results.text("main"))
	}
	for _, p := range []string{"/results.json", "/ballots.json", "/ballots.csv"} {
		a.visitor().get(roundPath+p).wantStatus(t, http.StatusConflict)
	}

	// Bad ballots: 4xx and nothing changes.
	for _, tt := range []struct {
		name   string
		form   url.Values
		status int
	}{
		{"not a candidate", url.Values{"approve": {"9999"}}, http.StatusBadRequest},
		{"not a number", url.Values{"approve": {"first"}}, http.StatusBadRequest},
		{"a version twice", url.Values{"approve": {first, first}}, http.StatusUnprocessableEntity},
	} {
		if res := rae.post(roundPath+"/ballot", tt.form); res.status != tt.status {
			t.Errorf("%s: %d, want %d", tt.name, res.status, tt.status)
		}
	}
	raeForged := a.as(a.resident)
	f := url.Values{"approve": {first}, "_csrf": {"forged"}}
	if res := raeForged.postRaw(roundPath+"/ballot", f); res.status != http.StatusForbidden {
		t.Errorf("forged CSRF token: %d", res.status)
	}
	if res := raeForged.postRaw(roundPath+"/ballot", url.Values{"approve": {first}}); res.status < 400 || res.status >= 500 {
		t.Errorf("missing CSRF token: %d", res.status)
	}
	mine, _, _ := a.store.MyBallot(ctx, r, a.resident.ID)
	if len(mine.Approve) != 1 || mine.Approve[0] != r.Candidates[1].ID {
		t.Fatalf("refused ballots changed Rae's: %+v", mine)
	}

	// The facilitator closes the round; the wording is settled.
	a.as(a.facilitator).post(roundPath+"/close", nil).wantRedirect(t, roundPath+"/results")
	a.as(a.facilitator).post(roundPath+"/close", nil).wantStatus(t, http.StatusConflict)
	if res := rae.post(roundPath+"/ballot", url.Values{"approve": {first}}); res.status != http.StatusConflict {
		t.Errorf("ballot after closing: %d, want 409", res.status)
	}

	results = a.visitor().get(roundPath+"/results").wantStatus(t, http.StatusOK)
	if !strings.Contains(results.text(".outcome"), "won") {
		t.Errorf("outcome = %q", results.text(".outcome"))
	}
	if results.doc.Find("svg[role=img]").Length() != 1 {
		t.Error("no chart")
	}
	// One voter: no table by neighbourhood, which would show her vote.
	if results.doc.Find("table.heat").Length() != 0 || !strings.Contains(results.text("#nb-note"), "only 1 person voted") {
		t.Errorf("a round of 1 ballot is shown by neighbourhood: %q", results.text("#nb-heading + *"))
	}

	var doc map[string]any
	res = a.visitor().get(roundPath+"/results.json").wantStatus(t, http.StatusOK)
	if err := json.Unmarshal([]byte(res.body), &doc); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"round_id", "method", "ballots", "outcome", "winner_version_id", "candidates", "neighbourhoods"} {
		if _, ok := doc[key]; !ok {
			t.Errorf("results.json has no %q", key)
		}
	}
	if doc["outcome"] != "settled" || doc["winner_version_id"] != float64(r.Candidates[1].ID) {
		t.Errorf("results.json = %s", res.body)
	}

	var ballots []struct {
		Receipt string  `json:"receipt"`
		Marks   []int64 `json:"marks"`
	}
	res = a.visitor().get(roundPath+"/ballots.json").wantStatus(t, http.StatusOK)
	if err := json.Unmarshal([]byte(res.body), &ballots); err != nil || len(ballots) != 1 {
		t.Fatalf("ballots.json = %s, %v", res.body, err)
	}
	if ballots[0].Receipt != receipt2 || len(ballots[0].Marks) != 1 || ballots[0].Marks[0] != r.Candidates[1].ID {
		t.Errorf("published ballot = %+v, want receipt %s for version %d", ballots[0], receipt2, r.Candidates[1].ID)
	}
	if strings.Contains(res.body, "Rae") || strings.Contains(res.body, "peckham") {
		t.Error("published ballots name the voter or neighbourhood")
	}
	res = a.visitor().get(roundPath+"/ballots.csv").wantStatus(t, http.StatusOK)
	rows, err := csv.NewReader(strings.NewReader(res.body)).ReadAll()
	if err != nil || len(rows) != 2 || rows[0][0] != "receipt" || rows[1][0] != receipt2 || rows[1][1] != "0" || rows[1][2] != "1" {
		t.Errorf("ballots.csv = %q, %v", res.body, err)
	}

	term := a.visitor().get("/terms/social-prescribing")
	if !strings.Contains(term.text(".agreed .wording"), "Another wording") {
		t.Errorf("agreed wording after the vote = %q", term.text(".agreed .wording"))
	}
	if got := term.text(".provenance"); !strings.Contains(got, "Chosen by 1 resident from 1 neighbourhood in round") || !strings.Contains(got, "100%") {
		t.Errorf("provenance = %q", got)
	}
}

func TestRankedBallot(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	ctx := context.Background()
	sp, _ := a.store.Term(ctx, "social-prescribing")
	v, _ := a.store.CreateVersion(ctx, sp.ID, model.NewVersion{Markdown: "Second.", Author: &a.voluntary})
	w, _ := a.store.CreateVersion(ctx, sp.ID, model.NewVersion{Markdown: "Third.", Author: &a.statutory})
	r, err := a.store.OpenRound(ctx, model.NewRound{TermID: sp.ID, Candidates: []int64{sp.AgreedVersionID, v.ID, w.ID},
		Method: "ranked", ClosesAt: timeNowPlusWeek(), Quorum: 0, ThresholdPct: 0, OpenedBy: a.facilitator})
	if err != nil {
		t.Fatal(err)
	}
	path := "/rounds/" + strconv.FormatInt(r.ID, 10)
	rae := a.as(a.resident)
	if n := rae.get(path).doc.Find(`select[name^="rank_"]`).Length(); n != 3 {
		t.Fatalf("%d ranking menus, want 3", n)
	}
	id := func(n int64) string { return "rank_" + strconv.FormatInt(n, 10) }
	for _, tt := range []struct {
		name   string
		form   url.Values
		status int
	}{
		{"two first choices", url.Values{id(v.ID): {"1"}, id(w.ID): {"1"}}, http.StatusUnprocessableEntity},
		{"a gap", url.Values{id(v.ID): {"1"}, id(w.ID): {"3"}}, http.StatusUnprocessableEntity},
		{"not a number", url.Values{id(v.ID): {"first"}}, http.StatusBadRequest},
		{"not a candidate", url.Values{"rank_9999": {"1"}}, http.StatusBadRequest},
	} {
		if res := rae.post(path+"/ballot", tt.form); res.status != tt.status {
			t.Errorf("%s: %d, want %d", tt.name, res.status, tt.status)
		}
	}
	if _, ok, _ := a.store.MyBallot(ctx, r, a.resident.ID); ok {
		t.Fatal("a refused ranking was stored")
	}
	res := rae.post(path+"/ballot", url.Values{id(w.ID): {"1"}, id(v.ID): {"2"}, id(sp.AgreedVersionID): {""}}).wantStatus(t, http.StatusOK)
	if res.text("#receipt") == "" {
		t.Fatal("no receipt")
	}
	page := rae.get(path)
	if got := page.doc.Find("#rank-"+strconv.FormatInt(w.ID, 10)+" option[selected]").AttrOr("value", ""); got != "1" {
		t.Errorf("current ranking of the third wording = %q, want 1", got)
	}
	a.store.CloseRound(ctx, r.ID)
	results := a.visitor().get(path+"/results").wantStatus(t, http.StatusOK)
	if results.doc.Find("table.matrix").Length() != 2 || results.text("ol.ranking li:first-child") != "1 Version "+strconv.FormatInt(w.ID, 10) {
		t.Errorf("ranked results: %q", results.text("main"))
	}
}

func TestRoundsAPI(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	r := a.openRound("social-prescribing")
	var list []map[string]any
	res := a.visitor().get("/api/v1/rounds?term=social-prescribing").wantStatus(t, http.StatusOK)
	if err := json.Unmarshal([]byte(res.body), &list); err != nil || len(list) != 1 || list[0]["status"] != "open" {
		t.Fatalf("rounds = %s", res.body)
	}
	res = a.visitor().get("/api/v1/rounds?term=wellbeing").wantStatus(t, http.StatusOK)
	if strings.TrimSpace(res.body) != "[]" {
		t.Errorf("rounds of wellbeing = %s", res.body)
	}
	a.visitor().get("/api/v1/rounds?term=nothing").wantStatus(t, http.StatusNotFound)

	var one struct {
		ID         int64            `json:"id"`
		Status     string           `json:"status"`
		Quorum     int              `json:"quorum"`
		Threshold  int              `json:"threshold"`
		Candidates []map[string]any `json:"candidates"`
		Results    any              `json:"results"`
	}
	res = a.visitor().get("/api/v1/rounds/"+strconv.FormatInt(r.ID, 10)).wantStatus(t, http.StatusOK)
	if err := json.Unmarshal([]byte(res.body), &one); err != nil {
		t.Fatal(err)
	}
	if one.ID != r.ID || one.Status != "open" || one.Quorum != 1 || one.Threshold != 50 || len(one.Candidates) != 2 || one.Results != nil {
		t.Errorf("round = %s", res.body)
	}
	res = a.visitor().get("/api/v1/rounds/999")
	if res.status != http.StatusNotFound || !strings.Contains(res.body, `"error"`) {
		t.Errorf("unknown round: %d %s", res.status, res.body)
	}
}

// TestConcurrentBallotsOverHTTP sends 100 ballots from one resident at once
// through the site: every request is answered, and one ballot is stored.
func TestConcurrentBallotsOverHTTP(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	r := a.openRound("social-prescribing")
	path := "/rounds/" + strconv.FormatInt(r.ID, 10) + "/ballot"
	rae := a.as(a.resident)
	token := rae.csrf()
	var wg sync.WaitGroup
	statuses := make(chan int, 100)
	for i := range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			choice := strconv.FormatInt(r.Candidates[i%2].ID, 10)
			statuses <- rae.post(path, url.Values{"approve": {choice}, "_csrf": {token}}).status
		}()
	}
	wg.Wait()
	close(statuses)
	for s := range statuses {
		if s != http.StatusOK {
			t.Errorf("a ballot was answered %d", s)
		}
	}
	rounds, _ := a.store.Rounds(context.Background(), 0)
	if rounds[0].Ballots != 1 {
		t.Errorf("%d ballots stored, want 1", rounds[0].Ballots)
	}
}

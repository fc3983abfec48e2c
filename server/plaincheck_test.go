package server

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"wordgarden/server/i18n"
	"wordgarden/server/model"
	"wordgarden/server/plain"
)

const jargonWording = "Our PCN will deliver integrated pathways going forward."

func items(res *response, sel string) []string {
	var out []string
	res.doc.Find(sel).Each(func(_ int, s *goquery.Selection) { out = append(out, text(s)) })
	return out
}

func TestVersionPageShowsPlainCheck(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	sp, _ := a.store.Term(context.Background(), "social-prescribing")
	path := "/versions/" + strconv.FormatInt(sp.AgreedVersionID, 10)
	for _, c := range []*client{a.visitor(), a.visitor(), a.as(a.resident)} { // the second visitor gets the cached page
		res := c.get(path).wantStatus(t, http.StatusOK)
		sec := res.doc.Find("section.plain-check")
		if sec.Length() != 1 || text(sec.Find("h2")) != "Plain language check" {
			t.Fatalf("no plain language check on the version page: %.300s", res.text("main"))
		}
		if got := text(sec.Find(".plain-age")); !strings.Contains(got, "Reading age: about") || !strings.Contains(got, "9 to 11") {
			t.Errorf("reading age line = %q", got)
		}
		if text(sec.Find(".plain-band")) == "" {
			t.Error("no reading ease band")
		}
		if !strings.Contains(text(sec), "fewer than 30 words") {
			t.Error("a short wording should say its score is rough")
		}
		if got := items(res, "section.plain-check li"); len(got) != 1 || !strings.Contains(got[0], "Link worker") {
			t.Errorf("contested links = %q, want the link to the missing term", got)
		}
		if !strings.Contains(text(sec), "still being decided") {
			t.Error("the contested link is not explained")
		}
	}
}

func TestCheckWording(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	ctx := context.Background()
	sp, _ := a.store.Term(ctx, "social-prescribing")
	before, _ := a.store.Versions(ctx, sp.ID)
	c := a.as(a.statutory)

	res := c.post("/terms/social-prescribing/versions", url.Values{"markdown": {jargonWording}, "check": {"1"}}).
		wantStatus(t, http.StatusOK)
	if got := res.doc.Find("textarea#markdown").Text(); got != jargonWording {
		t.Errorf("typed text not kept: %q", got)
	}
	got := text(res.doc.Find("section.plain-check"))
	for _, want := range []string{"“deliver”", "“pathways”", "“going forward”", "PCN", "Reading age"} {
		if !strings.Contains(got, want) {
			t.Errorf("the check does not mention %s: %q", want, got)
		}
	}
	if res.doc.Find(`button[name="check"]`).Length() != 1 {
		t.Error("no Check wording button")
	}
	after, _ := a.store.Versions(ctx, sp.ID)
	if len(after) != len(before) {
		t.Fatal("checking a wording saved it")
	}
	flags := res.doc.Find("section.plain-check li").Length()

	// Amended into plain words, the check finds less.
	plainer := "Your local GP practices work together. They help you get the care you need."
	res = c.post("/terms/social-prescribing/versions", url.Values{"markdown": {plainer}, "check": {"1"}}).
		wantStatus(t, http.StatusOK)
	if n := res.doc.Find("section.plain-check li").Length(); n >= flags {
		t.Errorf("a plainer wording has %d flags, the jargon had %d", n, flags)
	}

	// An amendment keeps its parent.
	res = c.post("/terms/social-prescribing/versions", url.Values{"markdown": {"x"}, "check": {"1"},
		"parent_id": {strconv.FormatInt(sp.AgreedVersionID, 10)}}).wantStatus(t, http.StatusOK)
	if res.doc.Find(`input[name="parent_id"]`).AttrOr("value", "") != strconv.FormatInt(sp.AgreedVersionID, 10) {
		t.Error("checking an amendment lost the version being amended")
	}

	// Too long to save is too long to check.
	c.post("/terms/social-prescribing/versions", url.Values{"markdown": {strings.Repeat("word ", 5000)}, "check": {"1"}}).
		wantStatus(t, http.StatusUnprocessableEntity)

	// Starting a term: the title is kept and nothing is made.
	res = c.post("/terms", url.Values{"title": {"Care pathway"}, "markdown": {jargonWording}, "check": {"1"}}).
		wantStatus(t, http.StatusOK)
	if res.doc.Find("input#title").AttrOr("value", "") != "Care pathway" || !strings.Contains(res.text("section.plain-check"), "going forward") {
		t.Errorf("new term check: %.300s", res.text("main"))
	}
	if _, err := a.store.Term(ctx, "care-pathway"); err == nil {
		t.Error("checking a new term's wording started the term")
	}
	// With no title, the check still works.
	c.post("/terms", url.Values{"markdown": {"Words."}, "check": {"1"}}).wantStatus(t, http.StatusOK)
}

func TestLocalWordsAdmin(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	f := a.as(a.facilitator)
	res := f.get("/admin/words").wantStatus(t, http.StatusOK)
	if !strings.Contains(res.text("main"), "Open Government Licence v3.0") {
		t.Error("the lists' licence is not credited")
	}
	if res.doc.Find("details table tbody tr").Length() < 40 {
		t.Error("the GOV.UK and NHS lists are not shown")
	}

	res = f.post("/admin/words", url.Values{"phrase": {"hub"}, "suggestion": {""}}).wantStatus(t, http.StatusUnprocessableEntity)
	if res.doc.Find("#word-suggestion-error").Length() != 1 || res.doc.Find(`#word-suggestion[aria-invalid="true"]`).Length() != 1 {
		t.Error("the error is not on the suggestion field")
	}
	if res.doc.Find("#word-phrase").AttrOr("value", "") != "hub" {
		t.Error("the typed word is not kept")
	}

	f.post("/admin/words", url.Values{"phrase": {"hub"}, "suggestion": {"community centre"}}).wantRedirect(t, "/admin/words")
	res = f.post("/admin/words", url.Values{"phrase": {"HUB"}, "suggestion": {"again"}}).wantStatus(t, http.StatusUnprocessableEntity)
	if !strings.Contains(res.text(".error-summary"), "already on the list") {
		t.Errorf("duplicate: %q", res.text(".error-summary"))
	}

	// The check now flags it.
	res = a.as(a.voluntary).post("/terms/social-prescribing/versions",
		url.Values{"markdown": {"Come to the hub."}, "check": {"1"}}).wantStatus(t, http.StatusOK)
	if got := res.text("section.plain-check"); !strings.Contains(got, "community centre") || !strings.Contains(got, "this glossary’s own list") {
		t.Errorf("local word not flagged: %q", got)
	}

	words, _ := a.store.LocalWords(context.Background())
	if len(words) != 1 {
		t.Fatalf("words = %+v", words)
	}
	del := "/admin/words/" + strconv.FormatInt(words[0].ID, 10) + "/delete"
	f.post(del, nil).wantRedirect(t, "/admin/words")
	f.post(del, nil).wantStatus(t, http.StatusNotFound)
	f.post("/admin/words/x/delete", nil).wantStatus(t, http.StatusNotFound)
	if words, _ := a.store.LocalWords(context.Background()); len(words) != 0 {
		t.Error("the word was not taken off")
	}
}

func TestRoundShowsChecks(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	r := a.openRound("social-prescribing")
	res := a.as(a.resident).get("/rounds/"+strconv.FormatInt(r.ID, 10)).wantStatus(t, http.StatusOK)
	got := items(res, ".candidate .plain-summary")
	if len(got) != 2 {
		t.Fatalf("plain summaries = %q, want one per candidate", got)
	}
	for _, s := range got {
		if !strings.Contains(s, "reading age about") || !strings.Contains(s, "Flagged: 1 word still being decided.") && !strings.Contains(s, "Nothing flagged.") {
			t.Errorf("summary = %q", s)
		}
	}
}

func TestAPIReadability(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	ctx := context.Background()
	sp, _ := a.store.Term(ctx, "social-prescribing")
	if _, err := a.store.CreateVersion(ctx, sp.ID, model.NewVersion{Markdown: jargonWording, Author: &a.statutory}); err != nil {
		t.Fatal(err)
	}
	res := a.visitor().get("/api/v1/terms/social-prescribing").wantStatus(t, http.StatusOK)
	var out struct {
		Agreed   struct{ Readability map[string]json.RawMessage }
		Versions []struct {
			Markdown    string
			Readability struct {
				ReadingEase    *float64 `json:"reading_ease"`
				ReadingAge     *float64 `json:"reading_age"`
				LongSentences  []any    `json:"long_sentences"`
				Jargon         []struct{ Found, Suggestion, Source string }
				Acronyms       []string
				ContestedLinks []struct{ Slug, Reason string } `json:"contested_links"`
			}
		}
	}
	if err := json.Unmarshal([]byte(res.body), &out); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"reading_ease", "reading_age", "long_sentences", "jargon", "acronyms", "contested_links"} {
		if v, ok := out.Agreed.Readability[k]; !ok || string(v) == "null" {
			t.Errorf("agreed readability has no %s: %s", k, v)
		}
	}
	if len(out.Versions) != 2 {
		t.Fatalf("versions = %d", len(out.Versions))
	}
	agreed, jargon := out.Versions[0].Readability, out.Versions[1].Readability
	if agreed.ReadingAge == nil || len(agreed.ContestedLinks) != 1 || agreed.ContestedLinks[0].Slug != "link-worker" {
		t.Errorf("agreed readability = %+v", agreed)
	}
	if len(jargon.Jargon) != 3 || jargon.Jargon[0].Found != "deliver" || jargon.Jargon[0].Source != "GOV.UK" ||
		len(jargon.Acronyms) != 1 || jargon.Acronyms[0] != "PCN" || jargon.LongSentences == nil {
		t.Errorf("jargon readability = %+v", jargon)
	}
}

func TestFlagList(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		r    plain.Report
		want string
	}{
		{plain.Report{}, ""},
		{plain.Report{Acronyms: []string{"PCN"}}, "1 unexplained acronym"},
		{plain.Report{LongSentences: make([]plain.Sentence, 2), Jargon: make([]plain.Hit, 1), Contested: make([]plain.Contest, 3)},
			"2 long sentences, 1 word to avoid, 3 words still being decided"},
	} {
		if got := flagList(i18n.For(i18n.English), &tt.r); got != tt.want {
			t.Errorf("flagList = %q, want %q", got, tt.want)
		}
	}
}

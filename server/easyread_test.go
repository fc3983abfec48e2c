package server

import (
	"context"
	"encoding/json"
	"io/fs"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"wordgarden"
	"wordgarden/server/model"
)

// easyReads counts the term's Easy Read versions in the store.
func (a *testApp) easyReads(slug string) []model.EasyRead {
	a.t.Helper()
	ctx := context.Background()
	t, err := a.store.Term(ctx, slug)
	if err != nil {
		a.t.Fatal(err)
	}
	all, err := a.store.EasyReads(ctx, t.ID)
	if err != nil {
		a.t.Fatal(err)
	}
	return all
}

// easyReadForm is a good Easy Read form for social prescribing.
func (a *testApp) easyReadForm() url.Values {
	a.t.Helper()
	return url.Values{
		"explains_id": {id(a.agreedOf("social-prescribing"))},
		"markdown":    {"Your doctor can help you meet people.\r\nA link worker finds groups near you.\r\n\r\nThe groups are free"},
		"image":       {"talking.svg"},
		"image_alt":   {"Two people talking"},
	}
}

// A partner writes an Easy Read version; the term page shows it beside the
// agreed wording, a line a paragraph, with its picture's description, who
// wrote it, and its reading age against the Easy Read target of 9.
func TestWriteEasyRead(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	sam := a.as(a.statutory)
	path := "/terms/social-prescribing/easyread/new"

	term := sam.get("/terms/social-prescribing").wantStatus(t, http.StatusOK)
	if term.doc.Find(`a[href="`+path+`"]`).Length() != 1 {
		t.Errorf("the term page does not offer to write an Easy Read version")
	}
	if term.doc.Find("#easy-read").Length() != 0 {
		t.Errorf("the term page shows an Easy Read section before there is one")
	}

	form := sam.get(path).wantStatus(t, http.StatusOK)
	for _, field := range []string{"markdown", "image", "image_alt"} {
		if form.doc.Find(`form[action="/terms/social-prescribing/easyread"] label[for="`+field+`"]`).Length() != 1 {
			t.Errorf("the form has no labelled %s field", field)
		}
	}
	if !strings.Contains(form.text("#explains .wording"), "Your GP can put you in touch") {
		t.Errorf("the form does not show the agreed wording it explains: %q", form.text("#explains"))
	}
	pictures := form.doc.Find(`input[type="radio"][name="image"]`)
	if pictures.Length() != len(model.EasyReadImages)+1 {
		t.Errorf("the form offers %d picture choices, want %d and none", pictures.Length(), len(model.EasyReadImages))
	}
	if got := text(form.doc.Find(`label[for="image-doctor"]`)); got != "A doctor" ||
		form.doc.Find(`label[for="image-doctor"] img[src="/static/easyread/doctor.svg"][alt=""]`).Length() != 1 {
		t.Errorf("the doctor picture's choice reads %q", got)
	}
	if !strings.Contains(form.text("#markdown-hint"), "reading age of 9 or under") {
		t.Errorf("the form does not give the Easy Read target: %q", form.text("#markdown-hint"))
	}

	sam.post("/terms/social-prescribing/easyread", a.easyReadForm()).wantRedirect(t, "/terms/social-prescribing#easy-read")
	stored := a.easyReads("social-prescribing")
	if len(stored) != 1 || stored[0].AuthorName != "Sam" || stored[0].Image != "talking.svg" ||
		stored[0].Markdown != "Your doctor can help you meet people.\nA link worker finds groups near you.\nThe groups are free" {
		t.Fatalf("stored: %+v", stored)
	}

	page := sam.get("/terms/social-prescribing").wantStatus(t, http.StatusOK)
	if !strings.Contains(page.text(".flash"), "Your Easy Read version is saved.") {
		t.Errorf("flash = %q", page.text(".flash"))
	}
	section := page.doc.Find(`section[aria-labelledby="easy-read"]`)
	if got := text(section.Find("h2")); got != "Easy Read" {
		t.Errorf("the section's heading = %q", got)
	}
	var lines []string
	section.Find(".easy-read-lines p").Each(func(_ int, p *goquery.Selection) { lines = append(lines, text(p)) })
	if strings.Join(lines, "|") != "Your doctor can help you meet people.|A link worker finds groups near you.|The groups are free" {
		t.Errorf("lines shown: %q", lines)
	}
	if section.Find(`img[src="/static/easyread/talking.svg"][alt="Two people talking"]`).Length() != 1 {
		t.Errorf("the picture is not shown with its description")
	}
	if by := text(section.Find(".byline")); !strings.Contains(by, "Written by Sam, Southwark Council") {
		t.Errorf("byline = %q", by)
	}
	if check := text(section.Find(".plain-summary")); !strings.Contains(check, "Easy Read target of 9 or under") {
		t.Errorf("the check against 9 reads %q", check)
	}
	// Beside the agreed wording: in the same block, after it.
	if page.doc.Find(".beside.with-easy-read > .agreed + .easy-read").Length() != 1 {
		t.Errorf("the Easy Read section does not follow the agreed wording")
	}
	if section.Find(".notice").Length() != 0 {
		t.Errorf("a fresh Easy Read version is marked out of date: %q", text(section.Find(".notice")))
	}

	// A reader of Spanish reads it too, told it is in English.
	es := a.visitor().get("/terms/social-prescribing?lang=es").wantStatus(t, http.StatusOK)
	if !strings.Contains(es.text("#easy-read-section .note"), "está en inglés") ||
		es.doc.Find(`#easy-read-section .easy-read-body[lang="en-GB"]`).Length() != 1 {
		t.Errorf("the Spanish page's Easy Read: %q", es.text("#easy-read-section"))
	}

	// Once residents agree a new wording, it is out of date.
	a.settleNewWording("social-prescribing", "Your doctor can send you to local groups that help.")
	page = a.visitor().get("/terms/social-prescribing").wantStatus(t, http.StatusOK)
	if !strings.Contains(page.text("#easy-read-section .notice"), "explains an earlier wording") {
		t.Errorf("the out-of-date Easy Read version is not marked: %q", page.text("#easy-read-section"))
	}
	// And the form says so by starting from the new agreed wording.
	again := sam.get(path).wantStatus(t, http.StatusOK)
	if !strings.Contains(again.text("#explains .wording"), "send you to local groups") ||
		again.doc.Find(`input[name="explains_id"]`).AttrOr("value", "") != id(a.agreedOf("social-prescribing")) {
		t.Errorf("the form explains %q", again.text("#explains"))
	}
	// A form written against the old wording is refused, and kept.
	res := sam.post("/terms/social-prescribing/easyread", a.easyReadFormFor(stored[0].ExplainsID)).wantStatus(t, http.StatusUnprocessableEntity)
	if !strings.Contains(res.text(".error-summary"), "no longer the agreed one") || res.doc.Find("#markdown").Text() == "" {
		t.Errorf("an Easy Read version of an old wording: %q", res.text(".error-summary"))
	}
	if n := len(a.easyReads("social-prescribing")); n != 1 {
		t.Errorf("%d Easy Read versions stored, want 1", n)
	}
}

func (a *testApp) easyReadFormFor(explains int64) url.Values {
	f := a.easyReadForm()
	f.Set("explains_id", id(explains))
	return f
}

// Only partners and facilitators write Easy Read versions; visitors are
// sent to sign in; nothing is stored for anyone else, nor without the
// CSRF token.
func TestEasyReadWriters(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	path := "/terms/social-prescribing/easyread"

	a.visitor().get(path+"/new").wantRedirect(t, "/login?next="+url.QueryEscape(path+"/new"))
	a.visitor().post(path, a.easyReadForm()).wantStatus(t, http.StatusUnauthorized)
	rae := a.as(a.resident)
	rae.get(path+"/new").wantStatus(t, http.StatusForbidden)
	rae.post(path, a.easyReadForm()).wantStatus(t, http.StatusForbidden)
	if rae.get("/terms/social-prescribing").doc.Find(`a[href="`+path+`/new"]`).Length() != 0 {
		t.Error("a resident is offered to write an Easy Read version")
	}
	noToken := a.easyReadForm()
	a.as(a.voluntary).postRaw(path, noToken).wantStatus(t, http.StatusForbidden)
	if n := len(a.easyReads("social-prescribing")); n != 0 {
		t.Errorf("%d Easy Read versions stored, want none", n)
	}
	a.as(a.facilitator).post(path, a.easyReadForm()).wantRedirect(t, "/terms/social-prescribing#easy-read")
	if n := len(a.easyReads("social-prescribing")); n != 1 {
		t.Errorf("the facilitator's Easy Read version: %d stored, want 1", n)
	}
}

// Bad input gets the form back with a clear message beside its field, what
// was typed kept, and nothing stored.
func TestEasyReadBadInput(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	val := a.as(a.voluntary)
	path := "/terms/social-prescribing/easyread"
	for _, tc := range []struct {
		name, field, want string
		change            map[string]string
		invalid           bool // the field is marked aria-invalid
	}{
		{"two sentences on a line", "markdown", "Line 2 has more than one sentence.",
			map[string]string{"markdown": "You meet people.\nA link worker helps. The groups are free."}, true},
		{"a long line", "markdown", "Line 1 has 22 words.",
			map[string]string{"markdown": strings.Repeat("word ", 22)}, true},
		{"empty", "markdown", "Write the Easy Read version",
			map[string]string{"markdown": "  \n "}, true},
		{"a picture without a description", "image_alt", "Say what the picture shows",
			map[string]string{"image_alt": ""}, true},
		{"a description without a picture", "image_alt", "did not choose one",
			map[string]string{"image": ""}, true},
		{"a picture not shipped", "image", "Choose one of the pictures shown",
			map[string]string{"image": "../icon.svg"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := a.easyReadForm()
			for k, v := range tc.change {
				f.Set(k, v)
			}
			res := val.post(path, f).wantStatus(t, http.StatusUnprocessableEntity)
			if got := text(res.doc.Find(`.error-summary a[href="#` + tc.field + `"]`)); !strings.Contains(got, tc.want) {
				t.Errorf("error = %q, want it to say %q", res.text(".error-summary"), tc.want)
			}
			if tc.invalid && res.doc.Find("#"+tc.field+`[aria-invalid="true"]`).Length() != 1 {
				t.Errorf("#%s is not marked invalid", tc.field)
			}
			if got := res.doc.Find("#markdown").Text(); got != strings.ReplaceAll(f.Get("markdown"), "\r\n", "\n") {
				t.Errorf("the text typed is not kept: %q", got)
			}
		})
	}
	for _, explains := range []string{"", "x", "-1"} {
		f := a.easyReadForm()
		f.Set("explains_id", explains)
		val.post(path, f).wantStatus(t, http.StatusBadRequest)
	}
	// A term without an agreed wording has nothing to explain.
	ctx := context.Background()
	if _, _, err := a.store.CreateTerm(ctx, "Care home", model.NewVersion{Markdown: "A home with care.", Author: &a.voluntary}); err != nil {
		t.Fatal(err)
	}
	if res := val.get("/terms/care-home/easyread/new").wantStatus(t, http.StatusBadRequest); !strings.Contains(res.text("main"), "has no agreed wording yet") {
		t.Errorf("the form of a term without an agreed wording says %q", res.text("main"))
	}
	if n := len(a.easyReads("social-prescribing")); n != 0 {
		t.Errorf("%d Easy Read versions stored after bad input, want none", n)
	}
}

// "Check wording" shows the reading age against the Easy Read target of 9
// and saves nothing; a text that would be refused says why too.
func TestEasyReadCheckWording(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	val := a.as(a.voluntary)
	f := a.easyReadForm()
	f.Set("check", "1")
	// A reading age of about 10: within the NHS's 11, above Easy Read's 9.
	f.Set("markdown", "A link worker helps you find community groups near your home.")
	res := val.post("/terms/social-prescribing/easyread", f).wantStatus(t, http.StatusOK)
	if got := res.text(".plain-check .plain-age"); !strings.Contains(got, "Reading age: about 10.") ||
		!strings.Contains(got, "above the Easy Read target: a reading age of 9 or under") {
		t.Errorf("the check says %q", got)
	}
	f.Set("markdown", "You meet people. The groups are free.")
	res = val.post("/terms/social-prescribing/easyread", f).wantStatus(t, http.StatusUnprocessableEntity)
	if !strings.Contains(res.text(".error-summary"), "more than one sentence") || !strings.Contains(res.text(".plain-check"), "within the Easy Read target") {
		t.Errorf("checking a text of two sentences on a line: %q / %q", res.text(".error-summary"), res.text(".plain-check"))
	}
	if n := len(a.easyReads("social-prescribing")); n != 0 {
		t.Errorf("checking stored %d Easy Read versions", n)
	}

	// Saving one above the target works, and says it is above.
	f.Del("check")
	f.Set("markdown", "A link worker helps you find community groups near your home.")
	val.post("/terms/social-prescribing/easyread", f).wantRedirect(t, "/terms/social-prescribing#easy-read")
	page := val.get("/terms/social-prescribing")
	if !strings.Contains(page.text(".flash"), "above the Easy Read target of 9 or under") ||
		!strings.Contains(page.text("#easy-read-section .plain-summary"), "Reading age about 10: above the Easy Read target of 9 or under.") {
		t.Errorf("after saving a version above the target: %q / %q", page.text(".flash"), page.text("#easy-read-section .plain-summary"))
	}
}

// The pictures the form offers are the files shipped in static/easyread/,
// each named in the catalogue; and each is a small SVG.
func TestEasyReadImagesShipped(t *testing.T) {
	t.Parallel()
	files, err := fs.Glob(wordgarden.Static, "static/easyread/*")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range files {
		names = append(names, strings.TrimPrefix(f, "static/easyread/"))
		b, _ := fs.ReadFile(wordgarden.Static, f)
		if len(b) > 4096 || !strings.HasPrefix(string(b), "<svg ") || strings.Contains(string(b), "<script") {
			t.Errorf("%s is not a small SVG without scripts", f)
		}
	}
	want := slices.Clone(model.EasyReadImages)
	slices.Sort(want)
	if !slices.Equal(names, want) {
		t.Errorf("static/easyread/ holds %q, model.EasyReadImages names %q", names, want)
	}
}

// The term API gives the Easy Read version with its check against 9, and
// null for a term without one.
func TestEasyReadAPI(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	a.as(a.voluntary).post("/terms/social-prescribing/easyread", a.easyReadForm()).
		wantRedirect(t, "/terms/social-prescribing#easy-read")
	type readability struct {
		ReadingAge float64 `json:"reading_age"`
		Target     int     `json:"target"`
	}
	var term struct {
		Agreed struct {
			Readability readability `json:"readability"`
		} `json:"agreed"`
		EasyRead *struct {
			Lines       []string    `json:"lines"`
			Image       *string     `json:"image"`
			ImageAlt    string      `json:"image_alt"`
			Explains    int64       `json:"explains"`
			OutOfDate   bool        `json:"out_of_date"`
			Author      string      `json:"author"`
			Sector      string      `json:"sector"`
			Readability readability `json:"readability"`
		} `json:"easy_read"`
	}
	body := a.visitor().get("/api/v1/terms/social-prescribing").wantStatus(t, http.StatusOK).body
	if err := json.Unmarshal([]byte(body), &term); err != nil || term.EasyRead == nil {
		t.Fatalf("%v: %s", err, body)
	}
	e := term.EasyRead
	if len(e.Lines) != 3 || e.Lines[2] != "The groups are free" || e.Image == nil || *e.Image != "/static/easyread/talking.svg" ||
		e.ImageAlt != "Two people talking" || e.Explains != a.agreedOf("social-prescribing") || e.OutOfDate ||
		e.Author != "Val" || e.Sector != "voluntary" {
		t.Errorf("easy_read = %+v", e)
	}
	if e.Readability.Target != 9 || e.Readability.ReadingAge <= 0 || term.Agreed.Readability.Target != 11 {
		t.Errorf("targets: Easy Read %+v, agreed wording %+v", e.Readability, term.Agreed.Readability)
	}
	if body := a.visitor().get("/api/v1/terms/wellbeing").body; !strings.Contains(body, `"easy_read":null`) {
		t.Errorf("a term without Easy Read: %.300s", body)
	}
}

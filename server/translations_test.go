package server

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/getkin/kin-openapi/openapi3"

	"wordgarden/server/model"
	"wordgarden/server/tally"
)

// translate has a partner translate a term's agreed wording, through the
// store.
func (a *testApp) translate(slug string, by model.User, lang, title, md string) model.Version {
	a.t.Helper()
	ctx := context.Background()
	t, err := a.store.Term(ctx, slug)
	if err != nil {
		a.t.Fatal(err)
	}
	v, err := a.store.CreateTranslation(ctx, t.ID, model.NewTranslation{Lang: lang, Title: title, Markdown: md,
		TranslatesID: t.AgreedVersionID, Author: &by})
	if err != nil {
		a.t.Fatal(err)
	}
	return v
}

func id(n int64) string { return strconv.FormatInt(n, 10) }

func TestProposeTranslation(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	ctx := context.Background()
	sp, _ := a.store.Term(ctx, "social-prescribing")
	path := "/versions/" + id(sp.AgreedVersionID) + "/translate"

	// The term page offers to translate its agreed wording.
	val := a.as(a.voluntary)
	page := val.get("/terms/social-prescribing").wantStatus(t, http.StatusOK)
	if page.doc.Find(`a[href="`+path+`"]`).Length() != 1 {
		t.Errorf("the term page offers no translation: %q", page.text("#translations-heading"))
	}
	form := val.get(path).wantStatus(t, http.StatusOK)
	for _, field := range []string{"language", "title", "markdown"} {
		if form.doc.Find(`form[action="`+path+`"] label[for="`+field+`"]`).Length() != 1 || form.doc.Find("#"+field).Length() != 1 {
			t.Errorf("the form has no labelled %s field", field)
		}
	}
	if form.doc.Find(`select#language option[value="es"][lang="es"]`).Text() != "Español" ||
		form.doc.Find(`select#language option[value="en"]`).Length() != 0 {
		t.Errorf("languages offered: %q", form.text("select#language"))
	}
	if !strings.Contains(form.text("#translates .wording"), "Your GP can put you in touch") {
		t.Errorf("the form does not show the English wording: %q", form.text("#translates"))
	}

	// A bad form changes nothing and says what is wrong.
	for field, f := range map[string]url.Values{
		"language": {"language": {"xx"}, "title": {"Prescripción social"}, "markdown": {"Tu médico te pone en contacto."}},
		"title":    {"language": {"es"}, "title": {" "}, "markdown": {"Tu médico te pone en contacto."}},
		"markdown": {"language": {"es"}, "title": {"Prescripción social"}, "markdown": {""}},
	} {
		res := val.post(path, f).wantStatus(t, http.StatusUnprocessableEntity)
		if res.doc.Find(`.error-summary a[href="#`+field+`"]`).Length() != 1 || res.doc.Find("#"+field+`[aria-invalid="true"]`).Length() != 1 {
			t.Errorf("%s: error = %q", field, res.text(".error-summary"))
		}
		if got := res.doc.Find("#markdown").Text(); got != f.Get("markdown") {
			t.Errorf("%s: the wording typed is not kept: %q", field, got)
		}
	}
	if trs, _ := a.store.Translations(ctx, sp.ID); len(trs) != 0 {
		t.Fatalf("refused forms stored %d translations", len(trs))
	}

	res := val.post(path, url.Values{"language": {"es"}, "title": {"Prescripción social"},
		"markdown": {"Tu médico de cabecera te pone en contacto con un [[Link worker|trabajador de enlace]] y con grupos del barrio."}})
	trs, _ := a.store.Translations(ctx, sp.ID)
	if len(trs) != 1 {
		t.Fatalf("%d translations stored", len(trs))
	}
	es := trs[0]
	res.wantRedirect(t, "/versions/"+id(es.ID))
	if es.Lang != "es" || es.TranslatesID != sp.AgreedVersionID || es.Title != "Prescripción social" ||
		es.AuthorName != "Val" || es.OrganisationName != "Peckham Community Hub" || es.Sector != model.Voluntary {
		t.Errorf("stored translation = %+v", es)
	}

	// Its page says what it is, in which language, and what it translates.
	vp := val.get("/versions/"+id(es.ID)).wantStatus(t, http.StatusOK)
	if !strings.Contains(vp.text("body"), "Your translation is saved as version "+id(es.ID)+".") {
		t.Errorf("no word that it was saved")
	}
	info := vp.text(".translation-of")
	for _, want := range []string{"Español", "Prescripción social", "Version " + id(sp.AgreedVersionID) + ", in English"} {
		if !strings.Contains(info, want) {
			t.Errorf("the translation's page lacks %q: %q", want, info)
		}
	}
	if vp.doc.Find(`.wording [lang="es"]`).Length() != 1 || vp.doc.Find(`.translation-of dd[lang="es"]`).Length() != 2 {
		t.Error("the translation's page does not mark its language")
	}
	if vp.doc.Find("#plain-check").Length() != 0 {
		t.Error("the translation's page shows the English plain language check")
	}
	if strings.Contains(info, "earlier wording") {
		t.Error("a translation of the agreed wording says it is out of date")
	}

	// The term page lists it under its language, for everyone.
	tp := a.visitor().get("/terms/social-prescribing").wantStatus(t, http.StatusOK)
	list := tp.text(".translations")
	if !strings.Contains(list, "Español") || !strings.Contains(list, "Prescripción social") || !strings.Contains(list, "Translated by Val") {
		t.Errorf("the term page's translations: %q", list)
	}
	if tp.doc.Find(`.translations h3[lang="es"]`).Length() != 1 {
		t.Error("the language's heading is not marked as Spanish")
	}

	// Amending it, from "Amend this version" on its page.
	amend := val.get("/terms/social-prescribing/propose?amend=" + id(es.ID))
	amend.wantRedirect(t, path+"?amend="+id(es.ID))
	af := val.get(path+"?amend="+id(es.ID)).wantStatus(t, http.StatusOK)
	if af.doc.Find("#title").AttrOr("value", "") != "Prescripción social" || af.doc.Find(`#title[lang="es"]`).Length() != 1 ||
		af.doc.Find(`input[name="parent_id"]`).AttrOr("value", "") != id(es.ID) {
		t.Errorf("the amendment form does not start from the translation: %q", af.text("form"))
	}
	val.post(path, url.Values{"parent_id": {id(es.ID)}, "language": {"fr"}, "title": {"Receta social"},
		"markdown": {"Tu médico te pone en contacto con grupos del barrio."}})
	trs, _ = a.store.Translations(ctx, sp.ID)
	if len(trs) != 2 || trs[1].ParentID != es.ID || trs[1].Lang != "es" || trs[1].Title != "Receta social" {
		t.Errorf("the amendment = %+v", trs[len(trs)-1])
	}
	// An English wording cannot amend a translation.
	val.post("/terms/social-prescribing/versions", url.Values{"parent_id": {id(es.ID)}, "markdown": {"In English."}}).
		wantStatus(t, http.StatusBadRequest)

	// Only the agreed English wording is translated.
	proposal, _ := a.store.CreateVersion(ctx, sp.ID, model.NewVersion{Markdown: "Another wording.", Author: &a.statutory})
	for _, p := range []string{"/versions/" + id(proposal.ID) + "/translate", "/versions/" + id(es.ID) + "/translate"} {
		val.get(p).wantStatus(t, http.StatusBadRequest)
	}
	val.get("/versions/99999/translate").wantStatus(t, http.StatusNotFound)
}

// Residents read and vote; they do not write wordings, translations
// included.
func TestResidentCannotTranslate(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	ctx := context.Background()
	sp, _ := a.store.Term(ctx, "social-prescribing")
	path := "/versions/" + id(sp.AgreedVersionID) + "/translate"
	form := func() url.Values {
		return url.Values{"language": {"es"}, "title": {"Prescripción social"}, "markdown": {"Tu médico te ayuda."}}
	}
	rae := a.as(a.resident)
	rae.get(path).wantStatus(t, http.StatusForbidden)
	rae.post(path, form()).wantStatus(t, http.StatusForbidden)
	a.visitor().post(path, form()).wantStatus(t, http.StatusUnauthorized)
	if trs, _ := a.store.Translations(ctx, sp.ID); len(trs) != 0 {
		t.Errorf("%d translations stored", len(trs))
	}
	if page := rae.get("/terms/social-prescribing"); page.doc.Find(`a[href="`+path+`"]`).Length() != 0 {
		t.Error("the term page offers a resident to translate")
	}
}

// The term page shows the agreed wording in the reader's language, or says
// there is none and shows the English.
func TestTermPageInSpanish(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	ctx := context.Background()
	const note = "Todavía no hay una redacción acordada en español. Aquí la tienes en inglés."

	// No translation at all yet.
	res := a.visitor().get("/terms/social-prescribing?lang=es").wantStatus(t, http.StatusOK)
	if res.doc.Find(`html[lang="es"]`).Length() != 1 || res.text("#in-english") != note {
		t.Errorf("no Spanish wording: note %q", res.text("#in-english"))
	}
	if !strings.Contains(res.text(".agreed .wording"), "Your GP can put you in touch") {
		t.Errorf("the English wording is not shown: %q", res.text(".agreed"))
	}
	// A translation proposed, none agreed: still the note.
	a.translate("social-prescribing", a.voluntary, "es", "Prescripción social", "Tu médico te pone en contacto con grupos.")
	res = a.visitor().get("/terms/social-prescribing?lang=es")
	if res.text("#in-english") != note || !strings.Contains(res.text(".agreed .wording"), "Your GP") {
		t.Errorf("a proposed translation is not an agreed one: note %q", res.text("#in-english"))
	}
	// In English, no note.
	if res := a.visitor().get("/terms/social-prescribing"); res.doc.Find("#in-english").Length() != 0 {
		t.Error("the English page says there is no English wording")
	}

	// An agreed Spanish wording.
	sp, _ := a.store.Term(ctx, "social-prescribing")
	agreed, err := a.store.ImportTranslation(ctx, sp.ID, model.NewTranslation{Lang: "es", Title: "Receta social",
		Markdown: "Tu médico de cabecera te ayuda a encontrar grupos del barrio.", TranslatesID: sp.AgreedVersionID})
	if err != nil {
		t.Fatal(err)
	}
	res = a.visitor().get("/terms/social-prescribing?lang=es").wantStatus(t, http.StatusOK)
	if res.doc.Find("#in-english").Length() != 0 {
		t.Error("the note shows beside an agreed Spanish wording")
	}
	section := res.text(".agreed")
	// The page is titled in Spanish, with the English title beside it.
	if res.text("h1") != "Receta social" || !strings.HasPrefix(res.text("title"), "Receta social · ") ||
		res.doc.Find(`.english-title span[lang="en"]`).Text() != "Social prescribing" {
		t.Errorf("the Spanish page's titles: h1 %q, title %q, English %q", res.text("h1"), res.text("title"), res.text(".english-title"))
	}
	if feed := res.doc.Find(`link[rel="alternate"][href^="/terms/social-prescribing/feed.atom"]`); !strings.Contains(feed.AttrOr("title", ""), "Receta social") {
		t.Errorf("the term's feed is titled %q", feed.AttrOr("title", ""))
	}
	for _, want := range []string{"Redacción acordada", "Tu médico de cabecera te ayuda",
		"Traducida para el glosario inicial", "Esta traducción vino con el glosario inicial"} {
		if !strings.Contains(section, want) {
			t.Errorf("the agreed Spanish wording lacks %q: %q", want, section)
		}
	}
	if strings.Contains(section, "Your GP can put you in touch") {
		t.Error("the English wording shows as the agreed one on the Spanish page")
	}
	if res.doc.Find(`.agreed a[href="/versions/`+id(sp.AgreedVersionID)+`"]`).Length() == 0 {
		t.Error("the Spanish page has no way to the English wording")
	}
	if res.doc.Find(`.agreed .wording [lang="es"]`).Length() != 1 {
		t.Error("the agreed Spanish wording is not marked as Spanish")
	}
	// English readers and French readers still get the English.
	if res := a.visitor().get("/terms/social-prescribing"); !strings.Contains(res.text(".agreed .wording"), "Your GP") {
		t.Errorf("the English page: %q", res.text(".agreed"))
	}
	res = a.visitor().get("/terms/social-prescribing?lang=fr")
	if res.text("h1") != "Social prescribing" || res.doc.Find(".english-title").Length() != 0 {
		t.Errorf("the French page is titled %q", res.text("h1"))
	}
	if res.text("#in-english") != "Il n’y a pas encore de définition retenue en français. La voici en anglais." {
		t.Errorf("the French page's note: %q", res.text("#in-english"))
	}

	// Once the English agreed wording changes, the Spanish one is out of
	// date, and says so with a link to the current English.
	newer := a.settleNewWording("social-prescribing", "Your GP helps you find local groups.")
	res = a.visitor().get("/terms/social-prescribing?lang=es")
	if !strings.Contains(res.text(".agreed .notice"), "Esta traducción es de una redacción anterior.") ||
		res.doc.Find(`.agreed .notice a[href="/versions/`+id(newer)+`"]`).Length() != 1 {
		t.Errorf("the out-of-date agreed Spanish wording: %q", res.text(".agreed"))
	}
	vp := a.visitor().get("/versions/" + id(agreed.ID))
	if !strings.Contains(vp.text(".translation-of .notice"), "This translation is of an earlier wording.") ||
		vp.doc.Find(`.translation-of .notice a[href="/versions/`+id(newer)+`"]`).Length() != 1 {
		t.Errorf("the out-of-date translation's page: %q", vp.text(".translation-of"))
	}
}

// settleNewWording has residents agree a new English wording of the term
// in a round, and returns its version id.
func (a *testApp) settleNewWording(slug, md string) int64 {
	a.t.Helper()
	ctx := context.Background()
	t, _ := a.store.Term(ctx, slug)
	v, err := a.store.CreateVersion(ctx, t.ID, model.NewVersion{Markdown: md, Author: &a.statutory})
	if err != nil {
		a.t.Fatal(err)
	}
	r, err := a.store.OpenRound(ctx, model.NewRound{TermID: t.ID, Candidates: []int64{t.AgreedVersionID, v.ID},
		Method: tally.Approval, ClosesAt: time.Now().Add(time.Hour), OpenedBy: a.facilitator})
	if err != nil {
		a.t.Fatal(err)
	}
	if _, err := a.store.CastBallot(ctx, r.ID, a.resident, tally.Ballot{Approve: []int64{v.ID}}); err != nil {
		a.t.Fatal(err)
	}
	if _, err := a.store.CloseRound(ctx, r.ID); err != nil {
		a.t.Fatal(err)
	}
	return v.ID
}

// A Spanish round is opened, voted in, closed and shown like an English
// one, and its winner becomes the agreed Spanish wording.
func TestSpanishRound(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	ctx := context.Background()
	sp, _ := a.store.Term(ctx, "social-prescribing")
	es1 := a.translate("social-prescribing", a.statutory, "es", "Prescripción social", "Tu médico te pone en contacto con grupos.")
	es2 := a.translate("social-prescribing", a.voluntary, "es", "Receta social", "Tu médico te ayuda a encontrar grupos del barrio.")
	a.translate("social-prescribing", a.voluntary, "pt", "Prescrição social", "O seu médico ajuda-o a encontrar grupos.")
	fran := a.as(a.facilitator)

	// The term page offers a vote on the Spanish translations.
	tp := fran.get("/terms/social-prescribing").wantStatus(t, http.StatusOK)
	newPath := "/terms/social-prescribing/rounds/new?language=es"
	if tp.doc.Find(`.translations a[href="`+newPath+`"]`).Length() != 1 {
		t.Errorf("no vote offered on the Spanish translations: %q", tp.text(".translations"))
	}
	if tp.doc.Find(`.translations a[href="/terms/social-prescribing/rounds/new?language=pt"]`).Length() != 0 {
		t.Error("a vote is offered on one Portuguese translation")
	}
	// The form offers the Spanish wordings only, and says so.
	form := fran.get(newPath).wantStatus(t, http.StatusOK)
	var offered []string
	form.doc.Find(`input[name="candidate"]`).Each(func(_ int, s *goquery.Selection) { offered = append(offered, s.AttrOr("value", "")) })
	if strings.Join(offered, ",") != id(es1.ID)+","+id(es2.ID) {
		t.Errorf("candidates offered = %v, want the two Spanish ones", offered)
	}
	if form.doc.Find(`select#language option[selected]`).AttrOr("value", "") != "es" ||
		form.doc.Find(`form[action="/terms/social-prescribing/rounds"] input[name="language"]`).AttrOr("value", "") != "es" {
		t.Errorf("the form does not hold the language: %q", form.text("form"))
	}
	if english := fran.get("/terms/social-prescribing/rounds/new"); english.doc.Find(`input[name="candidate"][value="`+id(es1.ID)+`"]`).Length() != 0 {
		t.Error("the English form offers Spanish wordings")
	}
	fran.get("/terms/social-prescribing/rounds/new?language=xx").wantStatus(t, http.StatusBadRequest)

	closes := time.Now().Add(72 * time.Hour).UTC().Format(time.RFC3339)
	good := url.Values{"language": {"es"}, "candidate": {id(es1.ID), id(es2.ID)}, "method": {"approval"},
		"closes_at": {closes}, "quorum": {"1"}, "threshold": {"50"}}
	// An English wording in a Spanish vote is refused, and nothing opens.
	bad := url.Values{}
	for k, v := range good {
		bad[k] = v
	}
	bad["candidate"] = []string{id(es1.ID), id(sp.AgreedVersionID)}
	res := fran.post("/terms/social-prescribing/rounds", bad).wantStatus(t, http.StatusUnprocessableEntity)
	if !strings.Contains(res.text(".error-summary"), "Choose wordings in one language") {
		t.Errorf("an English wording in a Spanish vote: %q", res.text(".error-summary"))
	}
	if rs, _ := a.store.Rounds(ctx, sp.ID); len(rs) != 0 {
		t.Fatalf("%d rounds opened", len(rs))
	}

	res = fran.post("/terms/social-prescribing/rounds", good)
	rs, _ := a.store.Rounds(ctx, sp.ID)
	if len(rs) != 1 || rs[0].Lang != "es" {
		t.Fatalf("rounds = %+v", rs)
	}
	roundPath := "/rounds/" + id(rs[0].ID)
	res.wantRedirect(t, roundPath)
	// An English round can open beside it; a second Spanish one cannot.
	english := a.openRound("social-prescribing")
	res = fran.post("/terms/social-prescribing/rounds", good).wantStatus(t, http.StatusUnprocessableEntity)
	if !strings.Contains(res.text(".error-summary"), "already has an open vote on its wordings in this language") {
		t.Errorf("a second Spanish round: %q", res.text(".error-summary"))
	}
	// The term page says residents are choosing a Spanish wording.
	tp = a.visitor().get("/terms/social-prescribing")
	if tp.doc.Find(`.translations .notice a[href="`+roundPath+`"]`).Length() != 1 {
		t.Errorf("the term page does not point to the Spanish vote: %q", tp.text(".translations"))
	}

	// Residents vote on the Spanish wordings, each marked as Spanish.
	rae := a.as(a.resident)
	ballot := rae.get(roundPath).wantStatus(t, http.StatusOK)
	if ballot.doc.Find(`.candidate .wording [lang="es"]`).Length() != 2 || !strings.Contains(ballot.text(".candidates"), "Tu médico te ayuda") {
		t.Errorf("the ballot: %q", ballot.text(".candidates"))
	}
	rae.post(roundPath+"/ballot", url.Values{"approve": {id(es2.ID)}}).wantStatus(t, http.StatusOK)
	fran.post(roundPath+"/close", nil)
	r, _ := a.store.Round(ctx, rs[0].ID)
	if r.ClosedAt.IsZero() || r.WinnerVersionID != es2.ID {
		t.Fatalf("closed round: winner %d", r.WinnerVersionID)
	}
	results := a.visitor().get(roundPath+"/results").wantStatus(t, http.StatusOK)
	if !strings.Contains(results.text("main"), "Tu médico te ayuda") {
		t.Errorf("the results do not show the winning wording: %.300q", results.text("main"))
	}

	// The winner is the agreed Spanish wording; the English stays, and its
	// round is still open.
	if sp2, _ := a.store.Term(ctx, "social-prescribing"); sp2.AgreedVersionID != sp.AgreedVersionID {
		t.Error("the English agreed wording changed")
	}
	if open, _ := a.store.OpenRoundOf(ctx, sp.ID); open == nil || open.ID != english.ID {
		t.Error("the English round is no longer open")
	}
	page := a.visitor().get("/terms/social-prescribing?lang=es")
	section := page.text(".agreed")
	if page.text("h1") != "Receta social" || !strings.Contains(section, "Los vecinos la eligieron en una votación: votaron 1 vecino de 1 barrio") ||
		page.doc.Find(`.agreed a[href="`+roundPath+`/results"]`).Length() != 1 {
		t.Errorf("the agreed Spanish wording and its vote: %q", section)
	}
	if page.doc.Find(`.agreed .byline`).Length() == 0 || !strings.Contains(page.text(".agreed .byline"), "Traducida por Val, Peckham Community Hub") {
		t.Errorf("who translated it: %q", page.text(".agreed .byline"))
	}
	en := a.visitor().get("/terms/social-prescribing")
	if !strings.Contains(en.text("#v"+id(es2.ID)), "Agreed") || strings.Contains(en.text("#v"+id(es1.ID)), "Agreed") {
		t.Errorf("the English page's list of translations: %q", en.text(".translations"))
	}

	// The API gives the translations and the agreed wording per language.
	var term struct {
		Translations []struct {
			ID         int64  `json:"id"`
			Lang       string `json:"lang"`
			Title      string `json:"title"`
			Translates int64  `json:"translates"`
			OutOfDate  bool   `json:"out_of_date"`
		} `json:"translations"`
		Agreed []struct {
			Lang      string `json:"lang"`
			VersionID int64  `json:"version_id"`
			RoundID   *int64 `json:"round_id"`
		} `json:"agreed_translations"`
	}
	body := a.visitor().get("/api/v1/terms/social-prescribing").body
	if err := json.Unmarshal([]byte(body), &term); err != nil {
		t.Fatal(err)
	}
	if len(term.Translations) != 3 || term.Translations[1].ID != es2.ID || term.Translations[1].Lang != "es" ||
		term.Translations[1].Title != "Receta social" || term.Translations[1].Translates != sp.AgreedVersionID || term.Translations[1].OutOfDate {
		t.Errorf("translations = %+v", term.Translations)
	}
	if len(term.Agreed) != 1 || term.Agreed[0].Lang != "es" || term.Agreed[0].VersionID != es2.ID ||
		term.Agreed[0].RoundID == nil || *term.Agreed[0].RoundID != r.ID {
		t.Errorf("agreed translations = %+v", term.Agreed)
	}
	// And the answers match the API's description.
	doc := loadOpenAPI(t, a)
	for path, op := range map[string]string{
		"/api/v1/terms/social-prescribing": "/api/v1/terms/{slug}",
		"/api/v1/rounds/" + id(r.ID):       "/api/v1/rounds/{id}",
		"/api/v1/rounds":                   "/api/v1/rounds",
	} {
		var v any
		if err := json.Unmarshal([]byte(a.visitor().get(path).body), &v); err != nil {
			t.Fatal(err)
		}
		schema := doc.Paths.Value(op).Get.Responses.Status(http.StatusOK).Value.Content.Get("application/json").Schema.Value
		if err := schema.VisitJSON(v, openapi3.EnableJSONSchema2020()); err != nil {
			t.Errorf("GET %s does not match its schema: %v", path, err)
		}
	}
	// Once a new English wording is agreed, the API says the translations
	// are out of date.
	a.store.CloseRound(ctx, english.ID) // no ballots: settles nothing
	a.settleNewWording("social-prescribing", "Your GP helps you find local groups.")
	term.Translations, term.Agreed = nil, nil
	json.Unmarshal([]byte(a.visitor().get("/api/v1/terms/social-prescribing").body), &term)
	if len(term.Translations) != 3 || !term.Translations[0].OutOfDate {
		t.Errorf("after a new English wording: %+v", term.Translations)
	}
}

func TestSearchFindsTranslatedTitles(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	ctx := context.Background()
	if _, err := a.store.ImportTerm(ctx, "Neighbourhood working", "", "Local services work together in a small area."); err != nil {
		t.Fatal(err)
	}
	a.translate("neighbourhood-working", a.statutory, "es", "Trabajo en el barrio", "Los servicios locales trabajan juntos en una zona pequeña.")
	for _, q := range []string{"trabajo", "trab", "Trabajo barrio"} {
		res := a.visitor().get("/search?q="+url.QueryEscape(q)).wantStatus(t, http.StatusOK)
		if res.doc.Find(`a[href="/terms/neighbourhood-working"]`).Length() == 0 {
			t.Errorf("search %q: %q", q, res.text("main"))
			continue
		}
		if !strings.Contains(res.text("mark"), "Trab") {
			t.Errorf("search %q: no match marked: %q", q, res.text("main"))
		}
	}
}

// The translation form reads in Spanish for a Spanish reader, and starts in
// the reader's language.
func TestTranslationFormInSpanish(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	sp, _ := a.store.Term(context.Background(), "social-prescribing")
	res := a.as(a.voluntary).get("/versions/"+id(sp.AgreedVersionID)+"/translate?lang=es").wantStatus(t, http.StatusOK)
	if res.doc.Find(`html[lang="es"]`).Length() != 1 {
		t.Error("the page is not marked Spanish")
	}
	body := res.text("main")
	if !strings.Contains(body, "Escríbela tú, o con personas que hablan el idioma") || !strings.Contains(body, "Traducir “Social prescribing”") {
		t.Errorf("the form is not in Spanish: %.400q", body)
	}
	if strings.Contains(body, "Write it yourself") || strings.Contains(body, "Save the translation") {
		t.Error("the Spanish form has English words of its own")
	}
	if res.doc.Find(`select#language option[selected]`).AttrOr("value", "") != "es" || res.doc.Find(`#markdown[lang="es"]`).Length() != 1 {
		t.Error("the form does not start in the reader's language")
	}
}

// "Compare with the agreed wording" compares a wording with the agreed one in
// its own language: a Spanish wording with the agreed Spanish, never with
// the English, whose every word differs.
func TestCompareWithAgreedInItsLanguage(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	ctx := context.Background()
	sp, _ := a.store.Term(ctx, "social-prescribing")
	compare := func(v model.Version) string {
		t.Helper()
		res := a.visitor().get("/versions/"+id(v.ID)).wantStatus(t, http.StatusOK)
		return res.doc.Find(`.actions a:contains("Compare with the agreed wording")`).AttrOr("href", "")
	}
	wantDiff := func(from, to int64) string {
		return "/terms/social-prescribing/diff?from=" + id(from) + "&to=" + id(to)
	}

	// A Spanish wording with no agreed Spanish one has nothing to compare with.
	proposed := a.translate("social-prescribing", a.voluntary, "es", "Prescripción social", "Tu médico te pone en contacto con grupos.")
	if got := compare(proposed); got != "" {
		t.Errorf("with no agreed Spanish, the Spanish wording compares with %q", got)
	}

	agreed, err := a.store.ImportTranslation(ctx, sp.ID, model.NewTranslation{Lang: "es", Title: "Prescripción social",
		Markdown: "Tu médico de cabecera te pone en contacto con grupos del barrio.", TranslatesID: sp.AgreedVersionID})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := compare(proposed), wantDiff(agreed.ID, proposed.ID); got != want {
		t.Errorf("the Spanish wording compares with %q, want %q", got, want)
	}
	if got := compare(agreed); got != "" {
		t.Errorf("the agreed Spanish wording compares with %q", got)
	}
	english, _ := a.store.CreateVersion(ctx, sp.ID, model.NewVersion{Markdown: "Another wording.", Author: &a.statutory})
	if got, want := compare(english), wantDiff(sp.AgreedVersionID, english.ID); got != want {
		t.Errorf("the English wording compares with %q, want %q", got, want)
	}
	// The diff it leads to is in Spanish on both sides.
	res := a.visitor().get(wantDiff(agreed.ID, proposed.ID)).wantStatus(t, http.StatusOK)
	if strings.Contains(res.text("body"), "Your GP") {
		t.Error("the Spanish diff shows English words")
	}
}

// The A–Z index titles and sums up each term in the reader's language where
// it has an agreed wording in it, in that language's order, and marks the
// rest as English.
func TestIndexInTheReadersLanguage(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	ctx := context.Background()
	sp, _ := a.store.Term(ctx, "social-prescribing")
	if _, err := a.store.ImportTranslation(ctx, sp.ID, model.NewTranslation{Lang: "es", Title: "Receta social",
		Markdown: "Tu médico de cabecera te ayuda a encontrar grupos del barrio.", TranslatesID: sp.AgreedVersionID}); err != nil {
		t.Fatal(err)
	}
	index := func(lang string) (entries []string, langs []string) {
		t.Helper()
		res := a.visitor().get("/?lang="+lang).wantStatus(t, http.StatusOK)
		res.doc.Find("#az ~ dl dt a, section dl dt a").Each(func(_ int, s *goquery.Selection) {
			entries = append(entries, strings.TrimSpace(s.Text())+" | "+strings.TrimSpace(s.Parent().Next().Text()))
			langs = append(langs, s.AttrOr("lang", ""))
		})
		return entries, langs
	}
	// English first: the page kept for English must not be given in Spanish.
	for _, tc := range []struct {
		lang           string
		entries, langs []string
	}{
		{"en", []string{"Social prescribing | Help from your GP to join local groups.", "Wellbeing | Feeling well in body and mind."}, []string{"", ""}},
		{"es", []string{"Receta social | Tu médico de cabecera te ayuda a encontrar grupos del barrio.", "Wellbeing | Feeling well in body and mind."}, []string{"", "en-GB"}},
		{"fr", []string{"Social prescribing | Help from your GP to join local groups.", "Wellbeing | Feeling well in body and mind."}, []string{"en-GB", "en-GB"}},
	} {
		entries, langs := index(tc.lang)
		if !slices.Equal(entries, tc.entries) || !slices.Equal(langs, tc.langs) {
			t.Errorf("the index in %s:\n got %q %q\nwant %q %q", tc.lang, entries, langs, tc.entries, tc.langs)
		}
	}
	if res := a.visitor().get("/?lang=es"); res.doc.Find(`h3#letter-R`).Length() != 1 {
		t.Errorf("Receta social is not under R: %q", res.text(".letters"))
	}
}

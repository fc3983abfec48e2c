package server

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"wordgarden/server/model"
)

// translated is what withTranslations made.
type translated struct {
	english int64 // social prescribing's agreed English version, the second one
	es, fr  int64 // its agreed Spanish (current) and French (out of date) wordings
}

// withTranslations gives social prescribing an agreed French wording, then
// a new agreed English wording (so the French is out of date), then an
// agreed Spanish wording of that. Wellbeing has none.
func (a *testApp) withTranslations() translated {
	a.t.Helper()
	ctx := context.Background()
	sp, err := a.store.Term(ctx, "social-prescribing")
	if err != nil {
		a.t.Fatal(err)
	}
	fr, err := a.store.ImportTranslation(ctx, sp.ID, model.NewTranslation{Lang: "fr", Title: "Prescription sociale",
		Markdown: "Votre médecin vous met en relation avec des groupes locaux.", TranslatesID: sp.AgreedVersionID})
	if err != nil {
		a.t.Fatal(err)
	}
	english := a.settleNewWording("social-prescribing", "Your GP helps you join groups near you.")
	es, err := a.store.ImportTranslation(ctx, sp.ID, model.NewTranslation{Lang: "es", Title: "Prescripción social",
		Summary: "Tu médico te ayuda a unirte a grupos.", Markdown: "Tu médico te ayuda a unirte a grupos cerca de ti.",
		TranslatesID: english})
	if err != nil {
		a.t.Fatal(err)
	}
	return translated{english: english, es: es.ID, fr: fr.ID}
}

// The open data files carry every current agreed wording, each with its
// language; ?lang= gives a term each in one language, English marked as
// a fallback; an out-of-date translation is never published.
func TestOpenDataInLanguages(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	tr := a.withTranslations()
	c := a.visitor()

	type jsonTerm struct {
		Slug, Title, Definition, Lang string
		VersionID                     int64  `json:"version_id"`
		Translates                    *int64 `json:"translates_version_id"`
		Fallback                      bool
		Translations                  []struct {
			Lang, Title, Definition string
			Translates              int64 `json:"translates_version_id"`
		}
	}
	type jsonDoc struct {
		Languages []string
		Terms     []jsonTerm
	}
	getJSON := func(path string) (jsonDoc, *response) {
		res := c.get(path).wantStatus(t, http.StatusOK)
		var doc jsonDoc
		if err := json.Unmarshal([]byte(res.body), &doc); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if len(doc.Terms) != 2 || doc.Terms[0].Slug != "social-prescribing" || doc.Terms[1].Slug != "wellbeing" {
			t.Fatalf("%s: terms %+v", path, doc.Terms)
		}
		return doc, res
	}

	// Every language: the English as before, and its current translations.
	doc, res := getJSON("/glossary.json")
	sp := doc.Terms[0]
	if !slices.Equal(doc.Languages, []string{"en", "es"}) || res.header.Get("Content-Language") != "" {
		t.Errorf("glossary.json: languages %v, Content-Language %q", doc.Languages, res.header.Get("Content-Language"))
	}
	if sp.Lang != "en" || sp.Fallback || sp.Translates != nil || sp.Title != "Social prescribing" || sp.VersionID != tr.english {
		t.Errorf("social prescribing in English = %+v", sp)
	}
	if len(sp.Translations) != 1 || sp.Translations[0].Lang != "es" || sp.Translations[0].Title != "Prescripción social" ||
		sp.Translations[0].Translates != tr.english {
		t.Errorf("social prescribing's translations = %+v, want the Spanish only (the French is out of date)", sp.Translations)
	}

	// One language, with the English where there is none.
	doc, res = getJSON("/glossary.json?lang=es")
	sp, wb := doc.Terms[0], doc.Terms[1]
	if res.header.Get("Content-Language") != "es" || !slices.Equal(doc.Languages, []string{"en", "es"}) {
		t.Errorf("glossary.json?lang=es: Content-Language %q, languages %v", res.header.Get("Content-Language"), doc.Languages)
	}
	if sp.Lang != "es" || sp.Fallback || sp.Title != "Prescripción social" || sp.Definition != "Tu médico te ayuda a unirte a grupos cerca de ti." ||
		sp.VersionID != tr.es || sp.Translates == nil || *sp.Translates != tr.english || len(sp.Translations) != 0 {
		t.Errorf("social prescribing in Spanish = %+v", sp)
	}
	if wb.Lang != "en" || !wb.Fallback || wb.Title != "Wellbeing" {
		t.Errorf("wellbeing in Spanish = %+v, want the English marked fallback", wb)
	}
	doc, _ = getJSON("/glossary.json?lang=fr")
	if sp := doc.Terms[0]; sp.Lang != "en" || !sp.Fallback || sp.Title != "Social prescribing" {
		t.Errorf("social prescribing in French = %+v, want the English: the French is out of date", sp)
	}

	// CSV: a row a wording, the new columns at the end.
	for _, tc := range []struct {
		path string
		rows []string // slug lang title fallback
	}{
		{"/glossary.csv", []string{"social-prescribing en Social prescribing false",
			"social-prescribing es Prescripción social false", "wellbeing en Wellbeing false"}},
		{"/glossary.csv?lang=es", []string{"social-prescribing es Prescripción social false", "wellbeing en Wellbeing true"}},
		{"/glossary.csv?lang=EN", []string{"social-prescribing en Social prescribing false", "wellbeing en Wellbeing false"}},
	} {
		rows, err := csv.NewReader(strings.NewReader(c.get(tc.path).wantStatus(t, http.StatusOK).body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		head := rows[0]
		if !slices.Equal(head[:2], []string{"slug", "title"}) || !slices.Equal(head[14:], []string{"lang", "version_id", "translates_version_id", "fallback"}) {
			t.Errorf("%s: header %v", tc.path, head)
		}
		var got []string
		for _, r := range rows[1:] {
			got = append(got, strings.Join([]string{r[0], r[14], r[1], r[17]}, " "))
			if r[14] == "es" && (r[15] != strconv.FormatInt(tr.es, 10) || r[16] != strconv.FormatInt(tr.english, 10)) {
				t.Errorf("%s: the Spanish row's versions are %q and %q", tc.path, r[15], r[16])
			}
		}
		if !slices.Equal(got, tc.rows) {
			t.Errorf("%s rows:\n%s\nwant\n%s", tc.path, strings.Join(got, "\n"), strings.Join(tc.rows, "\n"))
		}
	}

	// SKOS: a label and a definition a language.
	var ld struct {
		Graph []map[string]json.RawMessage `json:"@graph"`
	}
	if err := json.Unmarshal([]byte(c.get("/glossary.jsonld").wantStatus(t, http.StatusOK).body), &ld); err != nil {
		t.Fatal(err)
	}
	var langs []string
	json.Unmarshal(ld.Graph[0]["dct:language"], &langs)
	if !slices.Equal(langs, []string{"en-GB", "es"}) {
		t.Errorf("the scheme's languages = %v", langs)
	}
	type tagged struct {
		Value string `json:"@value"`
		Lang  string `json:"@language"`
	}
	var labels, defs []tagged
	json.Unmarshal(ld.Graph[1]["skos:prefLabel"], &labels)
	json.Unmarshal(ld.Graph[1]["skos:definition"], &defs)
	if !slices.Equal(labels, []tagged{{"Social prescribing", "en-GB"}, {"Prescripción social", "es"}}) ||
		!slices.Equal(defs, []tagged{{"Your GP helps you join groups near you.", "en-GB"}, {"Tu médico te ayuda a unirte a grupos cerca de ti.", "es"}}) {
		t.Errorf("social prescribing's labels %v, definitions %v", labels, defs)
	}
	json.Unmarshal(ld.Graph[2]["skos:prefLabel"], &labels)
	if !slices.Equal(labels, []tagged{{"Wellbeing", "en-GB"}}) {
		t.Errorf("wellbeing's labels = %v", labels)
	}

	// A language the glossary is not published in is a 400 that says
	// which are, in the file's kind, and is not kept.
	for _, tc := range []struct{ path, contentType, want string }{
		{"/glossary.json?lang=klingon", "application/json", `"error":"There is no language “klingon” here. Ask for one of en, es, pt, fr, ar."`},
		{"/glossary.jsonld?lang=de", "application/json", `There is no language “de” here.`},
		{"/glossary.csv?lang=es-MX", "text/plain", "There is no language “es-MX” here. Ask for one of en, es, pt, fr, ar.\n"},
	} {
		res := c.get(tc.path).wantStatus(t, http.StatusBadRequest)
		if !strings.HasPrefix(res.header.Get("Content-Type"), tc.contentType) || !strings.Contains(res.body, tc.want) {
			t.Errorf("%s: %s %q, want %s with %q", tc.path, res.header.Get("Content-Type"), res.body, tc.contentType, tc.want)
		}
	}
}

// The printed glossary in a language gives each term's agreed wording in
// it, and the English, marked and said to be English, where there is none.
func TestPrintInLanguages(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	a.withTranslations()
	for _, tc := range []struct {
		lang, htmlLang string
		// title, whether it is marked as English, and the wording, by term
		terms []string
		note  string
	}{
		{"es", "es", []string{"Prescripción social|false|Tu médico te ayuda a unirte a grupos cerca de ti.", "Wellbeing|true|How well you feel, in body and mind."},
			"Todavía no hay una redacción acordada en español: esta es la redacción en inglés."},
		{"fr", "fr", []string{"Social prescribing|true|Your GP helps you join groups near you.", "Wellbeing|true|How well you feel, in body and mind."},
			"Aucune formulation n’a encore été adoptée en français : voici la formulation en anglais."},
		{"en", "en-GB", []string{"Social prescribing|false|Your GP helps you join groups near you.", "Wellbeing|false|How well you feel, in body and mind."}, ""},
	} {
		res := a.visitor().get("/glossary/print?lang="+tc.lang).wantStatus(t, http.StatusOK)
		if got := res.doc.Find("html").AttrOr("lang", ""); got != tc.htmlLang {
			t.Errorf("%s: the page's lang is %q", tc.lang, got)
		}
		var got []string
		for _, art := range res.doc.Find("article.print-term").EachIter() {
			h := art.Find("h3")
			english := h.AttrOr("lang", "") == "en-GB" && art.Find(".wording").AttrOr("lang", "") == "en-GB"
			got = append(got, text(h)+"|"+strconv.FormatBool(english)+"|"+text(art.Find(".wording")))
			if note := text(art.Find(".in-english")); english && note != tc.note || !english && note != "" {
				t.Errorf("%s: %s says %q", tc.lang, text(h), note)
			}
		}
		if !slices.Equal(got, tc.terms) {
			t.Errorf("%s: terms\n%s\nwant\n%s", tc.lang, strings.Join(got, "\n"), strings.Join(tc.terms, "\n"))
		}
	}
}

// A feed in a language has the changes of English wordings and of wordings
// in its language, each wording marked with its language where it is not
// the feed's; pages point to the feed in their language.
func TestFeedsInLanguages(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	tr := a.withTranslations()
	c := a.visitor()
	entryOf := func(body string, versionID int64) string {
		i := strings.Index(body, ":version/"+strconv.FormatInt(versionID, 10)+"</id>")
		if i < 0 {
			return ""
		}
		end := strings.Index(body[i:], "</entry>")
		return body[i : i+end]
	}
	for _, tc := range []struct {
		path         string
		self         string
		es, fr, en   string // what the entry of each wording holds ("" for none)
		titleContent string
	}{
		{"/feed.atom", "/feed.atom", `<content type="html" xml:lang="es">`, `<content type="html" xml:lang="fr">`, `<content type="html">`,
			"<title>New wording: Prescripción social</title>"},
		{"/feed.atom?lang=es", "/feed.atom?lang=es", `<content type="html">`, "", `<content type="html" xml:lang="en-GB">`,
			"<title>Redacción nueva: Prescripción social</title>"},
		{"/feed.atom?lang=fr", "/feed.atom?lang=fr", "", `<content type="html">`, `<content type="html" xml:lang="en-GB">`, ""},
		{"/terms/social-prescribing/feed.atom?lang=es", "/terms/social-prescribing/feed.atom?lang=es", `<content type="html">`, "",
			`<content type="html" xml:lang="en-GB">`, "<title>wordgarden: Prescripción social</title>"},
	} {
		f := getFeed(t, c, tc.path)
		if f.link("self") != a.ts.URL+tc.self || f.ID != a.ts.URL+tc.self {
			t.Errorf("%s: self %q, id %q", tc.path, f.link("self"), f.ID)
		}
		body := c.get(tc.path).body
		for _, w := range []struct {
			id   int64
			want string
		}{{tr.es, tc.es}, {tr.fr, tc.fr}, {tr.english, tc.en}} {
			entry := entryOf(body, w.id)
			if w.want == "" && entry != "" || !strings.Contains(entry, w.want) {
				t.Errorf("%s: the entry of version %d is %q, want it to hold %q", tc.path, w.id, entry, w.want)
			}
		}
		if tc.titleContent != "" && !strings.Contains(body, tc.titleContent) {
			t.Errorf("%s lacks %q", tc.path, tc.titleContent)
		}
	}

	for path, want := range map[string]string{
		"/?lang=es":                         "/feed.atom?lang=es",
		"/terms/social-prescribing?lang=fr": "/terms/social-prescribing/feed.atom?lang=fr",
		// English pages keep the plain address, which server/browser's
		// hostile text test pins: the feed in English to a reader that
		// asks for no other language.
		"/": "/feed.atom",
	} {
		link := a.visitor().get(path).wantStatus(t, http.StatusOK).doc.Find(`head link[rel="alternate"]`).First()
		lang := ""
		if i := strings.Index(want, "lang="); i >= 0 {
			lang = want[i+len("lang="):]
		}
		if link.AttrOr("href", "") != want || link.AttrOr("hreflang", "") != lang {
			t.Errorf("%s: feed link %q hreflang %q, want %q, %q", path, link.AttrOr("href", ""), link.AttrOr("hreflang", ""), want, lang)
		}
	}
}

// The API answers in the language asked for by ?lang= or Accept-Language:
// the title, summary and definition of the agreed wording in it, else the
// English with fallback; each language's answer has its own ETag.
func TestAPIInLanguages(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	tr := a.withTranslations()
	type detail struct {
		Title, Summary, Lang string
		Fallback             bool
		Definition           *struct {
			ID       int64
			Markdown string
		}
		Agreed struct{ ID int64 }
	}
	for _, tc := range []struct {
		name, path, accept string
		contentLang        string
		lang, title        string
		fallback           bool
		definition         int64
	}{
		{"no language asked", "/api/v1/terms/social-prescribing", "", "en", "en", "Social prescribing", false, tr.english},
		{"?lang=es", "/api/v1/terms/social-prescribing?lang=es", "", "es", "es", "Prescripción social", false, tr.es},
		{"Accept-Language", "/api/v1/terms/social-prescribing", "es-ES,es;q=0.9,en;q=0.5", "es", "es", "Prescripción social", false, tr.es},
		{"?lang= wins", "/api/v1/terms/social-prescribing?lang=en", "es", "en", "en", "Social prescribing", false, tr.english},
		{"out of date", "/api/v1/terms/social-prescribing?lang=fr", "", "fr", "en", "Social prescribing", true, tr.english},
		{"none yet", "/api/v1/terms/wellbeing?lang=es", "", "es", "en", "Wellbeing", true, 0},
	} {
		c := a.visitor()
		if tc.accept != "" {
			c.header.Set("Accept-Language", tc.accept)
		}
		// A language cookie is the site's, not the API's: it changes nothing.
		c.get("/?lang=pt")
		res := c.get(tc.path).wantStatus(t, http.StatusOK)
		var d detail
		if err := json.Unmarshal([]byte(res.body), &d); err != nil {
			t.Fatal(err)
		}
		if res.header.Get("Content-Language") != tc.contentLang || !slices.Contains(res.header.Values("Vary"), "Accept-Language") {
			t.Errorf("%s: Content-Language %q, Vary %v", tc.name, res.header.Get("Content-Language"), res.header.Values("Vary"))
		}
		if d.Lang != tc.lang || d.Title != tc.title || d.Fallback != tc.fallback {
			t.Errorf("%s: lang %q title %q fallback %v, want %q %q %v", tc.name, d.Lang, d.Title, d.Fallback, tc.lang, tc.title, tc.fallback)
		}
		want := tc.definition
		if want == 0 { // the English agreed wording
			want = d.Agreed.ID
		}
		if d.Definition == nil || d.Definition.ID != want || d.Agreed.ID == 0 {
			t.Errorf("%s: definition %+v, want version %d", tc.name, d.Definition, want)
		}
		if tc.definition != 0 && d.Agreed.ID != tr.english {
			t.Errorf("%s: agreed is %d, want the English %d as always", tc.name, d.Agreed.ID, tr.english)
		}
	}

	c := a.visitor()
	var list []struct {
		Slug, Title, Lang string
		Fallback          bool
	}
	json.Unmarshal([]byte(c.get("/api/v1/terms?lang=es").wantStatus(t, http.StatusOK).body), &list)
	var rows []string
	for _, r := range list {
		rows = append(rows, r.Slug+" "+r.Lang+" "+r.Title+" "+strconv.FormatBool(r.Fallback))
	}
	if want := []string{"social-prescribing es Prescripción social false", "wellbeing en Wellbeing true"}; !slices.Equal(rows, want) {
		t.Errorf("terms in Spanish:\n%s\nwant\n%s", strings.Join(rows, "\n"), strings.Join(want, "\n"))
	}

	res := c.get("/api/v1/terms/social-prescribing?lang=tlh").wantStatus(t, http.StatusBadRequest)
	if want := `{"error":"There is no language “tlh” here. Ask for one of en, es, pt, fr, ar."}`; strings.TrimSpace(res.body) != want {
		t.Errorf("a bad ?lang= = %s, want %s", res.body, want)
	}

	// Each language's answer has its own tag, and a 304 only for its own.
	en := c.get("/api/v1/terms/social-prescribing?lang=en").header.Get("ETag")
	es := c.get("/api/v1/terms/social-prescribing?lang=es").header.Get("ETag")
	if en == "" || en == es {
		t.Fatalf("ETags: en %q, es %q", en, es)
	}
	for _, tc := range []struct {
		accept, tag string
		want        int
	}{
		{"es", es, http.StatusNotModified},
		{"es", en, http.StatusOK},
		{"en", en, http.StatusNotModified},
		{"en", es, http.StatusOK},
	} {
		req, _ := http.NewRequest(http.MethodGet, a.ts.URL+"/api/v1/terms/social-prescribing", nil)
		req.Header.Set("Accept-Language", tc.accept)
		req.Header.Set("If-None-Match", tc.tag)
		if got := c.do(req); got.status != tc.want {
			t.Errorf("Accept-Language %s with the tag of %s: %d, want %d", tc.accept, map[string]string{en: "en", es: "es"}[tc.tag], got.status, tc.want)
		}
	}
}

package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"wordgarden/server/i18n"
	"wordgarden/server/model"
)

// withReadingHistory is withHistory plus what the reading pages show of
// a wording: a version with words to avoid, a long sentence, an acronym and
// a link to a term nobody has started, and comments of every kind on it.
func (a *testApp) withReadingHistory() (settled, failed model.Round, jargon model.Version) {
	a.t.Helper()
	settled, failed = a.withHistory()
	ctx := context.Background()
	wb, err := a.store.Term(ctx, "wellbeing")
	if err != nil {
		a.t.Fatal(err)
	}
	long := "We will deliver a holistic service " + strings.Repeat("with help for many things ", 6) + "near you."
	jargon, err = a.store.CreateVersion(ctx, wb.ID, model.NewVersion{
		Markdown: long + " Ask your PCN. See [[Link worker]].", ParentID: wb.AgreedVersionID, Author: &a.statutory})
	if err != nil {
		a.t.Fatal(err)
	}
	q, err := a.store.CreateComment(ctx, model.NewComment{VersionID: jargon.ID, Kind: model.Question,
		Markdown: "What is a PCN?", Author: &a.resident}, 100)
	if err != nil {
		a.t.Fatal(err)
	}
	for _, nc := range []model.NewComment{
		{VersionID: jargon.ID, ParentID: q.ID, Kind: model.Suggestion, Markdown: "Spell it out.", Author: &a.statutory},
		{VersionID: jargon.ID, Kind: model.TriedIt, Markdown: "We tried it.", Author: &a.facilitator},
	} {
		if _, err := a.store.CreateComment(ctx, nc, 100); err != nil {
			a.t.Fatal(err)
		}
	}
	return settled, failed, jargon
}

// The reading pages speak Spanish when asked to (?lang=es): the page says
// so in its lang attribute, and its words, the sectors' and the counts'
// among them, come from the Spanish catalogue, not the English.
func TestReadingPagesInSpanish(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	_, _, jargon := a.withReadingHistory()
	version := fmt.Sprintf("/versions/%d", jargon.ID)
	for _, tc := range []struct {
		path     string
		status   int
		selector string
		want     string // Spanish, in the selector's text
		notWant  string // the English it replaces, nowhere on the page
	}{
		{"/", http.StatusOK, "main h2#take", "Llévate el glosario", "Take the glossary with you"},
		{"/terms/social-prescribing", http.StatusOK, ".provenance",
			"Elegida por 1 vecino de 1 barrio en la votación", "Chosen by"},
		{"/terms/social-prescribing", http.StatusOK, ".byline .badge-voluntary", "Grupo comunitario", "Voluntary & community"},
		{"/terms/care-navigator/history", http.StatusOK, "th", "Escrita por", "Written by"},
		{version, http.StatusOK, "#comments-heading", "Comentarios (1 pregunta, 1 sugerencia, 1 experiencia)", "1 question"},
		{version, http.StatusOK, ".plain-check", "Frases largas", "Long sentences"},
		{version, http.StatusOK, ".plain-check", "Link worker: nadie ha empezado todavía este término.", "nobody has started"},
		{version, http.StatusOK, ".plain-band", "Facilidad de lectura:", "Reading ease"},
		{"/changes", http.StatusOK, ".change-closed .change-summary",
			"No se acordó ninguna redacción: no votó nadie.", "No wording was agreed"},
		{"/changes?kind=comments", http.StatusOK, ".change-summary",
			fmt.Sprintf("Una pregunta de Rae, que vive en Peckham sobre la versión %d.", jargon.ID), "resident of"},
		{"/search?q=zzzz", http.StatusOK, "#results", "Ningún término coincide con «zzzz»", "No terms match"},
		{"/glossary/print", http.StatusOK, ".provenance", "Escrita por Val, Peckham Community Hub (grupo comunitario).", "Written by"},
		{"/terms/link-worker", http.StatusNotFound, "h1", "«Link worker» todavía no tiene entrada", "has no entry yet"},
		{"/versions/99999", http.StatusNotFound, "main", "No hay ninguna versión con ese número.", "There is no version"},
		{"/nowhere", http.StatusNotFound, "title", "No se encuentra la página", "Not Found"},
		{"/changes?kind=poems", http.StatusBadRequest, "main", "No hay ningún tipo de cambio llamado «poems».", "There is no kind"},
	} {
		res := a.visitor().get(tc.path + map[bool]string{true: "&", false: "?"}[strings.Contains(tc.path, "?")] + "lang=es")
		if res.status != tc.status {
			t.Errorf("%s: status %d, want %d", tc.path, res.status, tc.status)
		}
		if lang := res.doc.Find("html").AttrOr("lang", ""); lang != "es" {
			t.Errorf("%s: lang=%q, want es", tc.path, lang)
		}
		if got := res.text(tc.selector); !strings.Contains(got, tc.want) {
			t.Errorf("%s: %s says %q, want %q", tc.path, tc.selector, got, tc.want)
		}
		if strings.Contains(res.text("html"), tc.notWant) {
			t.Errorf("%s: the page still says %q in English", tc.path, tc.notWant)
		}
	}

	// The embedded definition, framed on another site, speaks the
	// language its address asks for.
	res := a.visitor().get("/api/v1/terms/social-prescribing/embed?lang=es").wantStatus(t, http.StatusOK)
	if lang := res.doc.Find("html").AttrOr("lang", ""); lang != "es" {
		t.Errorf("embed: lang=%q, want es", lang)
	}
	if got := res.text(".source"); got != "Social prescribing en el glosario wordgarden (se abre en una pestaña nueva)" {
		t.Errorf("embed source = %q", got)
	}
}

// Feeds are written in the language asked for, with the feed's xml:lang.
func TestFeedInFrench(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	a.withHistory()
	body := a.visitor().get("/feed.atom?lang=fr").wantStatus(t, http.StatusOK).body
	for _, want := range []string{`xml:lang="fr"`, "<title>wordgarden : toutes les modifications</title>",
		"<title>Vote clos : Care navigator</title>", "Les habitants ont choisi la formulation de Val (1 bulletin)"} {
		if !strings.Contains(body, want) {
			t.Errorf("the French feed lacks %q", want)
		}
	}
	if strings.Contains(body, "Vote closed") || strings.Contains(body, `<feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://`+strings.TrimPrefix(a.ts.URL, "http://")+`/" xml:lang="en-GB"`) {
		t.Error("the French feed still speaks English")
	}
	// Its words are French; the wordings, which have no French yet, are
	// the English ones, and say so.
	if !strings.Contains(body, `<content type="html" xml:lang="en-GB">`) {
		t.Error("the English wordings in the French feed are not marked as English")
	}
}

// The API's readability words are data for programs: English, whatever
// language the caller asks for, as before the plain-language check learnt
// to speak codes.
func TestAPIReadabilityStaysEnglish(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	res := a.visitor().get("/api/v1/terms/social-prescribing?lang=fr").wantStatus(t, http.StatusOK)
	var out struct {
		Agreed struct {
			Readability struct {
				Band           string
				ContestedLinks []struct{ Slug, Reason string } `json:"contested_links"`
			}
		}
	}
	if err := json.Unmarshal([]byte(res.body), &out); err != nil {
		t.Fatal(err)
	}
	r := out.Agreed.Readability
	if !regexp.MustCompile(`^(Very easy|Easy|Fairly easy|Standard|Fairly difficult|Difficult|Very confusing)$`).MatchString(r.Band) {
		t.Errorf("band = %q, want one of Flesch's English names", r.Band)
	}
	if len(r.ContestedLinks) != 1 || r.ContestedLinks[0].Reason != "nobody has started this term yet" {
		t.Errorf("contested links = %+v", r.ContestedLinks)
	}
}

// Every message the reading pages ask for is in every language's
// catalogue, including those whose id is made at run time (the sectors,
// the bands, why a link is contested, the filters of /changes): a missing
// one shows as "[id]", and a placeholder a message names but is not given
// shows as "<no value>".
func TestReadingPagesSayEveryMessage(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	_, _, jargon := a.withReadingHistory()
	round := a.openRound("wellbeing")
	paths := []string{
		"/", "/terms/social-prescribing", "/terms/wellbeing", "/terms/care-navigator", "/terms/link-worker",
		"/terms/care-navigator/history", "/terms/care-navigator/diff?from=1&to=1",
		fmt.Sprintf("/terms/wellbeing/diff?from=%d&to=%d", jargon.ParentID, jargon.ID),
		"/terms/wellbeing/diff?to=1", "/terms/wellbeing/diff?from=x&to=1", "/terms/wellbeing/diff?from=99999&to=1",
		"/search", "/search?q=prescrib", "/search?q=zzzz", "/search?q=" + strings.Repeat("x", maxQueryLen+1),
		"/api/v1/terms/social-prescribing/embed", "/api/v1/terms/care-navigator/embed", "/api/v1/terms/nothing/embed",
		fmt.Sprintf("/versions/%d", jargon.ID), "/versions/1", "/versions/99999",
		"/glossary/print", "/feed.atom", "/rounds.atom", "/terms/care-navigator/feed.atom",
		fmt.Sprintf("/rounds/%d", round.ID), // the plain-language summary of each candidate
		"/nowhere", "/api/v1/nothing", "/changes?kind=poems", "/changes?before=x",
	}
	for _, f := range changeFilters {
		paths = append(paths, "/changes?kind="+f.Name)
	}
	missing := regexp.MustCompile(`\[[a-z_]+(\.[a-z0-9_-]+)+\]|&lt;no value&gt;|<no value>`)
	for _, l := range i18n.Languages {
		if l.Stub {
			continue
		}
		for _, who := range []*client{a.visitor(), a.as(a.resident), a.as(a.facilitator)} {
			for _, p := range paths {
				sep := "?"
				if strings.Contains(p, "?") {
					sep = "&"
				}
				body := who.get(p + sep + "lang=" + l.Code).body
				if m := missing.FindString(body); m != "" {
					t.Errorf("%s in %s shows %s", p, l.Name, m)
				}
			}
		}
	}
}

// English content on a page in another language is marked as English, so
// that a screen reader reads it with an English voice and a right-to-left
// page keeps it left to right; on an English page nothing is marked.
func TestEnglishContentMarkedOnOtherPages(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	for _, tc := range []struct {
		path, sel string
	}{
		{"/", `dl a[href="/terms/wellbeing"]`},
		{"/", `.recent a[href="/terms/wellbeing"]`},
		{"/terms/wellbeing", "h1"},
		{"/terms/wellbeing", ".agreed .wording"},
		{"/search?q=wellbeing", `.hits a[href="/terms/wellbeing"]`},
		{"/terms/wellbeing/history", `h1 a[href="/terms/wellbeing"]`},
	} {
		for _, l := range []struct {
			code, lang, dir string
		}{
			{"en", "", ""},
			{"es", "en-GB", "ltr"},
			{"ar", "en-GB", "ltr"},
		} {
			res := a.visitor().get(tc.path+sep(tc.path)+"lang="+l.code).wantStatus(t, http.StatusOK)
			el := res.doc.Find(tc.sel).First()
			if el.Length() == 0 {
				t.Fatalf("%s in %s: no %s", tc.path, l.code, tc.sel)
			}
			if got, _ := el.Attr("lang"); got != l.lang {
				t.Errorf("%s in %s: %s has lang %q, want %q", tc.path, l.code, tc.sel, got, l.lang)
			}
			if got, _ := el.Attr("dir"); got != l.dir {
				t.Errorf("%s in %s: %s has dir %q, want %q", tc.path, l.code, tc.sel, got, l.dir)
			}
		}
	}
}

// sep is what joins a query parameter to path.
func sep(path string) string {
	if strings.Contains(path, "?") {
		return "&"
	}
	return "?"
}

package server

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/piprate/json-gold/ld"

	"wordgarden/server/opendata"
)

func TestGlossaryPrint(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	settled, _ := a.withHistory()
	c := a.visitor()

	home := c.get("/").wantStatus(t, http.StatusOK)
	if home.doc.Find(`main a[href="/glossary/print"]`).Length() != 1 {
		t.Error("the home page does not link to the printed glossary")
	}

	res := c.get("/glossary/print").wantStatus(t, http.StatusOK)
	var letters []string
	res.doc.Find("section.print-letter > h2").Each(func(_ int, s *goquery.Selection) { letters = append(letters, text(s)) })
	if !slices.Equal(letters, []string{"S", "W"}) {
		t.Errorf("letters = %v, want [S W] (Care navigator has no agreed wording)", letters)
	}
	terms := map[string]*goquery.Selection{}
	res.doc.Find("article.print-term").Each(func(_ int, s *goquery.Selection) { terms[text(s.Find("h3"))] = s })
	if len(terms) != 2 {
		t.Fatalf("%d terms printed, want 2", len(terms))
	}
	sp := terms["Social prescribing"]
	if got := text(sp.Find(".wording")); got != "Another wording of Social prescribing." {
		t.Errorf("Social prescribing's wording is %q, want the one residents chose", got)
	}
	if got, want := text(sp.Find(".provenance")), fmt.Sprintf("Written by Val, Peckham Community Hub (voluntary & community sector). Chosen by residents in vote %d (1 ballot), ", settled.ID); !strings.HasPrefix(got, want) {
		t.Errorf("provenance = %q, want it to start %q", got, want)
	}
	if got := text(terms["Wellbeing"].Find(".provenance")); got != "Imported as an agreed wording." {
		t.Errorf("an imported wording's provenance = %q", got)
	}
	if got := text(res.doc.Find(".colophon")); !strings.Contains(got, "Open Government Licence v3.0") || !strings.Contains(got, a.ts.URL) {
		t.Errorf("colophon = %q", got)
	}
	// On paper, the site's menus and the screen-only help are left out by
	// the print stylesheet; here they must at least be marked for it.
	if res.doc.Find("header.site").Length() != 1 || res.doc.Find(".glossary-print .screen-only nav.letters").Length() != 1 {
		t.Error("the page's navigation is not where the print stylesheet hides it")
	}
}

func TestOpenData(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	settled, _ := a.withHistory()
	// Its links: to an agreed term, to a term with no agreed wording yet
	// and to one nobody started. Only the first is a related concept.
	if _, err := a.store.ImportTerm(t.Context(), "Anchor institution", "",
		"Works with [[Social prescribing]] and [[Care navigator]] services, and [[Nobody]]."); err != nil {
		t.Fatal(err)
	}
	c := a.visitor()
	site := a.ts.URL
	ogl := `<` + opendata.OGL.URL + `>; rel="license"; title="Open Government Licence v3.0"`

	// JSON.
	res := c.get("/glossary.json").wantStatus(t, http.StatusOK)
	if res.header.Get("Link") != ogl || res.header.Get("Content-Type") != "application/json; charset=utf-8" ||
		res.header.Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("glossary.json headers: %v", res.header)
	}
	var doc struct {
		URL     string `json:"url"`
		Licence struct{ ID, Name, URL string }
		Terms   []struct {
			Slug, Title, URI, Definition, Author, Sector string
			AgreedBy                                     string `json:"agreed_by"`
			Round                                        *struct {
				ID      int64
				Results string
				Ballots int
			}
			Related []string
		}
	}
	if err := json.Unmarshal([]byte(res.body), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.URL != site+"/" || doc.Licence.ID != "ogl-3.0" || doc.Licence.URL != opendata.OGL.URL || len(doc.Terms) != 3 {
		t.Fatalf("glossary.json = %+v", doc)
	}
	anchor, sp, wb := doc.Terms[0], doc.Terms[1], doc.Terms[2]
	if !slices.Equal(anchor.Related, []string{site + "/terms/social-prescribing"}) {
		t.Errorf("anchor institution's related terms = %v", anchor.Related)
	}
	if sp.URI != site+"/terms/social-prescribing" || sp.Author != "Val" || sp.Sector != "voluntary" || sp.AgreedBy != "vote" ||
		sp.Round == nil || sp.Round.ID != settled.ID || sp.Round.Results != fmt.Sprintf("%s/rounds/%d/results", site, settled.ID) ||
		sp.Round.Ballots != 1 || sp.Definition != "Another wording of Social prescribing." {
		t.Errorf("social prescribing = %+v", sp)
	}
	if wb.AgreedBy != "import" || wb.Round != nil || wb.Related == nil {
		t.Errorf("wellbeing = %+v", wb)
	}

	// CSV.
	res = c.get("/glossary.csv").wantStatus(t, http.StatusOK)
	if res.header.Get("Link") != ogl || !strings.HasPrefix(res.header.Get("Content-Type"), "text/csv; charset=utf-8") {
		t.Errorf("glossary.csv headers: %v", res.header)
	}
	rows, err := csv.NewReader(strings.NewReader(res.body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || rows[0][0] != "slug" || rows[2][0] != "social-prescribing" || rows[2][2] != site+"/terms/social-prescribing" ||
		rows[2][9] != "vote" || rows[3][9] != "import" || rows[1][13] != site+"/terms/social-prescribing" {
		t.Errorf("glossary.csv = %q", rows)
	}

	// SKOS, read by a JSON-LD processor as a SKOS tool would.
	res = c.get("/glossary.jsonld").wantStatus(t, http.StatusOK)
	if res.header.Get("Link") != ogl || res.header.Get("Content-Type") != "application/ld+json; charset=utf-8" {
		t.Errorf("glossary.jsonld headers: %v", res.header)
	}
	nodes := expandJSONLD(t, res.body)
	const skos, dct, prov = "http://www.w3.org/2004/02/skos/core#", "http://purl.org/dc/terms/", "http://www.w3.org/ns/prov#"
	scheme := nodes[site+"/"]
	if !slices.Contains(ldIDs(scheme["@type"]), skos+"ConceptScheme") || !slices.Equal(ldIDs(scheme[dct+"license"]), []string{opendata.OGL.URL}) {
		t.Errorf("the concept scheme = %v", scheme)
	}
	concept := nodes[site+"/terms/social-prescribing"]
	if !slices.Contains(ldIDs(concept["@type"]), skos+"Concept") {
		t.Fatalf("social prescribing is not a skos:Concept: %v", concept)
	}
	for prop, want := range map[string]string{
		skos + "prefLabel":  "Social prescribing",
		skos + "definition": "Another wording of Social prescribing.",
	} {
		if got := ldValues(concept[prop]); !slices.Equal(got, []string{want}) {
			t.Errorf("%s = %v, want %q", prop, got, want)
		}
	}
	if got := ldIDs(nodes[site+"/terms/anchor-institution"][skos+"related"]); !slices.Equal(got, []string{site + "/terms/social-prescribing"}) {
		t.Errorf("skos:related = %v, want social prescribing only", got)
	}
	if got := ldIDs(concept[skos+"related"]); got != nil {
		t.Errorf("skos:related of a wording without links = %v", got)
	}
	if got := ldIDs(concept[prov+"wasGeneratedBy"]); !slices.Equal(got, []string{fmt.Sprintf("%s/rounds/%d/results", site, settled.ID)}) {
		t.Errorf("prov:wasGeneratedBy = %v", got)
	}
	if m := concept[dct+"modified"]; len(m) != 1 || m[0]["@type"] != "http://www.w3.org/2001/XMLSchema#dateTime" {
		t.Errorf("dct:modified = %v", m)
	}
	if wb := nodes[site+"/terms/wellbeing"]; wb[prov+"wasGeneratedBy"] != nil || len(ldValues(wb[skos+"historyNote"])) != 1 {
		t.Errorf("an imported concept = %v", wb)
	}
}

// expandJSONLD expands a JSON-LD document and returns its nodes by @id.
func expandJSONLD(t *testing.T, body string) map[string]map[string][]map[string]any {
	t.Helper()
	var doc any
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatal(err)
	}
	opts := ld.NewJsonLdOptions("")
	opts.DocumentLoader = nil // everything must be in the document itself
	expanded, err := ld.NewJsonLdProcessor().Expand(doc, opts)
	if err != nil {
		t.Fatalf("not JSON-LD: %v", err)
	}
	nodes := map[string]map[string][]map[string]any{}
	for _, n := range expanded {
		m := n.(map[string]any)
		node := map[string][]map[string]any{}
		for k, v := range m {
			switch vv := v.(type) {
			case []any:
				for _, x := range vv {
					switch xx := x.(type) {
					case map[string]any:
						node[k] = append(node[k], xx)
					case string:
						node[k] = append(node[k], map[string]any{"@id": xx})
					}
				}
			}
		}
		nodes[m["@id"].(string)] = node
	}
	return nodes
}

func ldIDs(vs []map[string]any) []string {
	var out []string
	for _, v := range vs {
		if id, ok := v["@id"].(string); ok {
			out = append(out, id)
		}
	}
	return out
}

func ldValues(vs []map[string]any) []string {
	var out []string
	for _, v := range vs {
		if s, ok := v["@value"].(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// TestOpenDataLicence checks that the configured licence is the one every
// file and header gives.
func TestOpenDataLicence(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	srv, err := New(Config{Store: a.store, SessionKey: []byte("a test session key that is long enough"),
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Licence: opendata.CCBY})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range opendata.Formats {
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/"+f.File, nil))
		if rec.Code != http.StatusOK || !strings.Contains(rec.Header().Get("Link"), opendata.CCBY.URL) {
			t.Errorf("%s: %d, Link %q", f.File, rec.Code, rec.Header().Get("Link"))
		}
		if f.Name != "csv" && (!strings.Contains(rec.Body.String(), opendata.CCBY.URL) || strings.Contains(rec.Body.String(), opendata.OGL.URL)) {
			t.Errorf("%s does not give the configured licence", f.File)
		}
	}
}

// Package opendata makes the agreed glossary's open data files: JSON, CSV
// and SKOS concepts in JSON-LD, each with the licence of the content and a
// stable URI per term. The site serves them (GET /glossary.json, ...) and
// `wordgarden export --format` writes them, from the same functions, so a
// file written by one equals the file served by the other.
package opendata

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"wordgarden/server/model"
)

// Licence is a licence the glossary's content may be published under.
type Licence struct {
	ID   string // as the --licence flag names it
	Name string
	URL  string
}

// The licences a site may choose. Public bodies in the UK publish under the
// Open Government Licence; community groups may prefer Creative Commons.
var (
	OGL  = Licence{ID: "ogl-3.0", Name: "Open Government Licence v3.0", URL: "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"}
	CCBY = Licence{ID: "cc-by-4.0", Name: "Creative Commons Attribution 4.0 International", URL: "https://creativecommons.org/licenses/by/4.0/"}

	Licences = []Licence{OGL, CCBY}
)

// LicenceByID finds a licence by its ID.
func LicenceByID(id string) (Licence, error) {
	var ids []string
	for _, l := range Licences {
		if l.ID == id {
			return l, nil
		}
		ids = append(ids, l.ID)
	}
	return Licence{}, fmt.Errorf("no licence %q: choose one of %s", id, strings.Join(ids, ", "))
}

// ParseSiteURL checks the address a site is served at, such as
// https://glossary.example.org, and returns it without a final slash.
func ParseSiteURL(s string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
		u.User != nil || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" {
		return "", fmt.Errorf("the site address %q is not an http:// or https:// address such as https://glossary.example.org", s)
	}
	return strings.TrimRight(u.String(), "/"), nil
}

// Site is what the files say about where they come from.
type Site struct {
	URL     string // the site address, as ParseSiteURL returns it
	Licence Licence
	// Location is the time zone of the days in provenance lines (UTC if nil).
	Location *time.Location
}

func (s Site) day(t time.Time) string {
	loc := s.Location
	if loc == nil {
		loc = time.UTC
	}
	return t.In(loc).Format("2 January 2006")
}

// TermURI is a term's stable URI: its page.
func (s Site) TermURI(slug string) string { return s.URL + "/terms/" + slug }

// ResultsURL is the page of a vote's results.
func (s Site) ResultsURL(roundID int64) string {
	return s.URL + "/rounds/" + strconv.FormatInt(roundID, 10) + "/results"
}

// Title is the name of the glossary the files give.
const Title = "wordgarden glossary"

// Format is one kind of open data file.
type Format struct {
	Name        string // as `wordgarden export --format` names it
	File        string // the file name, and the path the site serves it at
	ContentType string
	Build       func(Site, []model.GlossaryEntry) ([]byte, error)
}

// Formats are the open data files, in the order the README lists them.
var Formats = []Format{
	{Name: "json", File: "glossary.json", ContentType: "application/json; charset=utf-8", Build: JSON},
	{Name: "csv", File: "glossary.csv", ContentType: "text/csv; charset=utf-8; header=present", Build: CSV},
	{Name: "skos", File: "glossary.jsonld", ContentType: "application/ld+json; charset=utf-8", Build: JSONLD},
}

// FormatNamed finds a format by its name.
func FormatNamed(name string) (Format, bool) {
	for _, f := range Formats {
		if f.Name == name {
			return f, true
		}
	}
	return Format{}, false
}

// Provenance says in a sentence who wrote an agreed wording and how it was
// agreed, for the printed glossary and the SKOS history note.
func (s Site) Provenance(e model.GlossaryEntry) string {
	v := e.Version
	var b strings.Builder
	switch {
	case v.AuthorRole == "import":
		b.WriteString("Imported as an agreed wording.")
	case v.OrganisationName != "":
		fmt.Fprintf(&b, "Written by %s, %s", v.AuthorName, v.OrganisationName)
		if v.Sector.Valid() {
			fmt.Fprintf(&b, " (%s sector)", strings.ToLower(v.Sector.Label()))
		}
		b.WriteString(".")
	default:
		fmt.Fprintf(&b, "Written by %s, %s.", v.AuthorName, v.AuthorRole)
	}
	if e.RoundID != 0 {
		fmt.Fprintf(&b, " Chosen by residents in vote %d (%d %s), %s.", e.RoundID, e.Ballots,
			plural(e.Ballots, "ballot", "ballots"), s.day(e.AgreedAt))
	}
	return b.String()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// modified is when the glossary last changed: the latest agreement.
func modified(entries []model.GlossaryEntry) time.Time {
	var m time.Time
	for _, e := range entries {
		if e.AgreedAt.After(m) {
			m = e.AgreedAt
		}
	}
	return m.UTC()
}

// jsonDoc is glossary.json.
type jsonDoc struct {
	Title    string      `json:"title"`
	URL      string      `json:"url"`
	Licence  jsonLicence `json:"licence"`
	Modified *time.Time  `json:"modified"`
	Terms    []jsonTerm  `json:"terms"`
}

type jsonLicence struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	URL  string `json:"url"`
}

type jsonTerm struct {
	Slug         string     `json:"slug"`
	Title        string     `json:"title"`
	URI          string     `json:"uri"`
	Summary      string     `json:"summary"`
	Definition   string     `json:"definition"`      // markdown
	Text         string     `json:"definition_text"` // the same as plain text
	VersionID    int64      `json:"version_id"`
	Author       string     `json:"author"`
	Organisation string     `json:"organisation"`
	Sector       string     `json:"sector"`
	AgreedAt     time.Time  `json:"agreed_at"`
	AgreedBy     string     `json:"agreed_by"` // "vote" or "import"
	Round        *jsonRound `json:"round"`
	Related      []string   `json:"related"` // URIs of related terms
}

type jsonRound struct {
	ID      int64  `json:"id"`
	Results string `json:"results"`
	Ballots int    `json:"ballots"`
}

// JSON makes glossary.json.
func JSON(site Site, entries []model.GlossaryEntry) ([]byte, error) {
	doc := jsonDoc{
		Title:   Title,
		URL:     site.URL + "/",
		Licence: jsonLicence{site.Licence.ID, site.Licence.Name, site.Licence.URL},
		Terms:   make([]jsonTerm, 0, len(entries)),
	}
	if len(entries) > 0 {
		m := modified(entries)
		doc.Modified = &m
	}
	for _, e := range entries {
		v := e.Version
		t := jsonTerm{
			Slug:         e.Term.Slug,
			Title:        e.Term.Title,
			URI:          site.TermURI(e.Term.Slug),
			Summary:      v.Summary,
			Definition:   v.Markdown,
			Text:         v.Text,
			VersionID:    v.ID,
			Author:       v.AuthorName,
			Organisation: v.OrganisationName,
			Sector:       string(v.Sector),
			AgreedAt:     e.AgreedAt.UTC(),
			AgreedBy:     "import",
			Related:      make([]string, 0, len(e.Related)),
		}
		if e.RoundID != 0 {
			t.AgreedBy = "vote"
			t.Round = &jsonRound{ID: e.RoundID, Results: site.ResultsURL(e.RoundID), Ballots: e.Ballots}
		}
		for _, r := range e.Related {
			t.Related = append(t.Related, site.TermURI(r))
		}
		doc.Terms = append(doc.Terms, t)
	}
	return marshalJSON(doc)
}

func marshalJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("opendata: %w", err)
	}
	return buf.Bytes(), nil
}

// csvHeader names glossary.csv's columns. The licence is not a column: the
// site sends it in a Link header, and the README says it.
var csvHeader = []string{"slug", "title", "uri", "summary", "definition", "author", "organisation", "sector",
	"agreed_at", "agreed_by", "round_id", "round_results", "ballots", "related"}

// CSV makes glossary.csv: one row a term, values as written (the
// definition is markdown, and may run over several lines inside its
// quotes) but for safeCell's guard; related holds the related terms' URIs
// separated by spaces.
func CSV(site Site, entries []model.GlossaryEntry) ([]byte, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(csvHeader)
	for _, e := range entries {
		v := e.Version
		by, roundID, results, ballots := "import", "", "", ""
		if e.RoundID != 0 {
			by, roundID, results, ballots = "vote", strconv.FormatInt(e.RoundID, 10), site.ResultsURL(e.RoundID), strconv.Itoa(e.Ballots)
		}
		related := make([]string, len(e.Related))
		for i, r := range e.Related {
			related[i] = site.TermURI(r)
		}
		row := []string{e.Term.Slug, e.Term.Title, site.TermURI(e.Term.Slug), v.Summary, v.Markdown,
			v.AuthorName, v.OrganisationName, string(v.Sector), e.AgreedAt.UTC().Format(time.RFC3339Nano),
			by, roundID, results, ballots, strings.Join(related, " ")}
		for i := range row {
			row[i] = safeCell(row[i])
		}
		w.Write(row)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return nil, fmt.Errorf("opendata: %w", err)
	}
	return buf.Bytes(), nil
}

// JSON-LD: the glossary as a SKOS concept scheme. Struct fields keep the
// keys in one order, so the file is the same every time it is made.

type ldDoc struct {
	Context ldContext `json:"@context"`
	Graph   []any     `json:"@graph"`
}

type ldContext struct {
	SKOS string `json:"skos"`
	DCT  string `json:"dct"`
	PROV string `json:"prov"`
	XSD  string `json:"xsd"`
}

type ldRef struct {
	ID string `json:"@id"`
}

type ldText struct {
	Value string `json:"@value"`
	Lang  string `json:"@language"`
}

type ldTyped struct {
	Value string `json:"@value"`
	Type  string `json:"@type"`
}

type ldScheme struct {
	ID         string   `json:"@id"`
	Type       string   `json:"@type"`
	Title      ldText   `json:"dct:title"`
	License    ldRef    `json:"dct:license"`
	Rights     string   `json:"dct:rights"`
	Modified   *ldTyped `json:"dct:modified,omitempty"`
	TopConcept []ldRef  `json:"skos:hasTopConcept"`
}

type ldConcept struct {
	ID          string      `json:"@id"`
	Type        string      `json:"@type"`
	InScheme    ldRef       `json:"skos:inScheme"`
	TopOf       ldRef       `json:"skos:topConceptOf"`
	PrefLabel   ldText      `json:"skos:prefLabel"`
	Definition  ldText      `json:"skos:definition"`
	Related     []ldRef     `json:"skos:related,omitempty"`
	Modified    ldTyped     `json:"dct:modified"`
	Creator     string      `json:"dct:creator"`
	License     ldRef       `json:"dct:license"`
	HistoryNote ldText      `json:"skos:historyNote"`
	Source      *ldRef      `json:"dct:source,omitempty"`
	GeneratedBy *ldActivity `json:"prov:wasGeneratedBy,omitempty"`
}

// ldActivity is the vote that chose a wording.
type ldActivity struct {
	ID    string  `json:"@id"`
	Type  string  `json:"@type"`
	Ended ldTyped `json:"prov:endedAtTime"`
}

// lang is the language the glossary is written in.
const lang = "en-GB"

// JSONLD makes glossary.jsonld: a skos:ConceptScheme (the glossary, whose
// URI is the site's home page) and a skos:Concept per term, whose URI is the
// term's page.
func JSONLD(site Site, entries []model.GlossaryEntry) ([]byte, error) {
	scheme := ldScheme{
		ID:         site.URL + "/",
		Type:       "skos:ConceptScheme",
		Title:      ldText{Title, lang},
		License:    ldRef{site.Licence.URL},
		Rights:     site.Licence.Name,
		TopConcept: make([]ldRef, 0, len(entries)),
	}
	if len(entries) > 0 {
		scheme.Modified = &ldTyped{modified(entries).Format(time.RFC3339Nano), "xsd:dateTime"}
	}
	graph := []any{&scheme}
	for _, e := range entries {
		v := e.Version
		uri := site.TermURI(e.Term.Slug)
		scheme.TopConcept = append(scheme.TopConcept, ldRef{uri})
		creator := v.AuthorName
		if v.OrganisationName != "" {
			creator += ", " + v.OrganisationName
		}
		c := ldConcept{
			ID:          uri,
			Type:        "skos:Concept",
			InScheme:    ldRef{scheme.ID},
			TopOf:       ldRef{scheme.ID},
			PrefLabel:   ldText{e.Term.Title, lang},
			Definition:  ldText{v.Text, lang},
			Modified:    ldTyped{e.AgreedAt.UTC().Format(time.RFC3339Nano), "xsd:dateTime"},
			Creator:     creator,
			License:     ldRef{site.Licence.URL},
			HistoryNote: ldText{site.Provenance(e), lang},
		}
		for _, r := range e.Related {
			c.Related = append(c.Related, ldRef{site.TermURI(r)})
		}
		if e.RoundID != 0 {
			results := site.ResultsURL(e.RoundID)
			c.Source = &ldRef{results}
			c.GeneratedBy = &ldActivity{ID: results, Type: "prov:Activity",
				Ended: ldTyped{e.AgreedAt.UTC().Format(time.RFC3339Nano), "xsd:dateTime"}}
		}
		graph = append(graph, c)
	}
	return marshalJSON(ldDoc{
		Context: ldContext{
			SKOS: "http://www.w3.org/2004/02/skos/core#",
			DCT:  "http://purl.org/dc/terms/",
			PROV: "http://www.w3.org/ns/prov#",
			XSD:  "http://www.w3.org/2001/XMLSchema#",
		},
		Graph: graph,
	})
}

// safeCell guards a CSV cell against formula injection. A spreadsheet
// runs a cell that starts with = + - or @ as a formula (=HYPERLINK(...) can
// send the sheet's data away), and some act on a leading tab, carriage
// return or NUL too: OWASP's list, and the NUL from its ASVS (1.2.10). Such
// a cell gets a single quote in front, which makes spreadsheets take it as
// text. So does a cell that starts with a quote already, so that the rule
// for a program reading the file is simply: a cell that starts with a
// quote had one added; take it off. Markdown lists start with "- " or "+ ",
// so definitions are often guarded; glossary.json has every value as written.
func safeCell(s string) string {
	if s != "" && strings.IndexByte(formulaStarts, s[0]) >= 0 {
		return "'" + s
	}
	return s
}

// formulaStarts are the first characters safeCell guards.
const formulaStarts = "=+-@\t\r\x00'"

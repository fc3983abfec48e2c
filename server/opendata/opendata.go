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
	"slices"
	"strconv"
	"strings"
	"time"

	"wordgarden/server/i18n"
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
	// Build makes the file in lang (see Wordings): "" for every language
	// the glossary has agreed wordings in.
	Build func(site Site, entries []model.GlossaryEntry, lang string) ([]byte, error)
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

// Wording is one agreed wording of a term in one language, as the files
// publish it: the English one, or a current agreed translation.
type Wording struct {
	Entry        *model.GlossaryEntry
	Lang         string // its language's code: "en", "es", ...
	Title        string // the term's title in Lang
	Version      model.Version
	AgreedAt     time.Time
	RoundID      int64
	Ballots      int
	TranslatesID int64 // the English version a translation translates; 0 in English
	// Fallback is set on the English wording given in place of one in the
	// language asked for, which the term has no current agreed wording in.
	Fallback bool
}

// english is the entry's English wording.
func english(e *model.GlossaryEntry) Wording {
	return Wording{Entry: e, Lang: model.SourceLang, Title: e.Term.Title, Version: e.Version,
		AgreedAt: e.AgreedAt, RoundID: e.RoundID, Ballots: e.Ballots}
}

// translated is the entry's agreed wording tr.
func translated(e *model.GlossaryEntry, tr model.GlossaryTranslation) Wording {
	return Wording{Entry: e, Lang: tr.Version.Lang, Title: tr.Version.Title, Version: tr.Version,
		AgreedAt: tr.AgreedAt, RoundID: tr.RoundID, Ballots: tr.Ballots, TranslatesID: tr.Version.TranslatesID}
}

// Wordings are the wordings of e a file in lang gives. With lang "" that
// is every current agreed wording, English first; with a language, the one
// in that language, or, when the term has no current agreed wording in it,
// the English marked Fallback. An out-of-date translation (its English has
// changed since) is never published: it says what the glossary no longer
// says.
func Wordings(e *model.GlossaryEntry, lang string) []Wording {
	if lang == "" {
		out := []Wording{english(e)}
		for _, code := range e.Languages()[1:] {
			tr, _ := e.Current(code)
			out = append(out, translated(e, tr))
		}
		return out
	}
	if tr, ok := e.Current(lang); ok {
		return []Wording{translated(e, tr)}
	}
	w := english(e)
	w.Fallback = lang != model.SourceLang
	return []Wording{w}
}

// Langs are the codes of the languages a file may be asked for in:
// English and those wordings are translated into.
func Langs() []string {
	codes := []string{model.SourceLang}
	for _, l := range i18n.Languages {
		if model.TranslationLang(l.Code) {
			codes = append(codes, l.Code)
		}
	}
	return codes
}

// ValidLang reports whether a file may be asked for in lang: "" (every
// language) or one of Langs.
func ValidLang(lang string) bool {
	return lang == "" || slices.Contains(Langs(), lang)
}

// languages are the languages entries have current agreed wordings in,
// English first, in the order of i18n.Languages; with lang set, English
// and lang.
func languages(entries []model.GlossaryEntry, lang string) []string {
	has := map[string]bool{model.SourceLang: true}
	for i := range entries {
		for _, w := range Wordings(&entries[i], lang) {
			has[w.Lang] = true
		}
	}
	var out []string
	for _, l := range i18n.Languages {
		if has[l.Code] {
			out = append(out, l.Code)
		}
	}
	return out
}

// jsonDoc is glossary.json.
type jsonDoc struct {
	Title     string      `json:"title"`
	URL       string      `json:"url"`
	Licence   jsonLicence `json:"licence"`
	Modified  *time.Time  `json:"modified"`
	Languages []string    `json:"languages"` // the languages of the wordings in the file
	Terms     []jsonTerm  `json:"terms"`
}

type jsonLicence struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	URL  string `json:"url"`
}

// jsonTerm is a term in one language. Without ?lang= it is the English,
// and Translations hold the current agreed wordings in other languages;
// with ?lang= it is the wording in that language, or the English with
// Fallback set, and Translations is empty.
type jsonTerm struct {
	Slug         string        `json:"slug"`
	Title        string        `json:"title"`
	URI          string        `json:"uri"`
	Summary      string        `json:"summary"`
	Definition   string        `json:"definition"`      // markdown
	Text         string        `json:"definition_text"` // the same as plain text
	VersionID    int64         `json:"version_id"`
	Author       string        `json:"author"`
	Organisation string        `json:"organisation"`
	Sector       string        `json:"sector"`
	AgreedAt     time.Time     `json:"agreed_at"`
	AgreedBy     string        `json:"agreed_by"` // "vote" or "import"
	Round        *jsonRound    `json:"round"`
	Related      []string      `json:"related"` // URIs of related terms
	Lang         string        `json:"lang"`
	Translates   *int64        `json:"translates_version_id"` // the English version a translation translates
	Fallback     bool          `json:"fallback"`              // English, for want of a wording in the language asked for
	Translations []jsonWording `json:"translations"`
}

// jsonWording is a term's agreed wording in another language.
type jsonWording struct {
	Lang         string     `json:"lang"`
	Title        string     `json:"title"`
	Summary      string     `json:"summary"`
	Definition   string     `json:"definition"`
	Text         string     `json:"definition_text"`
	VersionID    int64      `json:"version_id"`
	Translates   int64      `json:"translates_version_id"`
	Author       string     `json:"author"`
	Organisation string     `json:"organisation"`
	Sector       string     `json:"sector"`
	AgreedAt     time.Time  `json:"agreed_at"`
	AgreedBy     string     `json:"agreed_by"`
	Round        *jsonRound `json:"round"`
}

type jsonRound struct {
	ID      int64  `json:"id"`
	Results string `json:"results"`
	Ballots int    `json:"ballots"`
}

// JSON makes glossary.json in lang: a term each, in English with its
// translations, or in the language asked for.
func JSON(site Site, entries []model.GlossaryEntry, lang string) ([]byte, error) {
	doc := jsonDoc{
		Title:     Title,
		URL:       site.URL + "/",
		Licence:   jsonLicence{site.Licence.ID, site.Licence.Name, site.Licence.URL},
		Languages: languages(entries, lang),
		Terms:     make([]jsonTerm, 0, len(entries)),
	}
	if len(entries) > 0 {
		m := modified(entries)
		doc.Modified = &m
	}
	for i := range entries {
		e := &entries[i]
		ws := Wordings(e, lang)
		w := ws[0]
		by, round := agreedBy(site, w)
		t := jsonTerm{
			Slug:         e.Term.Slug,
			Title:        w.Title,
			URI:          site.TermURI(e.Term.Slug),
			Summary:      w.Version.Summary,
			Definition:   w.Version.Markdown,
			Text:         w.Version.Text,
			VersionID:    w.Version.ID,
			Author:       w.Version.AuthorName,
			Organisation: w.Version.OrganisationName,
			Sector:       string(w.Version.Sector),
			AgreedAt:     w.AgreedAt.UTC(),
			AgreedBy:     by,
			Round:        round,
			Related:      make([]string, 0, len(e.Related)),
			Lang:         w.Lang,
			Fallback:     w.Fallback,
			Translations: []jsonWording{},
		}
		if w.TranslatesID != 0 {
			t.Translates = &w.TranslatesID
		}
		for _, r := range e.Related {
			t.Related = append(t.Related, site.TermURI(r))
		}
		for _, w := range ws[1:] {
			by, round := agreedBy(site, w)
			t.Translations = append(t.Translations, jsonWording{
				Lang: w.Lang, Title: w.Title, Summary: w.Version.Summary, Definition: w.Version.Markdown,
				Text: w.Version.Text, VersionID: w.Version.ID, Translates: w.TranslatesID,
				Author: w.Version.AuthorName, Organisation: w.Version.OrganisationName, Sector: string(w.Version.Sector),
				AgreedAt: w.AgreedAt.UTC(), AgreedBy: by, Round: round,
			})
		}
		doc.Terms = append(doc.Terms, t)
	}
	return marshalJSON(doc)
}

// agreedBy says how a wording was agreed: "vote", with the vote, or
// "import".
func agreedBy(site Site, w Wording) (string, *jsonRound) {
	if w.RoundID == 0 {
		return "import", nil
	}
	return "vote", &jsonRound{ID: w.RoundID, Results: site.ResultsURL(w.RoundID), Ballots: w.Ballots}
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
// site sends it in a Link header, and the README says it. The columns after
// related came with translations, at the end so that a program reading the
// columns by place reads the first ones as before.
var csvHeader = []string{"slug", "title", "uri", "summary", "definition", "author", "organisation", "sector",
	"agreed_at", "agreed_by", "round_id", "round_results", "ballots", "related",
	"lang", "version_id", "translates_version_id", "fallback"}

// CSV makes glossary.csv: a row a wording (see Wordings: without lang, a
// term's English row and then a row for each current agreed translation;
// with lang, a row a term), values as written (the definition is markdown,
// and may run over several lines inside its quotes) but for safeCell's
// guard; related holds the related terms' URIs separated by spaces.
func CSV(site Site, entries []model.GlossaryEntry, lang string) ([]byte, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(csvHeader)
	for i := range entries {
		e := &entries[i]
		related := make([]string, len(e.Related))
		for i, r := range e.Related {
			related[i] = site.TermURI(r)
		}
		for _, wd := range Wordings(e, lang) {
			v := wd.Version
			by, roundID, results, ballots := "import", "", "", ""
			if wd.RoundID != 0 {
				by, roundID, results, ballots = "vote", strconv.FormatInt(wd.RoundID, 10), site.ResultsURL(wd.RoundID), strconv.Itoa(wd.Ballots)
			}
			translates := ""
			if wd.TranslatesID != 0 {
				translates = strconv.FormatInt(wd.TranslatesID, 10)
			}
			row := []string{e.Term.Slug, wd.Title, site.TermURI(e.Term.Slug), v.Summary, v.Markdown,
				v.AuthorName, v.OrganisationName, string(v.Sector), wd.AgreedAt.UTC().Format(time.RFC3339Nano),
				by, roundID, results, ballots, strings.Join(related, " "),
				wd.Lang, strconv.FormatInt(v.ID, 10), translates, strconv.FormatBool(wd.Fallback)}
			for i := range row {
				row[i] = safeCell(row[i])
			}
			w.Write(row)
		}
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
	Language   []string `json:"dct:language"`
	License    ldRef    `json:"dct:license"`
	Rights     string   `json:"dct:rights"`
	Modified   *ldTyped `json:"dct:modified,omitempty"`
	TopConcept []ldRef  `json:"skos:hasTopConcept"`
}

type ldConcept struct {
	ID         string   `json:"@id"`
	Type       string   `json:"@type"`
	InScheme   ldRef    `json:"skos:inScheme"`
	TopOf      ldRef    `json:"skos:topConceptOf"`
	PrefLabel  []ldText `json:"skos:prefLabel"`  // one a language
	Definition []ldText `json:"skos:definition"` // the same languages

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

// sourceTag is the language tag of the glossary's own wordings and notes.
var sourceTag = i18n.English.HTML

// tagOf is the language tag a wording in the language with code is given.
func tagOf(code string) string {
	if l, ok := i18n.ByCode(code); ok {
		return l.HTML
	}
	return code
}

// JSONLD makes glossary.jsonld: a skos:ConceptScheme (the glossary, whose
// URI is the site's home page) and a skos:Concept per term, whose URI is the
// term's page. A concept's prefLabel and definition have a value in English
// and one in each language it has a current agreed wording in (only lang's,
// when lang is a language other than English), each tagged with its
// language: SKOS allows one prefLabel a language.
func JSONLD(site Site, entries []model.GlossaryEntry, lang string) ([]byte, error) {
	scheme := ldScheme{
		ID:         site.URL + "/",
		Type:       "skos:ConceptScheme",
		Title:      ldText{Title, sourceTag},
		License:    ldRef{site.Licence.URL},
		Rights:     site.Licence.Name,
		TopConcept: make([]ldRef, 0, len(entries)),
	}
	if len(entries) > 0 {
		scheme.Modified = &ldTyped{modified(entries).Format(time.RFC3339Nano), "xsd:dateTime"}
	}
	for _, code := range languages(entries, lang) {
		scheme.Language = append(scheme.Language, tagOf(code))
	}
	graph := []any{&scheme}
	for i := range entries {
		e := entries[i]
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
			PrefLabel:   []ldText{{e.Term.Title, sourceTag}},
			Definition:  []ldText{{v.Text, sourceTag}},
			Modified:    ldTyped{e.AgreedAt.UTC().Format(time.RFC3339Nano), "xsd:dateTime"},
			Creator:     creator,
			License:     ldRef{site.Licence.URL},
			HistoryNote: ldText{site.Provenance(e), sourceTag},
		}
		for _, w := range Wordings(&entries[i], lang) {
			if w.Lang != model.SourceLang {
				c.PrefLabel = append(c.PrefLabel, ldText{w.Title, tagOf(w.Lang)})
				c.Definition = append(c.Definition, ldText{w.Version.Text, tagOf(w.Lang)})
			}
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

package server

import (
	"context"
	"errors"
	"math"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"wordgarden/server/i18n"
	"wordgarden/server/model"
	"wordgarden/server/opendata"
	"wordgarden/server/plain"
)

// apiTermSummary is one row of GET /api/v1/terms. Its title and summary
// are in the language asked for (apiLang) where the term has a current
// agreed wording in it, else in English with Fallback set.
type apiTermSummary struct {
	Slug            string    `json:"slug"`
	Title           string    `json:"title"`
	Summary         string    `json:"summary"`
	AgreedVersionID *int64    `json:"agreed_version_id"`
	UpdatedAt       time.Time `json:"updated_at"`
	Lang            string    `json:"lang"`     // the language of title and summary
	Fallback        bool      `json:"fallback"` // English, for want of the language asked for
}

// apiVersion is a version as the API gives it.
type apiVersion struct {
	ID           int64     `json:"id"`
	Markdown     string    `json:"markdown"`
	HTML         string    `json:"html"`
	Author       string    `json:"author"`
	Organisation string    `json:"organisation"`
	Sector       string    `json:"sector"`
	CreatedAt    time.Time `json:"created_at"`
	// Readability is the plain-language check; the term API gives it.
	Readability *apiReadability `json:"readability,omitempty"`
}

// apiReadability is a version's plain-language check.
type apiReadability struct {
	ReadingEase    float64          `json:"reading_ease"` // Flesch reading ease
	ReadingAge     float64          `json:"reading_age"`  // Flesch-Kincaid grade + 5
	Target         int              `json:"target"`       // the highest reading age aimed for: 11, or 9 for Easy Read
	Band           string           `json:"band"`
	Rough          bool             `json:"rough"` // under 30 words: the scores are rough
	Words          int              `json:"words"`
	Sentences      int              `json:"sentences"`
	LongSentences  []plain.Sentence `json:"long_sentences"`
	Jargon         []plain.Hit      `json:"jargon"`
	Acronyms       []string         `json:"acronyms"`
	ContestedLinks []apiContest     `json:"contested_links"`
}

// apiContest is a linked term still being decided, and why, in English.
type apiContest struct {
	Slug   string `json:"slug"`
	Title  string `json:"title"`
	Reason string `json:"reason"`
}

func newAPIReadability(r *plain.Report) *apiReadability {
	round := func(f float64) float64 { return math.Round(f*10) / 10 }
	// The API speaks English, whatever language the caller's browser asks
	// for: programs read its words.
	en := i18n.For(i18n.English)
	contested := make([]apiContest, len(r.Contested))
	for i, ct := range r.Contested {
		contested[i] = apiContest{Slug: ct.Slug, Title: ct.Title, Reason: en.T("plain.why." + string(ct.Why))}
	}
	band := ""
	if r.Band != "" {
		band = en.T("plain.band." + string(r.Band))
	}
	return &apiReadability{
		ReadingEase:    round(r.ReadingEase),
		ReadingAge:     round(r.ReadingAge),
		Target:         r.Target(),
		Band:           band,
		Rough:          r.Rough,
		Words:          r.Words,
		Sentences:      r.Sentences,
		LongSentences:  orEmpty(r.LongSentences),
		Jargon:         orEmpty(r.Jargon),
		Acronyms:       orEmpty(r.Acronyms),
		ContestedLinks: contested,
	}
}

// orEmpty makes a nil list an empty one, so JSON shows [] rather than null.
func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// apiProposal is a version in a term's list of versions.
type apiProposal struct {
	apiVersion
	ParentID *int64              `json:"parent_id"`
	Comments model.CommentCounts `json:"comments"` // by kind, hidden ones not counted
}

// apiTermDetail is GET /api/v1/terms/{slug}.
type apiTermDetail struct {
	Slug      string        `json:"slug"`
	Title     string        `json:"title"`
	Summary   string        `json:"summary"`
	UpdatedAt time.Time     `json:"updated_at"`
	Agreed    *apiVersion   `json:"agreed"`
	Versions  []apiProposal `json:"versions"`
	// Translations are the wordings in other languages, oldest first, and
	// AgreedTranslations the agreed one in each language that has one.
	Translations       []apiTranslation       `json:"translations"`
	AgreedTranslations []apiAgreedTranslation `json:"agreed_translations"`
	// Lang is the language of Title, Summary and Definition: the one asked
	// for (apiLang) where the term has a current agreed wording in it,
	// else English with Fallback set. Definition is that wording (the
	// English one is Agreed as well); null while none is agreed.
	Lang       string      `json:"lang"`
	Fallback   bool        `json:"fallback"`
	Definition *apiVersion `json:"definition"`
	// EasyRead is the Easy Read version shown beside the agreed wording,
	// or nil.
	EasyRead *apiEasyRead `json:"easy_read"`
}

// apiEasyRead is a term's Easy Read version, with its check against the
// Easy Read target.
type apiEasyRead struct {
	ID           int64           `json:"id"`
	Lang         string          `json:"lang"`
	Markdown     string          `json:"markdown"` // one line an idea
	Lines        []string        `json:"lines"`
	HTML         string          `json:"html"`
	Image        *string         `json:"image"` // the picture's address, or null
	ImageAlt     string          `json:"image_alt"`
	Explains     int64           `json:"explains"` // the agreed version it explains
	OutOfDate    bool            `json:"out_of_date"`
	Author       string          `json:"author"`
	Organisation string          `json:"organisation"`
	Sector       string          `json:"sector"`
	CreatedAt    time.Time       `json:"created_at"`
	Readability  *apiReadability `json:"readability"`
}

// apiLanguage checks the language an API answer is asked for in: a ?lang=
// that names no language the glossary is published in is a 400, which
// says which are. The answer says the language it was asked for in
// Content-Language (the audience it is for; its lang fields say which
// wordings are in it); Vary: Accept-Language is set for every answer by
// chooseLang.
func apiLanguage(h echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if !opendata.ValidLang(dataLang(c)) {
			return badRequest(unknownLang(c))
		}
		c.Response().Header().Set("Content-Language", apiLang(c))
		return h(c)
	}
}

// apiLang is the language the API answers in: ?lang=, else the best match
// for Accept-Language (chooseLang ignores the cookie for programs), else
// English.
func apiLang(c echo.Context) string { return langOf(c).Code }

// apiTerms lists every term A–Z.
func (s *Server) apiTerms(c echo.Context) error {
	ctx := c.Request().Context()
	terms, err := s.store.Terms(ctx)
	if err != nil {
		return err
	}
	lang := apiLang(c)
	inLang := map[int64]model.GlossaryTranslation{}
	if lang != model.SourceLang {
		// Only terms with an agreed English wording have agreed
		// translations: the agreed glossary has them all.
		entries, err := s.store.AgreedGlossary(ctx)
		if err != nil {
			return err
		}
		for _, e := range entries {
			if tr, ok := e.Current(lang); ok {
				inLang[e.Term.ID] = tr
			}
		}
	}
	out := make([]apiTermSummary, 0, len(terms))
	for _, t := range terms {
		row := apiTermSummary{
			Slug:            t.Slug,
			Title:           t.Title,
			Summary:         t.Summary,
			AgreedVersionID: optionalID(t.AgreedVersionID),
			UpdatedAt:       t.UpdatedAt,
			Lang:            model.SourceLang,
			Fallback:        lang != model.SourceLang,
		}
		if tr, ok := inLang[t.ID]; ok {
			row.Title, row.Summary, row.Lang, row.Fallback = tr.Version.Title, tr.Version.Summary, lang, false
		}
		out = append(out, row)
	}
	return c.JSON(http.StatusOK, out)
}

// apiTerm gives one term with its agreed version and every version.
func (s *Server) apiTerm(c echo.Context) error {
	t, versions, err := s.termAndVersions(c)
	if err != nil {
		return err
	}
	checks, err := s.checkVersions(c.Request().Context(), versions)
	if err != nil {
		return err
	}
	comments, err := s.store.CommentCountsOf(c.Request().Context(), t.ID)
	if err != nil {
		return err
	}
	out := apiTermDetail{
		Slug:      t.Slug,
		Title:     t.Title,
		Summary:   t.Summary,
		UpdatedAt: t.UpdatedAt,
		Versions:  make([]apiProposal, 0, len(versions)),
	}
	for _, v := range versions {
		av := newAPIVersion(v)
		av.Readability = newAPIReadability(checks[v.ID])
		out.Versions = append(out.Versions, apiProposal{av, optionalID(v.ParentID), comments[v.ID]})
		if v.ID == t.AgreedVersionID {
			out.Agreed = &av
		}
	}
	if out.Translations, out.AgreedTranslations, err = s.apiTranslations(c.Request().Context(), t, comments); err != nil {
		return err
	}
	if out.EasyRead, err = s.apiEasyRead(c.Request().Context(), t); err != nil {
		return err
	}
	lang := apiLang(c)
	out.Lang, out.Fallback, out.Definition = model.SourceLang, lang != model.SourceLang, out.Agreed
	for _, tr := range out.Translations {
		if tr.Lang == lang && !tr.OutOfDate && agreedIn(out.AgreedTranslations, lang) == tr.ID {
			av := tr.apiVersion
			out.Title, out.Summary, out.Lang, out.Fallback, out.Definition = tr.Title, tr.summary, lang, false, &av
		}
	}
	return c.JSON(http.StatusOK, out)
}

// agreedIn is the id of the agreed wording in lang, or 0.
func agreedIn(agreed []apiAgreedTranslation, lang string) int64 {
	for _, a := range agreed {
		if a.Lang == lang {
			return a.VersionID
		}
	}
	return 0
}

func newAPIVersion(v model.Version) apiVersion {
	return apiVersion{
		ID:           v.ID,
		Markdown:     v.Markdown,
		HTML:         v.HTML,
		Author:       v.AuthorName,
		Organisation: v.OrganisationName,
		Sector:       string(v.Sector),
		CreatedAt:    v.CreatedAt,
	}
}

func optionalID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

// apiTranslation is a translation in a term's list of them.
type apiTranslation struct {
	apiVersion
	Lang       string              `json:"lang"`
	Title      string              `json:"title"`      // the term's title in Lang
	Translates int64               `json:"translates"` // the id of the English version it translates
	OutOfDate  bool                `json:"out_of_date"`
	ParentID   *int64              `json:"parent_id"`
	Comments   model.CommentCounts `json:"comments"`
	summary    string              // the term's summary in Lang, for apiTermDetail
}

// apiAgreedTranslation is a term's agreed wording in a language other than
// English.
type apiAgreedTranslation struct {
	Lang       string    `json:"lang"`
	VersionID  int64     `json:"version_id"`
	Title      string    `json:"title"`
	Translates int64     `json:"translates"`
	OutOfDate  bool      `json:"out_of_date"`
	RoundID    *int64    `json:"round_id"` // null when imported as agreed
	AgreedAt   time.Time `json:"agreed_at"`
}

// apiTranslations are a term's translations and agreed wordings in other
// languages, as the term API gives them.
func (s *Server) apiTranslations(ctx context.Context, t model.Term, comments map[int64]model.CommentCounts) ([]apiTranslation, []apiAgreedTranslation, error) {
	trs, err := s.store.Translations(ctx, t.ID)
	if err != nil {
		return nil, nil, err
	}
	agreed, err := s.store.AgreedTranslations(ctx, t.ID)
	if err != nil {
		return nil, nil, err
	}
	outT := make([]apiTranslation, 0, len(trs))
	for _, v := range trs {
		outT = append(outT, apiTranslation{apiVersion: newAPIVersion(v), Lang: v.Lang, Title: v.Title,
			Translates: v.TranslatesID, OutOfDate: v.OutOfDate(t), ParentID: optionalID(v.ParentID), Comments: comments[v.ID],
			summary: v.Summary})
	}
	outA := make([]apiAgreedTranslation, 0, len(agreed))
	for _, a := range agreed {
		outA = append(outA, apiAgreedTranslation{Lang: a.Version.Lang, VersionID: a.Version.ID, Title: a.Version.Title,
			Translates: a.Version.TranslatesID, OutOfDate: a.Version.OutOfDate(t), RoundID: optionalID(a.RoundID), AgreedAt: a.AgreedAt})
	}
	return outT, outA, nil
}

// apiEasyRead is the term's Easy Read version as the API gives it, or nil.
func (s *Server) apiEasyRead(ctx context.Context, t model.Term) (*apiEasyRead, error) {
	e, err := s.store.EasyRead(ctx, t.ID, model.SourceLang)
	if errors.Is(err, model.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	r, err := s.checkEasyRead(ctx, e.Markdown)
	if err != nil {
		return nil, err
	}
	out := &apiEasyRead{ID: e.ID, Lang: e.Lang, Markdown: e.Markdown, Lines: orEmpty(model.EasyReadLines(e.Markdown)),
		HTML: e.HTML, ImageAlt: e.ImageAlt, Explains: e.ExplainsID, OutOfDate: e.OutOfDate(t),
		Author: e.AuthorName, Organisation: e.OrganisationName, Sector: string(e.Sector), CreatedAt: e.CreatedAt,
		Readability: newAPIReadability(r)}
	if e.Image != "" {
		img := "/static/easyread/" + e.Image
		out.Image = &img
	}
	return out, nil
}

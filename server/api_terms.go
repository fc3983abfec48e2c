package server

import (
	"math"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"wordgarden/server/i18n"
	"wordgarden/server/model"
	"wordgarden/server/plain"
)

// apiTermSummary is one row of GET /api/v1/terms.
type apiTermSummary struct {
	Slug            string    `json:"slug"`
	Title           string    `json:"title"`
	Summary         string    `json:"summary"`
	AgreedVersionID *int64    `json:"agreed_version_id"`
	UpdatedAt       time.Time `json:"updated_at"`
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
}

// apiTerms lists every term A–Z.
func (s *Server) apiTerms(c echo.Context) error {
	terms, err := s.store.Terms(c.Request().Context())
	if err != nil {
		return err
	}
	out := make([]apiTermSummary, 0, len(terms))
	for _, t := range terms {
		out = append(out, apiTermSummary{
			Slug:            t.Slug,
			Title:           t.Title,
			Summary:         t.Summary,
			AgreedVersionID: optionalID(t.AgreedVersionID),
			UpdatedAt:       t.UpdatedAt,
		})
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
	return c.JSON(http.StatusOK, out)
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

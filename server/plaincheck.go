package server

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"wordgarden/server/i18n"
	"wordgarden/server/markdown"
	"wordgarden/server/model"
	"wordgarden/server/plain"
)

// plainState is what the plain-language check needs from the store: the
// local words to avoid and how settled each term is. It is loaded once per
// store generation; a check itself takes under a millisecond.
type plainState struct {
	checker  *plain.Checker
	glossary *plain.Terms
}

// plainState returns the checker and glossary for the current generation.
func (s *Server) plainState(ctx context.Context) (plainState, error) {
	gen := s.store.Generation()
	if st, ok := s.plainStates.get(gen, ""); ok {
		return st, nil
	}
	words, err := s.store.LocalWords(ctx)
	if err != nil {
		return plainState{}, err
	}
	states, err := s.store.TermStates(ctx)
	if err != nil {
		return plainState{}, err
	}
	local := make([]plain.Entry, len(words))
	for i, w := range words {
		local[i] = plain.Entry{Phrase: w.Phrase, Suggestion: w.Suggestion, Source: plain.SourceLocal}
	}
	terms := make([]plain.Term, len(states))
	for i, t := range states {
		terms[i] = plain.Term{Slug: t.Slug, Title: t.Title, Agreed: t.Agreed, OpenRound: t.OpenRound}
	}
	st := plainState{checker: plain.NewChecker(local), glossary: plain.NewTerms(terms)}
	s.plainStates.put(gen, "", st)
	return st, nil
}

// checkWording runs the plain-language check on a wording's markdown.
func (s *Server) checkWording(ctx context.Context, md string) (*plain.Report, error) {
	st, err := s.plainState(ctx)
	if err != nil {
		return nil, err
	}
	text, links := markdown.Plain(md)
	r := st.checker.Check(plain.Doc{Text: text, Links: links}, st.glossary)
	return &r, nil
}

// checkVersion checks a stored version. Versions never change, so the
// report is kept until the store changes (local words, or which terms are
// settled): round pages, which are not cached, show it on every visit.
func (s *Server) checkVersion(ctx context.Context, v model.Version) (*plain.Report, error) {
	gen, key := s.store.Generation(), strconv.FormatInt(v.ID, 10)
	if r, ok := s.plainReports.get(gen, key); ok {
		return r, nil
	}
	r, err := s.checkWording(ctx, v.Markdown)
	if err != nil {
		return nil, err
	}
	s.plainReports.put(gen, key, r)
	return r, nil
}

// checkVersions checks each version, by id.
func (s *Server) checkVersions(ctx context.Context, vs []model.Version) (map[int64]*plain.Report, error) {
	out := make(map[int64]*plain.Report, len(vs))
	for _, v := range vs {
		if v.Translation() {
			continue // the check reads English only
		}
		r, err := s.checkVersion(ctx, v)
		if err != nil {
			return nil, err
		}
		out[v.ID] = r
	}
	return out, nil
}

// renderCheck answers a form's "Check wording" button: the form again, with
// what was typed and the check of it, and nothing saved. A wording that
// could never be saved gets the form's error instead of a check.
func (s *Server) renderCheck(c echo.Context, page string, formErr **formError, check **plain.Report, md string, view any) error {
	var ve *model.ValidationError
	if err := model.CheckWording(md); errors.As(err, &ve) {
		*formErr = &formError{Field: ve.Field, Message: problem(c, ve)}
		return s.render(c, http.StatusUnprocessableEntity, page, view)
	}
	r, err := s.checkWording(c.Request().Context(), md)
	if err != nil {
		return err
	}
	*check = r
	return s.render(c, http.StatusOK, page, view)
}

// flagList says what a check flagged, for a candidate on the round page:
// "1 long sentence, 2 words to avoid", or "" for nothing.
func flagList(lz *i18n.Localizer, r *plain.Report) string {
	var parts []string
	for _, f := range []struct {
		n  int
		id string
	}{
		{len(r.LongSentences), "plain.flags.long"},
		{len(r.Jargon), "plain.flags.jargon"},
		{len(r.Acronyms), "plain.flags.acronyms"},
		{len(r.Contested), "plain.flags.contested"},
	} {
		if f.n > 0 {
			parts = append(parts, lz.T(f.id, "Count", f.n))
		}
	}
	return strings.Join(parts, ", ")
}

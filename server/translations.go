package server

import (
	"context"
	"strconv"

	"github.com/labstack/echo/v4"

	"wordgarden/server/i18n"
	"wordgarden/server/model"
)

// languageWordings are a term's wordings in one language other than
// English, as the term page lists them.
type languageWordings struct {
	Lang      i18n.Lang
	Agreed    *model.AgreedTranslation // the agreed wording in the language, if any
	Versions  []model.Version          // every translation into it, oldest first, the agreed one too
	OpenRound *model.Round             // a vote on them taking ballots now
}

// IsAgreed reports whether v is the agreed wording in the language.
func (l languageWordings) IsAgreed(v model.Version) bool {
	return l.Agreed != nil && l.Agreed.Version.ID == v.ID
}

// translationLangs are the languages wordings are translated into, in the
// order of i18n.Languages.
func translationLangs() []i18n.Lang {
	var out []i18n.Lang
	for _, l := range i18n.Languages {
		if model.TranslationLang(l.Code) {
			out = append(out, l)
		}
	}
	return out
}

// loadTranslations reads a term's translations, by language, leaving out
// languages it has none in. Like the rest of the term page's data, the
// versions keep their rendered wording only.
func (s *Server) loadTranslations(ctx context.Context, t model.Term) ([]languageWordings, error) {
	trs, err := s.store.Translations(ctx, t.ID)
	if err != nil || len(trs) == 0 {
		return nil, err
	}
	agreed, err := s.store.AgreedTranslations(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	var out []languageWordings
	for _, l := range translationLangs() {
		lw := languageWordings{Lang: l}
		for _, v := range trs {
			if v.Lang == l.Code {
				v.Markdown, v.Text = "", ""
				lw.Versions = append(lw.Versions, v)
			}
		}
		if len(lw.Versions) == 0 {
			continue
		}
		for i := range agreed {
			if agreed[i].Version.Lang == l.Code {
				a := agreed[i]
				a.Version.Markdown, a.Version.Text = "", ""
				lw.Agreed = &a
			}
		}
		if lw.OpenRound, err = s.store.OpenRoundIn(ctx, t.ID, l.Code); err != nil {
			return nil, err
		}
		out = append(out, lw)
	}
	return out, nil
}

// readersWordings are the term's wordings in the reader's language, for
// the term page to show the agreed one first; nil for a reader of English.
// A reader whose language has no translations gets an empty one, so that
// the page says the wording is shown in English.
func readersWordings(c echo.Context, d termData) *languageWordings {
	l := langOf(c)
	if !model.TranslationLang(l.Code) {
		return nil
	}
	for i := range d.Translations {
		if d.Translations[i].Lang.Code == l.Code {
			return &d.Translations[i]
		}
	}
	return &languageWordings{Lang: l}
}

// translationInfo is what a translation's own page says of it.
type translationInfo struct {
	Lang      i18n.Lang
	Agreed    bool  // it is the agreed wording in its language
	AgreedID  int64 // the agreed wording in its language; 0 if none
	OutOfDate bool  // it translates a version that is no longer the agreed English one
}

// translationOf says what the version page shows of a translation; nil for
// an English version.
func (s *Server) translationOf(ctx context.Context, v model.Version, t model.Term) (*translationInfo, error) {
	if !v.Translation() {
		return nil, nil
	}
	l, _ := i18n.ByCode(v.Lang)
	info := &translationInfo{Lang: l, OutOfDate: v.OutOfDate(t)}
	agreed, err := s.store.AgreedTranslations(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	for _, a := range agreed {
		if a.Version.Lang == v.Lang {
			info.AgreedID = a.Version.ID
			info.Agreed = a.Version.ID == v.ID
		}
	}
	return info, nil
}

// translationToAmend is where "Amend this version" of a translation, which
// leads to the form for English wordings, goes instead: the form for
// translations, as an amendment of a translation is a translation of the
// agreed wording. It is "" for anything else, which the English form
// answers as before.
func (s *Server) translationToAmend(c echo.Context, rawID string) string {
	id, err := strconv.ParseInt(rawID, 10, 64)
	if err != nil || id <= 0 {
		return ""
	}
	ctx := c.Request().Context()
	v, err := s.store.Version(ctx, id)
	if err != nil || !v.Translation() || v.TermSlug != c.Param("slug") {
		return ""
	}
	t, err := s.store.Term(ctx, v.TermSlug)
	if err != nil {
		return ""
	}
	return "/versions/" + strconv.FormatInt(t.AgreedVersionID, 10) + "/translate?amend=" + rawID
}

// roundWordings are the wordings a round may be opened on in the language
// *code names: the English ones given, or the term's translations into it.
// An empty code is English, and is set so. A language wordgarden does not
// speak is a 400: the form offers only those it does.
func (s *Server) roundWordings(c echo.Context, t model.Term, english []model.Version, code *string) ([]model.Version, error) {
	if *code == "" {
		*code = model.SourceLang
	}
	if *code == model.SourceLang {
		return english, nil
	}
	if !model.TranslationLang(*code) {
		return nil, badRequest(tr(c, "translations.error.language"))
	}
	trs, err := s.store.Translations(c.Request().Context(), t.ID)
	if err != nil {
		return nil, err
	}
	var out []model.Version
	for _, v := range trs {
		if v.Lang == *code {
			out = append(out, v)
		}
	}
	return out, nil
}

// roundLanguages are the languages a round on the term can be held in:
// English, and those it has translations into.
func (s *Server) roundLanguages(ctx context.Context, t model.Term) ([]i18n.Lang, error) {
	trs, err := s.store.Translations(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	out := []i18n.Lang{i18n.English}
	for _, l := range translationLangs() {
		for _, v := range trs {
			if v.Lang == l.Code {
				out = append(out, l)
				break
			}
		}
	}
	return out, nil
}

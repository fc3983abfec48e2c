package server

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"wordgarden/server/i18n"
	"wordgarden/server/model"
)

// translationForm keeps what was typed into the translation form.
type translationForm struct {
	Language string
	Title    string
	Markdown string
}

type translationView struct {
	page
	Term      model.Term
	Source    model.Version  // the English wording translated: the agreed one
	Parent    *model.Version // the translation being amended, if any
	Languages []i18n.Lang    // the languages to translate into
	Form      translationForm
	Error     *formError
}

// FormLang is the language chosen in the form, if any, to mark the fields
// with, so that browsers check spelling in it and read it aloud in it.
func (v translationView) FormLang() *i18n.Lang {
	if !model.TranslationLang(v.Form.Language) {
		return nil
	}
	l, _ := i18n.ByCode(v.Form.Language)
	return &l
}

// translationNew is the form to translate a term's agreed English wording,
// the version in the path, into another language; with ?amend=ID, to amend
// a translation, starting from its title and text.
func (s *Server) translationNew(c echo.Context) error {
	v, err := s.translationTarget(c, c.QueryParam("amend"))
	if err != nil {
		return err
	}
	if v.Source.ID != v.Term.AgreedVersionID {
		return badRequest(tr(c, "translations.error.not_agreed"))
	}
	if p := v.Parent; p != nil {
		v.Form = translationForm{Language: p.Lang, Title: p.Title, Markdown: p.Markdown}
	} else if l := langOf(c); model.TranslationLang(l.Code) {
		v.Form.Language = l.Code // most people translate into the language they read
	}
	return s.render(c, http.StatusOK, "translation_new", v)
}

// translationTarget reads the version to translate, which must be English,
// its term and, if rawParent is set, the translation of that term being
// amended. Anything else is a 400.
func (s *Server) translationTarget(c echo.Context, rawParent string) (translationView, error) {
	ctx := c.Request().Context()
	id, err := paramID(c, model.ThingVersion)
	if err != nil {
		return translationView{}, err
	}
	src, err := s.store.Version(ctx, id)
	if err != nil {
		return translationView{}, err
	}
	if src.Translation() {
		return translationView{}, badRequest(tr(c, "translations.error.translate_translation", "ID", id))
	}
	t, err := s.store.Term(ctx, src.TermSlug)
	if err != nil {
		return translationView{}, err
	}
	v := translationView{
		page:      s.newPage(c, tr(c, "translations.form.heading", "Title", t.Title)),
		Term:      t,
		Source:    src,
		Languages: translationLangs(),
	}
	if rawParent == "" {
		return v, nil
	}
	pid, err := strconv.ParseInt(rawParent, 10, 64)
	if err != nil || pid <= 0 {
		return translationView{}, badRequest(tr(c, "translations.error.parent_number"))
	}
	p, err := s.store.Version(ctx, pid)
	if errors.Is(err, model.ErrNotFound) || (err == nil && (p.TermID != t.ID || !p.Translation())) {
		return translationView{}, badRequest(tr(c, "translations.error.parent_not_translation", "ID", pid))
	}
	if err != nil {
		return translationView{}, err
	}
	v.Parent = &p
	v.Title = tr(c, "translations.form.amend_heading", "ID", p.ID, "Title", t.Title)
	return v, nil
}

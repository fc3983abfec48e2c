package server

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"wordgarden/server/markdown"
	"wordgarden/server/model"
	"wordgarden/server/plain"
)

// easyReadForm keeps what was typed into the Easy Read form.
type easyReadForm struct {
	Markdown string
	Image    string
	ImageAlt string
}

type easyReadView struct {
	page
	Term    model.Term
	Agreed  model.Version   // the agreed wording it explains
	Current *model.EasyRead // the Easy Read version shown now, if any
	Images  []easyReadImage // the pictures to choose from
	Form    easyReadForm
	Error   *formError
	Check   *plain.Report // after "Check wording", held to the Easy Read target
}

// MaxWords is the most words a line may have.
func (easyReadView) MaxWords() int { return model.MaxEasyReadLineWords }

// Target is the reading age Easy Read aims for.
func (easyReadView) Target() int { return plain.EasyReadTargetAge }

// easyReadImage is a picture an Easy Read version may show: its file in
// static/easyread/ and its name, which names its catalogue message
// (easyread.image.NAME) and its radio button.
type easyReadImage struct {
	File string
	Name string
}

func easyReadImages() []easyReadImage {
	out := make([]easyReadImage, len(model.EasyReadImages))
	for i, f := range model.EasyReadImages {
		out[i] = easyReadImage{File: f, Name: strings.TrimSuffix(f, ".svg")}
	}
	return out
}

// easyReadNew is the form to write an Easy Read version of a term's agreed
// wording. A term with one already starts the form from it: a new version
// takes its place, and the old one stays in the history.
func (s *Server) easyReadNew(c echo.Context) error {
	v, err := s.easyReadTarget(c)
	if err != nil {
		return err
	}
	if e := v.Current; e != nil {
		v.Form = easyReadForm{Markdown: e.Markdown, Image: e.Image, ImageAlt: e.ImageAlt}
	}
	return s.render(c, http.StatusOK, "easyread_new", v)
}

// easyReadTarget reads the term in the path, its agreed wording and its
// Easy Read version, if any. A term with no agreed wording is a 400: Easy
// Read explains what residents agreed.
func (s *Server) easyReadTarget(c echo.Context) (easyReadView, error) {
	ctx := c.Request().Context()
	t, err := s.store.Term(ctx, c.Param("slug"))
	if err != nil {
		return easyReadView{}, err
	}
	if !t.Agreed() {
		return easyReadView{}, badRequest(tr(c, "easyread.error.no_agreed", "Title", t.Title))
	}
	agreed, err := s.store.Version(ctx, t.AgreedVersionID)
	if err != nil {
		return easyReadView{}, err
	}
	v := easyReadView{
		page:   s.newPage(c, tr(c, "easyread.form.title", "Title", t.Title)),
		Term:   t,
		Agreed: agreed,
		Images: easyReadImages(),
	}
	e, err := s.store.EasyRead(ctx, t.ID, model.SourceLang)
	switch {
	case err == nil:
		v.Current = &e
	case !errors.Is(err, model.ErrNotFound):
		return easyReadView{}, err
	}
	return v, nil
}

// checkEasyRead runs the plain-language check on an Easy Read text, held to
// the Easy Read target. Each line is checked as a block of its own, as it
// is shown.
func (s *Server) checkEasyRead(ctx context.Context, md string) (*plain.Report, error) {
	st, err := s.plainState(ctx)
	if err != nil {
		return nil, err
	}
	var doc plain.Doc
	for _, l := range model.EasyReadLines(md) {
		text, links := markdown.Plain(l)
		doc.Text += text + "\n\n"
		doc.Links = append(doc.Links, links...)
	}
	r := st.checker.CheckEasyRead(doc, st.glossary)
	return &r, nil
}

package server

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"wordgarden/server/i18n"
	"wordgarden/server/model"
	"wordgarden/server/tally"
)

// roundForm keeps what was typed into the open-round form.
type roundForm struct {
	Candidates     map[int64]bool
	Method         string
	ClosesAt       string
	Quorum         string
	Threshold      string
	Neighbourhoods map[string]bool
	Language       string // the wordings' language: English, or a translation's
}

type roundNewView struct {
	page
	Term           model.Term
	Versions       []model.Version
	Neighbourhoods []model.Neighbourhood
	Form           roundForm
	Error          *formError
	Language       i18n.Lang   // the language of Versions
	Languages      []i18n.Lang // the languages the term has wordings in
}

// roundNew is the form to open a round on a term.
func (s *Server) roundNew(c echo.Context) error {
	t, versions, err := s.termAndVersions(c)
	if err != nil {
		return err
	}
	f := roundForm{
		Candidates:     map[int64]bool{},
		Method:         string(tally.Approval),
		ClosesAt:       time.Now().In(s.loc).AddDate(0, 0, 14).Format("2006-01-02T15:04"),
		Quorum:         "10",
		Threshold:      "50",
		Neighbourhoods: map[string]bool{},
		Language:       c.QueryParam("language"),
	}
	if versions, err = s.roundWordings(c, t, versions, &f.Language); err != nil {
		return err
	}
	for _, v := range versions {
		f.Candidates[v.ID] = len(versions) <= 4 && !v.OutOfDate(t)
	}
	return s.renderRoundNew(c, http.StatusOK, t, versions, f, nil)
}

func (s *Server) renderRoundNew(c echo.Context, status int, t model.Term, versions []model.Version, f roundForm, fe *formError) error {
	ns, err := s.store.Neighbourhoods(c.Request().Context())
	if err != nil {
		return err
	}
	langs, err := s.roundLanguages(c.Request().Context(), t)
	if err != nil {
		return err
	}
	lang, _ := i18n.ByCode(f.Language)
	return s.render(c, status, "round_new", roundNewView{
		page:           s.newPage(c, tr(c, "voting.new.title", "Term", t.Title)),
		Term:           t,
		Versions:       versions,
		Neighbourhoods: ns,
		Form:           f,
		Error:          fe,
		Language:       lang,
		Languages:      langs,
	})
}

// roundOpen opens a round with the rules chosen.
func (s *Server) roundOpen(c echo.Context) error {
	t, versions, err := s.termAndVersions(c)
	if err != nil {
		return err
	}
	form, err := c.FormParams()
	if err != nil {
		return badRequest(tr(c, "voting.new.unreadable"))
	}
	f := roundForm{
		Candidates:     map[int64]bool{},
		Method:         form.Get("method"),
		ClosesAt:       strings.TrimSpace(form.Get("closes_at")),
		Quorum:         strings.TrimSpace(form.Get("quorum")),
		Threshold:      strings.TrimSpace(strings.TrimSuffix(form.Get("threshold"), "%")),
		Neighbourhoods: map[string]bool{},
		Language:       form.Get("language"),
	}
	if versions, err = s.roundWordings(c, t, versions, &f.Language); err != nil {
		return err
	}
	// invalid shows the form again with what is wrong with one field,
	// said in the reader's language.
	invalid := func(field, msg string) error {
		return s.renderRoundNew(c, http.StatusUnprocessableEntity, t, versions, f, &formError{Field: field, Message: msg})
	}
	nr := model.NewRound{TermID: t.ID, Method: tally.Method(f.Method), OpenedBy: *currentUser(c), Lang: f.Language}
	for _, raw := range form["candidate"] {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			return invalid("candidate", tr(c, "voting.new.choose_candidates"))
		}
		f.Candidates[id] = true
		nr.Candidates = append(nr.Candidates, id)
	}
	for _, sl := range form["neighbourhood"] {
		f.Neighbourhoods[sl] = true
		n, err := s.store.NeighbourhoodBySlug(c.Request().Context(), sl)
		if errors.Is(err, model.ErrNotFound) {
			return invalid("neighbourhood", tr(c, "voting.new.choose_neighbourhoods"))
		}
		if err != nil {
			return err
		}
		nr.Neighbourhoods = append(nr.Neighbourhoods, n.ID)
	}
	if nr.ClosesAt, err = s.parseTime(f.ClosesAt); err != nil {
		return invalid("closes_at", tr(c, "voting.new.bad_closes_at"))
	}
	if nr.Quorum, err = strconv.Atoi(f.Quorum); err != nil {
		return invalid("quorum", tr(c, "voting.new.bad_quorum"))
	}
	if nr.ThresholdPct, err = strconv.Atoi(f.Threshold); err != nil {
		return invalid("threshold", tr(c, "voting.new.bad_threshold"))
	}
	r, err := s.store.OpenRound(c.Request().Context(), nr)
	var ve *model.ValidationError
	if errors.As(err, &ve) {
		return invalid(ve.Field, problem(c, ve))
	}
	if err != nil {
		return err
	}
	s.flash(c, tr(c, "voting.new.opened", "When", s.moment(c, r.ClosesAt)))
	return redirect(c, "/rounds/"+strconv.FormatInt(r.ID, 10))
}

// parseTime reads a time as RFC 3339, or as a browser's datetime-local
// field, which has no zone and is taken to be local time.
func (s *Server) parseTime(v string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02T15:04:05"} {
		if t, err := time.ParseInLocation(layout, v, s.loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, errors.New("not a time")
}

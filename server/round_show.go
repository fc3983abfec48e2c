package server

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"wordgarden/server/i18n"
	"wordgarden/server/model"
	"wordgarden/server/plain"
	"wordgarden/server/tally"
)

// loadRound reads the round in the path. One whose time is up reads as
// closed, though it may not be counted yet (model.Round's Counting).
func (s *Server) loadRound(c echo.Context) (model.Round, error) {
	id, err := paramID(c, model.ThingRound)
	if err != nil {
		return model.Round{}, err
	}
	ctx := c.Request().Context()
	return s.store.Round(ctx, id)
}

type roundView struct {
	page
	Round    model.Round
	CanVote  bool
	Why      string // why the viewer cannot vote, in plain words and their language
	Voted    bool   // the viewer has a ballot in this round
	Approved map[int64]bool
	Ranks    map[int64]int
	None     bool  // the ballot says none of the wordings make sense
	Places   []int // 1..number of candidates, for the ranking menus
	Error    *formError
	Receipt  string // after a ballot is cast
	// Checks is the plain-language check of each candidate, by version id,
	// so residents can compare how plain the wordings are.
	Checks map[int64]*plain.Report
	// Comments holds each candidate's comment threads, by version id, so
	// that residents read the discussion before they vote.
	Comments map[int64][]model.Comment
	// Extensions are the times the closing time moved, oldest first.
	Extensions []model.RoundChange
	// The facilitator's forms to move the closing time later and to
	// cancel the round, with what was typed and what was wrong.
	Extend      changeForm
	ExtendError *formError // Prefix "extend-"
	Cancel      changeForm
	CancelError *formError // Prefix "cancel-"
}

// changeForm is what a facilitator typed to change an open round.
type changeForm struct {
	ClosesAt string // as a datetime-local field has it
	Reason   string
}

// CommentCounts says how many comments of each kind a candidate has.
func (v roundView) CommentCounts(id int64) string {
	return commentCounts(i18n.For(v.Lang), countComments(v.Comments[id]))
}

// roundShow shows a round's candidates side by side, its rules, its turnout
// and, for a resident who may vote, the ballot.
func (s *Server) roundShow(c echo.Context) error {
	r, err := s.loadRound(c)
	if err != nil {
		return err
	}
	v, err := s.roundView(c, r)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "round_show", v)
}

// roundView works out what the viewer may do in the round, and fills the
// ballot with their current marks.
func (s *Server) roundView(c echo.Context, r model.Round) (roundView, error) {
	v := roundView{
		page:     s.newPage(c, tr(c, "voting.show.title", "Term", r.TermTitle)),
		Round:    r,
		Approved: map[int64]bool{},
		Ranks:    map[int64]int{},
	}
	ids := make([]int64, len(r.Candidates))
	for i, cand := range r.Candidates {
		v.Places = append(v.Places, i+1)
		ids[i] = cand.ID
	}
	var err error
	if v.Comments, err = s.store.CommentsOn(c.Request().Context(), ids); err != nil {
		return v, err
	}
	checks, err := s.checkVersions(c.Request().Context(), r.Candidates)
	if err != nil {
		return v, err
	}
	v.Checks = checks
	for _, ch := range r.Changes {
		if ch.Kind == model.Extend {
			v.Extensions = append(v.Extensions, ch)
		}
	}
	v.Extend.ClosesAt = r.ClosesAt.In(s.loc).Format("2006-01-02T15:04")
	u := v.User
	switch {
	case !r.Open():
		v.Why = tr(c, "voting.show.closed")
	case u == nil:
		v.Why = tr(c, "voting.why.sign_in")
	case u.Role != model.Resident:
		v.Why = tr(c, "voting.why.not_resident")
	case !r.Admits(u.NeighbourhoodID):
		v.Why = tr(c, "voting.why.elsewhere")
	default:
		v.CanVote = true
		mine, ok, err := s.store.MyBallot(c.Request().Context(), r, u.ID)
		if err != nil {
			return v, err
		}
		v.Voted = ok
		setMarks(&v, mine)
		// An empty ballot is stored only when the resident chose "None
		// of these make sense".
		v.None = ok && len(mine.Approve) == 0 && len(mine.Rank) == 0
	}
	return v, nil
}

func setMarks(v *roundView, b tally.Ballot) {
	for _, id := range b.Approve {
		v.Approved[id] = true
	}
	for id, rank := range b.Rank {
		v.Ranks[id] = rank
	}
}

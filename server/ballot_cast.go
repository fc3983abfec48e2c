package server

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"wordgarden/server/model"
	"wordgarden/server/tally"
)

// ballotCast stores a resident's ballot and shows its receipt, once. It
// reads only the round's fixed rules: whether the round is still open is
// decided by the store, in the transaction that stores the ballot.
func (s *Server) ballotCast(c echo.Context) error {
	id, err := paramID(c, model.ThingRound)
	if err != nil {
		return err
	}
	r, err := s.store.RoundRules(c.Request().Context(), id)
	if err != nil {
		return err
	}
	b, err := readBallot(c, r)
	if err != nil {
		return err
	}
	receipt, err := s.store.CastBallot(c.Request().Context(), r.ID, *currentUser(c), b)
	var ve *model.ValidationError
	if errors.As(err, &ve) {
		return s.ballotRefused(c, b, ve)
	}
	if err != nil {
		return err
	}
	s.metrics.ballots.Inc()
	v := roundView{
		page:     s.newPage(c, "Your vote is counted: "+r.TermTitle),
		Round:    r,
		CanVote:  true,
		Voted:    true,
		Approved: map[int64]bool{},
		Ranks:    map[int64]int{},
		Receipt:  receipt,
	}
	setMarks(&v, b)
	return s.render(c, http.StatusOK, "ballot_cast", v)
}

// ballotRefused shows the round again with the ballot as it was sent and
// why it was not stored.
func (s *Server) ballotRefused(c echo.Context, b tally.Ballot, ve *model.ValidationError) error {
	r, err := s.loadRound(c)
	if err != nil {
		return err
	}
	v, err := s.roundView(c, r)
	if err != nil {
		return err
	}
	v.Approved, v.Ranks = map[int64]bool{}, map[int64]int{}
	setMarks(&v, b)
	v.Error = &formError{Field: "ballot", Message: ballotRefusal(ve)}
	status := http.StatusUnprocessableEntity
	if errors.Is(ve, model.ErrClosed) || !v.CanVote {
		status = http.StatusConflict
	}
	return s.render(c, status, "round_show", v)
}

// readBallot reads the ballot form: approve=ID repeated for approval;
// rank_ID=N for ranked, blank for a wording left unranked. Anything that is
// not a number, or names no candidate, is a 400.
func readBallot(c echo.Context, r model.Round) (tally.Ballot, error) {
	form, err := c.FormParams()
	if err != nil {
		return tally.Ballot{}, badRequest("The ballot could not be read.")
	}
	isCandidate := map[int64]bool{}
	for _, v := range r.Candidates {
		isCandidate[v.ID] = true
	}
	var b tally.Ballot
	if r.Method == tally.Approval {
		b.Approve = []int64{}
		for _, raw := range form["approve"] {
			id, err := strconv.ParseInt(raw, 10, 64)
			if err != nil || !isCandidate[id] {
				return b, badRequest("The ballot names a wording that is not a choice in this vote.")
			}
			b.Approve = append(b.Approve, id)
		}
		return b, nil
	}
	b.Rank = map[int64]int{}
	for key, vals := range form {
		raw, ok := strings.CutPrefix(key, "rank_")
		if !ok {
			continue
		}
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || !isCandidate[id] || len(vals) != 1 {
			return b, badRequest("The ballot names a wording that is not a choice in this vote.")
		}
		if strings.TrimSpace(vals[0]) == "" {
			continue
		}
		rank, err := strconv.Atoi(strings.TrimSpace(vals[0]))
		if err != nil {
			return b, badRequest("A ranking must be a number: 1 for your first choice, 2 for your second, and so on.")
		}
		b.Rank[id] = rank
	}
	return b, nil
}

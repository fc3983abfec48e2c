package server

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"wordgarden/server/store"
	"wordgarden/server/tally"
)

// ballotCast stores a resident's ballot and shows its receipt, once.
func (s *Server) ballotCast(c echo.Context) error {
	r, err := s.loadRound(c)
	if err != nil {
		return err
	}
	b, err := readBallot(c, r)
	if err != nil {
		return err
	}
	receipt, err := s.store.CastBallot(c.Request().Context(), r.ID, *currentUser(c), b)
	var ve *store.ValidationError
	if errors.As(err, &ve) {
		v, verr := s.roundView(c, r)
		if verr != nil {
			return verr
		}
		v.Approved, v.Ranks = map[int64]bool{}, map[int64]int{}
		setMarks(&v, b)
		v.Error = &formError{Field: "ballot", Message: ve.Message}
		status := http.StatusUnprocessableEntity
		if errors.Is(err, store.ErrClosed) || !v.CanVote {
			status = http.StatusConflict
		}
		return s.render(c, status, "round", v)
	}
	if err != nil {
		return err
	}
	r, err = s.store.Round(c.Request().Context(), r.ID)
	if err != nil {
		return err
	}
	v, err := s.roundView(c, r)
	if err != nil {
		return err
	}
	v.Title = "Your vote is counted: " + r.TermTitle
	v.Receipt = receipt
	return s.render(c, http.StatusOK, "ballot_cast", v)
}

// readBallot reads the ballot form: approve=ID repeated for approval;
// rank_ID=N for ranked, blank for a wording left unranked. Anything that is
// not a number, or names no candidate, is a 400.
func readBallot(c echo.Context, r store.Round) (tally.Ballot, error) {
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

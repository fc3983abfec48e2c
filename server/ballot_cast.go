package server

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"wordgarden/server/i18n"
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
	b, none, err := readBallot(c, r)
	if ve, ok := errors.AsType[*model.ValidationError](err); ok {
		return s.ballotRefused(c, b, none, ve)
	}
	if err != nil {
		return err
	}
	receipt, err := s.store.CastBallot(c.Request().Context(), r.ID, *currentUser(c), b)
	if ve, ok := errors.AsType[*model.ValidationError](err); ok {
		return s.ballotRefused(c, b, none, ve)
	}
	if err != nil {
		return err
	}
	s.metrics.ballots.Inc()
	v := roundView{
		page:     s.newPage(c, tr(c, "voting.cast.title", "Term", r.TermTitle)),
		Round:    r,
		CanVote:  true,
		Voted:    true,
		Approved: map[int64]bool{},
		Ranks:    map[int64]int{},
		None:     none,
		Receipt:  receipt,
	}
	setMarks(&v, b)
	return s.render(c, http.StatusOK, "ballot_cast", v)
}

// ballotRefused shows the round again with the ballot as it was sent and
// why it was not stored.
func (s *Server) ballotRefused(c echo.Context, b tally.Ballot, none bool, ve *model.ValidationError) error {
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
	v.None = none
	message := ballotRefusal(i18n.For(langOf(c)), ve)
	if errors.Is(ve, errBallotForm) && !v.CanVote {
		// The form was refused before the store saw who sent it; what
		// matters more is that this resident cannot vote here.
		message = v.Why
	}
	v.Error = &formError{Field: "ballot", Message: message}
	status := http.StatusUnprocessableEntity
	if errors.Is(ve, model.ErrClosed) || !v.CanVote {
		status = http.StatusConflict
	}
	return s.render(c, status, "round_show", v)
}

// errBallotForm marks the ballots readBallot refuses itself, as a resident
// could send them from the form: empty without "None of these make sense",
// or with both.
var errBallotForm = errors.New("ballot form")

// readBallot reads the ballot form: approve=ID repeated for approval;
// rank_ID=N for ranked, blank for a wording left unranked; and none=1 for
// "None of these make sense", the one way to cast a ballot that chooses no
// wording, so that nobody casts one by a slip. It returns the ballot and
// whether none was chosen.
//
// What the form never sends is a 400: a number that is not one, a wording
// that is no candidate, or a field of the other method (approve in a ranked
// round, rank_ID in an approval one), which would otherwise be dropped and
// store an empty ballot the resident did not mean. A ballot that chooses
// nothing and not none, or both, is a *model.ValidationError, shown on the
// ballot; the ballot is returned with it, as sent.
func readBallot(c echo.Context, r model.Round) (tally.Ballot, bool, error) {
	form, err := c.FormParams()
	if err != nil {
		return tally.Ballot{}, false, badRequest(tr(c, "voting.ballot.unreadable"))
	}
	isCandidate := map[int64]bool{}
	for _, v := range r.Candidates {
		isCandidate[v.ID] = true
	}
	none := false
	if vals, ok := form["none"]; ok {
		if len(vals) != 1 || vals[0] != "1" {
			return tally.Ballot{}, false, badRequest(tr(c, "voting.ballot.none_once"))
		}
		none = true
	}
	var b tally.Ballot
	if r.Method == tally.Approval {
		for key := range form {
			if strings.HasPrefix(key, "rank_") {
				return tally.Ballot{}, false, badRequest(tr(c, "voting.ballot.not_ranks"))
			}
		}
		b.Approve = []int64{}
		for _, raw := range form["approve"] {
			id, err := strconv.ParseInt(raw, 10, 64)
			if err != nil || !isCandidate[id] {
				return tally.Ballot{}, false, badRequest(tr(c, "voting.ballot.not_a_choice"))
			}
			b.Approve = append(b.Approve, id)
		}
		return b, none, checkNone(r, none, len(b.Approve) > 0)
	}
	if _, ok := form["approve"]; ok {
		return tally.Ballot{}, false, badRequest(tr(c, "voting.ballot.not_ticks"))
	}
	b.Rank = map[int64]int{}
	for key, vals := range form {
		raw, ok := strings.CutPrefix(key, "rank_")
		if !ok {
			continue
		}
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || !isCandidate[id] || len(vals) != 1 {
			return tally.Ballot{}, false, badRequest(tr(c, "voting.ballot.not_a_choice"))
		}
		if strings.TrimSpace(vals[0]) == "" {
			continue
		}
		rank, err := strconv.Atoi(strings.TrimSpace(vals[0]))
		if err != nil {
			return tally.Ballot{}, false, badRequest(tr(c, "voting.ballot.rank_number"))
		}
		b.Rank[id] = rank
	}
	return b, none, checkNone(r, none, len(b.Rank) > 0)
}

// checkNone says what is wrong with a ballot that chooses nothing without
// saying so, or that chooses wordings and none at once.
func checkNone(r model.Round, none, marked bool) error {
	switch {
	case none && marked:
		return &model.ValidationError{Field: "ballot", Err: errBallotForm, ID: "voting.ballot.both",
			Message: "You chose some wordings and also “None of these make sense”. Choose the wordings that make sense, or “None of these make sense”, not both."}
	case !none && !marked && r.Method == tally.Ranked:
		return &model.ValidationError{Field: "ballot", Err: errBallotForm, ID: "voting.ballot.empty_ranked",
			Message: "Put the wordings that make sense in order, or choose “None of these make sense”."}
	case !none && !marked:
		return &model.ValidationError{Field: "ballot", Err: errBallotForm, ID: "voting.ballot.empty_approval",
			Message: "Tick the wordings that make sense, or choose “None of these make sense”."}
	}
	return nil
}

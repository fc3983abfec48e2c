package server

import (
	"errors"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"wordgarden/server/model"
	"wordgarden/server/tally"
)

// apiRoundSummary is one row of GET /api/v1/rounds.
type apiRoundSummary struct {
	ID              int64         `json:"id"`
	Term            string        `json:"term"`
	Method          tally.Method  `json:"method"`
	Lang            string        `json:"lang"`
	Status          string        `json:"status"` // "open", "closed" or "cancelled"
	OpenedAt        time.Time     `json:"opened_at"`
	ClosesAt        time.Time     `json:"closes_at"`
	ClosedAt        *time.Time    `json:"closed_at"`
	Ballots         int           `json:"ballots"`
	Outcome         tally.Outcome `json:"outcome,omitempty"`
	WinnerVersionID *int64        `json:"winner_version_id"`
}

// apiRoundDetail is GET /api/v1/rounds/{id}: the rules, the candidates, the
// status and, once closed, the results.
type apiRoundDetail struct {
	apiRoundSummary
	Quorum         int            `json:"quorum"`
	Threshold      int            `json:"threshold"` // percent
	Neighbourhoods []string       `json:"neighbourhoods"`
	Candidates     []apiVersion   `json:"candidates"`
	Results        *model.Results `json:"results"`
}

func roundSummary(r model.Round) apiRoundSummary {
	out := apiRoundSummary{
		ID:              r.ID,
		Term:            r.TermSlug,
		Method:          r.Method,
		Lang:            r.Lang,
		Status:          "open",
		OpenedAt:        r.OpenedAt,
		ClosesAt:        r.ClosesAt,
		Ballots:         r.Ballots,
		Outcome:         r.Outcome,
		WinnerVersionID: optionalID(r.WinnerVersionID),
	}
	if !r.Open() {
		out.Status = "closed"
		closed := r.Closed()
		out.ClosedAt = &closed
	}
	if r.Cancelled != nil {
		out.Status = "cancelled" // never counted: no outcome, no results
	}
	return out
}

// apiRounds lists rounds, newest first, of one term with ?term=SLUG.
func (s *Server) apiRounds(c echo.Context) error {
	ctx := c.Request().Context()
	var termID int64
	if sl := c.QueryParam("term"); sl != "" {
		t, err := s.store.Term(ctx, sl)
		if errors.Is(err, model.ErrNotFound) {
			return echo.NewHTTPError(http.StatusNotFound, "There is no term "+sl+".")
		}
		if err != nil {
			return err
		}
		termID = t.ID
	}
	rounds, err := s.store.Rounds(ctx, termID)
	if err != nil {
		return err
	}
	out := make([]apiRoundSummary, 0, len(rounds))
	for _, r := range rounds {
		out = append(out, roundSummary(r))
	}
	return c.JSON(http.StatusOK, out)
}

// apiRound gives one round.
func (s *Server) apiRound(c echo.Context) error {
	r, err := s.loadRound(c)
	if err != nil {
		return err
	}
	out := apiRoundDetail{
		apiRoundSummary: roundSummary(r),
		Quorum:          r.Quorum,
		Threshold:       r.ThresholdPct,
		Neighbourhoods:  []string{},
		Candidates:      []apiVersion{},
		Results:         r.Results,
	}
	for _, n := range r.Neighbourhoods {
		out.Neighbourhoods = append(out.Neighbourhoods, n.Slug)
	}
	for _, v := range r.Candidates {
		out.Candidates = append(out.Candidates, newAPIVersion(v))
	}
	return c.JSON(http.StatusOK, out)
}

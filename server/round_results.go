package server

import (
	"fmt"
	"html/template"
	"net/http"

	"github.com/labstack/echo/v4"

	"wordgarden/server/chart"
	"wordgarden/server/model"
	"wordgarden/server/tally"
)

type resultsView struct {
	page
	Round   model.Round
	Results *model.Results
	Winner  *model.Version
	Bars    template.HTML
	Heat    template.HTML
	Places  []model.RankingGroup // ranked: the ranking by place, ties together
	// MinGroup is the fewest votes a row of the neighbourhood table stands
	// for (tally.MinGroup).
	MinGroup int
}

// roundResults shows a closed round's tally: turnout, each wording's share,
// the winner or why there is none, and the count by neighbourhood. While the
// round is open it shows the turnout only, so early counts sway nobody.
func (s *Server) roundResults(c echo.Context) error {
	r, err := s.loadRound(c)
	if err != nil {
		return err
	}
	v := resultsView{page: s.newPage(c, "Results: "+r.TermTitle), Round: r, Results: r.Results, MinGroup: tally.MinGroup}
	if r.Results != nil {
		v.Places = r.Results.Places()
		v.Bars, v.Heat, err = s.resultCharts(c, r)
		if err != nil {
			return err
		}
		for i := range r.Candidates {
			if r.Candidates[i].ID == r.WinnerVersionID {
				v.Winner = &r.Candidates[i]
			}
		}
	}
	return s.render(c, http.StatusOK, "round_results", v)
}

// candidateLabel names a candidate on charts and in tables.
func candidateLabel(v model.Version) string {
	who := v.AuthorName
	if v.OrganisationName != "" {
		who = v.OrganisationName
	}
	if v.Sector != "" {
		who += " (" + v.Sector.Label() + ")"
	}
	return fmt.Sprintf("Version %d — %s", v.ID, who)
}

// resultCharts draws the bar chart of shares and the neighbourhood table.
func (s *Server) resultCharts(c echo.Context, r model.Round) (template.HTML, template.HTML, error) {
	res := r.Results
	byID := map[int64]model.Version{}
	for _, v := range r.Candidates {
		byID[v.ID] = v
	}
	var bars []chart.Bar
	for _, rc := range res.Candidates {
		share, count, what := rc.Share, rc.Count, "ticked it"
		if r.Method == tally.Ranked && rc.Ranked != nil {
			count, what = *rc.Ranked, "ranked it"
			if res.Ballots > 0 {
				share = float64(count) / float64(res.Ballots)
			}
		}
		note := fmt.Sprintf("%.0f%% (%d of %d %s)", share*100, count, res.Ballots, what)
		if res.WinnerVersionID != nil && *res.WinnerVersionID == rc.VersionID {
			note += " — chosen"
		}
		bars = append(bars, chart.Bar{
			Label: candidateLabel(byID[rc.VersionID]),
			Value: share,
			Note:  note,
			Mark:  res.WinnerVersionID != nil && *res.WinnerVersionID == rc.VersionID,
		})
	}
	title := "Share of voters who said each wording makes sense"
	if r.Method == tally.Ranked {
		title = "Share of voters who ranked each wording"
	}
	barSVG := chart.Bars(fmt.Sprintf("round-%d-bars", r.ID), title,
		plural(res.Ballots, "person", "people")+" voted. "+res.Reason, bars, float64(r.ThresholdPct)/100)

	ns, err := s.store.Neighbourhoods(c.Request().Context())
	if err != nil {
		return "", "", err
	}
	names := map[string]string{}
	for _, n := range ns {
		names[n.Slug] = n.Name
	}
	// Set last: a neighbourhood called "other" from before the name was
	// kept back is counted in this row, and must not rename it.
	names[tally.Other] = "Other neighbourhoods (merged)"
	heat := chart.Heat{ID: fmt.Sprintf("round-%d-heat", r.ID), Caption: "Votes by neighbourhood: the share of each neighbourhood’s voters for each wording"}
	for _, rc := range res.Candidates {
		heat.Columns = append(heat.Columns, fmt.Sprintf("Version %d", rc.VersionID))
	}
	for _, g := range res.Neighbourhoods {
		row := chart.HeatRow{Label: names[g.Neighbourhood], Ballots: g.Ballots}
		for _, gc := range g.Candidates {
			row.Shares = append(row.Shares, gc.Share)
			row.Counts = append(row.Counts, gc.Count)
		}
		heat.Rows = append(heat.Rows, row)
	}
	return barSVG, chart.HeatTable(heat), nil
}

// closedRound loads the round for the published files, which exist only
// once it has closed. A round whose time is up is counted now, if the
// closer has not yet counted it: these files are asked for by people and
// programs waiting for the count, so they get it the moment it can be had.
func (s *Server) closedRound(c echo.Context) (model.Round, error) {
	id, err := paramID(c, model.ThingRound)
	if err != nil {
		return model.Round{}, err
	}
	r, err := s.store.CountIfDue(c.Request().Context(), id)
	if err != nil {
		return r, err
	}
	if r.Open() {
		return r, echo.NewHTTPError(http.StatusConflict,
			"The results are published when the vote closes, at "+s.moment(c, r.ClosesAt)+".")
	}
	return r, nil
}

// roundResultsJSON is the stored tally, as results.json.
func (s *Server) roundResultsJSON(c echo.Context) error {
	r, err := s.closedRound(c)
	if err != nil {
		return jsonError(c, err)
	}
	return c.JSON(http.StatusOK, r.Results)
}

// jsonError makes sure a published JSON file's errors are JSON too.
func jsonError(c echo.Context, err error) error {
	if he, ok := err.(*echo.HTTPError); ok {
		return c.JSON(he.Code, map[string]any{"error": he.Message})
	}
	return err
}

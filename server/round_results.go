package server

import (
	"fmt"
	"html/template"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"wordgarden/server/chart"
	"wordgarden/server/i18n"
	"wordgarden/server/model"
	"wordgarden/server/tally"
)

type resultsView struct {
	page
	Round   model.Round
	Results *model.Results
	Said    string // how the round came out, in the reader's language
	Winner  *model.Version
	Bars    template.HTML
	Heat    template.HTML
	Places  []model.RankingGroup // ranked: the ranking by place, ties together
	// MinGroup is the fewest votes a row of the neighbourhood table stands
	// for (tally.MinGroup).
	MinGroup int
	// Channels says how the ballots came ("312 online, 88 on paper, 3
	// spoiled."), and Unmatched how many paper sheets did not count for
	// want of two matching entries; both empty for results stored before
	// paper ballots.
	Channels  string
	Unmatched string
}

// roundResults shows a closed round's tally: turnout, each wording's share,
// the winner or why there is none, and the count by neighbourhood. While the
// round is open it shows the turnout only, so early counts sway nobody.
func (s *Server) roundResults(c echo.Context) error {
	r, err := s.loadRound(c)
	if err != nil {
		return err
	}
	v := resultsView{page: s.newPage(c, tr(c, "voting.results.title", "Term", r.TermTitle)), Round: r, Results: r.Results, MinGroup: tally.MinGroup}
	if r.Results != nil {
		v.Said = outcomeWords(i18n.For(langOf(c)), r)
		v.Places = r.Results.Places()
		v.Channels, v.Unmatched = channelWords(i18n.For(langOf(c)), r.Results.Channels)
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

// channelWords sums up how a round's ballots came, in lz's language.
func channelWords(lz *i18n.Localizer, ch *model.ResultChannels) (line, unmatched string) {
	if ch == nil {
		return "", ""
	}
	line = lz.T("paper.results.line",
		"Online", lz.T("paper.results.online", "Count", ch.Online),
		"Paper", lz.T("paper.results.paper", "Count", ch.Paper),
		"Spoiled", lz.T("paper.results.spoiled", "Count", ch.Spoiled))
	if ch.Unmatched > 0 {
		unmatched = lz.T("paper.results.unmatched", "Count", ch.Unmatched)
	}
	return line, unmatched
}

// candidateLabel names a candidate on charts and in tables.
func candidateLabel(lz *i18n.Localizer, v model.Version) string {
	who := v.AuthorName
	if v.OrganisationName != "" {
		who = v.OrganisationName
	}
	if s := sectorWord(lz, v.Sector); s != "" {
		who += " (" + s + ")"
	}
	return lz.T("voting.version", "ID", v.ID) + " — " + who
}

// chartWords are the words of the charts in lz's language.
func chartWords(lz *i18n.Localizer) chart.Words {
	return chart.Words{
		NoVotes:        lz.T("voting.chart.no_votes"),
		Ballots:        lz.T("voting.chart.ballots"),
		Needed:         func(p string) string { return lz.T("voting.chart.needed", "Percent", p) },
		NeededSentence: func(p string) string { return lz.T("voting.chart.needed_sentence", "Percent", p) },
		Percent:        func(p float64) string { return percentIn(lz, p) },
		Number:         func(n int) string { return lz.Number(n) },
	}
}

// resultCharts draws the bar chart of shares and the neighbourhood table.
func (s *Server) resultCharts(c echo.Context, r model.Round) (template.HTML, template.HTML, error) {
	res := r.Results
	lz := i18n.For(langOf(c))
	words := chartWords(lz)
	byID := map[int64]model.Version{}
	for _, v := range r.Candidates {
		byID[v.ID] = v
	}
	var bars []chart.Bar
	for _, rc := range res.Candidates {
		share, count, what := rc.Share, rc.Count, "voting.chart.ticked"
		if r.Method == tally.Ranked && rc.Ranked != nil {
			count, what = *rc.Ranked, "voting.chart.ranked"
			if res.Ballots > 0 {
				share = float64(count) / float64(res.Ballots)
			}
		}
		// Rounded as fmt's %.0f rounds, as the notes always were.
		whole, _ := strconv.ParseFloat(fmt.Sprintf("%.0f", share*100), 64)
		note := lz.T(what, "Percent", percentIn(lz, whole), "Count", count, "Ballots", lz.Number(res.Ballots))
		if res.WinnerVersionID != nil && *res.WinnerVersionID == rc.VersionID {
			note += " — " + lz.T("voting.chart.chosen")
		}
		bars = append(bars, chart.Bar{
			Label: candidateLabel(lz, byID[rc.VersionID]),
			Value: share,
			Note:  note,
			Mark:  res.WinnerVersionID != nil && *res.WinnerVersionID == rc.VersionID,
		})
	}
	title := lz.T("voting.chart.title_approval")
	if r.Method == tally.Ranked {
		title = lz.T("voting.chart.title_ranked")
	}
	barSVG := chart.Bars(fmt.Sprintf("round-%d-bars", r.ID), title,
		lz.T("voting.results.voted", "Count", res.Ballots)+" "+outcomeWords(lz, r), bars, float64(r.ThresholdPct)/100, words)

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
	names[tally.Other] = lz.T("voting.chart.other_neighbourhoods")
	heat := chart.Heat{ID: fmt.Sprintf("round-%d-heat", r.ID), Caption: lz.T("voting.chart.heat_caption")}
	for _, rc := range res.Candidates {
		heat.Columns = append(heat.Columns, lz.T("voting.version", "ID", rc.VersionID))
	}
	for _, g := range res.Neighbourhoods {
		row := chart.HeatRow{Label: names[g.Neighbourhood], Ballots: g.Ballots}
		for _, gc := range g.Candidates {
			row.Shares = append(row.Shares, gc.Share)
			row.Counts = append(row.Counts, gc.Count)
		}
		heat.Rows = append(heat.Rows, row)
	}
	return barSVG, chart.HeatTable(heat, words), nil
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
	if r.Cancelled != nil {
		return r, notFound(tr(c, "votes.cancelled_unpublished"))
	}
	if r.Open() {
		return r, echo.NewHTTPError(http.StatusConflict,
			tr(c, "voting.results.published_when", "When", s.moment(c, r.ClosesAt)))
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

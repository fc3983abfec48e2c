package chart

import (
	"html/template"
	"math"
	"strconv"
)

// Heat is a table of shares: rows (neighbourhoods) by columns (candidates).
type Heat struct {
	// ID is the prefix of the IDs in the output, unique on the page; like
	// Bars's id, only letters, digits, '-' and '_' are kept.
	ID      string
	Caption string
	Columns []string // column headings
	Rows    []HeatRow
}

// HeatRow is one row of a Heat table.
type HeatRow struct {
	Label   string
	Ballots int
	Shares  []float64 // one per column, 0..1
	Counts  []int     // one per column
}

// heatBins is the number of shading classes, heat-0 to heat-5.
const heatBins = 6

// heatClass returns the shading class for a share. The bins go by the
// whole percentage printed in the cell, so the shade always agrees with the
// number beside it (0.296 prints "30%" and is shaded as 30%):
//
//	heat-0   0% to under 10%
//	heat-1  10% to under 30%
//	heat-2  30% to under 50%
//	heat-3  50% to under 70%
//	heat-4  70% to under 90%
//	heat-5  90% to 100%
func heatClass(share float64) string {
	p := math.Round(clamp(share) * 100)
	var n int
	switch {
	case p < 10:
		n = 0
	case p < 30:
		n = 1
	case p < 50:
		n = 2
	case p < 70:
		n = 3
	case p < 90:
		n = 4
	default:
		n = 5
	}
	return "heat-" + strconv.Itoa(n)
}

// heatTemplate is the markup of HeatTable, joined from constants for the
// same reason as barsTemplate: no white space between elements, as before.
const heatTemplate = `{{if .Caption}}` +
	`<p class="heat-caption" id="{{.CaptionID}}">{{.Caption}}</p>` +
	`<div class="heat-scroll" role="region" aria-labelledby="{{.CaptionID}}" tabindex="0">` +
	`<table class="heat" aria-labelledby="{{.CaptionID}}">` +
	`{{else}}` +
	`<div class="heat-scroll">` +
	`<table class="heat">` +
	`{{end}}` +
	`<thead><tr><td></td>{{range .Columns}}<th scope="col">{{.}}</th>{{end}}<th scope="col">{{.Ballots}}</th></tr></thead>` +
	`<tbody>` +
	`{{range .Rows}}` +
	`<tr><th scope="row">{{.Label}}</th>` +
	`{{range .Cells}}<td{{with .Class}} class="{{.}}"{{end}}>{{.Text}}</td>{{end}}` +
	`<td>{{.Ballots}}</td></tr>` +
	`{{else}}` +
	`<tr><td colspan="{{.Span}}">{{.Empty}}</td></tr>` +
	`{{end}}` +
	`</tbody></table></div>`

var heatTmpl = template.Must(template.New("heat").Parse(heatTemplate))

// heatView is a Heat table ready for heatTemplate, its text cleaned and
// its numbers formatted.
type heatView struct {
	Caption   string // "" for none
	CaptionID string
	Columns   []string
	Rows      []heatRowView
	Ballots   string // the heading of the column of ballots
	Span      string // columns in all: the row headings, Columns and Ballots
	Empty     string // what the body says with no rows
}

type heatRowView struct {
	Label   string
	Cells   []heatCell
	Ballots string
}

// heatCell is a share and count, "74% (31)" with its shading class, or
// "–" with none when the share is missing.
type heatCell struct{ Class, Text string }

// HeatTable renders h as an HTML table: a caption, a heading per column
// and a row heading per row, each cell printing its share and count as
// "74% (31)" and carrying a class heat-0 … heat-5 (see heatClass for the
// bins) for the stylesheet to shade, then a column of ballots headed
// words.Ballots.
//
// Missing shares or counts print as "–". The table sits in a scrolling
// region so a wide table does not widen a phone's page; the region can
// take focus, so it can be scrolled from the keyboard. The caption is a
// paragraph just before the region, not a <caption>, so that it wraps to
// the width of the page and stays in view when the table scrolls; it names
// the region and the table (aria-labelledby, ID "<h.ID>-caption"). With no
// rows the table says words.NoVotes ("No votes yet").
func HeatTable(h Heat, words Words) template.HTML {
	v := heatView{Caption: clean(h.Caption), Span: strconv.Itoa(len(h.Columns) + 2),
		Ballots: words.Ballots, Empty: words.NoVotes}
	if v.Caption != "" {
		v.CaptionID = idPrefix(h.ID) + "-caption"
	}
	for _, c := range h.Columns {
		v.Columns = append(v.Columns, clean(c))
	}
	for _, r := range h.Rows {
		row := heatRowView{Label: clean(r.Label), Ballots: words.number(r.Ballots)}
		for i := range h.Columns {
			if i >= len(r.Shares) {
				row.Cells = append(row.Cells, heatCell{Text: "–"})
				continue
			}
			s := clamp(r.Shares[i])
			count := "–"
			if i < len(r.Counts) {
				count = words.number(r.Counts[i])
			}
			row.Cells = append(row.Cells, heatCell{
				Class: heatClass(s),
				Text:  words.wholePercent(s) + " (" + count + ")",
			})
		}
		v.Rows = append(v.Rows, row)
	}
	return render(heatTmpl, v)
}

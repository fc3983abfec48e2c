package chart

import (
	"html/template"
	"math"
	"strconv"
	"strings"
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

// HeatTable renders h as an HTML table: a caption, a heading per column
// and a row heading per row, each cell printing its share and count as
// "74% (31)" and carrying a class heat-0 … heat-5 (see heatClass for the
// bins) for the stylesheet to shade, then a Ballots column.
//
// Missing shares or counts print as "–". The table sits in a scrolling
// region so a wide table does not widen a phone's page; the region can
// take focus, so it can be scrolled from the keyboard. The caption is a
// paragraph just before the region, not a <caption>, so that it wraps to
// the width of the page and stays in view when the table scrolls; it names
// the region and the table (aria-labelledby, ID "<h.ID>-caption"). With no
// rows the table says "No votes yet".
func HeatTable(h Heat) template.HTML {
	var b strings.Builder
	caption := clean(h.Caption)
	if caption != "" {
		id := idPrefix(h.ID) + "-caption"
		b.WriteString(`<p class="heat-caption" id="` + id + `">` + esc(caption) + `</p>`)
		b.WriteString(`<div class="heat-scroll" role="region" aria-labelledby="` + id + `" tabindex="0">`)
		b.WriteString(`<table class="heat" aria-labelledby="` + id + `">`)
	} else {
		b.WriteString(`<div class="heat-scroll">`)
		b.WriteString(`<table class="heat">`)
	}
	b.WriteString(`<thead><tr><td></td>`)
	for _, c := range h.Columns {
		b.WriteString(`<th scope="col">` + esc(clean(c)) + `</th>`)
	}
	b.WriteString(`<th scope="col">Ballots</th></tr></thead><tbody>`)
	if len(h.Rows) == 0 {
		b.WriteString(`<tr><td colspan="` + strconv.Itoa(len(h.Columns)+2) + `">` + noData + `</td></tr>`)
	}
	for _, r := range h.Rows {
		b.WriteString(`<tr><th scope="row">` + esc(clean(r.Label)) + `</th>`)
		for i := range h.Columns {
			if i >= len(r.Shares) {
				b.WriteString(`<td>–</td>`)
				continue
			}
			s := clamp(r.Shares[i])
			count := "–"
			if i < len(r.Counts) {
				count = strconv.Itoa(r.Counts[i])
			}
			b.WriteString(`<td class="` + heatClass(s) + `">` + strconv.Itoa(int(math.Round(s*100))) + `% (` + count + `)</td>`)
		}
		b.WriteString(`<td>` + strconv.Itoa(r.Ballots) + `</td></tr>`)
	}
	b.WriteString(`</tbody></table></div>`)
	return template.HTML(b.String())
}

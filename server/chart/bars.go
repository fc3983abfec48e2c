package chart

import (
	"html/template"
	"math"
	"strings"
	"unicode"
)

// Bar is one bar: a label and a share from 0 to 1.
type Bar struct {
	Label string  // e.g. "Version 12 — Southwark Council (Statutory)"
	Value float64 // 0..1; NaN counts as 0, values outside are clamped
	Note  string  // printed after the bar, e.g. "74% (157 of 212)"; empty prints the share
	Mark  bool    // the winner: drawn in its own class with a thick outline
}

// Layout, in viewBox units. The chart is scaled to its container, so these
// are sizes relative to a 360-unit-wide chart: on a 320px phone (about 270px
// of content) a 17-unit label is 13px, and the CSS caps the width at 26rem
// so on a wide screen it is about the size of the body text. Labels sit
// above their bars so they get the full width.
const (
	width      = 360.0
	pad        = 4.0 // keeps the chosen bar's outline inside the viewBox
	plotW      = width - 2*pad
	labelSize  = 17.0
	labelLine  = 21.0
	noteSize   = 16.0
	barH       = 26.0
	rowGap     = 14.0
	axisSize   = 15.0
	noteGap    = 6.0
	haloWidth  = 4.0
	charWidth  = 0.6 // width of a column in ems, generous so text does not overrun
	labelCols  = 34  // columns of label per line: plotW / (labelSize * charWidth)
	labelLines = 3   // lines of label before it is cut with "…"
)

// Bars draws a horizontal bar chart of shares, one row per bar, with a
// 0–100% scale and a line at threshold (0..1; no line if < 0 or NaN)
// labelled "needed: 50%".
//
// id is a prefix for the IDs in the chart; give each chart on a page its
// own. title names the chart (its accessible name). desc is a lead-in for
// the description; Bars adds a sentence per bar and the threshold, because
// role="img" hides the drawn text from screen readers and the description
// is all they get. With no bars the chart says "No votes yet".
func Bars(id, title, desc string, bars []Bar, threshold float64) template.HTML {
	id = idPrefix(id)
	title = clean(title)
	if title == "" {
		title = "Chart"
	}
	hasLine := threshold >= 0 // false for NaN too
	threshold = clamp(threshold)

	var sum []string
	if d := clean(desc); d != "" {
		sum = append(sum, strings.TrimSuffix(d, ".")+".")
	}
	if len(bars) == 0 {
		sum = append(sum, noData+".")
	} else if hasLine {
		sum = append(sum, "Needed: "+percent(threshold)+".")
	}

	var grid, shapes, texts strings.Builder
	y := pad
	if hasLine && len(bars) > 0 {
		x := pad + threshold*plotW
		w := textWidth("needed: 100%", noteSize)
		anchor := "middle"
		switch {
		case x-w/2 < pad:
			x, anchor = pad, "start"
		case x+w/2 > width-pad:
			x, anchor = width-pad, "end"
		}
		texts.WriteString(`<text class="chart-threshold-label" x="` + num(x) + `" y="` + num(y+noteSize) +
			`" font-size="` + num(noteSize) + `" font-weight="700" text-anchor="` + anchor + `" fill="` + ink + `"` + halo(paper) + `>needed: ` +
			percent(threshold) + `</text>`)
		y += noteSize + 8
	}
	top := y

	for _, b := range bars {
		v := clamp(b.Value)
		label := clean(b.Label)
		note := clean(b.Note)
		if note == "" {
			note = percent(v)
		}
		if label != "" {
			sum = append(sum, strings.TrimSuffix(label, ".")+": "+strings.TrimSuffix(note, ".")+".")
		} else {
			sum = append(sum, strings.TrimSuffix(note, ".")+".")
		}

		labelClass, weight, cols := "chart-label", "400", labelCols
		barClass, fill, stroke := "chart-bar", blue, ""
		if b.Mark {
			// Bold letters are wider: wrap the winner's label sooner.
			labelClass, weight, cols = "chart-label chart-label-chosen", "700", labelCols*7/8
			barClass, fill = "chart-bar chart-bar-chosen", green
			stroke = ` stroke="` + ink + `" stroke-width="3"`
		}

		if lines, cut := wrap(label, cols, labelLines); len(lines) > 0 {
			texts.WriteString(`<text class="` + labelClass + `" x="` + num(pad) + `" y="` + num(y+labelSize) +
				`" font-size="` + num(labelSize) + `" font-weight="` + weight + `" fill="` + ink + `"` + halo(paper) + `>`)
			if cut {
				// SVG text does not wrap, so a long label is cut; the
				// whole of it shows on hover.
				texts.WriteString(`<title>` + esc(label) + `</title>`)
			}
			for i, line := range lines {
				dy := "0"
				if i > 0 {
					dy = num(labelLine)
				}
				texts.WriteString(`<tspan x="` + num(pad) + `" dy="` + dy + `">` + esc(line) + `</tspan>`)
			}
			texts.WriteString(`</text>`)
			y += float64(len(lines))*labelLine + 3
		}

		bw := v * plotW
		shapes.WriteString(`<rect class="chart-track" x="` + num(pad) + `" y="` + num(y) + `" width="` + num(plotW) +
			`" height="` + num(barH) + `" fill="` + wash + `"/>`)
		shapes.WriteString(`<rect class="` + barClass + `" x="` + num(pad) + `" y="` + num(y) + `" width="` + num(bw) +
			`" height="` + num(barH) + `" fill="` + fill + `"` + stroke + `/>`)

		// The note goes after the bar if it fits there, inside the end of
		// the bar if not, and on a line of its own below as a last resort.
		nw := textWidth(note, noteSize)
		baseline := y + barH/2 + noteSize*0.35
		noteX, anchor, class, colour, under := pad+bw+noteGap, "start", "chart-note", ink, wash
		switch {
		case bw+noteGap+nw <= plotW:
		case bw >= nw+2*noteGap:
			noteX, anchor, class, colour, under = pad+bw-noteGap, "end", "chart-note chart-note-in", onBar, fill
		default:
			noteX, under = pad, paper
			baseline = y + barH + labelLine - 2
			y += labelLine
		}
		texts.WriteString(`<text class="` + class + `" x="` + num(noteX) + `" y="` + num(baseline) +
			`" font-size="` + num(noteSize) + `" text-anchor="` + anchor + `" fill="` + colour + `"` + halo(under) + `>` +
			esc(note) + `</text>`)
		y += barH + rowGap
	}

	var b strings.Builder
	height := y + pad
	if len(bars) == 0 {
		height = 40
		texts.WriteString(`<text class="chart-empty" x="` + num(pad) + `" y="26" font-size="` + num(labelSize) +
			`" fill="` + ink + `"` + halo(paper) + `>` + noData + `</text>`)
	} else {
		bottom := y - rowGap + 4
		for _, t := range []float64{0, 0.25, 0.5, 0.75, 1} {
			x := pad + t*plotW
			grid.WriteString(`<line class="chart-grid" x1="` + num(x) + `" x2="` + num(x) + `" y1="` + num(top) +
				`" y2="` + num(bottom) + `" stroke="` + rule + `" stroke-width="1"/>`)
			anchor := "middle"
			switch t {
			case 0:
				anchor = "start"
			case 1:
				anchor = "end"
			}
			texts.WriteString(`<text class="chart-axis" x="` + num(x) + `" y="` + num(bottom+axisSize+2) +
				`" font-size="` + num(axisSize) + `" text-anchor="` + anchor + `" fill="` + muted + `"` + halo(paper) + `>` + percent(t) + `</text>`)
		}
		if hasLine {
			// A white line under the dashed one keeps it visible across
			// the dark bars as well as the pale track.
			x := num(pad + threshold*plotW)
			line := `<line x1="` + x + `" x2="` + x + `" y1="` + num(top) + `" y2="` + num(bottom) + `"`
			shapes.WriteString(line + ` class="chart-threshold-halo" stroke="` + paper + `" stroke-width="4"/>`)
			shapes.WriteString(line + ` class="chart-threshold" stroke="` + ink + `" stroke-width="2" stroke-dasharray="6 4"/>`)
		}
		height = bottom + axisSize + 8
	}

	b.WriteString(`<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="` + id +
		`-title" aria-describedby="` + id + `-desc" viewBox="0 0 ` + num(width) + ` ` + num(math.Ceil(height)) +
		`" width="100%">`)
	b.WriteString(`<title id="` + id + `-title">` + esc(title) + `</title>`)
	b.WriteString(`<desc id="` + id + `-desc">` + esc(strings.Join(sum, " ")) + `</desc>`)
	b.WriteString(`<g>` + grid.String() + `</g>`)
	b.WriteString(`<g>` + shapes.String() + `</g>`)
	b.WriteString(`<g>` + texts.String() + `</g>`)
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// halo outlines text in the colour behind it, drawn under the letters
// (paint-order), so grid and threshold lines crossing the text do not cut
// through it. Every text has one, so the forced-colours rules in CSS can
// recolour the stroke without it painting over the letters.
func halo(colour string) string {
	return ` stroke="` + colour + `" stroke-width="` + num(haloWidth) + `" stroke-linejoin="round" paint-order="stroke"`
}

// cols is how many columns a rune takes: two for the wide scripts of East
// Asia, one for the rest. It is a layout estimate, not a measurement.
func cols(r rune) int {
	if unicode.In(r, unicode.Han, unicode.Hangul, unicode.Hiragana, unicode.Katakana) ||
		(r >= 0xFF01 && r <= 0xFF60) || (r >= 0xFFE0 && r <= 0xFFE6) {
		return 2
	}
	return 1
}

func strCols(s string) int {
	n := 0
	for _, r := range s {
		n += cols(r)
	}
	return n
}

// textWidth estimates the width of s set at size, erring wide.
func textWidth(s string, size float64) float64 {
	return float64(strCols(s)) * size * charWidth
}

// cut shortens s to at most n columns, ending with "…" if anything was
// dropped.
func cut(s string, n int) (string, bool) {
	if strCols(s) <= n {
		return s, false
	}
	var b strings.Builder
	w := 0
	for _, r := range s {
		if w+cols(r) > n-1 {
			break
		}
		b.WriteRune(r)
		w += cols(r)
	}
	return strings.TrimRight(b.String(), " ") + "…", true
}

// wrap breaks s at spaces into lines of at most width columns, splitting
// words too long for a line. If that takes more than maxLines lines, the
// last line is filled with what remains and cut with "…", and wrap reports
// the cut.
func wrap(s string, width, maxLines int) (lines []string, wasCut bool) {
	// A piece is a word or part of one, with what joins it to the piece
	// before: a space, or nothing inside a split word.
	type piece struct{ sep, text string }
	var pieces []piece
	for _, word := range strings.Fields(s) {
		sep := " "
		for strCols(word) > width {
			head, tail := split(word, width)
			pieces = append(pieces, piece{sep, head})
			sep, word = "", tail
		}
		pieces = append(pieces, piece{sep, word})
	}
	var starts []int // the piece each line starts with
	for i, p := range pieces {
		if n := len(lines); n > 0 && strCols(lines[n-1])+len(p.sep)+strCols(p.text) <= width {
			lines[n-1] += p.sep + p.text
			continue
		}
		lines = append(lines, p.text)
		starts = append(starts, i)
	}
	if len(lines) <= maxLines {
		return lines, false
	}
	var rest strings.Builder
	for i, p := range pieces[starts[maxLines-1]:] {
		if i > 0 {
			rest.WriteString(p.sep)
		}
		rest.WriteString(p.text)
	}
	last, _ := cut(rest.String(), width)
	return append(lines[:maxLines-1], last), true
}

// split returns the longest prefix of s that fits in n columns (at least one
// rune) and the rest.
func split(s string, n int) (string, string) {
	w := 0
	for i, r := range s {
		if w+cols(r) > n && i > 0 {
			return s[:i], s[i:]
		}
		w += cols(r)
	}
	return s, ""
}

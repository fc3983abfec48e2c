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

// barsTemplate is the markup of a chart laid out by Bars. The chart is
// drawn left to right (bars grow from x=0, labels start at the left), and
// its <svg> says so with direction="ltr": on a right-to-left page the
// inherited direction would turn text-anchor "start" into the right end of
// each label, which would then run off the chart's left edge.
//
// It is joined from Go string constants rather than kept in an embedded
// file because the output has no white space between elements, as before:
// a text node before <title> would stop it being the <svg>'s first child,
// and white space inside <text> would become part of the text. A file
// would need a trim marker at every line break to say the same.
const barsTemplate = `{{define "line"}}` +
	`<line class="{{.Class}}" x1="{{.X1}}" x2="{{.X2}}" y1="{{.Y1}}" y2="{{.Y2}}" stroke="{{.Stroke}}" stroke-width="{{.StrokeWidth}}"` +
	`{{with .Dash}} stroke-dasharray="{{.}}"{{end}}/>` +
	`{{end}}` +

	`{{define "rect"}}` +
	`<rect class="{{.Class}}" x="{{.X}}" y="{{.Y}}" width="{{.Width}}" height="{{.Height}}" fill="{{.Fill}}"` +
	`{{with .Stroke}} stroke="{{.}}" stroke-width="{{$.StrokeWidth}}"{{end}}/>` +
	`{{end}}` +

	`{{define "text"}}` +
	`<text class="{{.Class}}" x="{{.X}}" y="{{.Y}}" font-size="{{.Size}}"` +
	`{{with .Weight}} font-weight="{{.}}"{{end}}` +
	`{{with .Anchor}} text-anchor="{{.}}"{{end}}` +
	` fill="{{.Fill}}" stroke="{{.Halo.Colour}}" stroke-width="{{.Halo.Width}}" stroke-linejoin="round" paint-order="stroke">` +
	`{{with .Title}}<title>{{.}}</title>{{end}}` +
	`{{range .Lines}}<tspan x="{{.X}}" dy="{{.Dy}}">{{.Text}}</tspan>{{else}}{{.Text}}{{end}}` +
	`</text>` +
	`{{end}}` +

	`<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{{.ID}}-title" aria-describedby="{{.ID}}-desc"` +
	` viewBox="0 0 {{.Width}} {{.Height}}" width="100%" direction="ltr">` +
	`<title id="{{.ID}}-title">{{.Title}}</title>` +
	`<desc id="{{.ID}}-desc">{{.Desc}}</desc>` +
	`<g>{{range .Grid}}{{template "line" .}}{{end}}</g>` +
	`<g>{{range .Bars}}{{template "rect" .}}{{end}}{{range .Threshold}}{{template "line" .}}{{end}}</g>` +
	`<g>{{range .Texts}}{{template "text" .}}{{end}}</g>` +
	`</svg>`

var barsTmpl = template.Must(template.New("bars").Parse(barsTemplate))

// barsView is a chart laid out, for barsTemplate: every number formatted
// by num, every class and colour chosen.
type barsView struct {
	ID, Title, Desc string
	Width, Height   string    // of the viewBox
	Grid            []svgLine // the scale's lines, under everything
	Bars            []svgRect // a track and a bar for each bar
	Threshold       []svgLine // drawn over the bars
	Texts           []svgText // on top, so lines never cross out a word
}

type svgLine struct {
	Class, X1, X2, Y1, Y2, Stroke, StrokeWidth string
	Dash                                       string // stroke-dasharray; "" for a solid line
}

type svgRect struct {
	Class, X, Y, Width, Height, Fill string
	Stroke, StrokeWidth              string // an outline; none if Stroke is ""
}

type svgText struct {
	Class, X, Y, Size string
	Weight, Anchor    string // font-weight and text-anchor; left out if ""
	Fill              string
	Halo              svgHalo
	Title             string    // hover text, for a label that was cut
	Lines             []svgSpan // a label's lines; a text without them prints Text
	Text              string
}

// svgSpan is one line of a label.
type svgSpan struct{ X, Dy, Text string }

// svgHalo outlines text in the colour behind it, drawn under the letters
// (paint-order), so grid and threshold lines crossing the text do not cut
// through it. Every text has one, so the forced-colours rules in CSS can
// recolour the stroke without it painting over the letters.
type svgHalo struct{ Colour, Width string }

func halo(colour string) svgHalo { return svgHalo{colour, num(haloWidth)} }

// Bars draws a horizontal bar chart of shares, one row per bar, with a
// 0–100% scale and a line at threshold (0..1; no line if < 0 or NaN)
// labelled with words.Needed ("needed: 50%").
//
// id is a prefix for the IDs in the chart; give each chart on a page its
// own. title names the chart (its accessible name), and must not be empty.
// desc is a lead-in for the description; Bars adds a sentence per bar and
// the threshold, because role="img" hides the drawn text from screen
// readers and the description is all they get. With no bars the chart says
// words.NoVotes ("No votes yet").
func Bars(id, title, desc string, bars []Bar, threshold float64, words Words) template.HTML {
	v := barsView{ID: idPrefix(id), Title: clean(title), Width: num(width)}
	hasLine := threshold >= 0 // false for NaN too
	threshold = clamp(threshold)

	var sum []string
	if d := clean(desc); d != "" {
		sum = append(sum, strings.TrimSuffix(d, ".")+".")
	}
	if len(bars) == 0 {
		sum = append(sum, strings.TrimSuffix(words.NoVotes, ".")+".")
	} else if hasLine {
		sum = append(sum, words.neededSentence(threshold))
	}

	y := pad
	if hasLine && len(bars) > 0 {
		x := pad + threshold*plotW
		w := textWidth(words.needed(1), noteSize)
		anchor := "middle"
		switch {
		case x-w/2 < pad:
			x, anchor = pad, "start"
		case x+w/2 > width-pad:
			x, anchor = width-pad, "end"
		}
		v.Texts = append(v.Texts, svgText{
			Class: "chart-threshold-label", X: num(x), Y: num(y + noteSize), Size: num(noteSize),
			Weight: "700", Anchor: anchor, Fill: ink, Halo: halo(paper),
			Text: words.needed(threshold),
		})
		y += noteSize + 8
	}
	top := y

	for _, b := range bars {
		share := clamp(b.Value)
		label := clean(b.Label)
		note := clean(b.Note)
		if note == "" {
			note = words.percent(share)
		}
		if label != "" {
			sum = append(sum, strings.TrimSuffix(label, ".")+": "+strings.TrimSuffix(note, ".")+".")
		} else {
			sum = append(sum, strings.TrimSuffix(note, ".")+".")
		}

		labelClass, weight, cols := "chart-label", "400", labelCols
		bar := svgRect{Class: "chart-bar", Fill: blue}
		if b.Mark {
			// Bold letters are wider: wrap the winner's label sooner.
			labelClass, weight, cols = "chart-label chart-label-chosen", "700", labelCols*7/8
			bar = svgRect{Class: "chart-bar chart-bar-chosen", Fill: green, Stroke: ink, StrokeWidth: "3"}
		}

		if lines, cut := wrap(label, cols, labelLines); len(lines) > 0 {
			t := svgText{
				Class: labelClass, X: num(pad), Y: num(y + labelSize), Size: num(labelSize),
				Weight: weight, Fill: ink, Halo: halo(paper),
			}
			if cut {
				// SVG text does not wrap, so a long label is cut; the
				// whole of it shows on hover.
				t.Title = label
			}
			for i, line := range lines {
				dy := "0"
				if i > 0 {
					dy = num(labelLine)
				}
				t.Lines = append(t.Lines, svgSpan{X: num(pad), Dy: dy, Text: line})
			}
			v.Texts = append(v.Texts, t)
			y += float64(len(lines))*labelLine + 3
		}

		bw := share * plotW
		bar.X, bar.Y, bar.Width, bar.Height = num(pad), num(y), num(bw), num(barH)
		v.Bars = append(v.Bars,
			svgRect{Class: "chart-track", X: num(pad), Y: num(y), Width: num(plotW), Height: num(barH), Fill: wash},
			bar)

		// The note goes after the bar if it fits there, inside the end of
		// the bar if not, and on a line of its own below as a last resort.
		nw := textWidth(note, noteSize)
		baseline := y + barH/2 + noteSize*0.35
		noteX, anchor, class, colour, under := pad+bw+noteGap, "start", "chart-note", ink, wash
		switch {
		case bw+noteGap+nw <= plotW:
		case bw >= nw+2*noteGap:
			noteX, anchor, class, colour, under = pad+bw-noteGap, "end", "chart-note chart-note-in", onBar, bar.Fill
		default:
			noteX, under = pad, paper
			baseline = y + barH + labelLine - 2
			y += labelLine
		}
		v.Texts = append(v.Texts, svgText{
			Class: class, X: num(noteX), Y: num(baseline), Size: num(noteSize),
			Anchor: anchor, Fill: colour, Halo: halo(under), Text: note,
		})
		y += barH + rowGap
	}

	height := y + pad
	if len(bars) == 0 {
		height = 40
		v.Texts = append(v.Texts, svgText{
			Class: "chart-empty", X: num(pad), Y: "26", Size: num(labelSize),
			Fill: ink, Halo: halo(paper), Text: words.NoVotes,
		})
	} else {
		bottom := y - rowGap + 4
		for _, t := range []float64{0, 0.25, 0.5, 0.75, 1} {
			x := pad + t*plotW
			v.Grid = append(v.Grid, svgLine{
				Class: "chart-grid", X1: num(x), X2: num(x), Y1: num(top), Y2: num(bottom), Stroke: rule, StrokeWidth: "1",
			})
			anchor := "middle"
			switch t {
			case 0:
				anchor = "start"
			case 1:
				anchor = "end"
			}
			v.Texts = append(v.Texts, svgText{
				Class: "chart-axis", X: num(x), Y: num(bottom + axisSize + 2), Size: num(axisSize),
				Anchor: anchor, Fill: muted, Halo: halo(paper), Text: words.percent(t),
			})
		}
		if hasLine {
			// A white line under the dashed one keeps it visible across
			// the dark bars as well as the pale track.
			x := num(pad + threshold*plotW)
			line := svgLine{X1: x, X2: x, Y1: num(top), Y2: num(bottom)}
			white, dashed := line, line
			white.Class, white.Stroke, white.StrokeWidth = "chart-threshold-halo", paper, "4"
			dashed.Class, dashed.Stroke, dashed.StrokeWidth, dashed.Dash = "chart-threshold", ink, "2", "6 4"
			v.Threshold = []svgLine{white, dashed}
		}
		height = bottom + axisSize + 8
	}
	v.Height = num(math.Ceil(height))
	v.Desc = strings.Join(sum, " ")
	return render(barsTmpl, v)
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

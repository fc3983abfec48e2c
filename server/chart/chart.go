// Package chart draws the results of a vote on the server: a bar chart as
// inline SVG and a table of shares by neighbourhood as HTML.
//
// The pages that embed these run under a Content-Security-Policy with no
// 'unsafe-inline', so the output has no style attributes and no <style>
// elements: colours are SVG presentation attributes, repeated as CSS classes
// (see CSS) so the site stylesheet can adjust them. Every value is printed as
// text, so nothing depends on telling colours apart.
//
// Labels come from users. The layout is worked out in Go and the markup is
// written by html/template, which escapes every piece of text for the place
// it is printed, so the template.HTML returned is safe to put in a page.
package chart

import (
	"html/template"
	"math"
	"strconv"
	"strings"
	"unicode"
)

// The palette is the site's own (static/style.css). Text colours meet WCAG
// AA (4.5:1) on the colour they sit on; chart_test.go checks this.
const (
	ink   = "#1b1b1b" // text, the threshold line, the chosen bar's outline
	muted = "#505a5f" // the scale
	paper = "#ffffff" // the page
	wash  = "#f3f2f1" // the empty part of each bar, 0 to 100%
	rule  = "#b1b4b6" // grid lines
	blue  = "#1d4f91" // a bar
	green = "#00703c" // the chosen bar
	onBar = paper     // a note printed inside a bar
)

// Words are what a chart says in words, in the reader's language. The
// caller gives them, so that this package knows no language.
type Words struct {
	NoVotes string // what a chart with no bars or rows says: "No votes yet"
	Ballots string // the heading of a Heat table's column of ballots: "Ballots"
	// Needed labels the threshold line with its percentage: "needed: 50%";
	// NeededSentence says it in the description: "Needed: 50%.". Nil
	// writes the percentage alone.
	Needed, NeededSentence func(percent string) string
	// Percent writes a percentage already rounded to a tenth (66.7 for
	// two thirds); nil writes "66.7%". Number writes a count; nil writes
	// its digits.
	Percent func(p float64) string
	Number  func(n int) string
}

// percent writes a share to one decimal place, dropping a trailing ".0":
// 0.5 is "50%" and 2/3 is "66.7%". Whole-number rounding would show 49.6%
// as "50%" beside a "needed: 50%" line.
func (w Words) percent(share float64) string {
	p := math.Round(clamp(share)*1000) / 10
	if w.Percent != nil {
		return w.Percent(p)
	}
	return strconv.FormatFloat(p, 'f', -1, 64) + "%"
}

// wholePercent writes a share as a whole percentage, for the table's cells.
func (w Words) wholePercent(share float64) string {
	p := math.Round(clamp(share) * 100)
	if w.Percent != nil {
		return w.Percent(p)
	}
	return strconv.Itoa(int(p)) + "%"
}

func (w Words) number(n int) string {
	if w.Number != nil {
		return w.Number(n)
	}
	return strconv.Itoa(n)
}

func (w Words) needed(threshold float64) string {
	if w.Needed != nil {
		return w.Needed(w.percent(threshold))
	}
	return w.percent(threshold)
}

func (w Words) neededSentence(threshold float64) string {
	if w.NeededSentence != nil {
		return w.NeededSentence(w.percent(threshold))
	}
	return w.percent(threshold) + "."
}

// clamp brings a share into 0..1. NaN counts as 0, so one bad division does
// not break a whole chart.
func clamp(v float64) float64 {
	switch {
	case math.IsNaN(v) || v < 0:
		return 0
	case v > 1:
		return 1
	}
	return v
}

// clean makes user text safe to measure and lay out: valid UTF-8, no
// control characters, runs of white space (newlines included) as one space.
// It does not escape; the templates do that.
func clean(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return ' '
		}
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// num formats a coordinate to one decimal place, the most a chart needs.
func num(v float64) string {
	return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64)
}

// idPrefix keeps letters, digits, '-' and '_' of a caller's id prefix and
// replaces anything else with '-', so the IDs need no escaping and
// aria-labelledby, a space-separated list, is not split by a stray space.
func idPrefix(id string) string {
	id = strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			return r
		}
		return '-'
	}, id)
	if id == "" {
		return "chart"
	}
	return id
}

// render executes t with data. The templates are fixed and their data are
// this package's own types, which the tests run through every branch, so
// an error is a bug in the package, not bad input, and panics like
// template.Must.
func render(t *template.Template, data any) template.HTML {
	var b strings.Builder
	if err := t.Execute(&b, data); err != nil {
		panic("chart: " + err.Error())
	}
	return template.HTML(b.String())
}

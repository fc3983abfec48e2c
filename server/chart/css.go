package chart

import (
	"strconv"
	"strings"
)

// heatBg and heatFg are the background and text colours of heat-0 to
// heat-5: one hue, pale to dark, with dark text on the pale cells and white
// on the dark ones so every cell keeps 4.5:1.
var (
	heatBg = [heatBins]string{"#ffffff", "#e8eef7", "#c5d6ec", "#8fb0dc", "#2f619f", "#173f73"}
	heatFg = [heatBins]string{ink, ink, ink, ink, paper, paper}
)

// cssTemplate is the stylesheet with the palette as {names}, filled in from
// the same constants the SVG uses so the two cannot drift apart.
const cssTemplate = `/* Charts drawn by server/chart (chart.CSS). Every value is printed as text;
   colours meet WCAG AA. The SVG also carries its colours as presentation
   attributes, so the colour rules here are for restyling; the sizing, table
   and heat rules are needed. */
svg.chart { display: block; width: 100%; height: auto; max-width: 26rem; margin: 1rem 0; }
.chart-track { fill: {wash}; }
.chart-bar { fill: {blue}; }
.chart-bar-chosen { fill: {green}; stroke: {ink}; stroke-width: 3; }
.chart-grid { stroke: {rule}; }
.chart-threshold { stroke: {ink}; stroke-width: 2; stroke-dasharray: 6 4; }
.chart-threshold-halo { stroke: {paper}; stroke-width: 4; }
.heat-scroll { overflow-x: auto; margin: 1rem 0; }
table.heat { margin: 0; }
.heat-caption { font-weight: 700; margin: 1rem 0 0.5rem; }
.heat-caption + .heat-scroll { margin-top: 0; }
table.heat th, table.heat td { padding: 0.375rem 0.5rem; border: 1px solid {rule}; }
table.heat thead th { vertical-align: bottom; }
table.heat thead td { border: 0; }
table.heat td { text-align: end; white-space: nowrap; font-variant-numeric: tabular-nums; }
/* Shading by share: heat-0 under 10%, heat-1 10-29%, heat-2 30-49%,
   heat-3 50-69%, heat-4 70-89%, heat-5 90-100%. */
{heat}@media (forced-colors: active) {
  svg.chart { forced-color-adjust: none; }
  svg.chart text { fill: CanvasText; stroke: Canvas; }
  svg.chart .chart-note-in { fill: HighlightText; stroke: Highlight; }
  .chart-track { fill: Canvas; stroke: CanvasText; stroke-width: 1; }
  .chart-bar { fill: Highlight; }
  .chart-bar-chosen { stroke: CanvasText; }
  .chart-grid { stroke: GrayText; }
  .chart-threshold { stroke: CanvasText; }
  .chart-threshold-halo { stroke: Canvas; }
}
`

var css = func() string {
	var heat strings.Builder
	for i := range heatBins {
		heat.WriteString("table.heat td.heat-" + strconv.Itoa(i) + " { background: " + heatBg[i] + "; color: " + heatFg[i] + "; }\n")
	}
	return strings.NewReplacer(
		"{ink}", ink, "{paper}", paper, "{wash}", wash, "{rule}", rule,
		"{blue}", blue, "{green}", green, "{heat}", heat.String(),
	).Replace(cssTemplate)
}()

// CSS returns the stylesheet rules the charts need: the chart's width on
// the page, the bar, winner and threshold classes, the table and its
// heat-0 … heat-5 shading. The site serves it as static/chart.css; a test
// checks the two agree.
func CSS() string { return css }

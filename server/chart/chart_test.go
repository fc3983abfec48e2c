package chart

import (
	"encoding/xml"
	"flag"
	"fmt"
	"html/template"
	"io"
	"math"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

var (
	// cssFile is the stylesheet the site serves; it must say what CSS says.
	cssFile = "../../static/chart.css"
	update  = flag.Bool("update", false, "rewrite static/chart.css from CSS()")
	example = flag.String("example", "", "write an example page to this file")
)

// english are the words the server gives a chart in English.
var english = Words{
	NoVotes:        "No votes yet",
	Ballots:        "Ballots",
	Needed:         func(p string) string { return "needed: " + p },
	NeededSentence: func(p string) string { return "Needed: " + p + "." },
}

// hostile is user text written to break out of the markup.
var hostile = []string{
	`<script>alert(1)</script>`,
	`"onload="x`,
	`' onmouseover='alert(1)`,
	`</text></svg><img src=x onerror=alert(1)>`,
	`</title><script>alert(1)</script>`,
	`<style>svg{display:none}</style>`,
	`<![CDATA[<script>alert(1)</script>]]>`,
	`<!-- x --> &amp; &lt;b&gt;`,
	"line\nbreak\x00nul\x1bescape",
}

// svgElements is what a chart may contain.
var svgElements = map[string]bool{
	"svg": true, "title": true, "desc": true, "g": true,
	"rect": true, "text": true, "line": true, "tspan": true,
}

// tableElements is what a heat table may contain.
var tableElements = map[string]bool{
	"p": true, "div": true, "table": true, "thead": true, "tbody": true,
	"tr": true, "th": true, "td": true,
}

// parse parses out as the content of a <body>, as a browser would.
func parse(t *testing.T, out string) []*html.Node {
	t.Helper()
	body := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, err := html.ParseFragment(strings.NewReader(out), body)
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, out)
	}
	return nodes
}

// walk calls f for every element in nodes, depth first.
func walk(nodes []*html.Node, f func(*html.Node)) {
	var visit func(*html.Node)
	visit = func(n *html.Node) {
		if n.Type == html.ElementNode {
			f(n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c)
		}
	}
	for _, n := range nodes {
		visit(n)
	}
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasClass(n *html.Node, class string) bool {
	for _, c := range strings.Fields(attr(n, "class")) {
		if c == class {
			return true
		}
	}
	return false
}

// textOf is the text inside n, leaving out <title> children (hover text).
func textOf(n *html.Node) string {
	var b strings.Builder
	var visit func(*html.Node)
	visit = func(n *html.Node) {
		switch {
		case n.Type == html.TextNode:
			b.WriteString(n.Data)
		case n.Type == html.ElementNode && n.Data == "title":
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c)
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		visit(c)
	}
	return b.String()
}

// find returns the elements of nodes with the given name and, if class is
// not empty, that class.
func find(nodes []*html.Node, name, class string) []*html.Node {
	var found []*html.Node
	walk(nodes, func(n *html.Node) {
		if n.Data == name && (class == "" || hasClass(n, class)) {
			found = append(found, n)
		}
	})
	return found
}

// checkAllowed reports elements off the allow-list, comments, event
// handlers and style attributes.
func checkAllowed(t *testing.T, nodes []*html.Node, allowed map[string]bool, namespace string) {
	t.Helper()
	var visit func(*html.Node)
	visit = func(n *html.Node) {
		switch n.Type {
		case html.CommentNode, html.DoctypeNode:
			t.Errorf("node of type %d: %q", n.Type, n.Data)
		case html.ElementNode:
			if !allowed[n.Data] || n.Namespace != namespace {
				t.Errorf("element <%s> in namespace %q", n.Data, n.Namespace)
			}
			for _, a := range n.Attr {
				key := strings.ToLower(a.Key)
				if strings.HasPrefix(key, "on") || key == "style" || a.Namespace != "" {
					t.Errorf("attribute <%s %s=%q>", n.Data, a.Key, a.Val)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c)
		}
	}
	for _, n := range nodes {
		visit(n)
	}
}

func checkSVG(t *testing.T, out string) []*html.Node {
	t.Helper()
	nodes := parse(t, out)
	if len(nodes) != 1 || nodes[0].Data != "svg" {
		t.Fatalf("want one <svg>, got %d nodes:\n%s", len(nodes), out)
	}
	checkAllowed(t, nodes, svgElements, "svg")
	// The drawing runs left to right whatever the page's direction.
	if d := attr(nodes[0], "direction"); d != "ltr" {
		t.Errorf("<svg> has direction=%q, want ltr", d)
	}
	// Text without a halo would be painted over by the forced-colours
	// stroke in the CSS.
	for _, n := range find(nodes, "text", "") {
		if attr(n, "paint-order") != "stroke" || attr(n, "stroke-width") == "" {
			t.Errorf("<text class=%q> has no halo", attr(n, "class"))
		}
	}
	return nodes
}

func TestClamp(t *testing.T) {
	tests := []struct{ in, want float64 }{
		{math.NaN(), 0}, {math.Inf(-1), 0}, {-0.2, 0}, {0, 0},
		{0.5, 0.5}, {1, 1}, {1.5, 1}, {math.Inf(1), 1},
	}
	for _, tt := range tests {
		if got := clamp(tt.in); got != tt.want {
			t.Errorf("clamp(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestPercent(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{0, "0%"}, {0.5, "50%"}, {2.0 / 3, "66.7%"}, {0.496, "49.6%"}, {1, "100%"},
		{math.NaN(), "0%"}, {-1, "0%"}, {3, "100%"},
	}
	for _, tt := range tests {
		if got := (Words{}).percent(tt.in); got != tt.want {
			t.Errorf("percent(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestBarsRows(t *testing.T) {
	bars := []Bar{
		{Label: "Version 12 — Southwark Council (Statutory)", Value: 0.74, Note: "74% (157 of 212) chosen", Mark: true},
		{Label: "Version 3 — Peckham Residents", Value: 0.2, Note: "20% (42 of 212)"},
		{Label: "Version 7", Value: 0.0613, Note: ""},
	}
	nodes := checkSVG(t, string(Bars("v", "Votes on “housing need”", "212 ballots.", bars, 0.5, english)))

	if got := len(find(nodes, "rect", "chart-bar")); got != len(bars) {
		t.Errorf("%d bars, want %d", got, len(bars))
	}
	if got := len(find(nodes, "rect", "chart-track")); got != len(bars) {
		t.Errorf("%d tracks, want %d", got, len(bars))
	}
	var labels, notes []string
	for _, n := range find(nodes, "text", "chart-label") {
		var lines []string
		for _, span := range find([]*html.Node{n}, "tspan", "") {
			lines = append(lines, textOf(span))
		}
		labels = append(labels, strings.Join(lines, " "))
	}
	for _, n := range find(nodes, "text", "chart-note") {
		notes = append(notes, textOf(n))
	}
	wantLabels := []string{bars[0].Label, bars[1].Label, bars[2].Label}
	wantNotes := []string{bars[0].Note, bars[1].Note, "6.1%"}
	if fmt.Sprint(labels) != fmt.Sprint(wantLabels) {
		t.Errorf("labels %q, want %q", labels, wantLabels)
	}
	if fmt.Sprint(notes) != fmt.Sprint(wantNotes) {
		t.Errorf("notes %q, want %q", notes, wantNotes)
	}

	desc := textOf(find(nodes, "desc", "")[0])
	for _, want := range []string{"212 ballots.", "Needed: 50%.", bars[0].Label + ": " + bars[0].Note + ".", "Version 7: 6.1%."} {
		if !strings.Contains(desc, want) {
			t.Errorf("desc %q does not contain %q", desc, want)
		}
	}
	var axis []string
	for _, n := range find(nodes, "text", "chart-axis") {
		axis = append(axis, textOf(n))
	}
	if got := strings.Join(axis, " "); got != "0% 25% 50% 75% 100%" {
		t.Errorf("scale %q", got)
	}
}

// A chart says only the words its caller gives, and writes numbers the
// caller's way: the package knows no language.
func TestChartWordsFromTheCaller(t *testing.T) {
	spanish := Words{
		NoVotes:        "Aún no hay votos",
		Ballots:        "Papeletas",
		Needed:         func(p string) string { return "necesario: " + p },
		NeededSentence: func(p string) string { return "Hace falta " + p + "." },
		Percent: func(p float64) string {
			return strings.Replace(strconv.FormatFloat(p, 'f', -1, 64), ".", ",", 1) + "\u00a0%"
		},
		Number: func(n int) string { return "n" + strconv.Itoa(n) },
	}
	bars := Bars("es", "Votos", "", []Bar{{Label: "Versión 3", Value: 2.0 / 3}}, 0.5, spanish)
	empty := Bars("es0", "Votos", "", nil, 0.5, spanish)
	heat := HeatTable(Heat{Columns: []string{"Versión 3"}, Rows: []HeatRow{{Label: "Peckham", Ballots: 1200, Shares: []float64{0.74}, Counts: []int{31}}}}, spanish)
	noRows := HeatTable(Heat{Columns: []string{"Versión 3"}}, spanish)
	nodes := checkSVG(t, string(bars))
	for _, want := range []string{"necesario: 50\u00a0%", "66,7\u00a0%", "25\u00a0%"} {
		if !strings.Contains(textOf(nodes[0]), want) {
			t.Errorf("chart does not say %q: %q", want, textOf(nodes[0]))
		}
	}
	if got, want := textOf(find(nodes, "desc", "")[0]), "Hace falta 50\u00a0%. Versión 3: 66,7\u00a0%."; got != want {
		t.Errorf("desc %q, want %q", got, want)
	}
	for _, tt := range []struct {
		out  template.HTML
		want []string
	}{
		{empty, []string{"Aún no hay votos", "<desc id=\"es0-desc\">Aún no hay votos.</desc>"}},
		{heat, []string{"<th scope=\"col\">Papeletas</th>", "74\u00a0% (n31)", "<td>n1200</td>"}},
		{noRows, []string{"Aún no hay votos"}},
	} {
		for _, want := range tt.want {
			if !strings.Contains(string(tt.out), want) {
				t.Errorf("%s does not say %q", tt.out, want)
			}
		}
	}
	for _, out := range []template.HTML{bars, empty, heat, noRows} {
		for _, english := range []string{"needed", "Needed", "No votes", "Ballots"} {
			if strings.Contains(string(out), english) {
				t.Errorf("%s says %q, an English word", out, english)
			}
		}
	}
}

func TestBarsWidths(t *testing.T) {
	tests := []struct {
		value float64
		want  float64
	}{
		{math.NaN(), 0}, {-0.2, 0}, {0, 0}, {0.25, plotW / 4}, {1, plotW}, {1.5, plotW}, {math.Inf(1), plotW},
	}
	for _, tt := range tests {
		nodes := checkSVG(t, string(Bars("w", "t", "", []Bar{{Label: "a", Value: tt.value}}, -1, english)))
		bar := find(nodes, "rect", "chart-bar")[0]
		if got, _ := strconv.ParseFloat(attr(bar, "width"), 64); math.Abs(got-tt.want) > 0.05 {
			t.Errorf("value %v: width %v, want %v", tt.value, got, tt.want)
		}
	}
}

func TestBarsEmpty(t *testing.T) {
	for _, bars := range [][]Bar{nil, {}} {
		out := string(Bars("e", "Votes on “x”", "", bars, 0.5, english))
		nodes := checkSVG(t, out)
		if got := textOf(nodes[0]); !strings.Contains(got, "No votes yet") {
			t.Errorf("empty chart says %q", got)
		}
		if desc := textOf(find(nodes, "desc", "")[0]); desc != "No votes yet." {
			t.Errorf("desc %q", desc)
		}
		if n := len(find(nodes, "rect", "")) + len(find(nodes, "line", "")); n != 0 {
			t.Errorf("empty chart draws %d shapes", n)
		}
		if vb := attr(nodes[0], "viewBox"); vb != "0 0 360 40" {
			t.Errorf("viewBox %q", vb)
		}
	}
}

func TestBarsAccessible(t *testing.T) {
	nodes := checkSVG(t, string(Bars("acc", "Votes", "Lead-in.", []Bar{{Label: "a", Value: 0.3}}, 0.5, english)))
	svg := nodes[0]
	for key, want := range map[string]string{
		"role": "img", "aria-labelledby": "acc-title", "aria-describedby": "acc-desc", "width": "100%",
	} {
		if got := attr(svg, key); got != want {
			t.Errorf("%s=%q, want %q", key, got, want)
		}
	}
	if attr(svg, "height") != "" {
		t.Errorf("fixed height %q", attr(svg, "height"))
	}
	if !regexp.MustCompile(`^0 0 360 \d+$`).MatchString(attr(svg, "viewBox")) {
		t.Errorf("viewBox %q", attr(svg, "viewBox"))
	}
	first := svg.FirstChild
	if first == nil || first.Data != "title" || attr(first, "id") != "acc-title" || textOf(first) != "Votes" {
		t.Errorf("first child is not the title")
	}
	if d := find(nodes, "desc", ""); len(d) != 1 || attr(d[0], "id") != "acc-desc" {
		t.Errorf("no desc with id acc-desc")
	}
}

func TestBarsIDs(t *testing.T) {
	tests := []struct{ ids []string }{
		{[]string{"results-1", "results-2"}},
		{[]string{"a", "b", "c"}},
		{[]string{`x" onload="alert(1)`, "x y"}},
	}
	for _, tt := range tests {
		var page strings.Builder
		for _, id := range tt.ids {
			page.WriteString(string(Bars(id, "t", "d", []Bar{{Label: "a", Value: 0.5}}, 0.5, english)))
		}
		nodes := parse(t, page.String())
		seen := map[string]bool{}
		walk(nodes, func(n *html.Node) {
			if id := attr(n, "id"); id != "" {
				if seen[id] {
					t.Errorf("%q: id %q repeated", tt.ids, id)
				}
				seen[id] = true
			}
		})
		for i, svg := range find(nodes, "svg", "") {
			prefix := idPrefix(tt.ids[i])
			for _, key := range []string{"aria-labelledby", "aria-describedby"} {
				ref := attr(svg, key)
				if !seen[ref] || !strings.HasPrefix(ref, prefix+"-") || strings.ContainsAny(ref, " \"<>") {
					t.Errorf("%s=%q: not an id with prefix %q", key, ref, prefix)
				}
			}
		}
		if len(seen) != 2*len(tt.ids) {
			t.Errorf("%q: %d ids, want %d", tt.ids, len(seen), 2*len(tt.ids))
		}
	}
}

func TestBarsEscaping(t *testing.T) {
	for _, s := range hostile {
		out := string(Bars(s, s, s, []Bar{{Label: s, Value: 0.5, Note: s, Mark: true}}, 0.5, english))
		if strings.Contains(out, "<script") || strings.Contains(out, "<style") || strings.Contains(out, "<img") {
			t.Errorf("%q: raw markup in\n%s", s, out)
		}
		nodes := checkSVG(t, out)
		if got, want := textOf(find(nodes, "title", "")[0]), clean(s); got != want {
			t.Errorf("title %q, want %q", got, want)
		}
		if got, want := textOf(find(nodes, "text", "chart-note")[0]), clean(s); got != want {
			t.Errorf("note %q, want %q", got, want)
		}
	}
}

// TestBarsHostileText parses the chart both as XML, as an .svg file would
// be read, and as HTML, as a browser reads it inline, and checks that
// labels written to break out of the markup are text and nothing else.
func TestBarsHostileText(t *testing.T) {
	for _, s := range []string{
		`</text><script>alert(1)</script>`, // fits one line, so one <tspan>
		`Q&A: "Tom's" <b>&amp;</b> + more`,
	} {
		out := string(Bars("h", s, s, []Bar{{Label: s, Value: 0.5, Note: s}}, 0.5, english))

		// As XML: well formed, no <script>, and the text nodes are s.
		var (
			texts = map[string]string{} // element (and class) → its text
			stack []string
			d     = xml.NewDecoder(strings.NewReader(out))
		)
		for {
			tok, err := d.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%q: not XML: %v\n%s", s, err, out)
			}
			switch tok := tok.(type) {
			case xml.StartElement:
				if tok.Name.Local == "script" {
					t.Errorf("%q: <script> element", s)
				}
				name := tok.Name.Local
				for _, a := range tok.Attr {
					if a.Name.Local == "class" {
						name += "." + a.Value
					}
				}
				stack = append(stack, name)
			case xml.EndElement:
				stack = stack[:len(stack)-1]
			case xml.CharData:
				key := strings.Join(stack, " ")
				texts[key] += string(tok)
			}
		}
		for _, key := range []string{
			"svg.chart title", "svg.chart g text.chart-label tspan", "svg.chart g text.chart-note",
		} {
			if texts[key] != s {
				t.Errorf("%q: XML text of %s is %q", s, key, texts[key])
			}
		}
		if !strings.Contains(texts["svg.chart desc"], s+": "+s+".") {
			t.Errorf("%q: XML desc %q", s, texts["svg.chart desc"])
		}

		// As HTML: the same.
		nodes := checkSVG(t, out)
		if n := find(nodes, "script", ""); len(n) != 0 {
			t.Errorf("%q: <script> element", s)
		}
		for _, n := range []*html.Node{
			find(nodes, "title", "")[0], find(nodes, "tspan", "")[0], find(nodes, "text", "chart-note")[0],
		} {
			if got := textOf(n); got != s {
				t.Errorf("%q: HTML text of <%s> is %q", s, n.Data, got)
			}
		}

		nodes = parse(t, string(HeatTable(Heat{Caption: s, Columns: []string{s}, Rows: []HeatRow{{Label: s}}}, english)))
		if n := find(nodes, "script", ""); len(n) != 0 {
			t.Errorf("%q: <script> element in the table", s)
		}
		for _, n := range append(find(nodes, "p", ""), find(nodes, "th", "")...) {
			if got := textOf(n); got != s && got != "Ballots" {
				t.Errorf("%q: table <%s> is %q", s, n.Data, got)
			}
		}
	}
}

// TestAttributeValues checks that html/template, which does not know SVG,
// prints the chart's attributes as the plain values they are: no
// "ZgotmplZ" (its mark for a value refused in a URL, style or script
// context), and numbers, colours and classes as given.
func TestAttributeValues(t *testing.T) {
	var (
		number = regexp.MustCompile(`^-?\d+(\.\d)?$`)
		colour = regexp.MustCompile(`^#[0-9a-f]{6}$`)
		class  = regexp.MustCompile(`^[a-z][a-z0-9-]*( [a-z][a-z0-9-]*)*$`)
	)
	kinds := map[string]*regexp.Regexp{
		"x": number, "y": number, "x1": number, "x2": number, "y1": number, "y2": number,
		"dy": number, "width": number, "height": number, "font-size": number,
		"font-weight": number, "stroke-width": number,
		"fill": colour, "stroke": colour, "class": class,
		"text-anchor":      regexp.MustCompile(`^(start|middle|end)$`),
		"stroke-dasharray": regexp.MustCompile(`^6 4$`),
		"stroke-linejoin":  regexp.MustCompile(`^round$`),
		"paint-order":      regexp.MustCompile(`^stroke$`),
	}
	outs := []string{
		string(Bars("v", "t", "d", benchBars, 0.5, english)),
		string(Bars("v", "t", "d", benchBars, 1, english)),
		string(Bars("v", "t", "d", nil, 0.5, english)),
	}
	for _, s := range hostile {
		outs = append(outs, string(Bars(s, s, s, []Bar{{Label: s, Value: 0.5, Note: s, Mark: true}}, 0.5, english)))
	}
	for _, out := range outs {
		if strings.Contains(out, "ZgotmplZ") {
			t.Errorf("ZgotmplZ in\n%s", out)
		}
		nodes := checkSVG(t, out)
		svg := nodes[0]
		if got := attr(svg, "xmlns"); got != "http://www.w3.org/2000/svg" {
			t.Errorf("xmlns=%q", got)
		}
		if !regexp.MustCompile(`^0 0 360 \d+$`).MatchString(attr(svg, "viewBox")) {
			t.Errorf("viewBox=%q", attr(svg, "viewBox"))
		}
		walk(nodes, func(n *html.Node) {
			if n.Data == "svg" || n.Data == "title" || n.Data == "desc" {
				return
			}
			for _, a := range n.Attr {
				if re := kinds[a.Key]; re == nil || !re.MatchString(a.Val) {
					t.Errorf("<%s %s=%q>", n.Data, a.Key, a.Val)
				}
			}
		})
	}
	// Spot checks, so a regexp that matched too much would be noticed.
	nodes := checkSVG(t, outs[0])
	note := find(nodes, "text", "chart-note")[0]
	for key, want := range map[string]string{
		"class": "chart-note chart-note-in", "x": "258.7", "y": "91.6", "font-size": "16",
		"text-anchor": "end", "fill": paper, "stroke": green, "stroke-width": "4",
	} {
		if got := attr(note, key); got != want {
			t.Errorf("note %s=%q, want %q", key, got, want)
		}
	}
	bar := find(nodes, "rect", "chart-bar-chosen")[0]
	for key, want := range map[string]string{
		"x": "4", "width": "260.7", "height": "26", "fill": green, "stroke": ink, "stroke-width": "3",
	} {
		if got := attr(bar, key); got != want {
			t.Errorf("chosen bar %s=%q, want %q", key, got, want)
		}
	}

	out := string(HeatTable(Heat{
		ID: "h", Caption: "c", Columns: []string{"a", "b"},
		Rows: []HeatRow{{Label: "r", Ballots: 3, Shares: []float64{0.74}, Counts: []int{2}}},
	}, english))
	if strings.Contains(out, "ZgotmplZ") {
		t.Errorf("ZgotmplZ in\n%s", out)
	}
	nodes = parse(t, out)
	if td := find(nodes, "td", "heat-4"); len(td) != 1 || textOf(td[0]) != "74% (2)" {
		t.Errorf("cell %v", td)
	}
	walk(nodes, func(n *html.Node) {
		for _, a := range n.Attr {
			if a.Key == "id" || a.Key == "aria-labelledby" {
				if a.Val != "h-caption" {
					t.Errorf("<%s %s=%q>", n.Data, a.Key, a.Val)
				}
			}
		}
	})
	empty := parse(t, string(HeatTable(Heat{Columns: []string{"a", "b"}}, english)))
	if td := find(find(empty, "tbody", ""), "td", ""); len(td) != 1 || attr(td[0], "colspan") != "4" {
		t.Errorf("empty table: %v", td)
	}
}

func TestBarsLongLabel(t *testing.T) {
	long := strings.Repeat("Southwark Council Housing Department ", 5)
	tests := []struct {
		label  string
		lines  int
		cut    bool
		suffix string
	}{
		{"Short", 1, false, "Short"},
		{"Version 12 — Southwark Council (Statutory) housing team", 2, false, "housing team"},
		{long, labelLines, true, "…"},
		{strings.Repeat("x", 200), labelLines, true, "…"},
		{strings.Repeat("住宅", 40), labelLines, true, "…"},
	}
	for _, tt := range tests {
		nodes := checkSVG(t, string(Bars("l", "t", "", []Bar{{Label: tt.label, Value: 1}}, -1, english)))
		label := find(nodes, "text", "chart-label")[0]
		spans := find([]*html.Node{label}, "tspan", "")
		if len(spans) != tt.lines {
			t.Errorf("%.20q: %d lines, want %d", tt.label, len(spans), tt.lines)
		}
		for _, s := range spans {
			if n := strCols(textOf(s)); n > labelCols {
				t.Errorf("%.20q: line of %d columns", tt.label, n)
			}
		}
		if got := textOf(spans[len(spans)-1]); !strings.HasSuffix(got, tt.suffix) {
			t.Errorf("%.20q: last line %q, want suffix %q", tt.label, got, tt.suffix)
		}
		titles := find([]*html.Node{label}, "title", "")
		if tt.cut != (len(titles) == 1) {
			t.Errorf("%.20q: %d hover titles, want cut=%v", tt.label, len(titles), tt.cut)
		}
		if tt.cut && textOf(titles[0]) != clean(tt.label) {
			t.Errorf("hover title %q, want the whole label", textOf(titles[0]))
		}
	}
}

func TestWrap(t *testing.T) {
	tests := []struct {
		in    string
		width int
		lines int
		want  []string
		cut   bool
	}{
		{"", 10, 2, nil, false},
		{"one two", 10, 2, []string{"one two"}, false},
		{"one two three", 10, 2, []string{"one two", "three"}, false},
		{"one two three four five", 10, 2, []string{"one two", "three fou…"}, true},
		{"abcdefghijklmno", 10, 2, []string{"abcdefghij", "klmno"}, false},
		{"a abcdefghijklmnopqrstuvwxyz", 10, 2, []string{"a", "abcdefghi…"}, true},
		{"住宅住宅住宅住宅", 6, 2, []string{"住宅住", "宅住…"}, true},
		{"a bcdefghijklmnopqrstuvwxyz", 10, 3, []string{"a", "bcdefghijk", "lmnopqrst…"}, true},
		{"abcdefghijklmn op", 10, 2, []string{"abcdefghij", "klmn op"}, false},
	}
	for _, tt := range tests {
		got, cut := wrap(tt.in, tt.width, tt.lines)
		if fmt.Sprint(got) != fmt.Sprint(tt.want) || cut != tt.cut {
			t.Errorf("wrap(%q, %d, %d) = %q, %v; want %q, %v", tt.in, tt.width, tt.lines, got, cut, tt.want, tt.cut)
		}
	}
}

func TestBarsThreshold(t *testing.T) {
	tests := []struct {
		threshold float64
		label     string // "" for no line
		x         float64
	}{
		{-1, "", 0},
		{math.NaN(), "", 0},
		{0, "needed: 0%", pad},
		{0.5, "needed: 50%", pad + plotW/2},
		{2.0 / 3, "needed: 66.7%", pad + plotW*2/3},
		{1, "needed: 100%", width - pad},
		{1.2, "needed: 100%", width - pad},
	}
	for _, tt := range tests {
		nodes := checkSVG(t, string(Bars("th", "t", "", []Bar{{Label: "a", Value: 0.6}}, tt.threshold, english)))
		lines := find(nodes, "line", "chart-threshold")
		labels := find(nodes, "text", "chart-threshold-label")
		if tt.label == "" {
			if len(lines)+len(labels) != 0 {
				t.Errorf("threshold %v: drew a line", tt.threshold)
			}
			continue
		}
		if len(lines) != 1 || len(labels) != 1 {
			t.Fatalf("threshold %v: %d lines, %d labels", tt.threshold, len(lines), len(labels))
		}
		if got := textOf(labels[0]); got != tt.label {
			t.Errorf("threshold %v: label %q, want %q", tt.threshold, got, tt.label)
		}
		if got, _ := strconv.ParseFloat(attr(lines[0], "x1"), 64); math.Abs(got-tt.x) > 0.05 {
			t.Errorf("threshold %v: line at %v, want %v", tt.threshold, got, tt.x)
		}
	}
}

func TestBarsMark(t *testing.T) {
	nodes := checkSVG(t, string(Bars("m", "t", "", []Bar{{Label: "a", Value: 0.6, Mark: true}, {Label: "b", Value: 0.4}}, -1, english)))
	bars := find(nodes, "rect", "chart-bar")
	if !hasClass(bars[0], "chart-bar-chosen") || attr(bars[0], "stroke-width") != "3" || attr(bars[0], "fill") != green {
		t.Errorf("chosen bar drawn as %v", bars[0].Attr)
	}
	if hasClass(bars[1], "chart-bar-chosen") || attr(bars[1], "stroke") != "" {
		t.Errorf("other bar drawn as %v", bars[1].Attr)
	}
}

// TestBarsNotePlacement checks notes stay inside the chart: after the bar
// when there is room, inside its end when not, below it as a last resort.
func TestBarsNotePlacement(t *testing.T) {
	tests := []struct {
		value float64
		note  string
		where string
	}{
		{0, "0% (0 of 212)", "after"},
		{0.4, "40% (85 of 212)", "after"},
		{0.74, "74% (157 of 212)", "inside"},
		{1, "100% (212 of 212)", "inside"},
		{0.5, strings.Repeat("a very long note ", 3), "below"},
	}
	for _, tt := range tests {
		nodes := checkSVG(t, string(Bars("n", "t", "", []Bar{{Label: "a", Value: tt.value, Note: tt.note}}, -1, english)))
		note := find(nodes, "text", "chart-note")[0]
		bar := find(nodes, "rect", "chart-bar")[0]
		x, _ := strconv.ParseFloat(attr(note, "x"), 64)
		y, _ := strconv.ParseFloat(attr(note, "y"), 64)
		by, _ := strconv.ParseFloat(attr(bar, "y"), 64)
		w := textWidth(clean(tt.note), noteSize)
		var where string
		switch {
		case hasClass(note, "chart-note-in"):
			where = "inside"
			if x-w < pad {
				t.Errorf("%q inside the bar overruns the left edge", tt.note)
			}
		case y > by+barH:
			where = "below"
		default:
			where = "after"
			if x+w > width-pad {
				t.Errorf("%q after the bar overruns the right edge", tt.note)
			}
		}
		if where != tt.where {
			t.Errorf("value %v note %q: %s, want %s", tt.value, tt.note, where, tt.where)
		}
	}
}

func TestHeatClass(t *testing.T) {
	tests := []struct {
		share float64
		want  string
	}{
		{math.NaN(), "heat-0"}, {-1, "heat-0"},
		{0, "heat-0"}, {0.094, "heat-0"}, {0.095, "heat-1"},
		{0.1, "heat-1"}, {0.29, "heat-1"}, {0.296, "heat-2"},
		{0.3, "heat-2"}, {0.49, "heat-2"},
		{0.5, "heat-3"}, {0.69, "heat-3"},
		{0.7, "heat-4"}, {0.89, "heat-4"},
		{0.9, "heat-5"}, {1, "heat-5"}, {1.5, "heat-5"},
	}
	for _, tt := range tests {
		if got := heatClass(tt.share); got != tt.want {
			t.Errorf("heatClass(%v) = %q, want %q", tt.share, got, tt.want)
		}
	}
}

func TestHeatTable(t *testing.T) {
	h := Heat{
		ID:      "peckham heat", // the space is replaced
		Caption: "Votes by neighbourhood",
		Columns: []string{"Version 12", "Version 3"},
		Rows: []HeatRow{
			{Label: "Peckham", Ballots: 42, Shares: []float64{0.74, 0.26}, Counts: []int{31, 11}},
			{Label: "Bermondsey", Ballots: 10, Shares: []float64{math.NaN(), 1}, Counts: []int{0, 10}},
			{Label: "Walworth", Ballots: 0, Shares: []float64{0.5}, Counts: nil},
		},
	}
	out := string(HeatTable(h, english))
	nodes := parse(t, out)
	checkAllowed(t, nodes, tableElements, "")

	c := find(nodes, "p", "heat-caption")
	if len(c) != 1 || textOf(c[0]) != h.Caption {
		t.Fatalf("caption missing")
	}
	// The caption is outside the scrolling region, so it stays in view,
	// and names the region and the table.
	id := attr(c[0], "id")
	if id != "peckham-heat-caption" {
		t.Errorf("caption id %q, want peckham-heat-caption", id)
	}
	region := find(nodes, "div", "heat-scroll")
	if len(region) != 1 || attr(region[0], "role") != "region" || attr(region[0], "tabindex") != "0" ||
		attr(region[0], "aria-labelledby") != id || len(find([]*html.Node{region[0]}, "p", "")) != 0 {
		t.Errorf("scrolling region: %v", region)
	}
	if table := find(nodes, "table", "heat"); len(table) != 1 || attr(table[0], "aria-labelledby") != id {
		t.Errorf("the table is not named by its caption")
	}
	var cols, rows []string
	for _, th := range find(nodes, "th", "") {
		switch attr(th, "scope") {
		case "col":
			cols = append(cols, textOf(th))
		case "row":
			rows = append(rows, textOf(th))
		default:
			t.Errorf("<th> %q without scope", textOf(th))
		}
	}
	if got := strings.Join(cols, "|"); got != "Version 12|Version 3|Ballots" {
		t.Errorf("column headings %q", got)
	}
	if got := strings.Join(rows, "|"); got != "Peckham|Bermondsey|Walworth" {
		t.Errorf("row headings %q", got)
	}
	want := [][]string{
		{"74% (31) heat-4", "26% (11) heat-1", "42 "},
		{"0% (0) heat-0", "100% (10) heat-5", "10 "},
		{"50% (–) heat-3", "– ", "0 "},
	}
	for i, tr := range find(find(nodes, "tbody", ""), "tr", "") {
		var got []string
		for _, td := range find([]*html.Node{tr}, "td", "") {
			got = append(got, textOf(td)+" "+attr(td, "class"))
		}
		if fmt.Sprint(got) != fmt.Sprint(want[i]) {
			t.Errorf("row %d: %q, want %q", i, got, want[i])
		}
	}
}

func TestHeatTableEmpty(t *testing.T) {
	for _, h := range []Heat{{}, {Caption: "c", Columns: []string{"a", "b"}}} {
		nodes := parse(t, string(HeatTable(h, english)))
		checkAllowed(t, nodes, tableElements, "")
		td := find(find(nodes, "tbody", ""), "td", "")
		if len(td) != 1 || textOf(td[0]) != "No votes yet" || attr(td[0], "colspan") != strconv.Itoa(len(h.Columns)+2) {
			t.Errorf("%+v: empty table body is %v", h, td)
		}
	}
}

func TestHeatTableEscaping(t *testing.T) {
	for _, s := range hostile {
		out := string(HeatTable(Heat{Caption: s, Columns: []string{s}, Rows: []HeatRow{{Label: s, Shares: []float64{1}}}}, english))
		if strings.Contains(out, "<script") || strings.Contains(out, "<style") || strings.Contains(out, "<img") {
			t.Errorf("%q: raw markup in\n%s", s, out)
		}
		nodes := parse(t, out)
		checkAllowed(t, nodes, tableElements, "")
		for _, name := range []string{"p", "th"} {
			if got := textOf(find(nodes, name, "")[0]); got != clean(s) {
				t.Errorf("<%s> %q, want %q", name, got, clean(s))
			}
		}
	}
}

// luminance is the WCAG relative luminance of a #rrggbb colour.
func luminance(t *testing.T, hex string) float64 {
	t.Helper()
	v, err := strconv.ParseUint(strings.TrimPrefix(hex, "#"), 16, 32)
	if err != nil || len(hex) != 7 {
		t.Fatalf("colour %q", hex)
	}
	var l float64
	for i, w := range []float64{0.2126, 0.7152, 0.0722} {
		c := float64(v>>(16-8*i)&0xff) / 255
		if c <= 0.04045 {
			c /= 12.92
		} else {
			c = math.Pow((c+0.055)/1.055, 2.4)
		}
		l += w * c
	}
	return l
}

func TestContrast(t *testing.T) {
	type pair struct{ name, fg, bg string }
	pairs := []pair{
		{"label", ink, paper}, {"note after bar", ink, wash}, {"scale", muted, paper},
		{"note in bar", onBar, blue}, {"note in chosen bar", onBar, green},
	}
	for i := range heatBins {
		pairs = append(pairs, pair{"heat-" + strconv.Itoa(i), heatFg[i], heatBg[i]})
	}
	for _, p := range pairs {
		a, b := luminance(t, p.fg), luminance(t, p.bg)
		ratio := (math.Max(a, b) + 0.05) / (math.Min(a, b) + 0.05)
		if ratio < 4.5 {
			t.Errorf("%s: %s on %s is %.2f:1, want 4.5:1", p.name, p.fg, p.bg, ratio)
		}
	}
}

func TestCSS(t *testing.T) {
	css := CSS()
	if m := regexp.MustCompile(`\{[a-z]+\}`).FindString(css); m != "" {
		t.Errorf("placeholder %s left in CSS", m)
	}
	if strings.Count(css, "{") != strings.Count(css, "}") {
		t.Errorf("unbalanced braces")
	}
	for _, class := range []string{
		"svg.chart", ".chart-bar ", ".chart-bar-chosen", ".chart-threshold ", ".chart-track",
		"td.heat-0", "td.heat-1", "td.heat-2", "td.heat-3", "td.heat-4", "td.heat-5",
	} {
		if !strings.Contains(css, class) {
			t.Errorf("CSS has no rule for %s", class)
		}
	}
	if *update {
		if err := os.WriteFile(cssFile, []byte(css), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	file, err := os.ReadFile(cssFile)
	if err != nil {
		t.Fatal(err)
	}
	if string(file) != css {
		t.Errorf("static/chart.css differs from CSS(); run go test ./server/chart -run TestCSS -update")
	}
}

// TestExamplePage writes a page showing each chart, for looking at in a
// browser: go test -run TestExamplePage -example /tmp/chart-example.html
// The <style> element is for viewing only; the site links style.css.
func TestExamplePage(t *testing.T) {
	if *example == "" {
		t.Skip("no -example file")
	}
	bars := []Bar{
		{Label: "Version 12 — Southwark Council (Statutory)", Value: 157.0 / 212, Note: "74% (157 of 212), chosen", Mark: true},
		{Label: "Version 3 — Peckham and Nunhead Residents’ Association (Voluntary), the plain-English rewrite", Value: 42.0 / 212, Note: "20% (42 of 212)"},
		{Label: "Version 7 — <script>alert(1)</script>", Value: 13.0 / 212, Note: "6% (13 of 212)"},
		{Label: "Version 9", Value: 0, Note: "0% (0 of 212)"},
	}
	heat := Heat{
		Caption: "Votes by neighbourhood",
		Columns: []string{"Version 12", "Version 3", "Version 7"},
		Rows: []HeatRow{
			{Label: "Peckham", Ballots: 42, Shares: []float64{0.74, 0.2, 0.06}, Counts: []int{31, 8, 3}},
			{Label: "Bermondsey and Rotherhithe", Ballots: 90, Shares: []float64{0.95, 0.05, 0}, Counts: []int{85, 5, 0}},
			{Label: "Walworth", Ballots: 50, Shares: []float64{0.5, 0.34, 0.16}, Counts: []int{25, 17, 8}},
			{Label: "Camberwell", Ballots: 30, Shares: []float64{0.1, 0.3, 0.6}, Counts: []int{3, 9, 18}},
		},
	}
	site, _ := os.ReadFile("../../static/style.css")
	page := `<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
		`<title>Chart example</title><style>` + string(site) + CSS() + `</style><main><h1>Results</h1>` +
		`<h2>Which wording makes sense?</h2>` +
		string(Bars("votes", "Votes on “housing need”", "212 ballots cast.", bars, 0.5, english)) +
		`<h2>By neighbourhood</h2>` + string(HeatTable(heat, english)) +
		`<h2>Nothing yet</h2>` + string(Bars("none", "Votes on “tenure”", "", nil, 0.5, english)) +
		`</main></html>`
	if err := os.WriteFile(*example, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
}

// benchBars is a results page's chart: a winner, a long label that wraps
// and is cut, and notes in each of their three places.
var benchBars = []Bar{
	{Label: "Version 12 — Southwark Council (Statutory)", Value: 157.0 / 212, Note: "74% (157 of 212), chosen", Mark: true},
	{Label: strings.Repeat("Peckham and Nunhead Residents’ Association ", 4), Value: 42.0 / 212, Note: "20% (42 of 212)"},
	{Label: "Version 7", Value: 0.02, Note: "2% (4 of 212), a long note that goes below"},
	{Label: "Version 9", Value: 0, Note: "0% (0 of 212)"},
}

func BenchmarkBars(b *testing.B) {
	for b.Loop() {
		Bars("votes", "Votes on “housing need”", "212 ballots cast.", benchBars, 0.5, english)
	}
}

func BenchmarkHeatTable(b *testing.B) {
	h := Heat{
		ID:      "heat",
		Caption: "Votes by neighbourhood",
		Columns: []string{"Version 12", "Version 3", "Version 7"},
		Rows: []HeatRow{
			{Label: "Peckham", Ballots: 42, Shares: []float64{0.74, 0.2, 0.06}, Counts: []int{31, 8, 3}},
			{Label: "Bermondsey", Ballots: 90, Shares: []float64{0.95, 0.05, 0}, Counts: []int{85, 5, 0}},
			{Label: "Walworth", Ballots: 50, Shares: []float64{0.5, 0.34}, Counts: []int{25, 17}},
		},
	}
	for b.Loop() {
		HeatTable(h, english)
	}
}

package markdown

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// parse parses rendered HTML as the content of a body element.
func parse(t testing.TB, out string) []*html.Node {
	t.Helper()
	body := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, err := html.ParseFragment(strings.NewReader(out), body)
	if err != nil {
		t.Fatalf("parse %q: %v", out, err)
	}
	return nodes
}

// elements returns every element named tag, in document order.
func elements(nodes []*html.Node, tag string) []*html.Node {
	var found []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == tag {
			found = append(found, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range nodes {
		walk(n)
	}
	return found
}

// textOf returns the text content of nodes.
func textOf(nodes ...*html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range nodes {
		walk(n)
	}
	return b.String()
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func render(t testing.TB, src string, exists func(string) bool) Result {
	t.Helper()
	res, err := Render(src, exists)
	if err != nil {
		t.Fatalf("Render(%q): %v", src, err)
	}
	return res
}

func TestGFM(t *testing.T) {
	tests := []struct {
		name  string
		src   string
		tag   string            // an element that must be there
		attrs map[string]string // attributes it must have
		text  string            // text it must contain
	}{
		{"paragraph", "Plain words.", "p", nil, "Plain words."},
		{"heading", "## Who it is for", "h2", nil, "Who it is for"},
		{"emphasis", "a *care* b", "em", nil, "care"},
		{"strong", "a **care** b", "strong", nil, "care"},
		{"strikethrough", "a ~~old wording~~ b", "del", nil, "old wording"},
		{"table", "| Term | Meaning |\n|---|---|\n| GP | family doctor |", "td", nil, "family doctor"},
		{"table header", "| Term | Meaning |\n|---|---|\n| GP | family doctor |", "th", nil, "Meaning"},
		{"table align", "| a | b |\n|:-:|--:|\n| 1 | 2 |", "td", map[string]string{"align": "right"}, "2"},
		{"autolink", "See <https://example.org/help>.", "a",
			map[string]string{"href": "https://example.org/help", "rel": "nofollow noopener"}, "https://example.org/help"},
		{"linkify", "See www.southwark.gov.uk today.", "a",
			map[string]string{"href": "http://www.southwark.gov.uk", "rel": "nofollow noopener"}, "www.southwark.gov.uk"},
		{"email", "Write to help@example.org.", "a", map[string]string{"href": "mailto:help@example.org"}, "help@example.org"},
		{"inline link", "[the council](https://www.southwark.gov.uk/)", "a",
			map[string]string{"href": "https://www.southwark.gov.uk/"}, "the council"},
		{"site link", "[all terms](/terms)", "a", map[string]string{"href": "/terms"}, "all terms"},
		{"fragment link", "[below](#more)", "a", map[string]string{"href": "#more"}, "below"},
		{"bullet list", "- GP\n- nurse\n", "li", nil, "nurse"},
		{"ordered list", "3. three\n4. four\n", "ol", map[string]string{"start": "3"}, "four"},
		{"task list", "- [x] agreed\n- [ ] to do\n", "input", map[string]string{"type": "checkbox", "disabled": ""}, ""},
		{"blockquote", "> said a resident", "blockquote", nil, "said a resident"},
		{"code span", "type `ls`", "code", nil, "ls"},
		{"code block", "```\n<b>x</b>\n```", "pre", nil, "<b>x</b>"},
		{"image", "![a map](/static/map.png)", "img", map[string]string{"src": "/static/map.png", "alt": "a map"}, ""},
		{"image from elsewhere is a link", "![a map](https://maps.example.org/peckham.png)", "a",
			map[string]string{"href": "https://maps.example.org/peckham.png", "rel": "nofollow noopener"}, "a map"},
		{"rule", "a\n\n---\n\nb", "hr", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := render(t, tt.src, nil)
			els := elements(parse(t, res.HTML), tt.tag)
			if len(els) == 0 {
				t.Fatalf("no <%s> in %q", tt.tag, res.HTML)
			}
			for _, el := range els {
				if !strings.Contains(textOf(el), tt.text) {
					continue
				}
				for k, want := range tt.attrs {
					if got, ok := attr(el, k); !ok || got != want {
						t.Errorf("<%s %s=%q>, want %q; in %q", tt.tag, k, got, want, res.HTML)
					}
				}
				return
			}
			t.Errorf("no <%s> containing %q in %q", tt.tag, tt.text, res.HTML)
		})
	}
}

// TestInternalLinksFollowed checks that only links leaving the site are nofollow.
func TestInternalLinksFollowed(t *testing.T) {
	res := render(t, "[[Care navigator]] [terms](/terms) [mail](mailto:a@example.org)", nil)
	for _, a := range elements(parse(t, res.HTML), "a") {
		if rel, ok := attr(a, "rel"); ok {
			t.Errorf("internal link %q has rel=%q", textOf(a), rel)
		}
	}
}

func TestWikiLinks(t *testing.T) {
	type link struct{ href, class, text string }
	existing := map[string]bool{"neighbourhood-working": true, "social-prescribing": true}
	tests := []struct {
		name   string
		src    string
		exists func(string) bool
		want   []link
		slugs  []string
		text   string
	}{
		{
			name:  "title",
			src:   "Part of [[Neighbourhood working]].",
			want:  []link{{"/terms/neighbourhood-working", "wikilink", "Neighbourhood working"}},
			slugs: []string{"neighbourhood-working"},
			text:  "Part of Neighbourhood working.",
		},
		{
			name:  "slug and label",
			src:   "Part of [[neighbourhood-working|working locally]].",
			want:  []link{{"/terms/neighbourhood-working", "wikilink", "working locally"}},
			slugs: []string{"neighbourhood-working"},
			text:  "Part of working locally.",
		},
		{
			name:  "missing",
			src:   "Ask a [[Care navigator]].",
			want:  []link{{"/terms/care-navigator", "wikilink missing", "Care navigator"}},
			slugs: []string{"care-navigator"},
		},
		{
			name:   "nil exists means none exist",
			src:    "[[Social prescribing]]",
			exists: func(string) bool { return false },
			want:   []link{{"/terms/social-prescribing", "wikilink missing", "Social prescribing"}},
			slugs:  []string{"social-prescribing"},
		},
		{
			name: "unique in first-seen order",
			src: "[[Social prescribing]], [[Care navigator]] and [[social-prescribing|prescribing]].\n\n" +
				"- [[Neighbourhood working]]\n- [[care navigator]]",
			want: []link{
				{"/terms/social-prescribing", "wikilink", "Social prescribing"},
				{"/terms/care-navigator", "wikilink missing", "Care navigator"},
				{"/terms/social-prescribing", "wikilink", "prescribing"},
				{"/terms/neighbourhood-working", "wikilink", "Neighbourhood working"},
				{"/terms/care-navigator", "wikilink missing", "care navigator"},
			},
			slugs: []string{"social-prescribing", "care-navigator", "neighbourhood-working"},
		},
		{
			name: "empty slug is text",
			src:  "[[!!!]] and [[#Section]] and [[---|dashes]]",
			text: "!!! and #Section and dashes",
		},
		{
			name: "no target is not a wiki link",
			src:  "[[|label]]",
			text: "[[|label]]",
		},
		{
			name:  "embed is a link, not an image",
			src:   "![[Care navigator]] ![[map.png]]",
			want:  []link{{"/terms/care-navigator", "wikilink missing", "Care navigator"}, {"/terms/map-png", "wikilink missing", "map.png"}},
			slugs: []string{"care-navigator", "map-png"},
		},
		{
			name:  "fragment is dropped",
			src:   "[[Social prescribing#Who can refer]]",
			want:  []link{{"/terms/social-prescribing", "wikilink", "Social prescribing#Who can refer"}},
			slugs: []string{"social-prescribing"},
		},
		{
			name:  "accents and entities",
			src:   "[[Café &amp; culture]]",
			want:  []link{{"/terms/cafe-and-culture", "wikilink missing", "Café & culture"}},
			slugs: []string{"cafe-and-culture"},
		},
		{
			name: "inside a link it is text",
			src:  "[see [[Care navigator]]](https://example.org)",
			want: []link{{"https://example.org", "", "see Care navigator"}},
		},
		{
			name:  "label is not markdown",
			src:   "[[Care navigator|*care* <b>navigator</b>]]",
			want:  []link{{"/terms/care-navigator", "wikilink missing", "*care* <b>navigator</b>"}},
			slugs: []string{"care-navigator"},
		},
		{
			name: "code is not a link",
			src:  "`[[Care navigator]]`",
			text: "[[Care navigator]]",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			exists := tt.exists
			if exists == nil {
				exists = func(s string) bool { return existing[s] }
			}
			res := render(t, tt.src, exists)
			var got []link
			for _, a := range elements(parse(t, res.HTML), "a") {
				href, _ := attr(a, "href")
				class, _ := attr(a, "class")
				got = append(got, link{href, class, textOf(a)})
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("links in %q:\n got %q\nwant %q", res.HTML, got, tt.want)
			}
			if !reflect.DeepEqual(res.Links, tt.slugs) {
				t.Errorf("Links = %q, want %q", res.Links, tt.slugs)
			}
			if tt.text != "" && res.Text != tt.text {
				t.Errorf("Text = %q, want %q", res.Text, tt.text)
			}
		})
	}
}

func TestText(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"empty", "", ""},
		{"paragraphs", "One line\nwrapped.\n\nTwo.", "One line wrapped.\n\nTwo."},
		{"markup removed", "# Social *prescribing*\n\nA **link** to [help](https://example.org) and `code`.",
			"Social prescribing\n\nA link to help and code."},
		{"lists", "- one\n- two\n\n1. three", "one\n\ntwo\n\nthree"},
		{"tasks", "- [x] done\n- [ ] to do", "done\n\nto do"},
		{"table", "| Term | Meaning |\n|---|---|\n| GP | doctor |", "Term Meaning\n\nGP doctor"},
		{"escapes and entities", `\*not em\* &amp; &copy; &#65;`, "*not em* & © A"},
		{"autolink", "<https://example.org>", "https://example.org"},
		{"code block", "```\nline 1\nline 2\n```", "line 1\nline 2"},
		{"quote", "> quoted\n\nafter", "quoted\n\nafter"},
		{"raw html tags dropped", "<b>hi</b> there", "hi there"},
		{"html block keeps words", "<div>\n<p>Pasted <em>from</em> Word</p>\n</div>", "Pasted from Word"},
		{"script block dropped", "<script>\nalert(1)\n</script>\n\nafter", "after"},
		{"comment dropped", "<!-- note -->\n\nafter", "after"},
		{"image alt", "![a map of Peckham](/static/map.png)", "a map of Peckham"},
		{"unsafe link keeps text", "[click me](javascript:alert(1))", "click me"},
		{"rule", "a\n\n---\n\nb", "a\n\nb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := render(t, tt.src, nil).Text; got != tt.want {
				t.Errorf("Text = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestRawHTML pins down the policy for raw HTML: tags are dropped, the
// words between them kept, and nothing is rendered as an element.
func TestRawHTML(t *testing.T) {
	tests := []struct {
		src, text string
		gone      []string // elements that must not appear
	}{
		{"<b>hi</b>", "hi", []string{"b"}},
		{"say <i>hello</i> to <span>you</span>", "say hello to you", []string{"i", "span"}},
		{"<div>\nall <u>my</u> words\n</div>", "all my words", []string{"div", "u"}},
		{"&lt;b&gt;hi&lt;/b&gt;", "<b>hi</b>", []string{"b"}},
		{"&lt;script&gt;alert(1)&lt;/script&gt;", "<script>alert(1)</script>", []string{"script"}},
		{"\\<b>hi\\</b>", "<b>hi</b>", []string{"b"}},
	}
	for _, tt := range tests {
		res := render(t, tt.src, nil)
		nodes := parse(t, res.HTML)
		if got := strings.TrimSpace(textOf(nodes...)); got != tt.text {
			t.Errorf("Render(%q) shows %q, want %q (HTML %q)", tt.src, got, tt.text, res.HTML)
		}
		if res.Text != tt.text {
			t.Errorf("Render(%q).Text = %q, want %q", tt.src, res.Text, tt.text)
		}
		for _, tag := range tt.gone {
			if len(elements(nodes, tag)) > 0 {
				t.Errorf("Render(%q) = %q has a <%s>", tt.src, res.HTML, tag)
			}
		}
	}
}

func TestSummary(t *testing.T) {
	tests := []struct {
		name string
		text string
		max  int
		want string
	}{
		{"empty", "", 100, ""},
		{"blank", " \n\n ", 100, ""},
		{"one sentence", "A care navigator helps you.", 100, "A care navigator helps you."},
		{"first sentence", "A care navigator helps you. They work at your GP.", 100, "A care navigator helps you."},
		{"question", "Not sure? Ask at reception.", 100, "Not sure?"},
		{"exclamation", "Free! Open to all.", 100, "Free!"},
		{"no terminator", "Working together in a neighbourhood", 100, "Working together in a neighbourhood"},
		{"dot inside word", "Version 2.1 is agreed. More later.", 100, "Version 2.1 is agreed."},
		{"no space after dot", "See southwark.gov.uk for more", 100, "See southwark.gov.uk for more"},
		{"closing quote", `They said "yes." Then left.`, 100, `They said "yes."`},
		{"abbreviation", "Services, e.g. a GP or a pharmacy. More.", 100, "Services, e.g. a GP or a pharmacy."},
		{"first block only", "Who it is for\n\nAnyone over 18.", 100, "Who it is for"},
		{"whitespace collapsed", "  A   care\tnavigator\nhelps.  ", 100, "A care navigator helps."},
		{"cut at word", "A care navigator helps you find local services.", 20, "A care navigator…"},
		{"cut on space", "A care navigator helps.", 17, "A care navigator…"},
		{"exact fit", "A care navigator helps.", 23, "A care navigator helps."},
		{"cut drops comma", "Doctors, nurses, pharmacists and more.", 18, "Doctors, nurses…"},
		{"long word", "Supercalifragilisticexpialidocious.", 10, "Supercali…"},
		{"runes not bytes", "Café à côté du marché.", 12, "Café à côté…"},
		{"max one", "Anything at all.", 1, "…"},
		{"max zero", "Anything at all.", 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Summary(tt.text, tt.max)
			if got != tt.want {
				t.Errorf("Summary(%q, %d) = %q, want %q", tt.text, tt.max, got, tt.want)
			}
			if n := utf8.RuneCountInString(got); tt.max >= 0 && n > tt.max {
				t.Errorf("Summary(%q, %d) has %d runes", tt.text, tt.max, n)
			}
		})
	}
}

func TestConcurrent(t *testing.T) {
	done := make(chan Result)
	for i := range 8 {
		exists := func(string) bool { return i%2 == 0 }
		go func() {
			res, _ := Render("[[Care navigator]] and [[Social prescribing]]", exists)
			done <- res
		}()
	}
	for range 8 {
		res := <-done
		if !strings.Contains(res.HTML, "wikilink") || len(res.Links) != 2 {
			t.Errorf("unexpected result %+v", res)
		}
	}
}

// definition is a realistic term version of about 3 KB.
const definition = `**Social prescribing** is when a GP, nurse or other health professional
connects you with local, non-medical support. A [[Care navigator]] or one of
our [[link worker|link workers]] listens to what matters to you and helps you
find groups and services near where you live.

## Who it is for

Anyone aged 18 or over who is registered with a GP practice in the borough.
You might be lonely, caring for someone, worried about money or housing, or
living with a long-term condition. You do *not* need a diagnosis.

## What happens

1. Your GP practice refers you, or you ask at reception.
2. A link worker contacts you within two weeks, by phone or in person.
3. You meet, often more than once, and agree what might help.
4. They introduce you to groups and check in afterwards.

Support can include:

- befriending and [[Peer support]]
- exercise classes, walking groups and community gardening
- advice on money, housing or benefits (see [Citizens Advice](https://www.citizensadvice.org.uk/))
- arts, music and learning groups run by local charities

It is part of [[Neighbourhood working]], where the council, the NHS and
voluntary and community groups plan services together, street by street.

| Who | What they do | How to reach them |
|:----|:-------------|------------------:|
| GP practice | refers you | your usual surgery |
| Link worker | meets you and plans with you | through your GP |
| Community group | runs the activity | details from your link worker |

> "It felt like someone finally had time for me, and I met people I now see
> every week." — a resident in Peckham

## Words people use

Some services say *community referral* or *care navigation*. They mean much
the same. ~~Signposting~~ is a narrower idea: it means being told where to go,
without someone helping you get there. Read the [NHS England page](https://www.england.nhs.uk/personalisedcare/social-prescribing/)
for the national picture, or email help@example.org with questions.

## Where the wording comes from

This definition was drafted by partners from the council, two GP practices and
three voluntary groups, then tried out at "test and learn" sessions in Camberwell,
Bermondsey and Walworth. Residents told us that *prescribing* sounded like
medicine, so the first sentence now says plainly that the support is
**non-medical**. Earlier versions used the phrase "holistic wellbeing offer",
which nobody we spoke to found helpful.

### Things to know

- [x] It is free.
- [x] You can stop at any time.
- [ ] It does not replace medical treatment: keep taking any medicine you are prescribed.

If you are not sure whether it is right for you, talk to your GP practice or
call the council's adult social care team. You can also ask at your local
library or [[Family hub]], where staff can put you in touch.
`

func BenchmarkRender(b *testing.B) {
	exists := func(s string) bool { return s == "neighbourhood-working" }
	b.SetBytes(int64(len(definition)))
	for b.Loop() {
		if _, err := Render(definition, exists); err != nil {
			b.Fatal(err)
		}
	}
}

func TestImagesFromElsewhereBecomeLinks(t *testing.T) {
	for _, tc := range []struct{ src, text string }{
		{"![a map](https://maps.example.org/peckham.png)", "a map"},
		{"![](https://maps.example.org/peckham.png)", "https://maps.example.org/peckham.png"},
		{"![a map](//maps.example.org/peckham.png)", "a map"}, // no scheme: dropped, alt text kept
	} {
		res := render(t, tc.src, nil)
		doc := parse(t, res.HTML)
		if imgs := elements(doc, "img"); len(imgs) != 0 {
			t.Errorf("%q: an <img> from elsewhere survived: %s", tc.src, res.HTML)
		}
		if got := textOf(doc...); !strings.Contains(got, tc.text) {
			t.Errorf("%q: the page says %q, want it to say %q", tc.src, got, tc.text)
		}
	}
}

func TestPlainMatchesRender(t *testing.T) {
	for _, src := range []string{
		"", "Ask your [[GP practice]] or a [[link-worker|link worker]].\n\n- one\n- **two**",
		"# Heading\n\nText with `code` and <b>html</b>.",
	} {
		res := render(t, src, nil)
		text, links := Plain(src)
		if text != res.Text || strings.Join(links, ",") != strings.Join(res.Links, ",") {
			t.Errorf("Plain(%q) = %q %q, Render gives %q %q", src, text, links, res.Text, res.Links)
		}
	}
	if text, _ := Plain("See [[primary-care-network|your GP group]]."); text != "See your GP group." {
		t.Errorf("a wiki link should count as its shown text, got %q", text)
	}
}

package markdown

import (
	"fmt"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// hostile is markdown written to get script, styles or dangerous URLs into
// a page. Every one must render to HTML that passes checkSafe.
var hostile = []string{
	// Raw HTML.
	`<script>alert(1)</script>`,
	"text <script>alert(1)</script> more",
	`<SCRIPT SRC=//evil.example/x.js></SCRIPT>`,
	`<scr<script>ipt>alert(1)</script>`,
	"<scr\x00ipt>alert(1)</scr\x00ipt>",
	`<img src=x onerror=alert(1)>`,
	`a <img src=x onerror=alert(1)> b`,
	`<svg onload=alert(1)>`,
	`<svg><script>alert(1)</script></svg>`,
	`<iframe src="javascript:alert(1)"></iframe>`,
	`<a href="javascript:alert(1)">x</a>`,
	`hello <a href="javascript:alert(1)">x</a>`,
	`<a href="&#1;javascript:alert(1)">x</a>`,
	`<style>body{display:none}</style>`,
	`x <style>p{color:red}</style> y`,
	`<p style="color:red" onclick="alert(1)">x</p>`,
	`<div onmouseover="alert(1)">hover</div>`,
	`<details open ontoggle=alert(1)>`,
	`<math><mi xlink:href="javascript:alert(1)">x</mi></math>`,
	`<object data="javascript:alert(1)"></object>`,
	`<form action="javascript:alert(1)"><input type=submit></form>`,
	`<input type="text" onfocus="alert(1)" autofocus>`,
	`<meta http-equiv="refresh" content="0;url=javascript:alert(1)">`,
	`<base href="javascript:alert(1)//">`,
	`<link rel=stylesheet href=//evil.example/x.css>`,
	`<textarea><script>alert(1)</script></textarea>`,
	"<div>\n<img src=x onerror=alert(1)>\n</div>",
	// Broken and unclosed tags, comments, CDATA, entities.
	`<img src="x`,
	`<a href="javascript:alert(1)"`,
	"<div\nonclick=alert(1)>x</div>",
	`<!-- <script>alert(1)</script> -->`,
	`a <!-- --><script>alert(1)</script> b`,
	`<![CDATA[<script>alert(1)</script>]]>`,
	`<?php echo 1; ?>`,
	`&lt;script&gt;alert(1)&lt;/script&gt;`,
	`&#60;script&#62;alert(1)&#60;/script&#62;`,
	`\<script>alert(1)\</script>`,
	// Inline links.
	`[x](javascript:alert(1))`,
	`[x](JaVaScRiPt:alert(1))`,
	`[x](java&#x09;script:alert(1))`,
	`[x](&#106;avascript:alert(1))`,
	`[x](&#x6A;avascript&colon;alert(1))`,
	`[x](javascript&#58;alert(1))`,
	`[x](   javascript:alert(1))`,
	`[x](<javascript:alert(1)>)`,
	`[x](<java script:alert(1)>)`,
	`[x](javascript\:alert(1))`,
	`[x](%6Aavascript:alert(1))`,
	`[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)`,
	`[x](vbscript:msgbox(1))`,
	`[x](VBScript:msgbox(1))`,
	`[x](file:///etc/passwd)`,
	`[x](//evil.example/path)`,
	`[x](/\evil.example)`,
	`[x](/a "t\" onmouseover=\"alert(1)")`,
	`[x](/a"onmouseover="alert(1))`,
	`[x]()`,
	// Reference links.
	"[x][r]\n\n[r]: javascript:alert(1)",
	"[x][r]\n\n[r]: <JAVASCRIPT:alert(1)> \"t\"",
	"[r]\n\n[r]: &#106;avascript:alert(1)",
	"[x][r]\n\n[r]: data:text/html,<script>alert(1)</script>",
	// Autolinks.
	`<javascript:alert(1)>`,
	`<JaVaScRiPt:alert(1)>`,
	`<vbscript:msgbox(1)>`,
	`<data:text/html,alert(1)>`,
	`<file:///etc/passwd>`,
	`<https://example.com/"onmouseover="alert(1)>`,
	`www.example.com/"onmouseover="alert(1)`,
	`https://example.com/<script>alert(1)</script>`,
	// Wiki links.
	`[[javascript:alert(1)]]`,
	`[[javascript:alert(1)|click]]`,
	`[[x|<img src=x onerror=alert(1)>]]`,
	`[[" onmouseover="alert(1)]]`,
	`![[javascript:alert(1).png]]`,
	`![[x.svg]]`,
	// Images.
	`![x](javascript:alert(1))`,
	`![x](JaVaScRiPt:alert(1))`,
	`![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)`,
	`![x](vbscript:msgbox(1))`,
	`![x](/x"onerror="alert(1))`,
	`![x" onerror="alert(1)](/x.png)`,
	"![x][i]\n\n[i]: javascript:alert(1)",
	// Markdown structures carrying HTML.
	"`<script>alert(1)</script>`",
	"```html\n<script>alert(1)</script>\n```",
	"    <script>alert(1)</script>",
	"- [x] <input type=text>",
	"| a |\n|---|\n| <script>alert(1)</script> |",
	"> <iframe src=x></iframe>",
	"# <img src=x onerror=alert(1)>",
}

// allowedAttrs lists the elements that may appear in rendered HTML and the
// attributes each may have.
var allowedAttrs = map[string][]string{
	"p": nil, "em": nil, "strong": nil, "del": nil, "code": nil, "pre": nil,
	"ul": nil, "ol": {"start"}, "li": nil, "blockquote": nil, "hr": nil, "br": nil,
	"table": nil, "thead": nil, "tbody": nil, "tr": nil, "th": {"align"}, "td": {"align"},
	"h1": nil, "h2": nil, "h3": nil, "h4": nil, "h5": nil, "h6": nil,
	"a":     {"href", "title", "class", "rel"},
	"img":   {"src", "alt", "title"},
	"input": {"type", "checked", "disabled"},
}

// checkSafe parses out and reports the first thing in it that is not
// allowed: an element off the list, an attribute it may not have, an event
// handler or style, a URL that is not http, https, mailto or relative, a
// task-list input that is not a disabled checkbox, or a comment.
func checkSafe(out string) error {
	body := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, err := html.ParseFragment(strings.NewReader(out), body)
	if err != nil {
		return fmt.Errorf("parse: %v", err)
	}
	var check func(*html.Node) error
	check = func(n *html.Node) error {
		switch n.Type {
		case html.CommentNode, html.DoctypeNode:
			return fmt.Errorf("node of type %d: %q", n.Type, n.Data)
		case html.ElementNode:
			if err := checkElement(n); err != nil {
				return err
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if err := check(c); err != nil {
				return err
			}
		}
		return nil
	}
	for _, n := range nodes {
		if err := check(n); err != nil {
			return err
		}
	}
	return nil
}

func checkElement(n *html.Node) error {
	allowed, ok := allowedAttrs[n.Data]
	if !ok || n.Namespace != "" {
		return fmt.Errorf("element <%s> (namespace %q)", n.Data, n.Namespace)
	}
	for _, a := range n.Attr {
		key := strings.ToLower(a.Key)
		switch {
		case a.Namespace != "":
			return fmt.Errorf("<%s %s:%s>", n.Data, a.Namespace, a.Key)
		case strings.HasPrefix(key, "on"):
			return fmt.Errorf("event handler <%s %s=%q>", n.Data, a.Key, a.Val)
		case key == "style":
			return fmt.Errorf("style <%s style=%q>", n.Data, a.Val)
		}
		var known bool
		for _, k := range allowed {
			known = known || k == key
		}
		if !known {
			return fmt.Errorf("attribute <%s %s=%q>", n.Data, a.Key, a.Val)
		}
		switch key {
		case "href", "src":
			if !safeURL(a.Val) {
				return fmt.Errorf("URL <%s %s=%q>", n.Data, a.Key, a.Val)
			}
		case "class":
			if a.Val != "wikilink" && a.Val != "wikilink missing" {
				return fmt.Errorf("class <%s class=%q>", n.Data, a.Val)
			}
		case "rel":
			if a.Val != "nofollow noopener" {
				return fmt.Errorf("rel <%s rel=%q>", n.Data, a.Val)
			}
		case "align":
			if a.Val != "left" && a.Val != "center" && a.Val != "right" {
				return fmt.Errorf("align <%s align=%q>", n.Data, a.Val)
			}
		}
	}
	if n.Data == "input" {
		typ, _ := attr(n, "type")
		_, disabled := attr(n, "disabled")
		if typ != "checkbox" || !disabled {
			return fmt.Errorf("input type=%q disabled=%v", typ, disabled)
		}
	}
	return nil
}

// safeURL reports whether a URL, as a browser would read it (lower case,
// whitespace and control characters dropped), is relative to this site or
// uses http, https or mailto.
func safeURL(u string) bool {
	u = strings.ToLower(strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return -1
		}
		return r
	}, u))
	switch {
	case strings.HasPrefix(u, "//"), strings.HasPrefix(u, `/\`):
		return false
	case strings.HasPrefix(u, "/"), strings.HasPrefix(u, "#"):
		return true
	}
	for _, scheme := range []string{"http:", "https:", "mailto:"} {
		if strings.HasPrefix(u, scheme) {
			return true
		}
	}
	return false
}

func TestHostile(t *testing.T) {
	if len(hostile) < 40 {
		t.Fatalf("only %d hostile inputs", len(hostile))
	}
	for _, src := range hostile {
		res, err := Render(src, func(s string) bool { return len(s)%2 == 0 })
		if err != nil {
			t.Errorf("Render(%q): %v", src, err)
			continue
		}
		if err := checkSafe(res.HTML); err != nil {
			t.Errorf("Render(%q) = %q: %v", src, res.HTML, err)
		}
	}
}

// TestUnsafeLinkKeepsText checks that a link with a forbidden target is
// reduced to its text rather than lost, or left as an empty href.
func TestUnsafeLinkKeepsText(t *testing.T) {
	for _, src := range []string{
		"[click here](javascript:alert(1))",
		"[click here](java&#x09;script:alert(1))",
		"[click here][r]\n\n[r]: vbscript:x",
		"[click here](data:text/html,x)",
		"[click here](relative/path)",
		"[click here]()",
	} {
		res := render(t, src, nil)
		nodes := parse(t, res.HTML)
		if len(elements(nodes, "a")) > 0 {
			t.Errorf("Render(%q) = %q has a link", src, res.HTML)
		}
		if got := strings.TrimSpace(textOf(nodes...)); got != "click here" {
			t.Errorf("Render(%q) shows %q, want %q", src, got, "click here")
		}
	}
}

// TestCheckSafe makes sure the checker itself catches what it should.
func TestCheckSafe(t *testing.T) {
	for _, out := range []string{
		`<script>alert(1)</script>`,
		`<p onclick="x">a</p>`,
		`<p style="color:red">a</p>`,
		`<a href="javascript:alert(1)">a</a>`,
		`<a href="java&#x09;script:alert(1)">a</a>`,
		`<a href=" JAVASCRIPT:alert(1)">a</a>`,
		`<a href="//evil.example">a</a>`,
		`<a href="data:text/html,x">a</a>`,
		`<img src="vbscript:x">`,
		`<a href="/x" class="evil">a</a>`,
		`<input type="text">`,
		`<input type="checkbox">`,
		`<span>a</span>`,
		`<!-- x -->`,
		`<svg><a href="/x">a</a></svg>`,
	} {
		if checkSafe(out) == nil {
			t.Errorf("checkSafe(%q) found nothing wrong", out)
		}
	}
	for _, out := range []string{
		`<p><a href="/terms/x" class="wikilink missing">x</a></p>`,
		`<a href="https://example.org" rel="nofollow noopener">x</a>`,
		`<a href="mailto:a@example.org">x</a>`,
		`<ul><li><input checked="" disabled="" type="checkbox"> x</li></ul>`,
		`<table><tr><td align="right">1</td></tr></table>`,
	} {
		if err := checkSafe(out); err != nil {
			t.Errorf("checkSafe(%q): %v", out, err)
		}
	}
}

func FuzzRender(f *testing.F) {
	for _, src := range hostile {
		f.Add(src)
	}
	f.Add(definition)
	f.Add("[[Care navigator]] and [[care-navigator|navigators]], ![[x.png]], [[#x]]")
	f.Add("| a | b |\n|:-:|--:|\n| [x](/y) | ~~z~~ |\n\n- [ ] task\n\n<https://example.org>")
	f.Fuzz(func(t *testing.T, src string) {
		res, err := Render(src, func(s string) bool { return len(s)%2 == 0 })
		if err != nil {
			t.Fatalf("Render(%q): %v", src, err)
		}
		if err := checkSafe(res.HTML); err != nil {
			t.Fatalf("Render(%q) = %q: %v", src, res.HTML, err)
		}
		seen := make(map[string]bool)
		for _, s := range res.Links {
			if s == "" || seen[s] {
				t.Fatalf("Render(%q).Links = %q: empty or repeated slug", src, res.Links)
			}
			seen[s] = true
		}
		sum := Summary(res.Text, 40)
		if !utf8.ValidString(sum) || utf8.RuneCountInString(sum) > 40 {
			t.Fatalf("Summary(%q, 40) = %q", res.Text, sum)
		}
	})
}

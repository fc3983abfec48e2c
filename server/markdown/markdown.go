// Package markdown renders the markdown of term versions into safe HTML,
// resolves [[wiki links]] to term pages, and extracts plain text for search
// and summaries. It knows nothing of HTTP or SQL.
//
// Rendering is done once, when a version is written, and the HTML is stored
// beside its markdown, so Render favours being safe over being fast.
//
// Safety comes in layers. goldmark runs without html.WithUnsafe; a pass over
// the parsed document then drops raw HTML, keeps only links and images whose
// targets are http, https, mailto, root-relative or fragment URLs, and turns
// wiki links into ordinary links to /terms/<slug>. Finally bluemonday
// sanitises the HTML with a fixed allow-list, in case any of the above is
// ever wrong.
//
// Raw HTML in the markdown never comes through as HTML. Its tags are
// dropped and the words between them are kept as plain text, so "<b>hi</b>"
// renders as "hi" and a definition pasted as HTML keeps its words. The
// content of script, style and similar elements is dropped with its block
// when the HTML stands as a block of its own; inline it stays as inert text.
package markdown

import (
	"bytes"
	"fmt"
	"html"
	"net/url"
	"regexp"
	"strings"
	"unicode"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
	"go.abhg.dev/goldmark/wikilink"

	"wordgarden/server/slug"
)

// Result is what rendering one piece of markdown produces.
type Result struct {
	HTML  string   // sanitised HTML, safe to put into a page as is
	Text  string   // plain text of the document (no markup), for full-text search and summaries; paragraphs/blocks separated by "\n\n"
	Links []string // slugs of the terms linked with [[...]], unique, in first-seen order
	// Depth is how deeply the document nests: the most nodes on any path
	// from the document down to a leaf, both counted. Each level of a
	// block quote, emphasis or link adds one; each level of a list two.
	Depth int
}

// Classes of wiki links; the sanitiser lets exactly these through.
const (
	classWikilink = "wikilink"
	classMissing  = "wikilink missing"
)

// relExternal goes on links that leave the site.
const relExternal = "nofollow noopener"

// md is GFM plus wiki links. The GFM extensions are listed one by one
// rather than as extension.GFM so that table cells are aligned with the
// align attribute instead of style, and no style attribute is ever needed.
//
// Only the wikilink parser is installed, not its renderer: Render rewrites
// every wiki link into an ordinary *ast.Link before rendering (see rewrite),
// because the wikilink renderer cannot set a class and its Resolver has no
// way to see the per-call exists function. Keeping that per-call state in
// the per-call AST leaves md free of state, so one instance serves all
// goroutines.
var md = goldmark.New(
	goldmark.WithExtensions(
		extension.NewTable(extension.WithTableCellAlignMethod(extension.TableCellAlignAttribute)),
		extension.Strikethrough,
		extension.Linkify,
		extension.TaskList,
	),
	goldmark.WithParserOptions(
		// Below the link parser's 200, so "[[" is seen first.
		parser.WithInlineParsers(util.Prioritized(&wikilink.Parser{}, 199)),
	),
)

// policy is the final sanitiser: bluemonday's UGC policy (http, https,
// mailto and relative URLs only) plus the few attributes goldmark and
// rewrite emit. It is safe for concurrent use once built.
var policy = newPolicy()

func newPolicy() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^wikilink( missing)?$`)).OnElements("a")
	p.AllowAttrs("rel").Matching(regexp.MustCompile(`^nofollow noopener$`)).OnElements("a")
	// UGCPolicy puts nofollow on every link; links within the glossary
	// should be followed.
	p.RequireNoFollowOnLinks(false)
	p.RequireNoFollowOnFullyQualifiedLinks(true)
	p.AllowAttrs("start").Matching(bluemonday.Integer).OnElements("ol")
	// Task lists: goldmark emits <input checked="" disabled="" type="checkbox">.
	p.AllowAttrs("type").Matching(regexp.MustCompile(`^checkbox$`)).OnElements("input")
	p.AllowAttrs("checked", "disabled").Matching(regexp.MustCompile(`^(|checked|disabled)$`)).OnElements("input")
	return p
}

// stripTags turns a block of raw HTML into its text. Unlike the final
// policy it allows no elements at all, and it drops the content of script,
// style, iframe and the like.
var stripTags = bluemonday.StrictPolicy().AddSpaceWhenStrippingTag(true)

// Render turns markdown into safe HTML. exists reports whether a term with
// that slug exists (nil means none do); wiki links to missing terms get a distinct class.
func Render(src string, exists func(slug string) bool) (Result, error) {
	source := []byte(strings.ToValidUTF8(src, "\uFFFD"))
	doc := md.Parser().Parse(text.NewReader(source))
	links := rewrite(doc, source, exists)

	var buf bytes.Buffer
	if err := md.Renderer().Render(&buf, source, doc); err != nil {
		return Result{}, fmt.Errorf("markdown: render: %w", err)
	}
	return Result{
		HTML:  string(policy.SanitizeBytes(buf.Bytes())),
		Text:  plainText(doc, source),
		Links: links,
		Depth: depth(doc),
	}, nil
}

// Plain returns what Render would give as Text and Links, without
// rendering HTML: cheap enough to run each time a page checks a wording.
func Plain(src string) (txt string, links []string) {
	source := []byte(strings.ToValidUTF8(src, "\uFFFD"))
	doc := md.Parser().Parse(text.NewReader(source))
	links = rewrite(doc, source, nil)
	return plainText(doc, source), links
}

// depth returns how deeply the nodes of doc nest, doc itself counted.
func depth(doc ast.Node) int {
	d, deepest := 0, 0
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			d++
			deepest = max(deepest, d)
		} else {
			d--
		}
		return ast.WalkContinue, nil
	})
	return deepest
}

// rewrite makes the parsed document safe to render and returns the slugs
// of its wiki links. Nodes are collected first and changed afterwards, as
// the tree must not change under ast.Walk.
func rewrite(doc ast.Node, source []byte, exists func(string) bool) []string {
	var (
		raw   []ast.Node // *ast.RawHTML and *ast.HTMLBlock
		urls  []ast.Node // *ast.Link, *ast.Image and *ast.AutoLink
		wikis []*wikilink.Node
	)
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.RawHTML, *ast.HTMLBlock:
			raw = append(raw, n)
		case *ast.Link, *ast.Image, *ast.AutoLink:
			urls = append(urls, n)
		case *wikilink.Node:
			wikis = append(wikis, n)
		}
		return ast.WalkContinue, nil
	})

	for _, n := range raw {
		dropHTML(n, source)
	}
	for _, n := range urls {
		checkURL(n, source)
	}

	var links []string
	seen := make(map[string]bool)
	for _, n := range wikis {
		s := slug.Make(plain(n.Target))
		// A link inside a link or an image cannot be a link of its own.
		if s == "" || insideLink(n) {
			unwrap(n)
			continue
		}
		ok := exists != nil && exists(s)
		if !seen[s] {
			seen[s] = true
			links = append(links, s)
		}
		// Embeds (![[...]]) become links too: the glossary has no images to embed.
		link := ast.NewLink()
		link.Destination = []byte("/terms/" + s)
		if ok {
			link.SetAttributeString("class", []byte(classWikilink))
		} else {
			link.SetAttributeString("class", []byte(classMissing))
		}
		moveChildren(link, n)
		n.Parent().ReplaceChild(n.Parent(), n, link)
	}
	return links
}

// dropHTML removes raw HTML. Inline tags go and the text around them
// stays; a block of HTML becomes a paragraph of its text, if it has any.
func dropHTML(n ast.Node, source []byte) {
	parent := n.Parent()
	block, ok := n.(*ast.HTMLBlock)
	if !ok {
		parent.RemoveChild(parent, n)
		if _, ok := parent.(*ast.Paragraph); ok && parent.ChildCount() == 0 {
			// A paragraph of nothing but tags.
			parent.Parent().RemoveChild(parent.Parent(), parent)
		}
		return
	}
	var b bytes.Buffer
	lines := block.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		b.Write(seg.Value(source))
	}
	if block.HasClosure() {
		b.Write(block.ClosureLine.Value(source))
	}
	words := strings.Fields(html.UnescapeString(stripTags.Sanitize(b.String())))
	if len(words) == 0 {
		parent.RemoveChild(parent, n)
		return
	}
	s := ast.NewString([]byte(strings.Join(words, " ")))
	s.SetRaw(true) // raw strings are HTML-escaped but not unescaped
	p := ast.NewParagraph()
	p.AppendChild(p, s)
	parent.ReplaceChild(parent, n, p)
}

// checkURL keeps a link or image only if its target is allowed; otherwise
// the link becomes its text and the image its alt text. External links get
// rel="nofollow noopener".
func checkURL(n ast.Node, source []byte) {
	var dest []byte
	switch n := n.(type) {
	case *ast.Link:
		dest = util.URLEscape(n.Destination, true)
	case *ast.Image:
		dest = util.URLEscape(n.Destination, true)
	case *ast.AutoLink:
		dest = util.URLEscape(n.URL(source), false)
		if n.AutoLinkType == ast.AutoLinkEmail && !bytes.HasPrefix(bytes.ToLower(dest), []byte("mailto:")) {
			dest = append([]byte("mailto:"), dest...)
		}
	}
	if !allowedURL(string(dest)) {
		if a, ok := n.(*ast.AutoLink); ok {
			s := ast.NewString(a.Label(source))
			s.SetRaw(true)
			a.Parent().ReplaceChild(a.Parent(), a, s)
			return
		}
		unwrap(n)
		return
	}
	external := false
	if u, err := url.Parse(string(dest)); err == nil && u.Host != "" {
		external = true
	}
	if img, ok := n.(*ast.Image); ok {
		if external {
			// The site's Content-Security-Policy shows images from this
			// site only, and an image from elsewhere would tell that site
			// who reads the page: link to it instead, by its alt text.
			link := ast.NewLink()
			link.Destination, link.Title = img.Destination, img.Title
			link.SetAttributeString("rel", []byte(relExternal))
			moveChildren(link, img)
			if !link.HasChildren() {
				link.AppendChild(link, ast.NewString(dest))
			}
			img.Parent().ReplaceChild(img.Parent(), img, link)
		}
		return
	}
	if external {
		n.SetAttributeString("rel", []byte(relExternal))
	}
}

// allowedURL reports whether u may be a link or image target: http, https
// or mailto, a root-relative path, or a fragment. It judges u as a browser
// would read it: entities resolved, whitespace and control characters
// (which browsers skip inside schemes) removed, case folded.
func allowedURL(u string) bool {
	u = strings.ToLower(strings.Map(func(r rune) rune {
		if r <= ' ' || r == 0x7f || unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) {
			return -1
		}
		return r
	}, html.UnescapeString(u)))
	if i := strings.IndexAny(u, ":/?#\\"); i >= 0 && u[i] == ':' {
		switch u[:i] {
		case "http", "https", "mailto":
			return true
		}
		return false
	}
	switch {
	case strings.HasPrefix(u, "#"):
		return true
	case strings.HasPrefix(u, "//"), strings.HasPrefix(u, "/\\"):
		return false // another host, without saying so
	case strings.HasPrefix(u, "/"):
		return true
	}
	// Paths relative to the current page would break as pages move, and
	// the empty URL links nowhere.
	return false
}

// insideLink reports whether n has a link or image among its ancestors.
func insideLink(n ast.Node) bool {
	for p := n.Parent(); p != nil; p = p.Parent() {
		switch p.(type) {
		case *ast.Link, *ast.Image:
			return true
		}
	}
	return false
}

// unwrap replaces n by its children.
func unwrap(n ast.Node) {
	parent := n.Parent()
	for c := n.FirstChild(); c != nil; {
		next := c.NextSibling()
		parent.InsertBefore(parent, n, c)
		c = next
	}
	parent.RemoveChild(parent, n)
}

// moveChildren moves the children of from to the end of to.
func moveChildren(to, from ast.Node) {
	for c := from.FirstChild(); c != nil; {
		next := c.NextSibling()
		to.AppendChild(to, c)
		c = next
	}
}

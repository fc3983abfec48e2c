package markdown

import (
	"bufio"
	"bytes"
	"html"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	gmhtml "github.com/yuin/goldmark/renderer/html"
)

// plain returns markdown text as the reader sees it: backslash escapes and
// entity references resolved exactly as goldmark resolves them when it
// renders, by letting goldmark's own writer do it and undoing the HTML
// escaping it adds.
func plain(b []byte) string {
	if bytes.IndexByte(b, '\\') < 0 && bytes.IndexByte(b, '&') < 0 {
		return string(b) // nothing to resolve, the common case
	}
	var buf bytes.Buffer
	w := bufio.NewWriterSize(&buf, len(b)+16)
	gmhtml.DefaultWriter.Write(w, b)
	_ = w.Flush() // a bytes.Buffer does not fail
	return html.UnescapeString(buf.String())
}

// plainText returns the text of a rewritten document, one block (paragraph,
// heading, list item, table row, code block) per "\n\n"-separated part.
func plainText(doc ast.Node, source []byte) string {
	var blocks []string
	add := func(s string) {
		if s = strings.TrimSpace(s); s != "" {
			blocks = append(blocks, s)
		}
	}
	var walk func(n ast.Node)
	walk = func(n ast.Node) {
		switch n := n.(type) {
		case *ast.Paragraph, *ast.Heading, *ast.TextBlock:
			var b strings.Builder
			inlineText(&b, n, source)
			add(b.String())
		case *ast.CodeBlock, *ast.FencedCodeBlock:
			var b strings.Builder
			lines := n.Lines()
			for i := 0; i < lines.Len(); i++ {
				seg := lines.At(i)
				b.Write(seg.Value(source))
			}
			add(b.String())
		case *east.TableHeader, *east.TableRow:
			var cells []string
			for c := n.FirstChild(); c != nil; c = c.NextSibling() {
				var b strings.Builder
				inlineText(&b, c, source)
				if s := strings.TrimSpace(b.String()); s != "" {
					cells = append(cells, s)
				}
			}
			add(strings.Join(cells, " "))
		default:
			for c := n.FirstChild(); c != nil; c = c.NextSibling() {
				walk(c)
			}
		}
	}
	walk(doc)
	return strings.Join(blocks, "\n\n")
}

// inlineText writes the text of the inline children of n to b.
func inlineText(b *strings.Builder, n ast.Node, source []byte) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Text:
			if c.IsRaw() {
				b.Write(c.Segment.Value(source))
			} else {
				b.WriteString(plain(c.Segment.Value(source)))
			}
			switch {
			case c.HardLineBreak():
				b.WriteByte('\n')
			case c.SoftLineBreak():
				b.WriteByte(' ')
			}
		case *ast.String:
			if c.IsRaw() || c.IsCode() {
				b.Write(c.Value)
			} else {
				b.WriteString(plain(c.Value))
			}
		case *ast.CodeSpan:
			for t := c.FirstChild(); t != nil; t = t.NextSibling() {
				if t, ok := t.(*ast.Text); ok {
					b.WriteString(strings.ReplaceAll(string(t.Segment.Value(source)), "\n", " "))
				}
			}
		case *ast.AutoLink:
			b.Write(c.Label(source))
		case *ast.RawHTML, *east.TaskCheckBox:
			// No text of their own.
		default:
			inlineText(b, c, source)
		}
	}
}

// abbreviations end in a full stop without ending a sentence. The list is
// short on purpose: it covers what plain-language definitions tend to use.
var abbreviations = map[string]bool{
	"e.g.": true, "i.e.": true, "eg.": true, "ie.": true, "cf.": true, "vs.": true,
	"dr.": true, "mr.": true, "mrs.": true, "ms.": true, "st.": true, "no.": true,
}

// Summary returns the first sentence of text (plain text from Result.Text), cut at a word boundary
// to at most max runes with "…" when cut. Empty text gives "".
//
// A sentence ends at ".", "!" or "?" followed by a space or the end (closing
// quotes and brackets may come between), or at the end of the first block,
// so a heading or list item does not run on into what follows.
// Whitespace is collapsed to single spaces.
func Summary(text string, max int) string {
	if max <= 0 {
		return ""
	}
	text = strings.TrimSpace(text)
	if i := strings.Index(text, "\n\n"); i >= 0 {
		text = text[:i]
	}
	words := strings.Fields(text)
	for i, w := range words {
		if endsSentence(w) {
			words = words[:i+1]
			break
		}
	}
	s := strings.Join(words, " ")
	if utf8.RuneCountInString(s) <= max {
		return s
	}

	// Leave room for the ellipsis, then back up to the last space.
	r := []rune(s)
	cut := r[:max-1]
	if r[max-1] != ' ' {
		for i := len(cut) - 1; i > 0; i-- {
			if cut[i] == ' ' {
				cut = cut[:i]
				break
			}
		}
	}
	return strings.TrimRight(string(cut), " ,;:-–—") + "…"
}

// endsSentence reports whether the word w ends a sentence.
func endsSentence(w string) bool {
	w = strings.TrimRight(w, `"'”’)]`)
	if w == "" || abbreviations[strings.ToLower(w)] {
		return false
	}
	switch w[len(w)-1] {
	case '.', '!', '?':
		return true
	}
	return false
}

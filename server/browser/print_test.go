package browser_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// pdfPage matches a page object of a PDF (and not the /Pages tree).
var pdfPage = regexp.MustCompile(`/Type\s*/Page\b[^s]`)

// TestPrintGlossary prints /glossary/print to PDF as a person would from
// Chromium's Print command, checks that it is a PDF of a page or more for
// each letter, and that printed the site's header (its menus and search) and footer are gone, each letter
// starts a page and the type is large. The PDF is kept in the test's
// artifact folder for a person to look at.
func TestPrintGlossary(t *testing.T) {
	site := newSite(t)
	entries, err := site.Store.AgreedGlossary(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	letters := map[rune]bool{}
	for _, e := range entries {
		letters[[]rune(e.Term.Title)[0]] = true
	}

	p := site.newPerson(t, "reader")
	p.Open("/")
	p.ClickAndWait(`main a[href="/glossary/print"]`)
	if n := p.Count("article.print-term"); n != len(entries) {
		t.Fatalf("the printed glossary has %d terms, want %d", n, len(entries))
	}

	// How the page is laid out on paper.
	p.do("lay out for print", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
		return err
	}))
	type printed struct {
		Header, Footer, Help    string
		FirstBreak, SecondBreak string
		WordingPx, TitlePx      float64
	}
	got := run(p, "read the printed layout", chromedp.Evaluate[printed](`(() => {
		const cs = (sel) => getComputedStyle(document.querySelector(sel));
		const letters = document.querySelectorAll('.print-letter');
		return {
			Header: cs('header.site').display,
			Footer: cs('footer.site').display,
			Help: cs('.glossary-print .screen-only').display,
			FirstBreak: getComputedStyle(letters[0]).breakBefore,
			SecondBreak: getComputedStyle(letters[1]).breakBefore,
			WordingPx: parseFloat(cs('.print-term .wording').fontSize),
			TitlePx: parseFloat(cs('.print-term h3').fontSize),
		};
	})()`))
	if got.Header != "none" || got.Footer != "none" || got.Help != "none" {
		t.Errorf("printed, the menus and help show: %+v", got)
	}
	if got.FirstBreak == "page" || got.SecondBreak != "page" {
		t.Errorf("letters break before %q (first) and %q (second), want the second on a new page", got.FirstBreak, got.SecondBreak)
	}
	// 12pt is 16px; at arm's length a wording wants more.
	if got.WordingPx < 18 || got.TitlePx < 24 {
		t.Errorf("printed type is %.1fpx (wordings) and %.1fpx (terms), want 18px and 24px or more", got.WordingPx, got.TitlePx)
	}

	path := printToPDF(t, p, "glossary")
	pdf, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	pages := len(pdfPage.FindAll(pdf, -1))
	if pages < len(letters) || pages > 3*len(entries) {
		t.Errorf("the PDF has %d pages for %d terms under %d letters, want a page or more a letter", pages, len(entries), len(letters))
	}
	t.Logf("printed %d terms on %d A4 pages: %s", len(entries), pages, path)
}

// printToPDF prints the person's page to PDF as Chromium's Print command
// does, on the paper size the page's CSS asks for, saves it as name.pdf in
// the test's artifact folder for a person to look at, and returns its path.
func printToPDF(t *testing.T, p *Person, name string) string {
	t.Helper()
	var pdf []byte
	yes := true
	p.do("print to PDF", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		res, err := cdp.Call(ctx, tg, page.PrintToPDF, page.PrintToPDFParams{PreferCSSPageSize: &yes})
		pdf = res.Data
		return err
	}))
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("printing gave no PDF: %.20q", pdf)
	}
	path := filepath.Join(artifactDir(t), fileName(name)+".pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

package browser_test

import (
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// councilPage is a plain page of another site (another port) that shows a
// wordgarden page in an iframe, as a council's web page would.
func councilPage(t *testing.T, src string) string {
	t.Helper()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>Southwark Council: social prescribing</title></head>
<body><main><h1>Social prescribing in Southwark</h1>
<p>What the words mean, as residents chose them:</p>
<iframe id="glossary" src="%s" title="Social prescribing: the agreed wording" width="600" height="240" style="border:0"></iframe>
</main></body></html>`, html.EscapeString(src))
	}))
	t.Cleanup(ts.Close)
	return ts.URL + "/"
}

// TestEmbedInAnotherSite shows the embedded definition in a page served
// from another port, and checks in Chromium that the frame shows the
// agreed wording with its link back; and that the site's other pages
// refuse to be framed.
func TestEmbedInAnotherSite(t *testing.T) {
	site := newSite(t)
	p := site.newPerson(t, "council reader")

	p.Open(councilPage(t, site.URL+"/api/v1/terms/social-prescribing/embed"))
	frames := run(p, "find the iframe", chromedp.Nodes(chromedp.CSS("iframe#glossary")))
	if len(frames) != 1 {
		t.Fatalf("%d iframes", len(frames))
	}
	inFrame := chromedp.FromNode(frames[0])
	wording := run(p, "read the frame's wording", chromedp.Text(chromedp.CSS("main .wording"), inFrame))
	if !strings.Contains(wording, "Social prescribing is a way of helping you") {
		t.Errorf("the frame shows the wording %q", wording)
	}
	if h1 := run(p, "read the frame's heading", chromedp.Text(chromedp.CSS("h1"), inFrame)); h1 != "Social prescribing" {
		t.Errorf("the frame's heading is %q", h1)
	}
	if prov := run(p, "read the provenance", chromedp.Text(chromedp.CSS(".provenance"), inFrame)); !strings.Contains(prov, "starter glossary") {
		t.Errorf("the frame's provenance is %q", prov)
	}
	back := run(p, "read the link back", chromedp.AttributeValue(chromedp.CSS(".source a"), "href", inFrame))
	if !back.Exists || back.Value != "/terms/social-prescribing" {
		t.Errorf("the link back is %+v", back)
	}
	// The frame's own stylesheet applied (CSP style-src 'self' from the site).
	var border string
	for _, prop := range run(p, "read the frame's style", chromedp.ComputedStyle(chromedp.CSS("main"), inFrame)) {
		if prop.Name == "border-left-style" {
			border = prop.Value
		}
	}
	if border != "solid" {
		t.Errorf("the embed's stylesheet did not apply: border-left-style %q", border)
	}
	p.Screenshot("council-page-with-embed")
	p.checkProblems()

	// The term's own page, framed the same way, is refused: Chromium blocks
	// it and says why.
	refused := councilPage(t, site.URL+"/terms/social-prescribing")
	p.do("open "+refused, chromedp.Navigate(refused))
	p.ExpectProblems(`violates the following Content Security Policy directive: "frame-ancestors 'none'"`)
	p.Screenshot("council-page-with-refused-frame")
}

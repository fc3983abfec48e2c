package browser_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"wordgarden/server/model"
	"wordgarden/server/store/storetest"
	"wordgarden/server/tally"
	"wordgarden/server/wait"
)

// hostile is the corpus of text written to break out of where it is put:
// a version's markdown, a term's title, a person's name, an organisation's
// or a neighbourhood's name, a search. Every piece must come out on every
// page as inert text (or as the harmless markdown it also is), never as an
// element, attribute or script of its own.
var hostile = []struct{ name, text string }{
	// Script tags: plain, mixed case, with a source, nested, unclosed, in
	// SVG, in a template.
	{"script", `<script>alert(1)</script>`},
	{"script-src-mixed-case", `<SCRIPT SRC=//evil.example/x.js></SCRIPT><ScRiPt>alert(1)</sCrIpT>`},
	{"script-nested-unclosed", `<scr<script>ipt>alert(1)</scr</script>ipt><script>alert(1)`},
	{"svg-script", `<svg><script>alert(1)</script></svg>`},
	{"template-shadow-root", `<template><script>alert(1)</script></template><div><template shadowrootmode="open"><img src=x onerror=alert(1)></template></div>`},
	// Event handlers.
	{"img-onerror", `<img src=x onerror=alert(1)>`},
	{"svg-onload", `<svg onload=alert(1)><svg/onload=alert(1)>`},
	{"body-toggle-focus", `<body onload=alert(1)><details open ontoggle=alert(1)><summary>x</summary></details><input autofocus onfocus=alert(1)>`},
	{"custom-onclick", `<x-widget onclick=alert(1) style="display:block;position:fixed;inset:0">click</x-widget>`},
	{"media-onerror", `<video><source onerror=alert(1)></video><audio src=x onerror=alert(1)><img src=x:alert(alt) onerror=eval(src) alt=0>`},
	// javascript: and other schemes in markdown: inline, reference, autolink,
	// image, mixed case, entity-encoded, split by spaces and controls.
	{"md-link-js", `[click me](javascript:alert(1))`},
	{"md-ref-js", "[a reference link][r]\n\n[r]: javascript:alert(1)"},
	{"md-autolink-js", `<javascript:alert(1)>`},
	{"md-link-schemes", `[x](JaVaScRiPt:alert(1)) [y](vbscript:msgbox(1)) [z](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)`},
	{"md-link-entity", `[x](&#106;avascript:alert(1)) [y](&#x6A;&#x61;vascript&colon;alert(1))`},
	{"md-link-controls", "[x](<java script:alert(1)>) [y]( javascript:alert(1)) [z](%20javascript:alert(1)) [w](java\x00script:alert(1))"},
	{"md-image", `![alt](javascript:alert(1)) ![x" onerror="alert(1)](/static/icon.svg)`},
	{"md-link-title-breakout", `[x](/terms "a\" onmouseover=\"alert(1)")`},
	// Wiki links.
	{"wiki-js", `[[javascript:alert(1)]] [[javascript:alert(1)|click]]`},
	{"wiki-img-label", `[[x|<img src=x onerror=alert(1)>]]`}, // links to /terms/x, which nobody starts
	{"wiki-script", `[[<script>alert(1)</script>]]`},
	// SVG and MathML.
	{"svg-xlink-animate", `<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">XSS</text></a><animate onbegin=alert(1) attributeName=x dur=1s></svg>`},
	{"math", `<math href="javascript:alert(1)">CLICK</math><math><mtext><table><mglyph><style><img src=x onerror=alert(1)>`},
	// Frames, plugins, forms, meta, base, style.
	{"iframe", `<iframe srcdoc="<script>alert(1)</script>"></iframe><iframe src="javascript:alert(1)"></iframe>`},
	{"object-embed", `<object data="javascript:alert(1)"></object><embed src="javascript:alert(1)">`},
	{"form-action", `<form action="javascript:alert(1)"><button>go</button></form><button formaction="javascript:alert(1)">go</button>`},
	{"meta-refresh-base", `<meta http-equiv="refresh" content="0;url=javascript:alert(1)"><base href="javascript:alert(1)//">`},
	{"style-import", `<style>@import 'javascript:alert(1)'; body{display:none}</style><link rel=stylesheet href="data:,*%7bx:expression(alert(1))%7d">`},
	{"css-expression", `<div style="width: expression(alert(1)); background:url(javascript:alert(1))">css</div>`},
	// Entity-encoded, obfuscated and broken HTML.
	{"html-entity-href", `<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">entity</a>`},
	{"escaped-script", `&lt;script&gt;alert(1)&lt;/script&gt;`},
	{"null-byte", "<scr\x00ipt>alert(1)</scr\x00ipt><img src=x\x00 onerror=alert(1)>"},
	{"control-href", "<a href=\" \x0e\x01 javascript:alert(1)\">ctrl</a>"},
	{"comment-trick", `<!--<img src="--><img src=x onerror=alert(1)//">`},
	{"noscript-mxss", `<noscript><p title="</noscript><img src=x onerror=alert(1)>">`},
	{"broken-tags", `<img src=x onerror=alert(1)// <a href="javascript:alert(1)`},
	// Breaking out of attributes and of raw-text elements.
	{"attr-break", `"><script>alert(1)</script>'><img src=x onerror=alert(1)>`},
	{"attr-inject", `" autofocus onfocus="alert(1)`},
	{"raw-text-break", `</textarea></title></pre></details></option></select><script>alert(1)</script>`},
	// Template injection, code, tables, line separators.
	{"template-injection", "{{.}}{{template \"layout.html\" .}} ${alert(1)} `${alert(1)}` {{constructor.constructor('alert(1)')()}}"},
	{"code", "Use `<script>alert(1)</script>` and\n\n```html\n<img src=x onerror=alert(1)>\n```"},
	{"md-table", "| a | b |\n|---|---|\n| <img src=x onerror=alert(1)> | [x](javascript:alert(1)) |"},
	{"line-separators", "\u2028\u2029<script>alert(1)</script>\u2028"},
	// A very long line.
	{"long-line", strings.Repeat("<img src=x onerror=alert(1)>[x](javascript:alert(1))", 150)},
}

// breakouts are the payloads made to break out of markup rather than to
// be markup: TestHostileText shows them as titles on more pages.
var breakouts = []string{
	"attr-break", "raw-text-break", "attr-inject", "null-byte",
	"control-href", "line-separators", "escaped-script", "template-injection",
	"comment-trick", "noscript-mxss", "md-link-title-breakout", "script-nested-unclosed",
}

// tripwire runs in every document the person's tab loads, before the
// page's own scripts (DevTools adds it, so the page's
// Content-Security-Policy does not stop it). Anything that calls what an
// attack would call marks window.__pwned; a dialog still opens, so the
// harness's watch sees it too. CSP violations are counted in __csp.
const tripwire = `(() => {
  const w = window;
  const hit = what => {
    const where = what + " on " + location.href;
    w.__pwned = true;
    (w.__pwnedBy = w.__pwnedBy || []).push(where);
    try {
      if (w.top !== w) { w.top.__pwned = true; (w.top.__pwnedBy = w.top.__pwnedBy || []).push(where + " (in a frame)"); }
    } catch (e) {}
  };
  w.__pwned = false;
  w.__pwnedBy = [];
  w.__csp = [];
  for (const name of ["alert", "confirm", "prompt", "print", "open"]) {
    const orig = w[name];
    w[name] = function (...args) { hit(name); return orig.apply(this, args); };
  }
  const origFetch = w.fetch;
  w.fetch = function (...args) { hit("fetch"); return origFetch.apply(this, args); };
  const origOpen = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function (...args) { hit("XMLHttpRequest.open"); return origOpen.apply(this, args); };
  const origWrite = Document.prototype.write;
  Document.prototype.write = function (...args) { hit("document.write"); return origWrite.apply(this, args); };
  const cookie = Object.getOwnPropertyDescriptor(Document.prototype, "cookie");
  Object.defineProperty(Document.prototype, "cookie", {
    configurable: true,
    get() { hit("document.cookie read"); return cookie.get.call(this); },
    set(v) { hit("document.cookie write"); cookie.set.call(this, v); },
  });
  document.addEventListener("securitypolicyviolation", e => {
    w.__csp.push(e.violatedDirective + " blocked " + (e.blockedURI || "inline") + " at line " + e.lineNumber);
  });
})()`

// armTripwire installs the tripwire in the person's tab, for every page
// loaded from now on.
func armTripwire(p *Person) {
	p.t.Helper()
	p.do("install the tripwire", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument,
			page.AddScriptToEvaluateOnNewDocumentParams{Source: tripwire})
		return err
	}))
}

// inspectPage is run in the page after it has loaded. It waits a moment,
// so that handlers which fire late (autofocus, toggle) would have fired,
// then walks the whole document and lists everything no wordgarden page
// may contain: an element the templates and the markdown renderer never
// make, an event-handler or style attribute, a URL with a scheme that can
// run script (or any scheme but http, https and mailto), a head that holds
// more than the site's own meta, title and stylesheet tags, a shadow root.
// It also returns the tripwire's findings and what the page says, so that
// the test can check the hostile text did arrive, as text.
const inspectPage = `new Promise(resolve => setTimeout(resolve, 15)).then(() => {
  const bad = [];
  const allowed = new Set(%s);
  const regions = [
    [".wording", new Set(["p", "h1", "h2", "h3", "h4", "h5", "h6", "br", "hr", "blockquote", "pre", "code", "ul", "ol", "li",
      "a", "strong", "em", "del", "img", "table", "thead", "tbody", "tr", "th", "td", "input"])],
    [".snippet", new Set(["mark"])],
    ["svg", new Set(["title", "desc", "g", "rect", "text", "tspan", "line", "path"])],
  ];
  const urlAttrs = new Set(["href", "src", "action", "formaction", "data", "poster", "srcset", "xlink:href",
    "background", "cite", "ping", "manifest", "codebase", "lowsrc", "dynsrc", "longdesc", "usemap", "icon",
    "profile", "archive", "classid", "srcdoc", "itemtype"]);
  const clean = v => v.replace(/[\u0000-\u0020\u007f-\u00a0\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ufeff]/g, "").toLowerCase();
  const path = e => {
    const parts = [];
    for (let n = e; n && n.nodeType === 1 && parts.length < 6; n = n.parentElement) {
      let s = n.localName;
      if (n.id) s += "#" + n.id;
      else if (n.classList.length) s += "." + [...n.classList].join(".");
      parts.unshift(s);
    }
    return parts.join(" > ");
  };
  const show = v => JSON.stringify(v.length > 80 ? v.slice(0, 80) + "…" : v);
  const html = document.documentElement;
  if (html.localName !== "html") bad.push("the root element is <" + html.localName + ">");
  for (const c of html.children) {
    if (c.localName !== "head" && c.localName !== "body") bad.push("<" + c.localName + "> outside head and body");
  }
  for (const e of document.querySelectorAll("*")) {
    const tag = e.localName;
    if (!allowed.has(tag)) bad.push("foreign element <" + tag + "> at " + path(e));
    if (e.shadowRoot) bad.push("a shadow root on " + path(e));
    if (e.namespaceURI === "http://www.w3.org/1998/Math/MathML") bad.push("MathML element <" + tag + "> at " + path(e));
    for (const a of e.attributes) {
      const n = a.name.toLowerCase();
      if (n.startsWith("on")) bad.push("event handler " + n + "=" + show(a.value) + " on " + path(e));
      if (n === "style") bad.push("style attribute " + show(a.value) + " on " + path(e));
      if (n === "srcdoc" || n === "formaction") bad.push(n + " attribute on " + path(e));
      if (n === "http-equiv") bad.push("http-equiv=" + show(a.value) + " on " + path(e));
      if (urlAttrs.has(n) || n.endsWith(":href") || (n === "href" && e.namespaceURI !== "http://www.w3.org/1999/xhtml")) {
        const v = clean(a.value);
        if (/^(javascript|data|vbscript|livescript|mocha|blob|filesystem):/.test(v)) {
          bad.push("script URL " + n + "=" + show(a.value) + " on " + path(e));
        } else if (!/^(\/(?![\/\\])|#|\?|https?:|mailto:)/.test(v)) {
          bad.push("URL that is neither a path of this site nor http, https or mailto: " + n + "=" + show(a.value) + " on " + path(e));
        }
      }
    }
    // Inside a wording, only what markdown makes; in a search snippet,
    // only the marks; in the results chart, only what package chart draws.
    for (const [sel, tags] of regions) {
      const region = e.parentElement && e.parentElement.closest(sel);
      if (region && !tags.has(tag)) bad.push("<" + tag + "> inside " + sel + " at " + path(e));
    }
    if (tag === "input" && e.closest(".wording") && !(e.type === "checkbox" && e.disabled)) bad.push("an input that is no disabled checkbox in a wording at " + path(e));
    if (e.closest(".wording") && e !== e.closest(".wording")) {
      for (const n of ["id", "name", "form", "class"]) {
        const v = e.getAttribute(n);
        if (v !== null && !(n === "class" && ((tag === "a" && /^wikilink( missing)?$/.test(v)) || (tag === "code" && /^language-[a-z0-9]+$/.test(v)))))
          bad.push("user markup carries " + n + "=" + show(v) + " at " + path(e));
      }
    }
  }
  for (const sel of ["script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal", "noscript", "template", "meta[http-equiv]", "style", "math", "foreignObject", "use", "animate", "set"]) {
    for (const e of document.querySelectorAll(sel)) bad.push("forbidden <" + e.localName + "> at " + path(e));
  }
  for (const e of document.querySelectorAll("link")) {
    if (e.parentElement !== document.head) bad.push("a <link> outside the head at " + path(e));
  }
  for (const e of document.querySelectorAll("meta, title")) {
    if (e.parentElement !== document.head && !e.closest("svg")) bad.push("<" + e.localName + "> outside the head at " + path(e));
  }
  for (const e of document.head ? document.head.children : []) {
    const ok = (e.localName === "meta" && e.attributes.length === 1 && e.hasAttribute("charset")) ||
      (e.localName === "meta" && e.attributes.length === 2 && ["viewport", %s].includes(e.getAttribute("name")) && e.hasAttribute("content")) ||
      (e.localName === "title" && e.attributes.length === 0) ||
      (e.localName === "link" && ["stylesheet", "icon"].includes(e.getAttribute("rel")) && /^\/static\/[a-z]+\.(css|svg)$/.test(e.getAttribute("href") || "")) ||
      (e.localName === "link" && e.attributes.length === 4 && e.getAttribute("rel") === "alternate" && e.getAttribute("type") === "application/atom+xml" &&
        e.hasAttribute("title") && /^\/(feed\.atom|rounds\.atom|terms\/[a-z0-9-]+\/feed\.atom)$/.test(e.getAttribute("href") || ""));
    if (!ok) bad.push("unexpected in the head: " + show(e.outerHTML));
  }
  const values = [...document.querySelectorAll("input, textarea, select")].map(e => e.value);
  return {
    bad,
    pwned: window.__pwned !== false,
    pwnedBy: window.__pwnedBy || ["the tripwire is not installed"],
    csp: window.__csp || [],
    title: document.title,
    text: document.body ? document.body.textContent : "",
    values,
  };
})`

// siteTags are the elements wordgarden's pages are made of: the templates,
// the markdown renderer's output (bluemonday's allow-list, narrowed by
// what goldmark emits), the search snippets' <mark>, the results chart's
// SVG and the invite slips' QR codes (a <path> of black squares).
var siteTags = []string{
	"html", "head", "meta", "title", "link", "body",
	"header", "nav", "main", "footer", "section", "article", "div", "span",
	"h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "blockquote", "pre", "code",
	"ul", "ol", "li", "dl", "dt", "dd", "details", "summary",
	"a", "strong", "em", "del", "ins", "mark", "time", "img",
	"table", "caption", "thead", "tbody", "tr", "th", "td",
	"form", "fieldset", "legend", "label", "input", "button", "select", "option", "textarea",
	"svg", "desc", "g", "rect", "text", "tspan", "line", "path",
}

// pageReport is what inspectPage finds.
type pageReport struct {
	Bad     []string `json:"bad"`
	Pwned   bool     `json:"pwned"`
	PwnedBy []string `json:"pwnedBy"`
	CSP     []string `json:"csp"`
	Title   string   `json:"title"`
	Text    string   `json:"text"`
	Values  []string `json:"values"`
}

// inspect runs inspectPage in the page the person is on. jsonViewer allows
// the meta tag Chromium puts in the page it makes to show JSON.
func inspect(p *Person, jsonViewer bool) pageReport {
	p.t.Helper()
	tags := jsList(siteTags)
	extraMeta := `"viewport"`
	if jsonViewer {
		extraMeta = `"color-scheme"`
	}
	js := fmt.Sprintf(inspectPage, tags, extraMeta)
	return run(p, "inspect the page", chromedp.Evaluate[pageReport](js, chromedp.EvalAwaitPromise))
}

// jsList quotes a list of strings as a JavaScript array.
func jsList(v []string) string {
	quoted := make([]string, len(v))
	for i, s := range v {
		quoted[i] = jsString(s)
	}
	return "[" + strings.Join(quoted, ",") + "]"
}

// problems lists what is wrong with a page: what inspect found, and the
// tripwire's and the CSP's reports.
func (r pageReport) problems() []string {
	out := slices.Clone(r.Bad)
	if r.Pwned {
		out = append(out, "script ran: "+strings.Join(r.PwnedBy, "; "))
	}
	for _, c := range r.CSP {
		out = append(out, "the Content-Security-Policy had to block something: "+c)
	}
	return out
}

// shown is how text looks once a page has shown it, for comparing: control
// characters and U+FFFD (what html/template makes of NUL) dropped, runs of
// white space as one space, trimmed.
func shown(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsSpace(r):
			return ' '
		case r == '\uFFFD' || unicode.IsControl(r):
			return -1
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// hostileSite is one site full of hostile text, and the people who look at
// it.
type hostileSite struct {
	site *Site

	partners  []model.User         // partner i is named hostile[i]
	orgs      []model.Organisation // organisation i is named hostile[i]
	terms     []model.Term         // term i is titled hostile[i]
	first     []model.Version      // on term i: hostile[i], by partner i
	second    []model.Version      // on term i: hostile[i+1], by partner i+1, amending first[i]
	gallery   model.Term           // a term with every hostile wording
	galleryVs []model.Version      // on the gallery: hostile[i], by partner i
	omnibus   [2]model.Version     // on the gallery: every payload in one wording, forwards and backwards
	nbs       []model.Neighbourhood
	residents []model.User          // resident i is named hostile[i] (without @); see residentsJoined
	voting    []model.Neighbourhood // where the residents live, five or more in each
	closed    model.Round           // approval, on the gallery, every galleryVs a candidate
	open      []model.Round         // ranked, one on each term i: first[i] and second[i]
	// comments[i] is on first[i]: payload i (as much as a comment holds),
	// by partner i+2, with a reply of payload i+2 by partner i. Those with hiddenComment(i) are hidden
	// for commentReason(i); every one is reported by partner i for
	// commentReason(i).
	comments []model.Comment

	joined   chan error // buildHostile's residents have joined and voted
	mu       sync.Mutex
	visited  int
	failures int
}

// payload is the index of the payload called name.
func payload(name string) int {
	i := slices.IndexFunc(hostile, func(p struct{ name, text string }) bool { return p.name == name })
	if i < 0 {
		panic("no payload " + name)
	}
	return i
}

// hostileName is payload i as a name or a title: at most 100 characters.
func hostileName(i int) string { return truncate(hostile[i].text, 100) }

// truncate cuts s to at most n characters.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		r = r[:n]
	}
	return string(r)
}

// unique makes something named name, and if that name (or its slug) is
// taken by an earlier payload, tries again with a number after it.
func unique[T any](t *testing.T, what, name string, i int, create func(string) (T, error)) T {
	t.Helper()
	v, err := create(name)
	if errors.Is(err, model.ErrDuplicate) {
		v, err = create(name + " " + strconv.Itoa(i))
	}
	if err != nil {
		t.Fatalf("%s %q: %v", what, name, err)
	}
	return v
}

// parallel runs f(0) ... f(n-1) on a few goroutines: making accounts is
// slow, because passwords are hashed properly.
func parallel(n int, f func(i int)) {
	var wg sync.WaitGroup
	next := make(chan int)
	for range 4 {
		wg.Go(func() {
			for i := range next {
				f(i)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}

// buildHostile fills a new site with hostile text through the store:
// organisations, partners, terms, versions, neighbourhoods, a vote on the
// gallery, and an open ranked vote on each hostile term. Residents join,
// and vote on the gallery, in the background (see residentsJoined).
func buildHostile(t *testing.T) *hostileSite {
	t.Helper()
	ctx := t.Context()
	h := &hostileSite{site: newSite(t)}

	st := h.site.Store
	n := len(hostile)
	h.orgs = make([]model.Organisation, n)
	h.partners = make([]model.User, n)
	h.terms = make([]model.Term, n)
	h.first = make([]model.Version, n)
	h.second = make([]model.Version, n)
	h.galleryVs = make([]model.Version, n)
	h.nbs = make([]model.Neighbourhood, n)
	h.residents = make([]model.User, n)

	for i := range hostile {
		sector := model.Statutory
		if i%2 == 1 {
			sector = model.Voluntary
		}
		h.orgs[i] = unique(t, "organisation", hostileName(i), i, func(name string) (model.Organisation, error) {
			return st.CreateOrganisation(ctx, name, sector)
		})
		h.nbs[i] = unique(t, "neighbourhood", hostileName(i), i, func(name string) (model.Neighbourhood, error) {
			return st.CreateNeighbourhood(ctx, name)
		})
	}
	// Five or more residents in each of the first n/5 neighbourhoods, so
	// that each has a row of its own in the results table, which merges
	// smaller ones.
	h.voting = h.nbs[:n/5]
	codes := make([]string, n)
	for i := range hostile {
		c, err := st.CreateInvites(ctx, h.voting[i%len(h.voting)].ID, 1, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		codes[i] = c[0]
	}
	var mu sync.Mutex
	var errs []error
	parallel(n, func(i int) {
		p, err := st.CreateUser(ctx, model.NewUser{
			Email: fmt.Sprintf("partner%d@hostile.example", i), Name: hostileName(i),
			Role: model.Partner, OrganisationID: h.orgs[i].ID, Password: testPassword,
		})
		if err != nil {
			err = fmt.Errorf("partner %q: %w", hostileName(i), err)
		}
		mu.Lock()
		defer mu.Unlock()
		h.partners[i] = p
		errs = append(errs, err)
	})
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}

	var err error
	h.gallery, _, err = st.CreateTerm(ctx, `Gallery "><svg onload=alert('gallery')>`, model.NewVersion{
		Markdown: "Every hostile wording, side by side.", Author: &h.partners[0]})
	if err != nil {
		t.Fatal(err)
	}
	for i := range hostile {
		j := (i + 1) % n
		h.terms[i] = unique(t, "term", hostileName(i), i, func(title string) (model.Term, error) {
			tm, v, err := st.CreateTerm(ctx, title, model.NewVersion{Markdown: hostile[i].text, Author: &h.partners[i]})
			h.first[i] = v
			return tm, err
		})
		if h.second[i], err = st.CreateVersion(ctx, h.terms[i].ID, model.NewVersion{
			Markdown: hostile[j].text, ParentID: h.first[i].ID, Author: &h.partners[j]}); err != nil {
			t.Fatal(err)
		}
		if h.galleryVs[i], err = st.CreateVersion(ctx, h.gallery.ID, model.NewVersion{
			Markdown: hostile[i].text, Author: &h.partners[i]}); err != nil {
			t.Fatal(err)
		}
	}
	for k := range h.omnibus {
		var all []string
		for _, p := range hostile {
			all = append(all, p.text)
		}
		if k == 1 {
			slices.Reverse(all)
		}
		if h.omnibus[k], err = st.CreateVersion(ctx, h.gallery.ID, model.NewVersion{
			Markdown: strings.Join(all, "\n\n"), Author: &h.partners[k]}); err != nil {
			t.Fatal(err)
		}
	}

	// Comments and replies of every payload, by hostile partners; some
	// hidden, every one reported, each for a hostile reason.
	h.comments = make([]model.Comment, n)
	for i := range hostile {
		j := (i + 2) % n
		c, err := st.CreateComment(ctx, model.NewComment{VersionID: h.first[i].ID, Kind: model.CommentKinds[i%3],
			Markdown: truncate(hostile[i].text, model.MaxCommentLen), Author: &h.partners[j]}, 0)
		if err != nil {
			t.Fatalf("comment %s: %v", hostile[i].name, err)
		}
		h.comments[i] = c
		if _, err := st.CreateComment(ctx, model.NewComment{VersionID: h.first[i].ID, ParentID: c.ID,
			Kind: model.CommentKinds[j%3], Markdown: truncate(hostile[j].text, model.MaxCommentLen), Author: &h.partners[i]}, 0); err != nil {
			t.Fatalf("reply %s: %v", hostile[j].name, err)
		}
		if err := st.ReportComment(ctx, c.ID, &h.partners[i], commentReason(i)); err != nil {
			t.Fatal(err)
		}
		if hiddenComment(i) {
			if err := st.HideComment(ctx, c.ID, &h.site.Facilitator, commentReason(i)); err != nil {
				t.Fatal(err)
			}
		}
	}

	// The gallery's vote, with every gallery wording a candidate.
	var candidates []int64
	for _, v := range h.galleryVs {
		candidates = append(candidates, v.ID)
	}
	closes := time.Now().Add(24 * time.Hour)
	if h.closed, err = st.OpenRound(ctx, model.NewRound{
		TermID: h.gallery.ID, Candidates: candidates, Method: tally.Approval, ClosesAt: closes,
		ThresholdPct: 50, OpenedBy: h.site.Facilitator,
	}); err != nil {
		t.Fatal(err)
	}
	for i, tm := range h.terms {
		r, err := st.OpenRound(ctx, model.NewRound{
			TermID: tm.ID, Candidates: []int64{h.first[i].ID, h.second[i].ID}, Method: tally.Ranked,
			ClosesAt: closes, ThresholdPct: 50, OpenedBy: h.site.Facilitator,
		})
		if err != nil {
			t.Fatal(err)
		}
		h.open = append(h.open, r)
	}

	// Residents join, and vote in the gallery's vote, while the pages that
	// show no resident are looked at (see residentsJoined): hashing their
	// passwords takes a while.
	h.joined = make(chan error, 1)
	go func() {
		var mu sync.Mutex
		var errs []error
		parallel(n, func(i int) {
			// Residents sign in with their name, so theirs may not hold an @.
			name := truncate(strings.ReplaceAll(hostile[i].text, "@", "&#64;"), 100)
			r, err := st.Join(ctx, codes[i], name, testPassword)
			if errors.Is(err, model.ErrDuplicate) {
				r, err = st.Join(ctx, codes[i], name+" "+strconv.Itoa(i), testPassword)
			}
			if err != nil {
				err = fmt.Errorf("resident %q: %w", name, err)
			}
			mu.Lock()
			defer mu.Unlock()
			h.residents[i] = r
			errs = append(errs, err)
		})
		if err := errors.Join(errs...); err != nil {
			h.joined <- err
			return
		}
		// Everyone finds "escaped-script" makes sense, and one other
		// wording each.
		win := payload("escaped-script")
		for i, r := range h.residents {
			approve := []int64{h.galleryVs[win].ID}
			if i != win {
				approve = append(approve, h.galleryVs[i].ID)
			}
			if _, err := st.CastBallot(ctx, h.closed.ID, r, tally.Ballot{Approve: approve}); err != nil {
				h.joined <- fmt.Errorf("ballot of %q: %w", r.Name, err)
				return
			}
		}
		h.joined <- nil
	}()
	t.Cleanup(func() { // before the store closes
		if h.joined != nil {
			<-h.joined
		}
	})
	return h
}

// hiddenComment says whether comments[i] is hidden.
func hiddenComment(i int) bool { return i%5 == 0 }

// commentReason is the reason comments[i] is reported and, if it is,
// hidden for: payload i+3, as long as a reason may be.
func commentReason(i int) string {
	return strings.TrimSpace(truncate(hostile[(i+3)%len(hostile)].text, model.MaxReasonLen))
}

// commentNames are the names the comments on first[i] show: their
// writers' and their organisations', and the reason if one is hidden.
func (h *hostileSite) commentNames(i int) []string {
	n := len(hostile)
	j := (i + 2) % n
	out := []string{h.partners[j].Name, h.orgs[j].Name, h.partners[i].Name, h.orgs[i].Name}
	if hiddenComment(i) {
		out = append(out, "Hidden by a facilitator: "+commentReason(i))
	}
	return out
}

// residentsJoined waits until the residents buildHostile makes have joined
// and voted.
func (h *hostileSite) residentsJoined(t *testing.T) {
	t.Helper()
	if h.joined == nil {
		return
	}
	err := <-h.joined
	h.joined = nil
	if err != nil {
		t.Fatal(err)
	}
}

// person opens a tab with the tripwire armed.
func (h *hostileSite) person(t *testing.T, name string, opts ...PersonOption) *Person {
	t.Helper()
	p := h.site.newPerson(t, name, opts...)
	armTripwire(p)
	return p
}

// visit opens path as p and checks the page (see check).
func (h *hostileSite) visit(p *Person, path string, want ...string) {
	p.t.Helper()
	h.visitStatus(p, path, 0, want...)
}

// visitStatus is visit for a page that answers with another status (0
// means any 2xx). Unlike OpenStatus, it looks at the page before it
// reports what the browser complained of, so that a failure says what
// got into the page as well as what the browser refused to run.
func (h *hostileSite) visitStatus(p *Person, path string, status int, want ...string) {
	p.t.Helper()
	what := "open " + path
	resp := p.wantStatus(what, run(p, what, chromedp.NavigateResponse(p.url(path))), status)
	h.check(p, path, resp, want...)
}

// check checks the page p has just loaded (what names it in messages):
// the response carries the security headers; no script ran, no dialog
// opened (the harness's watch), nothing foreign is in the document; and
// each of want is on the page as text, in a form field or in its title, so
// the hostile text really was there to be rendered.
func (h *hostileSite) check(p *Person, what string, resp *network.Response, want ...string) {
	p.t.Helper()
	h.mu.Lock()
	h.visited++
	h.mu.Unlock()
	// The embedded definition alone may be framed by any site.
	framable := strings.HasSuffix(strings.SplitN(what, "?", 2)[0], "/embed")
	for _, problem := range headerProblems(headerGetter(resp), framable) {
		h.fail(p.t, "%s: %s", what, problem)
	}
	r := inspect(p, false)
	for _, problem := range r.problems() {
		h.fail(p.t, "%s (%s): %s", what, p.name, problem)
	}
	text := shown(r.Text)
	title := shown(r.Title)
	values := make([]string, len(r.Values))
	for i, v := range r.Values {
		values[i] = shown(v)
	}
	for _, w := range want {
		w = shown(w)
		if !strings.Contains(text, w) && !strings.Contains(title, w) && !slices.ContainsFunc(values, func(v string) bool { return strings.Contains(v, w) }) {
			h.fail(p.t, "%s (%s): the page does not show %q as text", what, p.name, w)
		}
	}
	p.checkProblems()
}

// fail reports a problem, and stops reporting after 40 of them.
func (h *hostileSite) fail(t *testing.T, format string, args ...any) {
	t.Helper()
	h.mu.Lock()
	h.failures++
	n := h.failures
	h.mu.Unlock()
	switch {
	case n < 40:
		t.Errorf(format, args...)
	case n == 40:
		t.Errorf("... and more problems; fix these first")
	}
}

// headerGetter reads a response header of a browser response, whatever
// the case of its name.
func headerGetter(resp *network.Response) func(string) string {
	return func(name string) string {
		if resp == nil {
			return ""
		}
		for k, v := range resp.Headers {
			if strings.EqualFold(k, name) {
				s, _ := v.(string)
				return s
			}
		}
		return ""
	}
}

// securityHeaderProblems says what is missing from a response's security
// headers: a Content-Security-Policy that allows no inline script, no eval
// and no other origin's script, and no framing; Referrer-Policy;
// X-Content-Type-Options: nosniff; X-Frame-Options: DENY.
func securityHeaderProblems(get func(string) string) []string {
	return headerProblems(get, false)
}

// headerProblems is securityHeaderProblems, except that a framable page
// (the embedded definition) must allow any site to frame it instead:
// frame-ancestors * and no X-Frame-Options.
func headerProblems(get func(string) string, framable bool) []string {
	var out []string
	csp := get("Content-Security-Policy")
	if csp == "" {
		return append(out, "no Content-Security-Policy header")
	}
	directives := map[string][]string{}
	for _, d := range strings.Split(csp, ";") {
		f := strings.Fields(strings.ToLower(d))
		if len(f) > 0 {
			directives[f[0]] = f[1:]
		}
	}
	for _, name := range []string{"script-src", "script-src-elem", "script-src-attr"} {
		sources, ok := directives[name]
		if !ok {
			sources, ok = directives["script-src"]
		}
		if !ok {
			sources, ok = directives["default-src"]
		}
		if !ok {
			out = append(out, "the Content-Security-Policy sets neither script-src nor default-src: "+csp)
			break
		}
		for _, s := range sources {
			switch {
			case s == "'self'" || s == "'none'" || strings.HasPrefix(s, "'nonce-") || strings.HasPrefix(s, "'sha"):
			default:
				out = append(out, fmt.Sprintf("the Content-Security-Policy lets %s come from %s: %s", name, s, csp))
			}
		}
	}
	if base, ok := directives["base-uri"]; !ok || (!slices.Equal(base, []string{"'self'"}) && !slices.Equal(base, []string{"'none'"})) {
		out = append(out, "the Content-Security-Policy does not restrict base-uri: "+csp)
	}
	if obj, ok := directives["object-src"]; !ok || !slices.Equal(obj, []string{"'none'"}) {
		out = append(out, "the Content-Security-Policy does not set object-src 'none': "+csp)
	}
	fa, ok := directives["frame-ancestors"]
	xfo := get("X-Frame-Options")
	switch {
	case framable && (!ok || !slices.Equal(fa, []string{"*"})):
		out = append(out, "the Content-Security-Policy of the framable page does not set frame-ancestors *: "+csp)
	case framable && xfo != "":
		out = append(out, fmt.Sprintf("the framable page has X-Frame-Options %q", xfo))
	case framable:
	case !strings.EqualFold(xfo, "DENY"):
		out = append(out, fmt.Sprintf("X-Frame-Options is %q, want DENY", xfo))
		fallthrough
	case !ok || !slices.Equal(fa, []string{"'none'"}):
		out = append(out, "the Content-Security-Policy does not set frame-ancestors 'none': "+csp)
	}
	switch rp := strings.ToLower(get("Referrer-Policy")); rp {
	case "no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin":
	default:
		out = append(out, fmt.Sprintf("Referrer-Policy is %q, want one that keeps paths on the site", rp))
	}
	if n := get("X-Content-Type-Options"); !strings.EqualFold(n, "nosniff") {
		out = append(out, fmt.Sprintf("X-Content-Type-Options is %q, want nosniff", n))
	}
	return out
}

// TestHostileText fills a site with XSS payloads, in every place people can
// write text (wordings, titles, names of people, organisations and
// neighbourhoods, searches), and looks at every page that shows them in a
// real browser: nothing runs, no dialog opens, no element or attribute of
// the payloads' making appears, each response carries the security
// headers, and each payload is on the page as text.
//
// The site is built once, through the store, then people look at it in
// two rounds of tabs side by side (the browser waits more than it works):
// first the pages of every term and every search, then the forms and the
// vote, which change the site.
func TestHostileText(t *testing.T) {
	start := time.Now()
	if len(hostile) < 30 {
		t.Fatalf("the corpus has %d payloads, want at least 30", len(hostile))
	}
	for _, name := range breakouts {
		payload(name) // panics if there is none
	}
	h := buildHostile(t)
	built := time.Since(start)
	n := len(hostile)
	var everyone, titles, voting []string
	for i := range hostile {
		everyone = append(everyone, h.partners[i].Name, h.orgs[i].Name)
		titles = append(titles, h.terms[i].Title)
	}
	for _, nb := range h.voting {
		voting = append(voting, nb.Name)
	}

	// Reading: two tabs, each taking half the payloads (go test runs as
	// many tests at a time as there are cores, usually two).
	t.Run("reading", func(t *testing.T) {
		read := func(p *Person, half int) {
			for i := half; i < n; i += 2 {
				// Each hostile title on its term page (in <title> and the
				// heading), with its two hostile wordings and their
				// authors and organisations. The titles made to break out
				// of markup also on, in turn, a version page (with the
				// markdown source), a history, a diff and a vote: the
				// gallery shows every payload on each of these pages.
				j := (i + 1) % n
				tm, v1, v2 := h.terms[i], h.first[i], h.second[i]
				names := []string{tm.Title, h.partners[i].Name, h.orgs[i].Name, h.partners[j].Name, h.orgs[j].Name}
				h.visit(p, "/terms/"+tm.Slug, names...)
				h.visit(p, "/api/v1/terms/"+tm.Slug+"/embed", tm.Title)
				k := slices.Index(breakouts, hostile[i].name)
				switch {
				case k < 0:
				case k%4 == 0:
					h.visit(p, fmt.Sprintf("/versions/%d", v1.ID), append([]string{tm.Title, h.partners[i].Name, h.orgs[i].Name, v1.Markdown}, h.commentNames(i)...)...)
				case k%4 == 1:
					h.visit(p, "/terms/"+tm.Slug+"/history", names...)
				case k%4 == 2:
					h.visit(p, fmt.Sprintf("/terms/%s/diff?from=%d&to=%d", tm.Slug, v1.ID, v2.ID), tm.Title, h.partners[i].Name, h.partners[j].Name)
				default:
					h.visit(p, fmt.Sprintf("/rounds/%d", h.open[i].ID), append(slices.Clone(names), h.commentNames(i)...)...)
				}
				// The payload as a search.
				q := hostile[i].text
				if len(q) > 200 { // the longest search there is
					q = q[:200]
				}
				h.visit(p, "/search?q="+url.QueryEscape(q), q)
			}
		}
		t.Run("even", func(t *testing.T) {
			t.Parallel()
			p := h.person(t, "visitor")
			read(p, 0)
			// The gallery: every wording on one term page, in one history,
			// in one vote; every payload in one wording's markdown source,
			// and in a diff.
			h.visit(p, "/terms/"+h.gallery.Slug, everyone...)
			h.visit(p, "/terms/"+h.gallery.Slug+"/history", everyone...)
			h.visit(p, fmt.Sprintf("/rounds/%d", h.closed.ID), everyone...)
			h.visit(p, fmt.Sprintf("/versions/%d", h.omnibus[0].ID), h.omnibus[0].Markdown)
			h.visit(p, fmt.Sprintf("/terms/%s/diff?from=%d&to=%d", h.gallery.Slug, h.omnibus[0].ID, h.omnibus[1].ID),
				h.gallery.Title, h.partners[0].Name, h.partners[1].Name)
			// Every version with a hidden comment shows the hostile reason
			// instead.
			for i := range hostile {
				if hiddenComment(i) {
					h.visit(p, fmt.Sprintf("/versions/%d", h.first[i].ID), h.commentNames(i)...)
				}
			}
			// A wiki link to a term nobody has started: its page says who
			// wants it.
			h.visitStatus(p, "/terms/x", http.StatusNotFound, h.terms[payload("wiki-img-label")].Title)
		})
		t.Run("odd", func(t *testing.T) {
			t.Parallel()
			p := h.person(t, "reader")
			read(p, 1)
			h.visit(p, "/rounds", append(slices.Clone(titles), h.gallery.Title)...)
			h.visit(p, "/", append(slices.Clone(titles), h.gallery.Title)...)
			// Searches whose snippets show the wordings' text.
			for _, q := range []string{"alert", "javascript", "onerror"} {
				h.visit(p, "/search?q="+q)
			}
			// Signing in: a hostile page to go to next, a hostile name that
			// matches nobody, then a hostile resident's name that does.
			for _, next := range []string{"javascript:alert(1)", `/"><script>alert(1)</script>`} {
				h.visit(p, "/login?next="+url.QueryEscape(next))
			}
			wrong := hostile[payload("attr-inject")].text
			p.Fill("#email", wrong)
			p.Fill("#password", "not the password")
			h.check(p, "a failed sign-in", p.ClickAndWaitStatus(`main form[action="/login"] button[type=submit]`, http.StatusUnauthorized), wrong)
		})
	})
	if t.Failed() {
		return
	}
	reading := time.Since(start) - built
	h.residentsJoined(t)
	var residents []string
	for _, r := range h.residents {
		residents = append(residents, r.Name)
	}

	t.Run("writing", func(t *testing.T) {
		// The facilitator adds more hostile text through the forms, sees
		// it in the messages that confirm it and in a form that asks
		// again, prints invite codes, and closes the gallery's vote: the
		// results page draws the chart, labelled with people's and
		// organisations' names, and the table by neighbourhood.
		t.Run("facilitator", func(t *testing.T) {
			t.Parallel()
			fac := h.person(t, "facilitator")
			fac.SignIn(h.site.Facilitator.Email, testPassword)
			orgName, partnerName, nbName := `Org "><img src=x onerror=alert('org')>`, `Partner </title><script>alert('p')</script>`, `Hood <svg onload=alert('nb')>`
			partnerEmail := "x'onmouseover=alert`1`{{.}}@hostile.example" // as hostile as an email address gets
			fac.Open("/admin")
			fac.Fill("#org-name", orgName)
			fac.Check("#sector-voluntary")
			h.check(fac, "adding an organisation", fac.ClickAndWait(`form[action="/admin/organisations"] button[type=submit]`), orgName+" is added.")
			fac.Fill("#user-name", partnerName)
			fac.Fill("#user-email", partnerEmail)
			fac.Check("#role-partner")
			fac.SelectOption("#user-organisation", orgName)
			fac.Fill("#user-password", testPassword)
			h.check(fac, "adding a partner", fac.ClickAndWait(`form[action="/admin/users"] button[type=submit]`), "An account for "+partnerName+" is made.")
			fac.Fill("#org-name", h.orgs[0].Name) // taken: the form comes back with it, and says so
			fac.Check("#sector-statutory")
			h.check(fac, "adding a taken organisation name", fac.ClickAndWaitStatus(`form[action="/admin/organisations"] button[type=submit]`, http.StatusUnprocessableEntity),
				"There is already an organisation called “"+h.orgs[0].Name+"”.")
			h.visit(fac, "/admin", append(append(slices.Clone(everyone), residents...), orgName, partnerName, partnerEmail)...)

			// A local word to avoid, and its suggestion, on the list.
			word, instead := `Hub <img src=x onerror=alert('w')>`, `centre </td><script>alert('s')</script>`
			fac.Open("/admin/words")
			fac.Fill("#word-phrase", word)
			fac.Fill("#word-suggestion", instead)
			h.check(fac, "adding a local word", fac.ClickAndWait(`form[action="/admin/words"] button[type=submit]`), "“"+word+"” is added.")
			h.visit(fac, "/admin/words", word, instead)

			fac.Open("/admin/neighbourhoods")
			fac.Fill("#nb-name", nbName)
			h.check(fac, "adding a neighbourhood", fac.ClickAndWait(`form[action="/admin/neighbourhoods"] button[type=submit]`), nbName+" is added.")
			all, err := h.site.Store.Neighbourhoods(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			var hoods []string
			for _, nb := range all {
				hoods = append(hoods, nb.Name)
			}
			h.visit(fac, "/admin/neighbourhoods", hoods...)
			// The print page of invite codes names the neighbourhood.
			for _, nb := range all {
				if nb.Name == nbName || nb.ID == h.voting[0].ID {
					fac.Open("/admin/neighbourhoods")
					fac.Fill("#inv-neighbourhood", nb.Slug)
					fac.Fill("#inv-count", "1")
					h.check(fac, "invite codes for "+nb.Name, fac.ClickAndWait(`form[action="/admin/invites"] button[type=submit]`), nb.Name)
				}
			}
			// A search by a partner or facilitator offers to start the term.
			h.visit(fac, "/search?q="+url.QueryEscape(`"><svg onload=alert(1)> zzzq`), `"><svg onload=alert(1)> zzzq`)

			// The reported comments, with who reported them and why; then
			// one hidden from there, for a hostile reason typed in.
			var reported []string
			for i := range hostile {
				if !hiddenComment(i) {
					reported = append(reported, h.partners[i].Name, commentReason(i), h.partners[(i+2)%len(hostile)].Name, h.terms[i].Title)
				}
			}
			h.visit(fac, "/admin/reports", reported...)
			k := payload("attr-break")
			why := `Rude "><img src=x onerror=alert('why')></textarea>`
			hide := fmt.Sprintf(`form[action="/comments/%d/hide"]`, h.comments[k].ID)
			fac.Fill(hide+` input[name=reason]`, why)
			h.check(fac, "hiding a reported comment", fac.ClickAndWait(hide+` button[type=submit]`), "The comment is hidden.")
			h.visit(fac, fmt.Sprintf("/versions/%d", h.first[k].ID), "Hidden by a facilitator: "+why)

			fac.Open(fmt.Sprintf("/rounds/%d/close", h.closed.ID))
			h.check(fac, "closing the vote", fac.ClickAndWait(fmt.Sprintf(`form[action="/rounds/%d/close"] button[type=submit]`, h.closed.ID)), "The vote is closed.")
			results := fmt.Sprintf("/rounds/%d/results", h.closed.ID)
			h.visit(fac, results, append(slices.Clone(everyone), voting...)...)
			h.visit(fac, fmt.Sprintf("/rounds/%d", h.closed.ID), everyone...)
			// The gallery has an agreed wording now, whose text is
			// "<script>alert(1)</script>": on its page and in the A to Z.
			h.visit(fac, "/terms/"+h.gallery.Slug, "Chosen by", "<script>alert(1)</script>")
			h.visit(fac, "/api/v1/terms/"+h.gallery.Slug+"/embed", "Chosen by", "<script>alert(1)</script>")
			h.visit(fac, "/", append(slices.Clone(titles), h.gallery.Title, "<script>alert(1)</script>")...)
			// Recent changes tell of it, and the printed glossary has it.
			h.visit(fac, "/changes", h.gallery.Title, "<script>alert(1)</script>")
			h.visit(fac, "/glossary/print", h.gallery.Title, "<script>alert(1)</script>")

			// JSON, which the browser shows as text.
			for _, path := range []string{"/api/v1/terms", "/api/v1/terms/" + h.gallery.Slug, "/api/v1/rounds", "/glossary.json",
				results + ".json", fmt.Sprintf("/rounds/%d/ballots.json", h.closed.ID)} {
				resp := fac.Open(path)
				h.mu.Lock()
				h.visited++
				h.mu.Unlock()
				if ct := headerGetter(resp)("Content-Type"); !strings.HasPrefix(ct, "application/json") {
					h.fail(t, "%s: Content-Type %q, want application/json", path, ct)
				}
				for _, problem := range securityHeaderProblems(headerGetter(resp)) {
					h.fail(t, "%s: %s", path, problem)
				}
				for _, problem := range inspect(fac, true).problems() {
					h.fail(t, "%s: %s", path, problem)
				}
				fac.checkProblems()
			}
		})

		// A resident joins with a hostile name, in a hostile neighbourhood,
		// and votes.
		t.Run("resident", func(t *testing.T) {
			t.Parallel()
			nb := h.voting[0]
			codes, err := h.site.Store.CreateInvites(t.Context(), nb.ID, 1, time.Time{})
			if err != nil {
				t.Fatal(err)
			}
			name := `Res "><img src=x onerror=alert('res')>`
			res := h.person(t, "resident", phone())
			res.Open("/join")
			res.Fill("#code", codes[0])
			res.Fill("#name", name)
			res.Fill("#password", testPassword)
			h.check(res, "joining", res.ClickAndWait(`main form[action="/join"] button[type=submit]`), "Welcome, "+name+". You are signed in as a resident of "+nb.Name+".")
			round := h.open[0]
			h.visit(res, fmt.Sprintf("/rounds/%d", round.ID), name, h.terms[0].Title, h.partners[0].Name, h.partners[1].Name)
			res.Fill(fmt.Sprintf("#rank-%d", h.first[0].ID), "1")
			h.check(res, "voting", res.ClickAndWait(fmt.Sprintf(`form[action="/rounds/%d/ballot"] button[type=submit]`, round.ID)), "Your vote is counted")
			// The resident comments "tried it" with hostile markdown, and
			// the page shows it with their name and neighbourhood; then a
			// comment too long comes back with the typed text.
			res.Open(fmt.Sprintf("/versions/%d", h.first[1].ID))
			res.Check("#kind-tried-it")
			typed := "Tried: <img src=x onerror=alert('c')> [x](javascript:alert('c'))\n\n</textarea><script>alert('c')</script>"
			res.Type("#comment-body", typed)
			h.check(res, "commenting", res.ClickAndWait(`form[aria-labelledby=new-comment] button[type=submit]`),
				"Your comment is posted.", name+", resident of "+nb.Name, "Tried: ")
			res.Check("#kind-question")
			long := strings.Repeat(hostile[payload("attr-inject")].text+" ", model.MaxCommentLen/30+10)
			res.Fill("#comment-body", long)
			h.check(res, "a comment too long", res.ClickAndWaitStatus(`form[aria-labelledby=new-comment] button[type=submit]`, http.StatusUnprocessableEntity),
				"Keep your comment to 4000 characters", strings.TrimSpace(long))
			// A resident whose hostile name was made through the store
			// signs in with it.
			r := h.residents[payload("attr-break")]
			other := h.person(t, "resident who signs in")
			other.SignIn(r.Name, testPassword)
			h.visit(other, "/rounds", r.Name)
		})

		// A hostile partner proposes a wording typed key by key, starts a
		// term whose title is taken, and opens the form to amend wordings:
		// a text area, which </textarea> must not close.
		t.Run("partner", func(t *testing.T) {
			t.Parallel()
			partner := h.person(t, "partner")
			partner.SignIn("partner0@hostile.example", testPassword)
			typed := "Typed: <img src=x onerror=alert('typed')> [x](javascript:alert('typed')) [[javascript:alert('typed')]]\n\n</textarea><script>alert('typed')</script>"
			partner.Open("/terms/" + h.terms[1].Slug + "/propose")
			partner.Type("#markdown", typed)
			h.check(partner, "proposing a typed wording", partner.ClickAndWait(`form[action="/terms/`+h.terms[1].Slug+`/versions"] button[type=submit]`),
				h.partners[0].Name, "Your wording is saved as version", typed)
			id, _ := strconv.ParseInt(strings.TrimPrefix(partner.Location().Path, "/versions/"), 10, 64)
			// A form sends line breaks as CR LF.
			if v, err := h.site.Store.Version(t.Context(), id); err != nil || strings.ReplaceAll(v.Markdown, "\r\n", "\n") != typed {
				t.Errorf("the typed wording was saved as %q (%v), want %q", v.Markdown, err, typed)
			}
			// "Check wording" shows the typed text again, with the check.
			partner.Open("/terms/" + h.terms[1].Slug + "/propose")
			partner.Type("#markdown", typed)
			h.check(partner, "checking a typed wording", partner.ClickAndWait(`form[action="/terms/`+h.terms[1].Slug+`/versions"] button[name=check]`),
				"Plain language check", typed)
			h.visit(partner, "/terms/new?title="+url.QueryEscape(hostile[0].text), hostile[0].text)
			partner.Fill("#title", h.terms[0].Title)
			partner.Fill("#markdown", hostile[1].text)
			h.check(partner, "starting a term whose title is taken", partner.ClickAndWaitStatus(`form[action="/terms"] button[type=submit]`, http.StatusUnprocessableEntity),
				"There is already a term called “"+h.terms[0].Title+"”.", hostile[1].text)
			h.visit(partner, fmt.Sprintf("/terms/%s/propose?amend=%d", h.gallery.Slug, h.omnibus[0].ID), h.gallery.Title, h.partners[0].Name, h.omnibus[0].Markdown)
			i := payload("raw-text-break")
			h.visit(partner, fmt.Sprintf("/terms/%s/propose?amend=%d", h.terms[i].Slug, h.first[i].ID), h.terms[i].Title, h.partners[i].Name, h.first[i].Markdown)
		})
	})

	// The API gives each title and wording back exactly as written (on
	// PostgreSQL, whose text holds no NUL, with U+FFFD for it, as a reader
	// sees it anyway).
	stored := func(s string) string {
		if storetest.Postgres() {
			return strings.ReplaceAll(s, "\x00", "\uFFFD")
		}
		return s
	}
	for i, tm := range h.terms {
		var got struct {
			Title    string `json:"title"`
			Versions []struct {
				ID       int64  `json:"id"`
				Markdown string `json:"markdown"`
				Author   string `json:"author"`
			} `json:"versions"`
		}
		h.site.GetJSON(t, "/api/v1/terms/"+tm.Slug, &got)
		if got.Title != tm.Title {
			h.fail(t, "API: term %d's title is %q, want %q", i, got.Title, tm.Title)
		}
		for _, v := range got.Versions {
			if v.ID == h.first[i].ID && (v.Markdown != stored(hostile[i].text) || v.Author != h.partners[i].Name) {
				h.fail(t, "API: version %d is %q by %q, want %q by %q", v.ID, v.Markdown, v.Author, hostile[i].text, h.partners[i].Name)
			}
		}
	}
	t.Logf("%d payloads: built the site in %s; checked %d pages in %s (reading %s, writing %s)", n,
		built.Round(time.Millisecond), h.visited, (time.Since(start) - built).Round(time.Millisecond),
		reading.Round(time.Millisecond), (time.Since(start) - built - reading).Round(time.Millisecond))
}

// TestHostileCSP proves that every kind of response carries the security
// headers, and that the Content-Security-Policy works without breaking
// the site: its stylesheets apply, while script put into a page (an inline
// event handler, an inline script element, a string to evaluate, a
// javascript: link) is refused, and each refusal is reported.
func TestHostileCSP(t *testing.T) {
	site := newSite(t)

	// Without a browser: responses the browser tests do not load as pages.
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, c := range []struct {
		method, path string
		status       int
	}{
		{"GET", "/", 200},
		{"GET", "/terms/neighbourhood-working", 200},
		{"GET", "/terms/Neighbourhood Working", 301},
		{"GET", "/terms/neighbourhood-working/diff?from=x", 400},
		{"GET", "/nowhere", 404},
		{"GET", "/admin", 303},
		{"GET", "/static/style.css", 200},
		{"GET", "/static/icon.svg", 200},
		{"GET", "/api/v1/terms", 200},
		{"GET", "/api/v1/terms/nowhere", 404},
		{"GET", "/rounds/999/results.json", 404},
		{"POST", "/login", 403}, // no CSRF token
	} {
		req, err := http.NewRequestWithContext(t.Context(), c.method, site.URL+strings.ReplaceAll(c.path, " ", "%20"), nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != c.status {
			t.Errorf("%s %s: status %d, want %d", c.method, c.path, resp.StatusCode, c.status)
		}
		for _, problem := range securityHeaderProblems(resp.Header.Get) {
			t.Errorf("%s %s: %s", c.method, c.path, problem)
		}
	}

	p := site.newPerson(t, "visitor")
	armTripwire(p)
	p.Open("/terms/neighbourhood-working")

	// The site's own stylesheets load and apply under the policy.
	sheets := run(p, "read the stylesheets", chromedp.Evaluate[[]string](
		`Array.from(document.styleSheets, s => new URL(s.href).pathname + " " + s.cssRules.length)`))
	if len(sheets) != 2 || !strings.HasPrefix(sheets[0], "/static/style.css ") || strings.HasSuffix(sheets[0], " 0") {
		t.Errorf("the page's stylesheets are %q, want /static/style.css and /static/chart.css, with rules", sheets)
	}
	if bg := run(p, "read the header's background", chromedp.Evaluate[string](
		`getComputedStyle(document.querySelector("header.site")).backgroundColor`)); bg == "" || bg == "transparent" || bg == "rgba(0, 0, 0, 0)" {
		t.Errorf("the site header's background is %q: the stylesheet does not apply", bg)
	}

	// Script put into the page from DevTools (which the policy does not
	// govern) that asks the page to run more script: each must be refused.
	got := run(p, "put script into the page", chromedp.Evaluate[struct {
		Fired string   `json:"fired"`
		Ran   []string `json:"ran"`
		Path  string   `json:"path"`
	}](`(async () => {
  window.__ran = [];
  const errored = new Promise(resolve => {
    document.body.insertAdjacentHTML("beforeend",
      '<img id="csp-probe" alt="" src="/static/style.css" onerror="window.__ran.push(\'inline event handler\')">');
    document.getElementById("csp-probe").addEventListener("error", () => resolve("error"));
    setTimeout(() => resolve("no error event"), 3000);
  });
  const s = document.createElement("script");
  s.textContent = "window.__ran.push('inline script')";
  document.body.append(s);
  // (eval itself would run: DevTools' own script may eval.)
  setTimeout("window.__ran.push('setTimeout with a string')", 0);
  const a = document.createElement("a");
  a.href = "javascript:window.__ran.push('javascript: link')";
  a.textContent = "x";
  document.body.append(a);
  a.click();
  const fired = await errored;
  await new Promise(resolve => setTimeout(resolve, 200));
  return {fired, ran: window.__ran, path: location.pathname};
})()`, chromedp.EvalAwaitPromise))
	if got.Fired != "error" {
		t.Errorf("the probe image fired %q, want an error event (a stylesheet is no image)", got.Fired)
	}
	if len(got.Ran) > 0 {
		t.Errorf("script the policy must refuse ran: %q", got.Ran)
	}
	if got.Path != "/terms/neighbourhood-working" {
		t.Errorf("the page moved to %s", got.Path)
	}
	// The browser logs each refusal as it happens, and tells the page (a
	// securitypolicyviolation event) in a later task, as the CSP spec says;
	// its log reaches watch before its answer to a later Evaluate. So once
	// the page has heard of four refusals, the browser's reports are in.
	var violations []string
	wait.For(t, 5*time.Second, "the page to see four securitypolicyviolation events", func() bool {
		violations = run(p, "read the violations", chromedp.Evaluate[[]string](`window.__csp`))
		return len(violations) >= 4
	})
	// Chromium reports each refusal as a security error, in words like
	// "Executing inline event handler violates the following Content
	// Security Policy directive 'default-src 'self''". Some reports come
	// in more than one entry; the rest of them, notes on the policy
	// without the words that say what was refused, are dropped.
	reported := p.ExpectProblems("inline event handler", "inline script", "Evaluating a string as JavaScript", "JavaScript URL")
	p.mu.Lock()
	p.problems = slices.DeleteFunc(p.problems, func(s string) bool {
		return strings.HasPrefix(s, "browser security error") &&
			(strings.Contains(s, "Content Security Policy") || strings.Contains(s, "'script-src'") || strings.Contains(s, "The action has been blocked"))
	})
	p.mu.Unlock()
	t.Logf("the browser reported, as it should:\n  %s", strings.Join(reported, "\n  "))
	t.Logf("the page saw: %q", violations)
	p.checkProblems()
}

// TestHostileChecksWork proves that the checks of TestHostileText would see
// an attack: on a page made vulnerable on purpose, with no
// Content-Security-Policy, the tripwire sees script run, the harness sees
// the dialog, and inspect sees the foreign elements and attributes; and the
// header check sees a policy that allows inline script.
func TestHostileChecksWork(t *testing.T) {
	bad := securityHeaderProblems(func(name string) string {
		return map[string]string{
			"Content-Security-Policy": "default-src 'self'; script-src 'self' 'unsafe-inline'",
			"X-Frame-Options":         "SAMEORIGIN",
		}[name]
	})
	for _, want := range []string{"'unsafe-inline'", "frame-ancestors", "X-Frame-Options", "Referrer-Policy", "nosniff", "object-src", "base-uri"} {
		if !slices.ContainsFunc(bad, func(s string) bool { return strings.Contains(s, want) }) {
			t.Errorf("the header check does not mention %s; it says %q", want, bad)
		}
	}

	vulnerable := `<!doctype html><html><head><meta charset="utf-8"><title>t</title></head><body><main>
<img src="/not-an-image" onerror="alert(1)">
<a href=" JaVa&#x09;Script:alert(1)">link</a>
<iframe srcdoc="<p>x</p>"></iframe>
<div style="color:red" onclick="x()">div</div>
<svg><a href="javascript:alert(1)"><text>t</text></a></svg>
<script>fetch("/x")</script>
<div class="wording"><p>A wording <span id="clobber">with</span> a form: <form action="/"><button>go</button></form></p></div>
</main></body></html>`
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if r.URL.Path == "/" {
			io.WriteString(w, vulnerable)
			return
		}
		io.WriteString(w, "not an image")
	}))
	defer ts.Close()
	p := (&Site{URL: ts.URL}).newPerson(t, "victim")
	armTripwire(p)
	p.do("open the vulnerable page", chromedp.Navigate(ts.URL+"/"))
	p.ExpectProblems("JavaScript alert dialog")
	r := inspect(p, false)
	if !r.Pwned || !slices.ContainsFunc(r.PwnedBy, func(s string) bool { return strings.HasPrefix(s, "alert") }) ||
		!slices.ContainsFunc(r.PwnedBy, func(s string) bool { return strings.HasPrefix(s, "fetch") }) {
		t.Errorf("the tripwire saw %v, want alert and fetch", r.PwnedBy)
	}
	problems := strings.Join(r.problems(), "\n")
	for _, want := range []string{
		"event handler onerror", "event handler onclick", "style attribute", "foreign element <iframe>",
		"srcdoc attribute", "script URL href=\" JaVa\\tScript:alert(1)\"", "script URL href=\"javascript:alert(1)\" on html > body > main > svg > a",
		"foreign element <script>", "forbidden <script>", "script ran: ",
		"<span> inside .wording", "user markup carries id=\"clobber\"", "<form> inside .wording", "<button> inside .wording",
	} {
		if !strings.Contains(problems, want) {
			t.Errorf("inspect does not report %q; it reports:\n%s", want, problems)
		}
	}
	p.checkProblems()
}

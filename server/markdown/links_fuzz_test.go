package markdown

import (
	"strings"
	"testing"
	"unicode/utf8"

	"wordgarden/server/slug"
)

// FuzzRenderLinks checks link extraction, which FuzzRender leaves to its
// safety checks: every slug in Result.Links is a valid slug (its own slug,
// not empty, at most slug.MaxLen bytes), they are unique, exists is asked
// about exactly the slugs that end up in Links, each one becomes a wiki
// link in the HTML, and Depth is at least the document itself.
func FuzzRenderLinks(f *testing.F) {
	for _, src := range []string{
		"[[Care navigator]] and [[care-navigator|navigators]], ![[x.png]], [[#x]]",
		"[[Straße]] [[ẞ]] [[Ǿ]] [[İstanbul]] [[]] [[ ]] [[|x]] [[---]] [[a|]]",
		"[[a]][[b]][[a]]", "[x [[inside]]](/y)", "![alt [[inside]]](/i.png)", "`[[code]]`", "```\n[[fenced]]\n```",
		"[[" + strings.Repeat("long ", 40) + "]]", "[[a\nb]]", "[[*em*]]", "[[<b>x</b>]]", "[[\xff\xfe]]",
		"> [[quoted]]\n\n- [[listed]]\n  - [[deeper]]", "[[x]y]]", "[[[x]]]", "[[x|[[y]]]]", "\\[[escaped]]",
		"| [[t]] | b |\n|---|---|\n| [[cell]] | c |", "- [ ] [[task]]", "~~[[struck]]~~", "[[Добро пожаловать]]",
	} {
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, src string) {
		asked := map[string]bool{}
		res, err := Render(src, func(s string) bool {
			asked[s] = true
			return len(s)%2 == 0
		})
		if err != nil {
			t.Fatalf("Render(%q): %v", src, err)
		}
		seen := map[string]bool{}
		for _, s := range res.Links {
			switch {
			case s == "" || len(s) > slug.MaxLen || !utf8.ValidString(s):
				t.Fatalf("Render(%q).Links holds %q", src, s)
			case slug.Make(s) != s:
				t.Fatalf("Render(%q).Links holds %q, which is not a slug (its slug is %q)", src, s, slug.Make(s))
			case seen[s]:
				t.Fatalf("Render(%q).Links = %q: %q twice", src, res.Links, s)
			case !asked[s]:
				t.Fatalf("Render(%q).Links holds %q, but exists was not asked about it", src, s)
			}
			seen[s] = true
		}
		for s := range asked {
			if !seen[s] {
				t.Fatalf("Render(%q): exists was asked about %q, which is not in Links %q", src, s, res.Links)
			}
		}
		if n := strings.Count(res.HTML, `class="wikilink`); n < len(res.Links) {
			t.Fatalf("Render(%q): %d wiki links in the HTML, fewer than the %d in Links: %s", src, n, len(res.Links), res.HTML)
		}
		if res.Depth < 1 {
			t.Fatalf("Render(%q).Depth = %d", src, res.Depth)
		}
	})
}

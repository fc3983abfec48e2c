package plain

import "strings"

// Terms is a Glossary held in memory: callers load it once and check many
// wordings against it.
type Terms struct {
	bySlug   map[string]Term
	acronyms map[string]bool
}

// NewTerms indexes terms. A term defines an acronym when its title is the
// acronym ("PCN") or ends with it in brackets ("Primary care network (PCN)").
func NewTerms(terms []Term) *Terms {
	g := &Terms{bySlug: make(map[string]Term, len(terms)), acronyms: make(map[string]bool)}
	for _, t := range terms {
		g.bySlug[t.Slug] = t
		title := strings.TrimSpace(t.Title)
		if a, ok := acronym(title); ok && a == title {
			g.acronyms[a] = true
		}
		if open := strings.LastIndex(title, "("); open >= 0 && strings.HasSuffix(title, ")") {
			if a, ok := acronym(title[open+1 : len(title)-1]); ok {
				g.acronyms[a] = true
			}
		}
	}
	return g
}

// Term returns the term with that slug.
func (g *Terms) Term(slug string) (Term, bool) {
	t, ok := g.bySlug[slug]
	return t, ok
}

// Defines reports whether a term of the glossary is the acronym.
func (g *Terms) Defines(acronym string) bool { return g.acronyms[acronym] }

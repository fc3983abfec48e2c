package model

import "html/template"

// SearchHit is one term that matches a search.
type SearchHit struct {
	Slug    string
	Title   string
	Agreed  bool
	Snippet template.HTML // text around the match, matched words in <mark>
}

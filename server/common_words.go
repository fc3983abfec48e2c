package server

import (
	"strconv"
	"strings"

	"wordgarden/server/i18n"
	"wordgarden/server/model"
)

// The words many pages share (catalogue common.*.toml), said in the
// reader's language. model.Sector.Label and model.CommentKind.Label stay
// English, for logs.

// sectorWord is a sector as a badge: "Statutory", "Voluntary & community".
func sectorWord(lz *i18n.Localizer, s model.Sector) string {
	switch s {
	case model.Statutory:
		return lz.T("sector.statutory")
	case model.Voluntary:
		return lz.T("sector.voluntary")
	}
	return ""
}

// sectorInSentence is a sector inside a sentence: "statutory".
func sectorInSentence(lz *i18n.Localizer, s model.Sector) string {
	switch s {
	case model.Statutory:
		return lz.T("sector.lower.statutory")
	case model.Voluntary:
		return lz.T("sector.lower.voluntary")
	}
	return ""
}

// kindWord is a kind of comment: "question", "suggestion", "tried it".
func kindWord(lz *i18n.Localizer, k model.CommentKind) string {
	switch k {
	case model.Question:
		return lz.T("comment.kind.question")
	case model.Suggestion:
		return lz.T("comment.kind.suggestion")
	case model.TriedIt:
		return lz.T("comment.kind.tried_it")
	}
	return string(k)
}

// commentCounts says how many comments of each kind there are: "2
// questions, 1 tried it", or "no comments yet".
func commentCounts(lz *i18n.Localizer, n model.CommentCounts) string {
	var parts []string
	if n.Question > 0 {
		parts = append(parts, lz.T("comment.count.question", "Count", n.Question))
	}
	if n.Suggestion > 0 {
		parts = append(parts, lz.T("comment.count.suggestion", "Count", n.Suggestion))
	}
	if n.TriedIt > 0 {
		parts = append(parts, lz.T("comment.count.tried_it", "Count", n.TriedIt))
	}
	if len(parts) == 0 {
		return lz.T("comment.count.none")
	}
	return strings.Join(parts, ", ")
}

// percentWord writes a share (0.83) as a whole percentage: "83%", "83 %".
// It rounds as fmt's %.0f always has here.
func percentWord(lz *i18n.Localizer, share float64) string {
	return lz.T("percent.whole", "N", strconv.FormatFloat(share*100, 'f', 0, 64))
}

// Package wordgarden holds the files the binary carries with it: the static
// assets and the starter glossary. (The database's migrations are embedded
// by server/store, which owns them.)
package wordgarden

import "embed"

// Static holds the CSS and scripts served under /static/.
//
//go:embed static
var Static embed.FS

// Content holds the starter glossary, one markdown file per term.
//
//go:embed content
var Content embed.FS

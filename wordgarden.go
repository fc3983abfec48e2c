// Package wordgarden holds the files the binary carries with it: the database
// schema, the static assets and the starter glossary.
package wordgarden

import "embed"

// Schema is the whole database schema, applied at start-up.
//
//go:embed schema.sql
var Schema string

// Static holds the CSS and scripts served under /static/.
//
//go:embed static
var Static embed.FS

// Content holds the starter glossary, one markdown file per term.
//
//go:embed content
var Content embed.FS

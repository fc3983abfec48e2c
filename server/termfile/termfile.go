// Package termfile reads and writes glossary term files: one markdown file
// per term, named SLUG.md, that starts with YAML front matter:
//
//	---
//	title: Neighbourhood working
//	summary: Health, care and community services working together in your area.
//	---
//	Markdown body ...
//
// The rules, so that files written by hand and files written by WriteDir read
// the same way:
//
//   - The file must start with a line "---" (a UTF-8 byte order mark before it
//     is dropped) and the front matter ends at the next line "---". Trailing
//     spaces or tabs on these two lines are allowed. Lines "---" further down
//     belong to the body.
//   - The front matter is a YAML mapping with the keys title (required, not
//     blank) and summary (optional). Both are kept exactly as YAML reads them,
//     leading spaces included, and must be one line each. Any other key is an
//     error, so that a typo such as "sumary" is not silently dropped.
//   - A translation of a term's English wording has two keys more: lang, its
//     language's code ("es"; never "en"), and translates, the Fingerprint of
//     the English markdown it translates, so that it stays tied to that exact
//     wording: a reader can tell when the English has changed since. Both or
//     neither. Its title is the term's title in that language, and its slug
//     the English term's.
//   - The slug is the file name without ".md" and must already be a slug as
//     slug.Make writes it ("co-design.md", not "Co Design.md"). Parse does not
//     check that the slug matches the title: callers decide that.
//   - The whole file must be valid UTF-8. CRLF and lone CR line endings
//     become LF (CommonMark reads all three as line endings), so a parsed
//     body never holds "\r".
//   - The body is everything after the line end of the closing "---". Format
//     always ends the body with one "\n" and Parse takes exactly one final
//     "\n" off, so trailing newlines and spaces of the body round-trip.
//
// So Parse(Format(f)) == f for every File that Parse could have returned:
// a valid slug, a title that is not blank, title and summary without line
// breaks, and Markdown without "\r" and in valid UTF-8.
package termfile

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"wordgarden/server/slug"
)

// Ext is the file name extension of term files.
const Ext = ".md"

// File is one term as stored on disk.
type File struct {
	Slug     string // from the file name, without ".md"
	Title    string
	Summary  string // optional
	Markdown string // the body after the front matter
	// A translation's language and the Fingerprint of the English wording
	// it translates; both "" for a term file in English.
	Lang       string
	Translates string
}

// frontMatter is what Format writes between the "---" lines.
type frontMatter struct {
	Title      string `yaml:"title"`
	Summary    string `yaml:"summary,omitempty"`
	Lang       string `yaml:"lang,omitempty"`
	Translates string `yaml:"translates,omitempty"`
}

// knownKeys are the front matter keys Parse accepts, in the order an error
// message lists them.
var knownKeys = []string{"title", "summary", "lang", "translates"}

// Fingerprint names an English wording exactly, for the translations of
// it: "sha256:" and the first 16 hex digits of the SHA-256 of its markdown
// (line ends made LF first, as Parse makes them).
func Fingerprint(markdown string) string {
	sum := sha256.Sum256([]byte(normaliseNewlines(markdown)))
	return "sha256:" + hex.EncodeToString(sum[:8])
}

// fingerprintForm is what a fingerprint looks like.
var fingerprintForm = regexp.MustCompile(`^sha256:[0-9a-f]{16}$`)

// langForm is what a language code looks like: two or three small letters.
var langForm = regexp.MustCompile(`^[a-z]{2,3}$`)

// Parse reads one term file. name is the file's name, e.g. "co-design.md",
// or a path ending in it; the slug is taken from its last element. Errors
// start with name and say what is wrong.
func Parse(name string, data []byte) (File, error) {
	f, err := parse(name, data)
	if err != nil {
		return File{}, fmt.Errorf("%s: %w", name, err)
	}
	return f, nil
}

func parse(name string, data []byte) (File, error) {
	base := path.Base(filepath.ToSlash(name))
	s, ok := strings.CutSuffix(base, Ext)
	if !ok {
		return File{}, fmt.Errorf("file name must end in %q", Ext)
	}
	if err := checkSlug(s); err != nil {
		return File{}, err
	}
	if !utf8.Valid(data) {
		return File{}, errors.New("file is not valid UTF-8 text")
	}
	text := strings.TrimPrefix(normaliseNewlines(string(data)), "\uFEFF")

	first, rest, _ := strings.Cut(text, "\n")
	if !isDelimiter(first) {
		return File{}, errors.New(`missing front matter: the first line must be "---", then title: ..., then "---"`)
	}
	// Find the closing fence: the first line "---" after the opening one.
	end := -1 // offset in rest of the closing line
	for off := 0; off < len(rest); {
		line, _, _ := strings.Cut(rest[off:], "\n")
		if isDelimiter(line) {
			end = off
			break
		}
		off += len(line) + 1
	}
	if end < 0 {
		return File{}, errors.New(`front matter is not closed: no line "---" after the first line`)
	}
	yamlText := rest[:end]
	_, body, _ := strings.Cut(rest[end:], "\n") // the body starts after the closing line's "\n"
	body = strings.TrimSuffix(body, "\n")

	fm, err := decodeFrontMatter(yamlText)
	if err != nil {
		return File{}, err
	}
	if err := checkFields(fm.Title, fm.Summary); err != nil {
		return File{}, err
	}
	if err := checkTranslation(fm.Lang, fm.Translates); err != nil {
		return File{}, err
	}
	return File{Slug: s, Title: fm.Title, Summary: fm.Summary, Markdown: body, Lang: fm.Lang, Translates: fm.Translates}, nil
}

// newlines is the replacer normaliseNewlines uses.
var newlines = strings.NewReplacer("\r\n", "\n", "\r", "\n")

// normaliseNewlines turns CRLF and lone CR line endings into LF. CommonMark
// counts all three as line endings, so the markdown means the same.
func normaliseNewlines(s string) string {
	if !strings.Contains(s, "\r") {
		return s
	}
	return newlines.Replace(s)
}

// isDelimiter reports whether line is a front matter fence.
func isDelimiter(line string) bool {
	return strings.TrimRight(line, " \t") == "---"
}

// decodeFrontMatter decodes the YAML between the fences. A newline goes in
// front so that the line numbers in YAML's errors are line numbers of the
// file (the front matter starts on line 2).
func decodeFrontMatter(text string) (frontMatter, error) {
	var fm frontMatter
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte("\n"+text), &doc); err != nil {
		return fm, fmt.Errorf("front matter is not valid YAML: %s", strings.TrimPrefix(err.Error(), "yaml: "))
	}
	if doc.Kind == 0 {
		return fm, nil // empty front matter: reported as a missing title
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	if root.Kind != yaml.MappingNode {
		return fm, fmt.Errorf("line %d: front matter must be lines of \"key: value\", such as \"title: Co-design\"", root.Line)
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		known := false
		for _, kk := range knownKeys {
			known = known || k.Value == kk
		}
		if !known || k.Kind != yaml.ScalarNode {
			return fm, fmt.Errorf("line %d: unknown front matter key %q (the keys are %s and %s)", k.Line, k.Value,
				strings.Join(knownKeys[:len(knownKeys)-1], ", "), knownKeys[len(knownKeys)-1])
		}
		if v.Kind != yaml.ScalarNode {
			return fm, fmt.Errorf("line %d: %s must be plain text, not a list or mapping", v.Line, k.Value)
		}
	}
	if err := root.Decode(&fm); err != nil {
		return fm, fmt.Errorf("front matter: %s", strings.TrimPrefix(err.Error(), "yaml: "))
	}
	return fm, nil
}

// checkSlug reports whether s is usable as the slug of a term file: what
// slug.Make returns for it, so also safe as a file name.
func checkSlug(s string) error {
	if s == "" {
		return errors.New("file name has no slug before " + Ext)
	}
	if want := slug.Make(s); want != s {
		if want == "" {
			return fmt.Errorf("file name %q is not a slug: use lower case letters, digits and hyphens", s+Ext)
		}
		return fmt.Errorf("file name %q is not a slug: rename it %q", s+Ext, want+Ext)
	}
	return nil
}

// checkFields checks the front matter values.
func checkFields(title, summary string) error {
	if strings.TrimSpace(title) == "" {
		return errors.New("missing title: the front matter needs a line such as \"title: Co-design\"")
	}
	if strings.ContainsAny(title, "\r\n") {
		return errors.New("title must be one line")
	}
	if strings.ContainsAny(summary, "\r\n") {
		return errors.New("summary must be one line")
	}
	return nil
}

// checkTranslation checks a translation's two keys: both or neither, a
// language other than English, and a fingerprint as Fingerprint writes it.
func checkTranslation(lang, translates string) error {
	switch {
	case lang == "" && translates == "":
		return nil
	case lang == "":
		return errors.New("translates needs lang: the language of the translation, such as \"lang: es\"")
	case translates == "":
		return fmt.Errorf("lang needs translates: the fingerprint of the English wording translated (%s)", Fingerprint("..."))
	case lang == "en":
		return errors.New("lang is en: English is the language translations are made from")
	case !langForm.MatchString(lang):
		return fmt.Errorf("lang %q is not a language code such as \"es\"", lang)
	case !fingerprintForm.MatchString(translates):
		return fmt.Errorf("translates %q is not a fingerprint such as %s", translates, Fingerprint("..."))
	}
	return nil
}

// Format returns the file for f: front matter, then the body. CRLF and CR
// line endings of the body are written as LF, and the file ends with "\n".
// Invalid UTF-8 is replaced by U+FFFD.
func Format(f File) []byte {
	fm := frontMatter{
		Title:      strings.ToValidUTF8(f.Title, "\uFFFD"),
		Summary:    strings.ToValidUTF8(f.Summary, "\uFFFD"),
		Lang:       strings.ToValidUTF8(f.Lang, "\uFFFD"),
		Translates: strings.ToValidUTF8(f.Translates, "\uFFFD"),
	}
	y, err := yaml.Marshal(fm)
	if err != nil {
		// Two valid UTF-8 strings always marshal; this cannot happen.
		panic("termfile: " + err.Error())
	}
	body := strings.ToValidUTF8(f.Markdown, "\uFFFD")
	body = normaliseNewlines(body)
	var b bytes.Buffer
	b.Grow(len(y) + len(body) + 10)
	b.WriteString("---\n")
	b.Write(y)
	b.WriteString("---\n")
	b.WriteString(body)
	b.WriteString("\n")
	return b.Bytes()
}

// ReadDir reads every *.md file in dir of fsys (not recursively), sorted by
// slug. Other files, directories and names starting with "." are ignored.
// If any file cannot be read or parsed, ReadDir returns no files and an
// error that names every bad file.
func ReadDir(fsys fs.FS, dir string) ([]File, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	var files []File
	var errs []error
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || strings.HasPrefix(name, ".") || !strings.HasSuffix(name, Ext) {
			continue
		}
		p := path.Join(dir, name)
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		f, err := Parse(p, data)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		files = append(files, f)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Slug < files[j].Slug })
	return files, nil
}

// WriteDir writes SLUG.md in dir for each file, with mode 0644, creating dir
// if needed. Each file is written to a temporary file in dir, synced and
// renamed into place, so a reader sees the old file or the new one, never
// half of one. Every file is checked before any is written: a bad slug, a
// blank title, a title or summary with a line break, or two files with one
// slug is an error and nothing is written.
func WriteDir(dir string, files []File) error {
	seen := make(map[string]bool, len(files))
	for _, f := range files {
		if err := checkSlug(f.Slug); err != nil {
			return fmt.Errorf("termfile: %q: %w", f.Slug, err)
		}
		if err := checkFields(f.Title, f.Summary); err != nil {
			return fmt.Errorf("termfile: %s%s: %w", f.Slug, Ext, err)
		}
		if err := checkTranslation(f.Lang, f.Translates); err != nil {
			return fmt.Errorf("termfile: %s%s: %w", f.Slug, Ext, err)
		}
		if seen[f.Slug] {
			return fmt.Errorf("termfile: two files have the slug %q", f.Slug)
		}
		seen[f.Slug] = true
	}
	for _, f := range files {
		if err := WriteFile(dir, f.Slug+Ext, Format(f)); err != nil {
			return fmt.Errorf("termfile: %w", err)
		}
	}
	syncDir(dir)
	return nil
}

// WriteFile writes data to dir/name, making dir if need be, through a
// temporary file that is synced and renamed into place, so that a reader
// never sees half a file.
// The temporary name starts with "." and does not end in ".md", so ReadDir
// never picks up a leftover one.
func WriteFile(dir, name string, data []byte) (err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "."+name+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return err
	}
	if err = tmp.Chmod(0o644); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), filepath.Join(dir, name))
}

// syncDir makes the renames in dir durable where the system allows it.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync() // not supported everywhere; the files themselves are synced
		d.Close()
	}
}

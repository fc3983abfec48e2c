package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"

	"wordgarden/server"
	"wordgarden/server/model"
	"wordgarden/server/opendata"
	"wordgarden/server/store"
	"wordgarden/server/termfile"
)

// importCmd loads a folder of term files as agreed terms.
func importCmd(args []string, stdout, stderr io.Writer) error {
	var db string
	fs := newFlags("import", stderr, &db)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError("import takes one folder: wordgarden import [--db PATH] DIR")
	}
	files, err := termfile.ReadDir(os.DirFS(fs.Arg(0)), ".")
	if err != nil {
		return err
	}
	st, err := openStore(db)
	if err != nil {
		return err
	}
	defer st.Close()
	ctx := context.Background()
	added, skipped, err := importFiles(ctx, st, files)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Imported %d terms from %s", added, fs.Arg(0))
	if len(skipped) > 0 {
		fmt.Fprintf(stdout, "; skipped %d that already exist: %v", len(skipped), skipped)
	}
	fmt.Fprintln(stdout)
	// Then the translations (DIR/LANG/SLUG.md), as export writes them.
	translated, skippedTr, err := importTranslations(ctx, st, os.DirFS(fs.Arg(0)), ".")
	if err != nil {
		return err
	}
	if translated > 0 || len(skippedTr) > 0 {
		fmt.Fprintf(stdout, "Imported %d translations", translated)
		if len(skippedTr) > 0 {
			fmt.Fprintf(stdout, "; skipped %d whose English wording differs or whose term has one in that language already: %v", len(skippedTr), skippedTr)
		}
		fmt.Fprintln(stdout)
	}
	return nil
}

// importFiles adds each file as an agreed term, skipping terms that exist.
func importFiles(ctx context.Context, st *store.Store, files []termfile.File) (added int, skipped []string, err error) {
	for _, f := range files {
		if f.Lang != "" {
			return added, skipped, fmt.Errorf("%s.md is a translation (lang: %s): it belongs in a folder named %s", f.Slug, f.Lang, f.Lang)
		}
		_, err := st.ImportTerm(ctx, f.Title, f.Summary, f.Markdown)
		switch {
		case errors.Is(err, model.ErrDuplicate):
			skipped = append(skipped, f.Slug)
		case err != nil:
			return added, skipped, fmt.Errorf("import %s.md: %w", f.Slug, err)
		default:
			added++
		}
	}
	return added, skipped, nil
}

// exportCmd writes the agreed glossary to a folder: as term files (the
// default, --format md), or as one of the open data files the site serves.
func exportCmd(args []string, stdout, stderr io.Writer) error {
	var db string
	fs := newFlags("export", stderr, &db)
	format := fs.String("format", "md", "what to write: md (a term file per term), json, csv or skos (JSON-LD)")
	pub := publishFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError("export takes one folder: wordgarden export [--db PATH] [--format md|json|csv|skos] DIR")
	}
	dir := fs.Arg(0)
	var data opendata.Format
	if *format != "md" {
		var ok bool
		if data, ok = opendata.FormatNamed(*format); !ok {
			return usageError(fmt.Sprintf("there is no format %q: choose md, json, csv or skos", *format))
		}
	}
	site, licence, err := pub.check(*format != "md")
	if err != nil {
		return err
	}
	st, err := openStore(db)
	if err != nil {
		return err
	}
	defer st.Close()
	ctx := context.Background()
	if *format != "md" {
		entries, err := st.AgreedGlossary(ctx)
		if err != nil {
			return err
		}
		loc, err := server.DefaultLocation()
		if err != nil {
			return err
		}
		body, err := data.Build(opendata.Site{URL: site, Licence: licence, Location: loc}, entries, "")
		if err != nil {
			return err
		}
		if err := termfile.WriteFile(dir, data.File, body); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Exported %d terms to %s under the %s\n", len(entries), filepath.Join(dir, data.File), licence.Name)
		return nil
	}
	files, pending, err := agreedFiles(ctx, st)
	if err != nil {
		return err
	}
	translations, err := translationFiles(ctx, st)
	if err != nil {
		return err
	}
	if err := termfile.WriteDir(dir, files); err != nil {
		return err
	}
	n := 0
	for _, lang := range slices.Sorted(maps.Keys(translations)) {
		if err := termfile.WriteDir(filepath.Join(dir, lang), translations[lang]); err != nil {
			return err
		}
		n += len(translations[lang])
	}
	fmt.Fprintf(stdout, "Exported %d terms to %s", len(files), dir)
	if n > 0 {
		fmt.Fprintf(stdout, ", and %d translations in folders by language", n)
	}
	if pending > 0 {
		fmt.Fprintf(stdout, "; %d terms have no agreed wording yet and were left out", pending)
	}
	fmt.Fprintln(stdout)
	return nil
}

// translationFiles returns the current agreed translations (those of the
// English wording agreed now) as term files, by language, for LANG/SLUG.md.
// Each names the English it translates by its fingerprint, so that import
// ties it to that wording, and skips it if the English differs. An
// out-of-date one is left out: it translates a wording the glossary no
// longer has, which import would skip anyway.
func translationFiles(ctx context.Context, st *store.Store) (map[string][]termfile.File, error) {
	entries, err := st.AgreedGlossary(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string][]termfile.File{}
	for _, e := range entries {
		for _, lang := range e.Languages()[1:] {
			tr, _ := e.Current(lang)
			v := tr.Version
			out[lang] = append(out[lang], termfile.File{Slug: e.Term.Slug, Title: v.Title, Summary: v.Summary,
				Markdown: v.Markdown, Lang: lang, Translates: termfile.Fingerprint(e.Version.Markdown)})
		}
	}
	return out, nil
}

// publishing is the flags that say where the glossary is published and
// under which licence, for serve and export.
type publishing struct {
	site, licence *string
}

func publishFlags(fs *flag.FlagSet) publishing {
	return publishing{
		site: fs.String("site-url", envOr("WORDGARDEN_SITE_URL", ""),
			"the `URL` the site is served at, such as https://glossary.example.org, for the addresses in feeds, open data and invite slips"),
		licence: fs.String("licence", envOr("WORDGARDEN_LICENCE", opendata.OGL.ID),
			"the `LICENCE` the glossary's wordings are published under: ogl-3.0 or cc-by-4.0"),
	}
}

// check reads the flags; needSite says the site address must be given.
func (p publishing) check(needSite bool) (string, opendata.Licence, error) {
	licence, err := opendata.LicenceByID(*p.licence)
	if err != nil {
		return "", opendata.Licence{}, usageError("--licence: " + err.Error())
	}
	if *p.site == "" {
		if needSite {
			return "", licence, usageError("open data needs the site's address for the terms' URIs: give --site-url (or set WORDGARDEN_SITE_URL), such as --site-url https://glossary.example.org")
		}
		return "", licence, nil
	}
	site, err := opendata.ParseSiteURL(*p.site)
	if err != nil {
		return "", licence, usageError("--site-url: " + err.Error())
	}
	return site, licence, nil
}

// agreedFiles returns every term's agreed version as a term file, and how
// many terms have none.
func agreedFiles(ctx context.Context, st *store.Store) ([]termfile.File, int, error) {
	terms, err := st.Terms(ctx)
	if err != nil {
		return nil, 0, err
	}
	var files []termfile.File
	pending := 0
	for _, t := range terms {
		if !t.Agreed() {
			pending++
			continue
		}
		v, err := st.Version(ctx, t.AgreedVersionID)
		if err != nil {
			return nil, 0, err
		}
		files = append(files, termfile.File{Slug: t.Slug, Title: t.Title, Summary: v.Summary, Markdown: v.Markdown})
	}
	return files, pending, nil
}

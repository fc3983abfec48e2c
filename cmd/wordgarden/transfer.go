package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

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
	st, err := store.Open(db)
	if err != nil {
		return err
	}
	defer st.Close()
	added, skipped, err := importFiles(context.Background(), st, files)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Imported %d terms from %s", added, fs.Arg(0))
	if len(skipped) > 0 {
		fmt.Fprintf(stdout, "; skipped %d that already exist: %v", len(skipped), skipped)
	}
	fmt.Fprintln(stdout)
	return nil
}

// importFiles adds each file as an agreed term, skipping terms that exist.
func importFiles(ctx context.Context, st *store.Store, files []termfile.File) (added int, skipped []string, err error) {
	for _, f := range files {
		_, err := st.ImportTerm(ctx, f.Title, f.Summary, f.Markdown)
		switch {
		case errors.Is(err, store.ErrDuplicate):
			skipped = append(skipped, f.Slug)
		case err != nil:
			return added, skipped, fmt.Errorf("import %s.md: %w", f.Slug, err)
		default:
			added++
		}
	}
	return added, skipped, nil
}

// exportCmd writes every agreed term to a folder of term files.
func exportCmd(args []string, stdout, stderr io.Writer) error {
	var db string
	fs := newFlags("export", stderr, &db)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError("export takes one folder: wordgarden export [--db PATH] DIR")
	}
	st, err := store.Open(db)
	if err != nil {
		return err
	}
	defer st.Close()
	files, pending, err := agreedFiles(context.Background(), st)
	if err != nil {
		return err
	}
	if err := termfile.WriteDir(fs.Arg(0), files); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Exported %d terms to %s", len(files), fs.Arg(0))
	if pending > 0 {
		fmt.Fprintf(stdout, "; %d terms have no agreed wording yet and were left out", pending)
	}
	fmt.Fprintln(stdout)
	return nil
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

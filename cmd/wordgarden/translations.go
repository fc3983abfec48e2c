package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"

	"wordgarden/server/model"
	"wordgarden/server/store"
	"wordgarden/server/termfile"
)

// importTranslations imports the translations under root, one folder per
// language (root/es/SLUG.md), as the agreed wordings of their terms in
// that language, tied to the terms' agreed English wordings. A translation
// is skipped, and named in skipped, when its term has no agreed English
// wording, when that wording is not the one it translates (its fingerprint
// differs: the English changed since), or when the term already has an
// agreed wording in the language, which an import never replaces.
func importTranslations(ctx context.Context, st *store.Store, fsys fs.FS, root string) (added int, skipped []string, err error) {
	entries, err := fs.ReadDir(fsys, root)
	if err != nil {
		return 0, nil, err
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		code := e.Name()
		if !model.TranslationLang(code) {
			return added, skipped, fmt.Errorf("%s: not a language wordgarden translates into", path.Join(root, code))
		}
		files, err := termfile.ReadDir(fsys, path.Join(root, code))
		if err != nil {
			return added, skipped, err
		}
		for _, f := range files {
			name := path.Join(root, code, f.Slug+termfile.Ext)
			ok, err := importTranslation(ctx, st, code, f)
			if err != nil {
				return added, skipped, fmt.Errorf("import %s: %w", name, err)
			}
			if !ok {
				skipped = append(skipped, name)
				continue
			}
			added++
		}
	}
	return added, skipped, nil
}

// importTranslation imports one translation file of the folder for lang,
// and reports whether it did.
func importTranslation(ctx context.Context, st *store.Store, lang string, f termfile.File) (bool, error) {
	if f.Lang != lang {
		return false, fmt.Errorf("its lang is %q, but it is in the folder for %q", f.Lang, lang)
	}
	t, err := st.Term(ctx, f.Slug)
	if errors.Is(err, model.ErrNotFound) {
		return false, fmt.Errorf("there is no term %s to translate", f.Slug)
	}
	if err != nil || !t.Agreed() {
		return false, err
	}
	en, err := st.Version(ctx, t.AgreedVersionID)
	if err != nil {
		return false, err
	}
	if termfile.Fingerprint(en.Markdown) != f.Translates {
		return false, nil
	}
	_, err = st.ImportTranslation(ctx, t.ID, model.NewTranslation{Lang: lang, Title: f.Title, Summary: f.Summary,
		Markdown: f.Markdown, TranslatesID: en.ID})
	if errors.Is(err, model.ErrDuplicate) {
		return false, nil
	}
	return err == nil, err
}

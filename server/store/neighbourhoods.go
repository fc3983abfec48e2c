package store

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"wordgarden/server/model"
	"wordgarden/server/slug"
	"wordgarden/server/tally"
)

// CreateNeighbourhood adds a neighbourhood; its slug is made from the name.
func (s *Store) CreateNeighbourhood(ctx context.Context, name string) (model.Neighbourhood, error) {
	name = strings.Join(strings.Fields(name), " ")
	n := model.Neighbourhood{Name: name, Slug: slug.Make(name)}
	switch {
	case !utf8.ValidString(name):
		return model.Neighbourhood{}, model.Invalid("name", "invalid.name.unreadable")
	case name == "":
		return model.Neighbourhood{}, model.Invalid("name", "invalid.neighbourhood.empty")
	case len([]rune(name)) > 100:
		return model.Neighbourhood{}, model.Invalid("name", "invalid.name.long")
	case n.Slug == "":
		return model.Neighbourhood{}, model.Invalid("name", "invalid.name.no_letters")
	case n.Slug == tally.Other:
		// The results merge small neighbourhoods into a row of this name;
		// a neighbourhood of its own by that name would be lost in it.
		return model.Neighbourhood{}, model.Invalid("name", "invalid.neighbourhood.called_other", "Name", name)
	}
	err := s.tx(ctx, func(tx *txn) error {
		return tx.QueryRowContext(ctx,
			`INSERT INTO neighbourhoods (slug, name, created_at) VALUES (?, ?, ?) RETURNING id`,
			n.Slug, n.Name, s.nowUTC()).Scan(&n.ID)
	})
	if isUnique(err) {
		return model.Neighbourhood{}, model.InvalidBecause(model.ErrDuplicate, "name", "invalid.neighbourhood.taken", "Name", name)
	}
	if err != nil {
		return model.Neighbourhood{}, fmt.Errorf("create neighbourhood %q: %w", name, err)
	}
	return n, nil
}

// Neighbourhoods lists every neighbourhood by name, with its residents and
// unused invite codes.
func (s *Store) Neighbourhoods(ctx context.Context) ([]model.Neighbourhood, error) {
	rows, err := s.r.QueryContext(ctx, `
		SELECT n.id, n.slug, n.name,
			(SELECT count(*) FROM users WHERE neighbourhood_id = n.id AND erased_at IS NULL),
			(SELECT count(*) FROM invites WHERE neighbourhood_id = n.id AND used_at IS NULL
				AND (expires_at IS NULL OR expires_at > ?))
		FROM neighbourhoods n ORDER BY lower(n.name)`, s.nowUTC())
	if err != nil {
		return nil, fmt.Errorf("list neighbourhoods: %w", err)
	}
	defer rows.Close()
	var ns []model.Neighbourhood
	for rows.Next() {
		var n model.Neighbourhood
		if err := rows.Scan(&n.ID, &n.Slug, &n.Name, &n.Residents, &n.Unused); err != nil {
			return nil, fmt.Errorf("list neighbourhoods: %w", err)
		}
		ns = append(ns, n)
	}
	return ns, rows.Err()
}

// NeighbourhoodBySlug finds a neighbourhood.
func (s *Store) NeighbourhoodBySlug(ctx context.Context, sl string) (model.Neighbourhood, error) {
	var n model.Neighbourhood
	err := s.r.QueryRowContext(ctx, `SELECT id, slug, name FROM neighbourhoods WHERE slug = ?`, sl).
		Scan(&n.ID, &n.Slug, &n.Name)
	if err != nil {
		return model.Neighbourhood{}, notFound(err, model.ThingNeighbourhood, sl)
	}
	return n, nil
}

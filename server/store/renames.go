package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"unicode/utf8"

	"wordgarden/server/model"
)

// checkPlaceName says what is wrong with an organisation's or a
// neighbourhood's new name, or nil.
func checkPlaceName(name string, thing model.Thing) error {
	switch {
	case !utf8.ValidString(name):
		return model.Invalid("name", "invalid.name.unreadable")
	case name == "" && thing == model.ThingOrganisation:
		return model.Invalid("name", "invalid.organisation.new_name_empty")
	case name == "":
		return model.Invalid("name", "invalid.neighbourhood.new_name_empty")
	case len([]rune(name)) > 100:
		return model.Invalid("name", "invalid.name.long")
	}
	return nil
}

// RenameOrganisation changes an organisation's name; its sector stays.
// The wordings its partners wrote keep the name they were written under.
func (s *Store) RenameOrganisation(ctx context.Context, id int64, name string) (model.Organisation, error) {
	name = strings.TrimSpace(name)
	if err := checkPlaceName(name, model.ThingOrganisation); err != nil {
		return model.Organisation{}, err
	}
	var o model.Organisation
	err := s.tx(ctx, func(tx *txn) error {
		err := tx.QueryRowContext(ctx, `UPDATE organisations SET name = ? WHERE id = ? RETURNING id, name, sector`,
			name, id).Scan(&o.ID, &o.Name, &o.Sector)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return model.NotFound(model.ThingOrganisation, id)
		case isUnique(err):
			return model.InvalidBecause(model.ErrDuplicate, "name", "invalid.organisation.taken", "Name", name)
		}
		return err
	})
	if err != nil {
		return model.Organisation{}, accountError(err, "rename organisation %d", id)
	}
	// Signed-in partners carry their organisation's name.
	s.forgetSessions()
	return o, nil
}

// RenameNeighbourhood changes a neighbourhood's name. Its slug stays: the
// addresses of its pages, the ballots and the published results name it
// by its slug, and a recount must equal what was published.
func (s *Store) RenameNeighbourhood(ctx context.Context, id int64, name string) (model.Neighbourhood, error) {
	name = strings.Join(strings.Fields(name), " ")
	if err := checkPlaceName(name, model.ThingNeighbourhood); err != nil {
		return model.Neighbourhood{}, err
	}
	var n model.Neighbourhood
	err := s.tx(ctx, func(tx *txn) error {
		var taken int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM neighbourhoods WHERE id <> ? AND lower(name) = lower(?)`,
			id, name).Scan(&taken); err != nil {
			return err
		}
		if taken > 0 {
			return model.InvalidBecause(model.ErrDuplicate, "name", "invalid.neighbourhood.taken", "Name", name)
		}
		err := tx.QueryRowContext(ctx, `UPDATE neighbourhoods SET name = ? WHERE id = ? RETURNING id, slug, name`,
			name, id).Scan(&n.ID, &n.Slug, &n.Name)
		if errors.Is(err, sql.ErrNoRows) {
			return model.NotFound(model.ThingNeighbourhood, id)
		}
		return err
	})
	if err != nil {
		return model.Neighbourhood{}, accountError(err, "rename neighbourhood %d", id)
	}
	// Signed-in residents carry their neighbourhood's name.
	s.forgetSessions()
	return n, nil
}

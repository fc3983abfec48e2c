package store

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"wordgarden/server/model"
)

// CreateOrganisation adds an organisation. A name already taken (in any
// letter case) gives ErrDuplicate.
func (s *Store) CreateOrganisation(ctx context.Context, name string, sector model.Sector) (model.Organisation, error) {
	name = strings.TrimSpace(name)
	switch {
	case !utf8.ValidString(name):
		return model.Organisation{}, model.Invalid("name", "invalid.name.unreadable")
	case name == "":
		return model.Organisation{}, model.Invalid("name", "invalid.organisation.empty")
	case len([]rune(name)) > 100:
		return model.Organisation{}, model.Invalid("name", "invalid.name.long")
	case !sector.Valid():
		return model.Organisation{}, model.Invalid("sector", "invalid.organisation.sector")
	}
	o := model.Organisation{Name: name, Sector: sector}
	err := s.tx(ctx, func(tx *txn) error {
		return tx.QueryRowContext(ctx,
			`INSERT INTO organisations (name, sector, created_at) VALUES (?, ?, ?) RETURNING id`,
			name, sector, s.nowUTC()).Scan(&o.ID)
	})
	if isUnique(err) {
		return model.Organisation{}, model.InvalidBecause(model.ErrDuplicate, "name", "invalid.organisation.taken", "Name", name)
	}
	if err != nil {
		return model.Organisation{}, fmt.Errorf("create organisation %q: %w", name, err)
	}
	return o, nil
}

// Organisations lists every organisation by name, with its number of members.
func (s *Store) Organisations(ctx context.Context) ([]model.Organisation, error) {
	rows, err := s.r.QueryContext(ctx, `
		SELECT o.id, o.name, o.sector, count(u.id)
		FROM organisations o LEFT JOIN users u ON u.organisation_id = o.id
		GROUP BY o.id
		ORDER BY lower(o.name)`)
	if err != nil {
		return nil, fmt.Errorf("list organisations: %w", err)
	}
	defer rows.Close()
	var orgs []model.Organisation
	for rows.Next() {
		var o model.Organisation
		if err := rows.Scan(&o.ID, &o.Name, &o.Sector, &o.Members); err != nil {
			return nil, fmt.Errorf("list organisations: %w", err)
		}
		orgs = append(orgs, o)
	}
	return orgs, rows.Err()
}

// OrganisationByName finds an organisation by name, in any letter case.
func (s *Store) OrganisationByName(ctx context.Context, name string) (model.Organisation, error) {
	var o model.Organisation
	err := s.r.QueryRowContext(ctx,
		`SELECT id, name, sector FROM organisations WHERE name = ?`, strings.TrimSpace(name)).
		Scan(&o.ID, &o.Name, &o.Sector)
	if err != nil {
		return model.Organisation{}, notFound(err, model.ThingOrganisation, name)
	}
	return o, nil
}

// Organisation finds an organisation by id.
func (s *Store) Organisation(ctx context.Context, id int64) (model.Organisation, error) {
	var o model.Organisation
	err := s.r.QueryRowContext(ctx,
		`SELECT id, name, sector FROM organisations WHERE id = ?`, id).
		Scan(&o.ID, &o.Name, &o.Sector)
	if err != nil {
		return model.Organisation{}, notFound(err, model.ThingOrganisation, id)
	}
	return o, nil
}

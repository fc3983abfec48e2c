package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Sector is the kind of organisation a partner speaks for.
type Sector string

const (
	Statutory Sector = "statutory" // council, NHS, GP practices, hospital trusts
	Voluntary Sector = "voluntary" // voluntary and community groups
)

// Valid reports whether s is one of the two sectors.
func (s Sector) Valid() bool { return s == Statutory || s == Voluntary }

// Label is the sector's name as people read it.
func (s Sector) Label() string {
	switch s {
	case Statutory:
		return "Statutory"
	case Voluntary:
		return "Voluntary & community"
	}
	return ""
}

// Organisation is a body whose partners write versions.
type Organisation struct {
	ID      int64
	Name    string
	Sector  Sector
	Members int
}

// CreateOrganisation adds an organisation. A name already taken (in any
// letter case) gives ErrDuplicate.
func (s *Store) CreateOrganisation(ctx context.Context, name string, sector Sector) (Organisation, error) {
	name = strings.TrimSpace(name)
	switch {
	case !utf8.ValidString(name):
		return Organisation{}, invalid("name", "The name has characters that could not be read. Type it again.")
	case name == "":
		return Organisation{}, invalid("name", "Enter the organisation’s name.")
	case len([]rune(name)) > 100:
		return Organisation{}, invalid("name", "Keep the name to 100 characters.")
	case !sector.Valid():
		return Organisation{}, invalid("sector", "Choose the organisation’s sector: statutory, or voluntary and community.")
	}
	o := Organisation{Name: name, Sector: sector}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx,
			`INSERT INTO organisations (name, sector, created_at) VALUES (?, ?, ?) RETURNING id`,
			name, sector, s.nowUTC()).Scan(&o.ID)
	})
	if isUnique(err) {
		return Organisation{}, &ValidationError{Field: "name", Err: ErrDuplicate,
			Message: "There is already an organisation called “" + name + "”."}
	}
	if err != nil {
		return Organisation{}, fmt.Errorf("create organisation %q: %w", name, err)
	}
	return o, nil
}

// Organisations lists every organisation by name, with its number of members.
func (s *Store) Organisations(ctx context.Context) ([]Organisation, error) {
	rows, err := s.r.QueryContext(ctx, `
		SELECT o.id, o.name, o.sector, count(u.id)
		FROM organisations o LEFT JOIN users u ON u.organisation_id = o.id
		GROUP BY o.id
		ORDER BY o.name COLLATE NOCASE`)
	if err != nil {
		return nil, fmt.Errorf("list organisations: %w", err)
	}
	defer rows.Close()
	var orgs []Organisation
	for rows.Next() {
		var o Organisation
		if err := rows.Scan(&o.ID, &o.Name, &o.Sector, &o.Members); err != nil {
			return nil, fmt.Errorf("list organisations: %w", err)
		}
		orgs = append(orgs, o)
	}
	return orgs, rows.Err()
}

// OrganisationByName finds an organisation by name, in any letter case.
func (s *Store) OrganisationByName(ctx context.Context, name string) (Organisation, error) {
	var o Organisation
	err := s.r.QueryRowContext(ctx,
		`SELECT id, name, sector FROM organisations WHERE name = ?`, strings.TrimSpace(name)).
		Scan(&o.ID, &o.Name, &o.Sector)
	if err != nil {
		return Organisation{}, fmt.Errorf("organisation %q: %w", name, notFound(err))
	}
	return o, nil
}

// Organisation finds an organisation by id.
func (s *Store) Organisation(ctx context.Context, id int64) (Organisation, error) {
	var o Organisation
	err := s.r.QueryRowContext(ctx,
		`SELECT id, name, sector FROM organisations WHERE id = ?`, id).
		Scan(&o.ID, &o.Name, &o.Sector)
	if err != nil {
		return Organisation{}, fmt.Errorf("organisation %d: %w", id, notFound(err))
	}
	return o, nil
}

package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"wordgarden/server/model"
)

// RegisterResident makes the account of a resident a facilitator (by; 0
// from the command line) registered at an event: a person with no phone or
// email, known by her name and neighbourhood. The account has no password,
// so nobody can sign in to it until the welcome code returned, shown once,
// is used at /welcome (or /reset) to choose one; the code works for
// model.WelcomeCodeTTL. Who registered her, and when, is kept for good.
// Her name is unique among residents, as a join's is.
func (s *Store) RegisterResident(ctx context.Context, name string, neighbourhoodID, by int64) (model.ResetCode, error) {
	name = strings.TrimSpace(name)
	if err := model.CheckName(name, model.Resident); err != nil {
		return model.ResetCode{}, err
	}
	var rc model.ResetCode
	err := s.tx(ctx, func(tx *txn) error {
		var known bool
		err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM neighbourhoods WHERE id = ?)`, neighbourhoodID).Scan(&known)
		if err != nil {
			return err
		}
		if !known {
			return model.Invalid("neighbourhood", "invalid.user.neighbourhood_unknown")
		}
		now := s.nowUTC()
		// No hash: no password opens the account (Authenticate).
		nu := model.NewUser{Name: name, Role: model.Resident, NeighbourhoodID: neighbourhoodID}
		id, err := insertUser(ctx, tx, nu, nil, now)
		if errors.Is(err, model.ErrDuplicate) {
			return model.InvalidBecause(model.ErrDuplicate, "name", "invalid.name.resident_has_it")
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO registrations (user_id, registered_by, registered_at) VALUES (?, ?, ?)`,
			id, nullInt(by), now); err != nil {
			return err
		}
		u, err := accountIn(ctx, tx, id)
		if err != nil {
			return err
		}
		rc, err = insertResetCode(ctx, tx, u, by, now, true)
		return err
	})
	if err != nil {
		return model.ResetCode{}, accountError(err, "register resident %q", name)
	}
	return rc, nil
}

// Registration says who registered a resident at an event, and when; it is
// the zero Registration for an account made any other way.
func (s *Store) Registration(ctx context.Context, userID int64) (model.Registration, error) {
	var r model.Registration
	err := s.r.QueryRowContext(ctx, `
		SELECT r.registered_at, coalesce(r.registered_by, 0), coalesce(f.name, '')
		FROM registrations r LEFT JOIN users f ON f.id = r.registered_by
		WHERE r.user_id = ?`, userID).Scan(&r.At, &r.ByID, &r.By)
	if errors.Is(err, sql.ErrNoRows) {
		return model.Registration{}, nil
	}
	if err != nil {
		return model.Registration{}, fmt.Errorf("registration of user %d: %w", userID, err)
	}
	return r, nil
}

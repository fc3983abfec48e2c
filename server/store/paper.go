package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"wordgarden/server/model"
	"wordgarden/server/tally"
)

// PrintSheets numbers a print run of paper ballots for an open round and a
// neighbourhood that may vote in it, and returns it with its numbers.
func (s *Store) PrintSheets(ctx context.Context, np model.NewPaperPrint) (model.PaperPrint, error) {
	if err := np.Validate(); err != nil {
		return model.PaperPrint{}, err
	}
	r, err := s.RoundRules(ctx, np.RoundID)
	if err != nil {
		return model.PaperPrint{}, err
	}
	if !r.Admits(np.NeighbourhoodID) {
		return model.PaperPrint{}, model.Invalid("neighbourhood", "invalid.paper.neighbourhood")
	}
	var id int64
	err = s.tx(ctx, func(tx *txn) error {
		if err := roundOpenIn(ctx, tx, r.ID, s.nowUTC()); err != nil {
			return err
		}
		var last int
		if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(serial), 0) FROM paper_sheets WHERE round_id = ?`,
			r.ID).Scan(&last); err != nil {
			return err
		}
		if last+np.Sheets > model.MaxSheetsPerRound {
			return model.Invalid("sheets", "invalid.paper.round_full", "Max", model.MaxSheetsPerRound, "Left", model.MaxSheetsPerRound-last)
		}
		err := tx.QueryRowContext(ctx, `
			INSERT INTO paper_prints (round_id, neighbourhood_id, size, sheets, printed_by, printed_by_name, printed_at, hand_in)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			r.ID, np.NeighbourhoodID, np.Size, np.Sheets, np.PrintedBy.ID, np.PrintedBy.Name, s.nowUTC(), np.HandIn).Scan(&id)
		if isForeignKey(err) {
			return model.Invalid("neighbourhood", "invalid.paper.neighbourhood")
		}
		if err != nil {
			return err
		}
		for serial := last + 1; serial <= last+np.Sheets; serial++ {
			if _, err := tx.ExecContext(ctx, `
				INSERT INTO paper_sheets (print_id, round_id, neighbourhood_id, serial, number) VALUES (?, ?, ?, ?, ?)`,
				id, r.ID, np.NeighbourhoodID, serial, model.SheetNumber(r.ID, serial)); err != nil {
				return err
			}
		}
		return nil
	})
	if _, ok := errors.AsType[*model.ValidationError](err); ok {
		return model.PaperPrint{}, err
	}
	if err != nil {
		return model.PaperPrint{}, fmt.Errorf("print sheets for round %d: %w", np.RoundID, err)
	}
	return s.PaperPrint(ctx, r.ID, id)
}

// roundOpenIn refuses, inside the transaction that writes, a round that
// has closed or whose time is up: paper is keyed in before the vote closes.
func roundOpenIn(ctx context.Context, tx *txn, roundID int64, now any) error {
	var open bool
	err := tx.QueryRowContext(ctx, `SELECT closed_at IS NULL AND closes_at > ? FROM rounds WHERE id = ?`,
		now, roundID).Scan(&open)
	if errors.Is(err, sql.ErrNoRows) {
		return model.NotFound(model.ThingRound, roundID)
	}
	if err != nil {
		return err
	}
	if !open {
		return model.InvalidBecause(model.ErrClosed, "", "invalid.paper.closed")
	}
	return nil
}

const printColumns = `p.id, p.round_id, p.neighbourhood_id, n.slug, n.name, p.size, p.sheets, p.printed_by_name, p.printed_at, p.hand_in`

func scanPrint(row interface{ Scan(...any) error }, p *model.PaperPrint) error {
	return row.Scan(&p.ID, &p.RoundID, &p.NeighbourhoodID, &p.NeighbourhoodSlug, &p.NeighbourhoodName,
		&p.Size, &p.Sheets, &p.PrintedByName, &p.PrintedAt, &p.HandIn)
}

// PaperPrint returns a round's print run with its numbers, to print again:
// sheets are not secret, as they count only when keyed in twice.
func (s *Store) PaperPrint(ctx context.Context, roundID, id int64) (model.PaperPrint, error) {
	var p model.PaperPrint
	row := s.r.QueryRowContext(ctx, `SELECT `+printColumns+`
		FROM paper_prints p JOIN neighbourhoods n ON n.id = p.neighbourhood_id
		WHERE p.id = ? AND p.round_id = ?`, id, roundID)
	if err := scanPrint(row, &p); err != nil {
		return model.PaperPrint{}, notFound(err, model.ThingPaperPrint, id)
	}
	rows, err := s.r.QueryContext(ctx, `SELECT number FROM paper_sheets WHERE print_id = ? ORDER BY serial`, id)
	if err != nil {
		return model.PaperPrint{}, fmt.Errorf("sheets of print run %d: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return model.PaperPrint{}, err
		}
		p.Numbers = append(p.Numbers, model.FormatSheetNumber(n))
	}
	return p, rows.Err()
}

// PaperPrints lists a round's print runs, newest first, without their
// numbers.
func (s *Store) PaperPrints(ctx context.Context, roundID int64) ([]model.PaperPrint, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+printColumns+`
		FROM paper_prints p JOIN neighbourhoods n ON n.id = p.neighbourhood_id
		WHERE p.round_id = ? ORDER BY p.id DESC`, roundID)
	if err != nil {
		return nil, fmt.Errorf("print runs of round %d: %w", roundID, err)
	}
	defer rows.Close()
	var out []model.PaperPrint
	for rows.Next() {
		var p model.PaperPrint
		if err := scanPrint(rows, &p); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// EnterPaper keys in one paper ballot of an open round: its marks (b), or,
// when ne.Spoil is set, that it is spoiled and why. It checks the number's
// check character, that the sheet is this round's and still takes entries,
// that the marks keep the round's rules, and that a facilitator entering a
// sheet again says so; then it stores the entry and says where the sheet
// stands. What it refuses it refuses whole, storing nothing.
func (s *Store) EnterPaper(ctx context.Context, ne model.NewPaperEntry, b tally.Ballot) (model.PaperResult, error) {
	if err := ne.Validate(); err != nil {
		return model.PaperResult{}, err
	}
	number, err := model.ParseSheetNumber(ne.Number)
	if err != nil {
		return model.PaperResult{}, err
	}
	r, err := s.RoundRules(ctx, ne.RoundID)
	if err != nil {
		return model.PaperResult{}, err
	}
	marks := sql.NullString{}
	if !ne.Spoil {
		if err := tally.Check(r.Rules(), b); err != nil {
			return model.PaperResult{}, model.InvalidBecause(err, "ballot", "invalid.ballot.refused", "Reason", err.Error())
		}
		m, err := encodeMarks(r.Method, b)
		if err != nil {
			return model.PaperResult{}, err
		}
		marks = sql.NullString{String: m, Valid: true}
	}
	printed := model.FormatSheetNumber(number)
	res := model.PaperResult{Number: printed}
	err = s.tx(ctx, func(tx *txn) error {
		if err := roundOpenIn(ctx, tx, r.ID, s.nowUTC()); err != nil {
			return err
		}
		var sheetID, roundID int64
		err := tx.QueryRowContext(ctx, `SELECT id, round_id FROM paper_sheets WHERE number = ?`, number).Scan(&sheetID, &roundID)
		if errors.Is(err, sql.ErrNoRows) {
			return model.Invalid("number", "invalid.paper.unknown", "Number", printed)
		}
		if err != nil {
			return err
		}
		if roundID != r.ID {
			return model.Invalid("number", "invalid.paper.other_round", "Number", printed, "Round", roundID)
		}
		entries, err := sheetEntries(ctx, tx, sheetID)
		if err != nil {
			return err
		}
		switch state, _ := model.Settle(entries); state {
		case model.SheetMatched:
			return model.Invalid("number", "invalid.paper.decided_matched", "Number", printed)
		case model.SheetSpoiled:
			return model.Invalid("number", "invalid.paper.decided_spoiled", "Number", printed)
		}
		before := slices.ContainsFunc(entries, func(e model.PaperEntry) bool { return e.EnteredBy == ne.EnteredBy.ID })
		switch {
		case before && !ne.SamePerson:
			return model.Invalid("same_person", "invalid.paper.same_person_say", "Number", printed)
		case !before && ne.SamePerson:
			return model.Invalid("same_person", "invalid.paper.same_person_not", "Number", printed)
		}
		e := model.PaperEntry{SheetID: sheetID, EnteredBy: ne.EnteredBy.ID, EnteredByName: ne.EnteredBy.Name,
			Marks: marks.String, Spoiled: ne.Spoiled, SamePerson: ne.SamePerson, EnteredAt: s.nowUTC()}
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO paper_entries (sheet_id, round_id, entered_by, entered_by_name, marks, spoiled_reason, same_person, entered_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			sheetID, r.ID, e.EnteredBy, e.EnteredByName, marks, e.Spoiled, e.SamePerson, e.EnteredAt); err != nil {
			return err
		}
		entries = append(entries, e)
		res.State, _ = model.Settle(entries)
		res.Look = len(entries)
		return nil
	})
	if _, ok := errors.AsType[*model.ValidationError](err); ok {
		return model.PaperResult{}, err
	}
	var nf *model.NotFoundError
	if errors.As(err, &nf) {
		return model.PaperResult{}, err
	}
	if err != nil {
		return model.PaperResult{}, fmt.Errorf("enter paper ballot %s: %w", printed, err)
	}
	return res, nil
}

type querier interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}

const entryColumns = `e.id, e.sheet_id, s.number, e.entered_by, e.entered_by_name, coalesce(e.marks, ''),
	e.spoiled_reason, e.same_person, e.entered_at`

func scanEntry(rows *sql.Rows, e *model.PaperEntry) error {
	if err := rows.Scan(&e.ID, &e.SheetID, &e.Number, &e.EnteredBy, &e.EnteredByName, &e.Marks,
		&e.Spoiled, &e.SamePerson, &e.EnteredAt); err != nil {
		return err
	}
	e.Number = model.FormatSheetNumber(e.Number)
	return nil
}

// sheetEntries reads a sheet's entries in the order they were made.
func sheetEntries(ctx context.Context, q querier, sheetID int64) ([]model.PaperEntry, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+entryColumns+`
		FROM paper_entries e JOIN paper_sheets s ON s.id = e.sheet_id WHERE e.sheet_id = ? ORDER BY e.id`, sheetID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.PaperEntry
	for rows.Next() {
		var e model.PaperEntry
		if err := scanEntry(rows, &e); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// paperSheet is a sheet with entries, as the count reads it.
type paperSheet struct {
	number  string
	group   string // the neighbourhood's slug
	name    string // the neighbourhood's name
	entries []model.PaperEntry
}

// roundSheets reads every sheet of a round that has an entry, with its
// entries in order, sheets by number; and how many sheets were printed.
func roundSheets(ctx context.Context, q querier, roundID int64) ([]paperSheet, int, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+entryColumns+`, n.slug, n.name
		FROM paper_entries e JOIN paper_sheets s ON s.id = e.sheet_id JOIN neighbourhoods n ON n.id = s.neighbourhood_id
		WHERE e.round_id = ? ORDER BY s.serial, e.id`, roundID)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []paperSheet
	for rows.Next() {
		var e model.PaperEntry
		var slug, name string
		if err := rows.Scan(&e.ID, &e.SheetID, &e.Number, &e.EnteredBy, &e.EnteredByName, &e.Marks,
			&e.Spoiled, &e.SamePerson, &e.EnteredAt, &slug, &name); err != nil {
			return nil, 0, err
		}
		e.Number = model.FormatSheetNumber(e.Number)
		if n := len(out); n == 0 || out[n-1].entries[0].SheetID != e.SheetID {
			out = append(out, paperSheet{number: e.Number, group: slug, name: name})
		}
		sh := &out[len(out)-1]
		sh.entries = append(sh.entries, e)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	rows.Close()
	var printed int
	prow, err := q.QueryContext(ctx, `SELECT count(*) FROM paper_sheets WHERE round_id = ?`, roundID)
	if err != nil {
		return nil, 0, err
	}
	defer prow.Close()
	if prow.Next() {
		if err := prow.Scan(&printed); err != nil {
			return nil, 0, err
		}
	}
	return out, printed, prow.Err()
}

// paperBallots reads a round's paper ballots for the count: each matched
// sheet once, under its neighbourhood, with what its sheets came to.
func paperBallots(ctx context.Context, q querier, r model.Round) ([]tally.Ballot, model.PaperCount, error) {
	sheets, printed, err := roundSheets(ctx, q, r.ID)
	if err != nil {
		return nil, model.PaperCount{}, fmt.Errorf("paper ballots of round %d: %w", r.ID, err)
	}
	count := model.PaperCount{Printed: printed, Unreturned: printed - len(sheets)}
	var ballots []tally.Ballot
	for _, sh := range sheets {
		state, by := model.Settle(sh.entries)
		switch state {
		case model.SheetMatched:
			b, err := decodeMarks(r.Method, by.Marks)
			if err != nil {
				return nil, count, fmt.Errorf("paper ballot %s: %w", sh.number, err)
			}
			b.Group = sh.group
			ballots = append(ballots, b)
			count.Counted++
		case model.SheetSpoiled:
			count.Spoiled++
		default:
			count.Unmatched++
		}
	}
	return ballots, count, nil
}

// PaperCount sums up a round's sheets as they stand.
func (s *Store) PaperCount(ctx context.Context, r model.Round) (model.PaperCount, error) {
	_, count, err := paperBallots(ctx, s.r, r)
	return count, err
}

// PaperToLook lists the sheets of a round that need another look: entered
// once, or entered with entries that disagree.
func (s *Store) PaperToLook(ctx context.Context, roundID int64) ([]model.PaperSheet, error) {
	sheets, _, err := roundSheets(ctx, s.r, roundID)
	if err != nil {
		return nil, fmt.Errorf("paper sheets of round %d: %w", roundID, err)
	}
	var out []model.PaperSheet
	for _, sh := range sheets {
		if state, _ := model.Settle(sh.entries); state == model.SheetMismatch {
			out = append(out, model.PaperSheet{Number: sh.number, NeighbourhoodName: sh.name, State: state, Entries: sh.entries})
		}
	}
	return out, nil
}

// PaperAudit is a round's paper audit log, newest first: every print run
// and every entry, each entry with the state its sheet was in once it was
// made and which look it was.
func (s *Store) PaperAudit(ctx context.Context, roundID int64) ([]model.PaperEvent, error) {
	prints, err := s.PaperPrints(ctx, roundID)
	if err != nil {
		return nil, err
	}
	sheets, _, err := roundSheets(ctx, s.r, roundID)
	if err != nil {
		return nil, fmt.Errorf("paper audit of round %d: %w", roundID, err)
	}
	var entries []model.PaperEntry
	for _, sh := range sheets {
		for i := range sh.entries {
			e := sh.entries[i]
			e.State, _ = model.Settle(sh.entries[:i+1])
			e.Look = i + 1
			entries = append(entries, e)
		}
	}
	// Newest first: entries by id, print runs by time, merged.
	slices.SortFunc(entries, func(a, b model.PaperEntry) int { return int(b.ID - a.ID) })
	out := make([]model.PaperEvent, 0, len(prints)+len(entries))
	i := 0
	for k := range prints {
		for i < len(entries) && !entries[i].EnteredAt.Before(prints[k].PrintedAt) {
			out = append(out, model.PaperEvent{Entry: &entries[i]})
			i++
		}
		out = append(out, model.PaperEvent{Print: &prints[k]})
	}
	for ; i < len(entries); i++ {
		out = append(out, model.PaperEvent{Entry: &entries[i]})
	}
	return out, nil
}

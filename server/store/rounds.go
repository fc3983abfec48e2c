package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"wordgarden/server/model"
	"wordgarden/server/tally"
)

// OpenRound opens a round on a term. A term has at most one open round.
func (s *Store) OpenRound(ctx context.Context, nr model.NewRound) (model.Round, error) {
	if err := nr.Validate(s.nowUTC()); err != nil {
		return model.Round{}, err
	}
	// A round of this term whose time is up but that is not counted yet
	// still holds the term's one open place: count it first.
	if _, err := s.CloseDueRounds(ctx); err != nil {
		return model.Round{}, err
	}
	var id int64
	lang := nr.Language()
	nr.ClosesAt = storedTime(nr.ClosesAt)
	err := s.tx(ctx, func(tx *txn) error {
		for _, v := range nr.Candidates {
			var termID int64
			var vlang string
			err := tx.QueryRowContext(ctx, `SELECT term_id, lang FROM versions WHERE id = ?`, v).Scan(&termID, &vlang)
			if errors.Is(err, sql.ErrNoRows) || (err == nil && termID != nr.TermID) {
				return model.Invalid("candidate", "invalid.round.candidate_elsewhere", "Version", v)
			}
			if err != nil {
				return err
			}
			if vlang != lang {
				return wrongLanguage()
			}
		}
		err := tx.QueryRowContext(ctx, `
			INSERT INTO rounds (term_id, method, quorum, threshold_pct, opened_by, opened_at, closes_at, lang)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			nr.TermID, nr.Method, nr.Quorum, nr.ThresholdPct, nr.OpenedBy.ID, s.nowUTC(), nr.ClosesAt, lang).Scan(&id)
		if isUnique(err) && lang != model.SourceLang {
			return openInLanguage()
		}
		if isUnique(err) {
			return model.InvalidBecause(model.ErrDuplicate, "", "invalid.round.open_already")
		}
		if err != nil {
			return err
		}
		for i, v := range nr.Candidates {
			if _, err := tx.ExecContext(ctx,
				`INSERT INTO round_candidates (round_id, version_id, position) VALUES (?, ?, ?)`, id, v, i); err != nil {
				return err
			}
		}
		for _, n := range nr.Neighbourhoods {
			_, err := tx.ExecContext(ctx,
				`INSERT INTO round_neighbourhoods (round_id, neighbourhood_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, id, n)
			if isForeignKey(err) {
				return model.Invalid("neighbourhood", "invalid.round.neighbourhood")
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
	var ve *model.ValidationError
	if errors.As(err, &ve) {
		return model.Round{}, err
	}
	if err != nil {
		return model.Round{}, fmt.Errorf("open round on term %d: %w", nr.TermID, err)
	}
	s.noteClosing(nr.ClosesAt)
	s.tell(notifyClosings)
	return s.Round(ctx, id)
}

const roundColumns = `r.id, r.term_id, t.slug, t.title, r.method, r.quorum, r.threshold_pct,
	r.opened_at, r.closes_at, r.closed_at, coalesce(r.outcome, ''), coalesce(r.winner_version_id, 0),
	(SELECT count(*) FROM ballots WHERE round_id = r.id) + (` + paperCounted + `), r.result, r.lang, r.cancelled_at,
	coalesce(cx.by_id, 0), coalesce(cx.by_name, ''), coalesce(cx.reason, '')`

// roundJoins go with roundColumns, after "FROM rounds r": the round's term,
// and its cancellation, if any (round_changes has one at most a round).
const roundJoins = `JOIN terms t ON t.id = r.term_id
	LEFT JOIN round_changes cx ON cx.round_id = r.id AND cx.kind = 'cancel'`

// paperCounted counts round r's matched paper sheets: those with two
// entries of the same marks. The store takes no entry after the one that
// decides a sheet (model.Settle), and takes a facilitator's second entry
// only when they say so, so two entries that agree are the match.
const paperCounted = `SELECT count(DISTINCT l.sheet_id) FROM paper_entries l
	JOIN paper_entries f ON f.sheet_id = l.sheet_id AND f.id < l.id AND f.marks = l.marks
	WHERE l.round_id = r.id`

// scanRound reads a round's row as it stands at now: a round past its
// closing time and not yet counted reads as closed (Counting), without a
// write, whoever reads it and whenever the closer gets to it.
func scanRound(row interface{ Scan(...any) error }, r *model.Round, now time.Time) error {
	var closed, cancelled sql.NullTime
	var result sql.NullString
	var c model.RoundChange
	err := row.Scan(&r.ID, &r.TermID, &r.TermSlug, &r.TermTitle, &r.Method, &r.Quorum, &r.ThresholdPct,
		&r.OpenedAt, &r.ClosesAt, &closed, &r.Outcome, &r.WinnerVersionID, &r.Ballots, &result, &r.Lang,
		&cancelled, &c.ByID, &c.ByName, &c.Reason)
	if err != nil {
		return err
	}
	r.ClosedAt = closed.Time
	if cancelled.Valid {
		c.Kind, c.OldClosesAt, c.At = model.Cancel, r.ClosesAt, cancelled.Time
		r.Cancelled = &c
	}
	r.Counting = !closed.Valid && !cancelled.Valid && !r.ClosesAt.After(now)
	if result.Valid {
		r.Results = new(model.Results)
		if err := json.Unmarshal([]byte(result.String), r.Results); err != nil {
			return fmt.Errorf("read result of round %d: %w", r.ID, err)
		}
		// A result stored before the small-number rule was whole may
		// show a few voters; it cannot change, so it is merged as read.
		r.Results.Protect()
	}
	return nil
}

// Round finds a round with its candidates and neighbourhoods.
func (s *Store) Round(ctx context.Context, id int64) (model.Round, error) {
	var r model.Round
	row := s.r.QueryRowContext(ctx, `SELECT `+roundColumns+`
		FROM rounds r `+roundJoins+` WHERE r.id = ?`, id)
	if err := scanRound(row, &r, s.nowUTC()); err != nil {
		return model.Round{}, notFound(err, model.ThingRound, id)
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+versionColumns+`
		FROM round_candidates c JOIN versions v ON v.id = c.version_id JOIN terms t ON t.id = v.term_id
		WHERE c.round_id = ? ORDER BY c.position`, id)
	if err != nil {
		return model.Round{}, fmt.Errorf("candidates of round %d: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var v model.Version
		if err := scanVersion(rows, &v); err != nil {
			return model.Round{}, fmt.Errorf("candidates of round %d: %w", id, err)
		}
		r.Candidates = append(r.Candidates, v)
	}
	if err := rows.Err(); err != nil {
		return model.Round{}, err
	}
	nrows, err := s.r.QueryContext(ctx, `SELECT n.id, n.slug, n.name
		FROM round_neighbourhoods rn JOIN neighbourhoods n ON n.id = rn.neighbourhood_id
		WHERE rn.round_id = ? ORDER BY lower(n.name)`, id)
	if err != nil {
		return model.Round{}, fmt.Errorf("neighbourhoods of round %d: %w", id, err)
	}
	defer nrows.Close()
	for nrows.Next() {
		var n model.Neighbourhood
		if err := nrows.Scan(&n.ID, &n.Slug, &n.Name); err != nil {
			return model.Round{}, err
		}
		r.Neighbourhoods = append(r.Neighbourhoods, n)
	}
	if err := nrows.Err(); err != nil {
		return model.Round{}, err
	}
	if r.Changes, err = s.roundChanges(ctx, id); err != nil {
		return model.Round{}, err
	}
	return r, nil
}

// Rounds lists rounds, newest first: of one term, or of all when termID is 0.
// Their neighbourhoods are loaded, their candidates not.
func (s *Store) Rounds(ctx context.Context, termID int64) ([]model.Round, error) {
	return s.listRounds(ctx, `WHERE ?1 = 0 OR r.term_id = ?1 ORDER BY r.id DESC`, termID)
}

// OpenRounds lists the rounds taking ballots, the soonest to close first,
// with their neighbourhoods but not their candidates.
func (s *Store) OpenRounds(ctx context.Context) ([]model.Round, error) {
	return s.listRounds(ctx, `WHERE r.closed_at IS NULL AND r.cancelled_at IS NULL AND r.closes_at > ?1
		ORDER BY r.closes_at, r.id`, s.nowUTC())
}

// listRounds reads the rounds that where selects and orders, and the
// neighbourhoods each is limited to, in two queries.
func (s *Store) listRounds(ctx context.Context, where string, args ...any) ([]model.Round, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+roundColumns+`
		FROM rounds r `+roundJoins+` `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("list rounds: %w", err)
	}
	defer rows.Close()
	var rs []model.Round
	at := map[int64]int{}
	for rows.Next() {
		var r model.Round
		if err := scanRound(rows, &r, s.nowUTC()); err != nil {
			return nil, fmt.Errorf("list rounds: %w", err)
		}
		at[r.ID] = len(rs)
		rs = append(rs, r)
	}
	if err := rows.Err(); err != nil || len(rs) == 0 {
		return rs, err
	}
	// Few rounds are limited to neighbourhoods: read them all.
	nrows, err := s.r.QueryContext(ctx, `SELECT rn.round_id, n.id, n.slug, n.name
		FROM round_neighbourhoods rn JOIN neighbourhoods n ON n.id = rn.neighbourhood_id
		ORDER BY lower(n.name)`)
	if err != nil {
		return nil, fmt.Errorf("neighbourhoods of rounds: %w", err)
	}
	defer nrows.Close()
	for nrows.Next() {
		var id int64
		var n model.Neighbourhood
		if err := nrows.Scan(&id, &n.ID, &n.Slug, &n.Name); err != nil {
			return nil, fmt.Errorf("neighbourhoods of rounds: %w", err)
		}
		if i, ok := at[id]; ok {
			rs[i].Neighbourhoods = append(rs[i].Neighbourhoods, n)
		}
	}
	return rs, nrows.Err()
}

// countIn tallies a round's stored ballots, as seen by q (a transaction
// while closing, the read pool for a recount).
func countIn(ctx context.Context, q querier, r model.Round) (*model.Results, error) {
	// Identical ballots from one neighbourhood are counted together, from
	// the index that covers (round, neighbourhood, marks): a million ballots
	// come down to as many rows as there are different ways to vote.
	rows, err := q.QueryContext(ctx, `
		SELECT n.slug, g.marks, g.times
		FROM (SELECT neighbourhood_id, marks, count(*) AS times FROM ballots
			WHERE round_id = ? GROUP BY neighbourhood_id, marks) g
		JOIN neighbourhoods n ON n.id = g.neighbourhood_id`, r.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ballots []tally.Ballot
	for rows.Next() {
		var group, marks string
		var times int
		if err := rows.Scan(&group, &marks, &times); err != nil {
			return nil, err
		}
		b, err := decodeMarks(r.Method, marks)
		if err != nil {
			return nil, err
		}
		b.Group, b.Times = group, times
		ballots = append(ballots, b)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	online := 0
	for _, b := range ballots {
		online += b.Times
	}
	// Matched paper ballots count like online ones, under their sheet's
	// neighbourhood.
	paper, sheets, err := paperBallots(ctx, q, r)
	if err != nil {
		return nil, err
	}
	ballots = append(ballots, paper...)
	res, err := tally.Count(r.Rules(), ballots)
	if err != nil {
		return nil, err
	}
	out := model.NewResults(r, res)
	out.Channels = &model.ResultChannels{Online: online, Paper: sheets.Counted, Spoiled: sheets.Spoiled,
		Unmatched: sheets.Unmatched, Unreturned: sheets.Unreturned}
	return out, nil
}

// CloseRound closes a round now, or, if its closing time has passed,
// counts it as closed at that time: in one transaction it counts the
// ballots, stores the result and, if a wording won, makes it the term's
// agreed one. Closing a counted round changes nothing and is not an error;
// a cancelled round is never counted (model.ErrClosed).
func (s *Store) CloseRound(ctx context.Context, id int64) (model.Round, error) {
	return s.closeRound(ctx, id, false)
}

// closeRound is CloseRound; when due, it counts the round only if its
// closing time has passed, as the transaction sees it: a round extended
// after the caller read it stays open.
func (s *Store) closeRound(ctx context.Context, id int64, due bool) (model.Round, error) {
	r, err := s.Round(ctx, id)
	if err != nil {
		return model.Round{}, err
	}
	if r.Cancelled != nil {
		return r, model.InvalidBecause(model.ErrClosed, "", "invalid.round_change.cancelled")
	}
	if !r.ClosedAt.IsZero() {
		return r, nil
	}
	closed := false
	err = s.tx(ctx, func(tx *txn) error {
		var open, cancelled bool
		var closes time.Time
		// On PostgreSQL another server may be closing the round too: the
		// row lock makes it wait here, not count as well, and then find
		// the round closed. (SQLite has one writer.)
		err := tx.QueryRowContext(ctx, `SELECT closed_at IS NULL, cancelled_at IS NOT NULL, closes_at FROM rounds WHERE id = ?`+
			tx.dialect.pick("", " FOR UPDATE"), id).Scan(&open, &cancelled, &closes)
		if err != nil {
			return err
		}
		if cancelled {
			return model.InvalidBecause(model.ErrClosed, "", "invalid.round_change.cancelled")
		}
		if !open || (due && closes.After(s.nowUTC())) {
			return nil // closed or extended meanwhile: nothing to do
		}
		r.ClosesAt = closes
		closed = true
		res, err := countIn(ctx, tx, r)
		if err != nil {
			return fmt.Errorf("count: %w", err)
		}
		doc, err := json.Marshal(res)
		if err != nil {
			return err
		}
		// A round counted after its time closed at its time: no ballot
		// was taken after it.
		now := s.nowUTC()
		if r.ClosesAt.Before(now) {
			now = r.ClosesAt.UTC()
		}
		winner := sql.NullInt64{}
		if res.WinnerVersionID != nil {
			winner = sql.NullInt64{Int64: *res.WinnerVersionID, Valid: true}
		}
		if _, err := tx.ExecContext(ctx, `
			UPDATE rounds SET closed_at = ?, outcome = ?, winner_version_id = ?, result = ? WHERE id = ?`,
			now, res.Outcome, winner, string(doc), id); err != nil {
			return err
		}
		if !winner.Valid {
			return nil
		}
		if r.Lang != model.SourceLang {
			return agreeTranslation(ctx, tx, r, winner.Int64, now)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE terms SET agreed_version_id = ?, updated_at = ? WHERE id = ?`,
			winner.Int64, now, r.TermID); err != nil {
			return err
		}
		return indexTerm(ctx, tx, r.TermID)
	})
	var ve *model.ValidationError
	if errors.As(err, &ve) {
		return model.Round{}, err
	}
	if err != nil {
		return model.Round{}, fmt.Errorf("close round %d: %w", id, err)
	}
	if closed {
		s.forgetClosing(r.ClosesAt)
		s.tell(notifyClosings)
	}
	return s.Round(ctx, id)
}

// CountIfDue counts a round whose closing time has passed and returns it,
// counted; any other round it returns as it is. The published results
// files call it, so that they can be had the moment a vote closes.
func (s *Store) CountIfDue(ctx context.Context, id int64) (model.Round, error) {
	r, err := s.Round(ctx, id)
	if err != nil || !r.Counting {
		return r, err
	}
	return s.closeRound(ctx, id, true)
}

// CloseDueRounds counts every round whose closing time has passed, and
// returns how many it counted. CloseRoundsOnTime calls it when a round's
// time comes; until then such a round reads as closed (model.Round's
// Counting), so no page has to write to show it right.
func (s *Store) CloseDueRounds(ctx context.Context) (int, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id FROM rounds
		WHERE closed_at IS NULL AND cancelled_at IS NULL AND closes_at <= ?`, s.nowUTC())
	if err != nil {
		return 0, fmt.Errorf("find rounds due to close: %w", err)
	}
	var due []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, err
		}
		due = append(due, id)
	}
	rows.Close()
	for _, id := range due {
		if _, err := s.closeRound(ctx, id, true); err != nil {
			return 0, err
		}
	}
	return len(due), rows.Err()
}

// Recount counts a closed round's ballots again and returns the stored
// result beside the recount, to show that they match. The stored result is
// as published (its neighbourhood table merged by today's rule, see
// model.Results.Protect); a recount of a result stored before results
// carried their rules comes in that older shape (model.Results.AsLegacy),
// so that it is compared in every field the stored one has.
func (s *Store) Recount(ctx context.Context, id int64) (stored, recount *model.Results, err error) {
	r, err := s.Round(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if r.Cancelled != nil {
		return nil, nil, fmt.Errorf("round %d was cancelled, and is never counted: %w", id, model.ErrClosed)
	}
	if r.ClosedAt.IsZero() {
		return nil, nil, fmt.Errorf("round %d is still open: %w", id, model.ErrClosed)
	}
	recount, err = countIn(ctx, s.r, r)
	if err != nil {
		return nil, nil, fmt.Errorf("recount round %d: %w", id, err)
	}
	if r.Results != nil && r.Results.Legacy() {
		recount = recount.AsLegacy()
	}
	if r.Results != nil && r.Results.Channels == nil {
		// Stored before paper ballots: it has no channels to compare.
		recount.Channels = nil
	}
	return r.Results, recount, nil
}

// AgreedProvenance returns the round that settled the term's agreed wording,
// or nil when it was imported.
func (s *Store) AgreedProvenance(ctx context.Context, t model.Term) (*model.Provenance, error) {
	if !t.Agreed() {
		return nil, nil
	}
	return s.provenance(ctx, t.AgreedVersionID, `r.term_id = ? AND r.winner_version_id = ?`, t.ID, t.AgreedVersionID)
}

// provenance says how the latest round that meets cond chose the version,
// or nil when there is no such round.
func (s *Store) provenance(ctx context.Context, versionID int64, cond string, args ...any) (*model.Provenance, error) {
	var p model.Provenance
	var result string
	err := s.r.QueryRowContext(ctx, `
		SELECT r.id, r.closed_at, r.result,
			(SELECT count(*) FROM (SELECT neighbourhood_id FROM ballots WHERE round_id = r.id
				UNION SELECT s.neighbourhood_id FROM paper_sheets s WHERE s.round_id = r.id AND EXISTS (
					SELECT 1 FROM paper_entries l JOIN paper_entries f ON f.sheet_id = l.sheet_id AND f.id < l.id AND f.marks = l.marks
					WHERE l.sheet_id = s.id)) AS voters)
		FROM rounds r WHERE `+cond+`
		ORDER BY r.id DESC LIMIT 1`, args...).Scan(&p.RoundID, &p.ClosedAt, &result, &p.Neighbourhoods)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("provenance of version %d: %w", versionID, err)
	}
	var res model.Results
	if err := json.Unmarshal([]byte(result), &res); err != nil {
		return nil, err
	}
	p.Ballots = res.Ballots
	for _, c := range res.Candidates {
		if c.VersionID == versionID {
			p.Share = c.Share
			if c.Ranked != nil && res.Ballots > 0 {
				p.Share = float64(*c.Ranked) / float64(res.Ballots)
			}
		}
	}
	return &p, nil
}

// OpenRoundOf returns the term's open round on its English wordings, if it
// has one that is taking ballots.
func (s *Store) OpenRoundOf(ctx context.Context, termID int64) (*model.Round, error) {
	return s.OpenRoundIn(ctx, termID, model.SourceLang)
}

// OpenRoundIn returns the term's open round on its wordings in a language,
// if it has one that is taking ballots.
func (s *Store) OpenRoundIn(ctx context.Context, termID int64, lang string) (*model.Round, error) {
	var id int64
	err := s.r.QueryRowContext(ctx, `SELECT id FROM rounds
		WHERE term_id = ? AND lang = ? AND closed_at IS NULL AND cancelled_at IS NULL AND closes_at > ?`,
		termID, lang, s.nowUTC()).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("open round of term %d: %w", termID, err)
	}
	r, err := s.Round(ctx, id)
	return &r, err
}

package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"wordgarden/server/model"
	"wordgarden/server/tally"
)

// Ballots are written in batches. Each commit costs one fsync, which
// bounds how many transactions a second the disk allows; ballots that arrive
// while one batch is being written wait and go together in the next, so a
// busy vote costs one fsync per batch rather than per ballot. No ballot is
// acknowledged before its batch is on disk.

// maxBallotBatch bounds the ballots written in one transaction.
const maxBallotBatch = 256

// ballotJob is one ballot waiting for the writer.
type ballotJob struct {
	ctx     context.Context
	roundID int64
	voter   model.User
	marks   string
	receipt string
	done    chan error // receives the outcome once; buffered
}

// ErrStoreClosed means the store was closed before a ballot could be written.
var ErrStoreClosed = errors.New("the store is closed")

// startBallotWriter starts the goroutine that writes ballots; Close stops it.
func (s *Store) startBallotWriter() {
	s.ballotJobs = make(chan *ballotJob, 4*maxBallotBatch)
	s.stop = make(chan struct{})
	s.ballotsDone = make(chan struct{})
	go s.writeBallots()
}

// stopBallotWriter stops the writer after it has answered every waiting ballot.
func (s *Store) stopBallotWriter() {
	s.stopOnce.Do(func() { close(s.stop) })
	<-s.ballotsDone
}

func (s *Store) writeBallots() {
	defer close(s.ballotsDone)
	batch := make([]*ballotJob, 0, maxBallotBatch)
	for {
		select {
		case <-s.stop:
			for {
				select {
				case j := <-s.ballotJobs:
					j.done <- ErrStoreClosed
				default:
					return
				}
			}
		case j := <-s.ballotJobs:
			batch = append(batch[:0], j)
		fill:
			for len(batch) < maxBallotBatch {
				select {
				case j := <-s.ballotJobs:
					batch = append(batch, j)
				default:
					break fill
				}
			}
			s.writeBatch(batch)
		}
	}
}

// writeBatch writes a batch of ballots in one transaction and answers each.
// A ballot for a round that has closed is refused on its own; a database
// error fails the whole batch, and nothing in it is acknowledged.
func (s *Store) writeBatch(batch []*ballotJob) {
	errs := make([]error, len(batch))
	wrote := false
	err := s.write(context.Background(), false, func(tx *txn) error {
		now := s.nowUTC()
		open := map[int64]bool{}
		for i, j := range batch {
			if err := j.ctx.Err(); err != nil {
				errs[i] = err // nobody is waiting for it any more
				continue
			}
			isOpen, seen := open[j.roundID]
			if !seen {
				// Checked inside the transaction: a ballot either lands
				// before the round closes or is refused.
				err := tx.QueryRow(`SELECT closed_at IS NULL AND cancelled_at IS NULL AND closes_at > ? FROM rounds WHERE id = ?`,
					now, j.roundID).Scan(&isOpen)
				if err != nil {
					return err
				}
				open[j.roundID] = isOpen
			}
			if !isOpen {
				errs[i] = model.InvalidBecause(model.ErrClosed, "", "invalid.ballot.closed")
				continue
			}
			_, err := tx.Exec(`
				INSERT INTO ballots (round_id, user_id, neighbourhood_id, marks, receipt, cast_at)
				VALUES (?, ?, ?, ?, ?, ?)
				ON CONFLICT (round_id, user_id) DO UPDATE SET
					neighbourhood_id = excluded.neighbourhood_id, marks = excluded.marks,
					receipt = excluded.receipt, cast_at = excluded.cast_at`,
				j.roundID, j.voter.ID, j.voter.NeighbourhoodID, j.marks, j.receipt, now)
			if err != nil {
				return err
			}
			wrote = true
		}
		return nil
	})
	if err == nil && wrote {
		s.ballotsWritten()
	}
	for i, j := range batch {
		if err != nil {
			j.done <- fmt.Errorf("cast ballot in round %d: %w", j.roundID, err)
		} else {
			j.done <- errs[i]
		}
	}
}

// CastBallot stores a resident's ballot in an open round, replacing any
// ballot they cast before, and returns its new receipt once it is on disk.
func (s *Store) CastBallot(ctx context.Context, roundID int64, voter model.User, b tally.Ballot) (string, error) {
	if voter.Role != model.Resident {
		return "", model.Invalid("", "invalid.ballot.residents_only")
	}
	r, err := s.RoundRules(ctx, roundID)
	if err != nil {
		return "", err
	}
	if !r.Admits(voter.NeighbourhoodID) {
		return "", model.Invalid("", "invalid.ballot.other_neighbourhoods")
	}
	if err := tally.Check(r.Rules(), b); err != nil {
		// The tally's error carries the facts, and the server words them
		// for the resident; this message's English, with the facts in the
		// tally's words, is for logs and the command line.
		return "", model.InvalidBecause(err, "ballot", "invalid.ballot.refused", "Reason", err.Error())
	}
	marks, err := encodeMarks(r.Method, b)
	if err != nil {
		return "", err
	}
	j := &ballotJob{ctx: ctx, roundID: roundID, voter: voter, marks: marks, receipt: newReceipt(), done: make(chan error, 1)}
	select {
	case s.ballotJobs <- j:
	case <-s.stop:
		return "", ErrStoreClosed
	case <-ctx.Done():
		return "", ctx.Err()
	}
	// Wait for the batch even if ctx ends meanwhile: the writer answers
	// every job it took, and an answer says whether the ballot is stored.
	select {
	case err = <-j.done:
	case <-s.ballotsDone:
		select {
		case err = <-j.done:
		default:
			err = ErrStoreClosed
		}
	}
	if err != nil {
		return "", err
	}
	return j.receipt, nil
}

// RoundRules returns a round's rules: its term, method, candidates,
// neighbourhoods, quorum, threshold and closing time, which never change once
// it is open, so they are read once and kept. The rest of the Round (ballots,
// whether it has closed, results) is as it was when first read: use Round
// for those.
func (s *Store) RoundRules(ctx context.Context, id int64) (model.Round, error) {
	if r, ok := s.rules.Load(id); ok {
		return r.(model.Round), nil
	}
	r, err := s.Round(ctx, id)
	if err != nil {
		return model.Round{}, err
	}
	r.Ballots, r.Results = 0, nil // these change; keep only the rules
	s.rules.Store(id, r)
	return r, nil
}

// MyBallot returns the ballot a resident cast in a round, if any.
func (s *Store) MyBallot(ctx context.Context, r model.Round, userID int64) (tally.Ballot, bool, error) {
	var marks string
	err := s.r.QueryRowContext(ctx, `SELECT marks FROM ballots WHERE round_id = ? AND user_id = ?`, r.ID, userID).Scan(&marks)
	if errors.Is(err, sql.ErrNoRows) {
		return tally.Ballot{}, false, nil
	}
	if err != nil {
		return tally.Ballot{}, false, fmt.Errorf("ballot in round %d: %w", r.ID, err)
	}
	b, err := decodeMarks(r.Method, marks)
	return b, err == nil, err
}

// newReceipt makes a ballot's receipt, "RCPT-K7PX-3MQ9" style but shorter to copy.
func newReceipt() string {
	c := randomCode(10)
	return c[:5] + "-" + c[5:]
}

// encodeMarks writes a ballot as stored and published: the ticked ids,
// sorted, for approval; {"id": rank} for ranked.
func encodeMarks(m tally.Method, b tally.Ballot) (string, error) {
	var v any
	if m == tally.Approval {
		ids := slices.Clone(b.Approve)
		slices.Sort(ids)
		if ids == nil {
			ids = []int64{}
		}
		v = ids
	} else {
		ranks := map[string]int{}
		for id, rank := range b.Rank {
			ranks[strconv.FormatInt(id, 10)] = rank
		}
		v = ranks
	}
	out, err := json.Marshal(v)
	return string(out), err
}

func decodeMarks(m tally.Method, marks string) (tally.Ballot, error) {
	var b tally.Ballot
	if m == tally.Approval {
		err := json.Unmarshal([]byte(marks), &b.Approve)
		return b, err
	}
	var ranks map[string]int
	if err := json.Unmarshal([]byte(marks), &ranks); err != nil {
		return b, err
	}
	b.Rank = make(map[int64]int, len(ranks))
	for k, rank := range ranks {
		id, err := strconv.ParseInt(k, 10, 64)
		if err != nil {
			return b, fmt.Errorf("marks %q: %w", marks, err)
		}
		b.Rank[id] = rank
	}
	return b, nil
}

// PublishedBallots lists a closed round's ballots: online ones by receipt,
// then paper ones by sheet number.
func (s *Store) PublishedBallots(ctx context.Context, id int64) ([]model.PublishedBallot, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT receipt, marks FROM ballots WHERE round_id = ? ORDER BY receipt`, id)
	if err != nil {
		return nil, fmt.Errorf("ballots of round %d: %w", id, err)
	}
	defer rows.Close()
	out := []model.PublishedBallot{}
	for rows.Next() {
		var b model.PublishedBallot
		var marks string
		if err := rows.Scan(&b.Receipt, &marks); err != nil {
			return nil, err
		}
		b.Marks = json.RawMessage(marks)
		out = append(out, b)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	// Then the matched paper ballots, by sheet number, which stands in
	// for a receipt.
	r, err := s.RoundRules(ctx, id)
	if err != nil {
		return nil, err
	}
	sheets, _, err := roundSheets(ctx, s.r, r.ID)
	if err != nil {
		return nil, fmt.Errorf("paper ballots of round %d: %w", id, err)
	}
	for _, sh := range sheets {
		if state, by := model.Settle(sh.entries); state == model.SheetMatched {
			out = append(out, model.PublishedBallot{Receipt: sh.number, Marks: json.RawMessage(by.Marks), Paper: true})
		}
	}
	return out, nil
}

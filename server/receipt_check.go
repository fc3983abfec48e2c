package server

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"wordgarden/server/model"
	"wordgarden/server/tally"
)

// maxReceipt is longer than any receipt the store makes ("K7PX3-MQ9AB").
const maxReceipt = 32

type receiptView struct {
	page
	Round     model.Round
	Receipt   string // as typed, tidied
	Checked   bool   // a receipt was looked up
	Found     bool
	Marks     []string // the ballot as counted, in the reader's words
	None      bool     // it said none of the wordings make sense
	Published int      // how many ballots are published
	Error     *formError
}

// receiptCheck looks a receipt up among a counted round's published
// ballots, and says how that ballot was counted. It shows only what
// ballots.json shows to anyone: a receipt and its marks, never who or
// where from; a receipt not there is said to be not there.
func (s *Server) receiptCheck(c echo.Context) error {
	r, err := s.loadRound(c)
	if err != nil {
		return err
	}
	v := receiptView{page: s.newPage(c, tr(c, "votes.receipt.title", "Term", r.TermTitle)), Round: r, Published: r.Ballots}
	raw, asked := c.QueryParams()["receipt"]
	if !asked || r.Results == nil {
		// Open, being counted or cancelled: there is nothing to check
		// against yet, or ever; the page says which.
		return s.render(c, http.StatusOK, "receipt_check", v)
	}
	v.Receipt = strings.ToUpper(strings.TrimSpace(raw[0]))
	if v.Receipt == "" || len(v.Receipt) > maxReceipt || strings.ContainsFunc(v.Receipt, notReceiptRune) {
		v.Error = &formError{Field: "receipt", Message: tr(c, "votes.receipt.bad")}
		return s.render(c, http.StatusBadRequest, "receipt_check", v)
	}
	b, found, err := s.store.FindReceipt(c.Request().Context(), r.ID, v.Receipt)
	if err != nil {
		return err
	}
	v.Checked, v.Found = true, found
	if found {
		if v.Marks, v.None, err = marksInWords(c, r, b); err != nil {
			return err
		}
	}
	return s.render(c, http.StatusOK, "receipt_check", v)
}

// notReceiptRune reports whether r cannot be in a receipt.
func notReceiptRune(r rune) bool {
	return !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-')
}

// marksInWords says a published ballot's marks in the reader's words: the
// wordings ticked, or the wordings ranked in order of rank.
func marksInWords(c echo.Context, r model.Round, b model.PublishedBallot) ([]string, bool, error) {
	var out []string
	if r.Method == tally.Approval {
		var ids []int64
		if err := json.Unmarshal(b.Marks, &ids); err != nil {
			return nil, false, err
		}
		for _, id := range ids {
			out = append(out, tr(c, "votes.receipt.ticked", "ID", id))
		}
		return out, len(ids) == 0, nil
	}
	var ranks map[string]int
	if err := json.Unmarshal(b.Marks, &ranks); err != nil {
		return nil, false, err
	}
	type ranked struct {
		id   int64
		rank int
	}
	var rs []ranked
	for k, rank := range ranks {
		id, err := strconv.ParseInt(k, 10, 64)
		if err != nil {
			return nil, false, err
		}
		rs = append(rs, ranked{id, rank})
	}
	slices.SortFunc(rs, func(a, b ranked) int {
		if a.rank != b.rank {
			return a.rank - b.rank
		}
		return int(a.id - b.id)
	})
	for _, x := range rs {
		out = append(out, tr(c, "votes.receipt.ranked", "Place", x.rank, "ID", x.id))
	}
	return out, len(rs) == 0, nil
}

package server

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"wordgarden/server/i18n"
	"wordgarden/server/model"
	"wordgarden/server/plain"
	"wordgarden/server/tally"
)

// paperView is a round's paper ballots page, for facilitators: printing
// sheets, keying them in, the sheets that need another look and the audit
// log.
type paperView struct {
	page
	Round model.Round
	// Neighbourhoods are those sheets may be printed for: the round's, or
	// every one when anyone may vote.
	Neighbourhoods []model.Neighbourhood
	Prints         []model.PaperPrint
	ToLook         []model.PaperSheet
	Audit          []model.PaperEvent
	Count          model.PaperCount
	Print          printForm
	Entry          entryForm
	Places         []int // 1..number of candidates, for the rank menus
	Error          *formError
}

type printForm struct {
	Neighbourhood string
	Sheets        string
	Size          string
	HandIn        string
}

// entryForm is the key-in form as sent, to show it again when refused.
type entryForm struct {
	Number   string
	Spoiled  bool
	Reason   string
	Again    bool
	None     bool
	Approved map[int64]bool
	Ranks    map[int64]int
}

// paperShow is the round's paper ballots page.
func (s *Server) paperShow(c echo.Context) error {
	r, err := s.loadRound(c)
	if err != nil {
		return err
	}
	return s.renderPaper(c, http.StatusOK, paperView{Round: r, Print: printForm{Sheets: "50", Size: string(model.A4)}})
}

func (s *Server) renderPaper(c echo.Context, status int, v paperView) error {
	ctx := c.Request().Context()
	r := v.Round
	v.page = s.newPage(c, tr(c, "paper.show.title", "Term", r.TermTitle))
	v.Neighbourhoods = r.Neighbourhoods
	if len(v.Neighbourhoods) == 0 {
		ns, err := s.store.Neighbourhoods(ctx)
		if err != nil {
			return err
		}
		v.Neighbourhoods = ns
	}
	var err error
	if v.Prints, err = s.store.PaperPrints(ctx, r.ID); err != nil {
		return err
	}
	if v.ToLook, err = s.store.PaperToLook(ctx, r.ID); err != nil {
		return err
	}
	if v.Audit, err = s.store.PaperAudit(ctx, r.ID); err != nil {
		return err
	}
	if v.Count, err = s.store.PaperCount(ctx, r); err != nil {
		return err
	}
	for i := range r.Candidates {
		v.Places = append(v.Places, i+1)
	}
	if v.Entry.Approved == nil {
		v.Entry.Approved, v.Entry.Ranks = map[int64]bool{}, map[int64]int{}
	}
	return s.render(c, status, "paper_show", v)
}

// sheetChecks is the plain-language check of each candidate, for the
// reading age printed beside it.
func (s *Server) sheetChecks(c echo.Context, r model.Round) (map[int64]*plain.Report, error) {
	return s.checkVersions(c.Request().Context(), r.Candidates)
}

// MarksWords says an entry's marks in the reader's words: the wordings
// ticked, or ranked in order, or none of them.
func (v paperView) MarksWords(marks string) string {
	lz := i18n.For(v.Lang)
	var parts []string
	if v.Round.Method == tally.Ranked {
		var ranks map[string]int
		json.Unmarshal([]byte(marks), &ranks)
		type pair struct {
			id   string
			rank int
		}
		var ps []pair
		for id, rank := range ranks {
			ps = append(ps, pair{id, rank})
		}
		slices.SortFunc(ps, func(a, b pair) int { return a.rank - b.rank })
		for _, p := range ps {
			parts = append(parts, lz.T("paper.marks.ranked", "Rank", p.rank, "ID", p.id))
		}
	} else {
		var ids []int64
		json.Unmarshal([]byte(marks), &ids)
		for _, id := range ids {
			parts = append(parts, lz.T("voting.version", "ID", id))
		}
	}
	if len(parts) == 0 {
		return lz.T("paper.marks.none")
	}
	return lz.T("paper.marks.chose", "Marks", strings.Join(parts, ", "))
}

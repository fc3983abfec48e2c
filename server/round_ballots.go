package server

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"wordgarden/server/tally"
)

// roundBallotsJSON publishes every counted ballot: receipt and marks only,
// and "paper": true for a paper ballot, whose receipt is its sheet number.
func (s *Server) roundBallotsJSON(c echo.Context) error {
	r, err := s.closedRound(c)
	if err != nil {
		return jsonError(c, err)
	}
	ballots, err := s.store.PublishedBallots(c.Request().Context(), r.ID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ballots)
}

// roundBallotsCSV publishes the ballots as a spreadsheet: one row a ballot,
// one column a candidate, holding 1 for a tick (approval) or the rank given
// (ranked, blank when unranked), and last its channel, online or paper
// (a paper ballot's receipt is its sheet number).
func (s *Server) roundBallotsCSV(c echo.Context) error {
	r, err := s.closedRound(c)
	if err != nil {
		return err
	}
	ballots, err := s.store.PublishedBallots(c.Request().Context(), r.ID)
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	h.Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="round-%d-ballots.csv"`, r.ID))
	c.Response().WriteHeader(http.StatusOK)
	w := csv.NewWriter(c.Response())
	header := []string{"receipt"}
	for _, v := range r.Candidates {
		header = append(header, "version_"+strconv.FormatInt(v.ID, 10))
	}
	w.Write(append(header, "channel"))
	for _, b := range ballots {
		row := []string{b.Receipt}
		var approve []int64
		var ranks map[string]int
		if r.Method == tally.Approval {
			json.Unmarshal(b.Marks, &approve)
		} else {
			json.Unmarshal(b.Marks, &ranks)
		}
		for _, v := range r.Candidates {
			cell := ""
			if r.Method == tally.Approval {
				cell = "0"
				for _, id := range approve {
					if id == v.ID {
						cell = "1"
					}
				}
			} else if rank, ok := ranks[strconv.FormatInt(v.ID, 10)]; ok {
				cell = strconv.Itoa(rank)
			}
			row = append(row, cell)
		}
		channel := "online"
		if b.Paper {
			channel = "paper"
		}
		w.Write(append(row, channel))
	}
	w.Flush()
	return w.Error()
}

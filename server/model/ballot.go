package model

import "encoding/json"

// PublishedBallot is a counted ballot as anyone may see it: no voter, no
// neighbourhood. A paper ballot's receipt is its sheet's number, as
// printed (12-0007-4), and Paper is set.
type PublishedBallot struct {
	Receipt string          `json:"receipt"`
	Marks   json.RawMessage `json:"marks"`
	Paper   bool            `json:"paper"`
}

package model

import "encoding/json"

// PublishedBallot is a counted ballot as anyone may see it: no voter, no
// neighbourhood.
type PublishedBallot struct {
	Receipt string          `json:"receipt"`
	Marks   json.RawMessage `json:"marks"`
}

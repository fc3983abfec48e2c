package model

// Neighbourhood is an area whose residents vote together.
type Neighbourhood struct {
	ID        int64
	Slug      string
	Name      string
	Residents int
	Unused    int // invite codes issued and not yet used or expired
}

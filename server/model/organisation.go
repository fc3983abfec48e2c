package model

// Sector is the kind of organisation a partner speaks for.
type Sector string

const (
	Statutory Sector = "statutory" // council, NHS, GP practices, hospital trusts
	Voluntary Sector = "voluntary" // voluntary and community groups
)

// Valid reports whether s is one of the two sectors.
func (s Sector) Valid() bool { return s == Statutory || s == Voluntary }

// Label is the sector's name as people read it.
func (s Sector) Label() string {
	switch s {
	case Statutory:
		return "Statutory"
	case Voluntary:
		return "Voluntary & community"
	}
	return ""
}

// Organisation is a body whose partners write versions.
type Organisation struct {
	ID      int64
	Name    string
	Sector  Sector
	Members int
}

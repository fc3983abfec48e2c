package i18n

import (
	"fmt"
	"strconv"
	"time"
)

// Dates are written from the catalogue's words and patterns (dates.*.toml):
// Go's time package writes English only, and a date is a sentence like any
// other: "2 January 2027", "2 de enero de 2027".

// Date writes a day: "2 January 2027".
func (lz *Localizer) Date(t time.Time) string {
	return lz.T("date.day", lz.dateArgs(t)...)
}

// Moment writes a time and day: "3:04pm, Saturday 2 January 2027".
func (lz *Localizer) Moment(t time.Time) string {
	return lz.T("date.moment", append(lz.dateArgs(t), "Clock", lz.Clock(t))...)
}

// Clock writes a time of day: "3:04pm", or "15:04".
func (lz *Localizer) Clock(t time.Time) string {
	h12 := t.Hour() % 12
	if h12 == 0 {
		h12 = 12
	}
	ampm := lz.T("date.am")
	if t.Hour() >= 12 {
		ampm = lz.T("date.pm")
	}
	return lz.T("date.clock", "Hour12", strconv.Itoa(h12), "Hour24", fmt.Sprintf("%02d", t.Hour()),
		"Minute", fmt.Sprintf("%02d", t.Minute()), "AmPm", ampm)
}

func (lz *Localizer) dateArgs(t time.Time) []any {
	return []any{
		"Day", strconv.Itoa(t.Day()),
		"Month", lz.T("month." + strconv.Itoa(int(t.Month()))),
		"Year", strconv.Itoa(t.Year()),
		"Weekday", lz.T("weekday." + strconv.Itoa(int(t.Weekday()))),
	}
}

package model

import "strings"

// CodeLen is the number of letters in an invite code: 29^8, about 5×10^11
// codes, so that guessing one, at the sign-in rate limit, is hopeless.
const CodeLen = 8

// MaxInvites is the most codes one request may issue.
const MaxInvites = 500

// FormatCode prints a code in two halves, "K7PX-3MQ9", for reading aloud.
func FormatCode(code string) string {
	if len(code) == CodeLen {
		return code[:4] + "-" + code[4:]
	}
	return code
}

// NormaliseCode turns what someone typed into the stored form: upper case,
// no spaces or hyphens.
func NormaliseCode(typed string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(typed) {
		if r != ' ' && r != '-' && r != '\t' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

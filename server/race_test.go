//go:build race

package server

// raceDetector is true when the tests run under the race detector, which
// slows code five to ten times: time limits meant to catch a runaway
// (within, in badinput_test.go) allow for it.
const raceDetector = true

// Package version says which build of wordgarden is running.
package version

import (
	"runtime/debug"
	"sync"
)

// stamp, when set at link time, is the version and wins over what the Go
// toolchain recorded:
//
//	go build -ldflags "-X wordgarden/server/version.stamp=v1.2.0" ./cmd/wordgarden
var stamp string

// String is the build's version: the link-time stamp if there is one, else
// the module version the toolchain recorded (a tagged release, or a pseudo
// version with the commit), else "devel" with the commit and "-dirty" for
// uncommitted changes when the build recorded them, else plain "devel".
var String = sync.OnceValue(func() string {
	info, _ := debug.ReadBuildInfo()
	return fromBuildInfo(stamp, info)
})

// fromBuildInfo does the work of String, apart so tests can feed it.
func fromBuildInfo(stamp string, info *debug.BuildInfo) string {
	if stamp != "" {
		return stamp
	}
	if info == nil {
		return "devel"
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var rev string
	var dirty bool
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	out := "devel"
	if rev != "" {
		out += "-" + rev[:min(12, len(rev))]
		if dirty {
			out += "-dirty"
		}
	}
	return out
}

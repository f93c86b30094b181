package benchdata

import "strings"

// timeSuffixes are last "-" parts of units that measure a duration, with
// their length in seconds.
var timeSuffixes = map[string]float64{
	"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1, "sec": 1,
}

// sizeSuffixes are last "-" parts of units that measure a size.
var sizeSuffixes = map[string]bool{
	"B": true, "bytes": true, "KB": true, "MB": true, "GB": true,
	"KiB": true, "MiB": true, "GiB": true,
}

// lastPart returns the part of unit after its last "-", or unit.
func lastPart(unit string) string {
	if i := strings.LastIndexByte(unit, '-'); i >= 0 {
		return unit[i+1:]
	}
	return unit
}

// Seconds reports whether unit (a tidied benchfmt unit) measures a
// duration and how many seconds one unit is: sec/op (go test's ns/op,
// tidied) is 1, a custom "p50-ms" is 0.001.
func Seconds(unit string) (float64, bool) {
	if unit == "sec/op" {
		return 1, true
	}
	f, ok := timeSuffixes[lastPart(unit)]
	return f, ok
}

// IsCost reports whether unit measures time or space by its name: a
// duration or size suffix ("p50-ms", "heap-MiB", "peak-RSS-bytes") or RSS.
// Package gate treats such units as lower-is-better.
func IsCost(unit string) bool {
	if _, ok := Seconds(unit); ok {
		return true
	}
	return sizeSuffixes[lastPart(unit)] || strings.Contains(strings.ToLower(unit), "rss")
}

// NonNegative reports whether a value in unit cannot be negative: times,
// sizes, RSS, counts per operation (allocs/op, B/op) and rates per second
// (tok/s, B/s). Reading rejects negative values of such units.
func NonNegative(unit string) bool {
	return IsCost(unit) || strings.HasSuffix(unit, "/op") || strings.HasSuffix(unit, "/s")
}

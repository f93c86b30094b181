package validity

import (
	"errors"
	"fmt"
	"strings"

	"golang.org/x/perf/benchfmt"
)

// The marks the benchmarks write (internal/benchmarks/harness keeps the same
// spellings; a test there and the testdata here tie them together).
const (
	// InvalidPrefix starts the unit of a broken bound ("invalid:kl"),
	// whose value is how many checked calls broke it.
	InvalidPrefix = "invalid:"
	// InvalidKey is a name or configuration key whose value says why a
	// result is invalid.
	InvalidKey = "invalid"
	// VerifiedKey is the configuration key of a result that could not be
	// verified: "no (<reason>)".
	VerifiedKey = "verified"
	// VerifiedUnit counts the timed calls whose outputs were checked.
	VerifiedUnit = "verified-calls"
)

// checkUnits are the output check's metrics: evidence about a result's
// outputs, not about its speed.
var checkUnits = map[string]bool{VerifiedUnit: true, "top1-agree-%": true, "worst-kl": true, "worst-rel-l2": true, "token-agree-%": true}

// IsCheckUnit reports whether unit is one of the output check's metrics
// (verified-calls, top1-agree-%, worst-kl, worst-rel-l2, token-agree-%,
// invalid:<bound>): A/B gates compare speed, not these, as they do not
// compare the degraded marker.
func IsCheckUnit(unit string) bool {
	return checkUnits[unit] || strings.HasPrefix(unit, InvalidPrefix)
}

// ErrInvalid marks a result whose timed outputs are wrong.
var ErrInvalid = errors.New("invalid result (its timed outputs are wrong)")

// Invalid returns why res is invalid, "" if it is not: its invalid:<bound>
// metrics with a positive value ("invalid: kl (2 calls), top1 (2 calls)"),
// its "invalid" name key, or its "invalid" configuration key.
func Invalid(res *benchfmt.Result) string {
	var why []string
	for _, v := range res.Values {
		if bound, ok := strings.CutPrefix(v.Unit, InvalidPrefix); ok && v.Value > 0 {
			why = append(why, fmt.Sprintf("%s broken by %g checked calls", bound, v.Value))
		}
	}
	if v := nameKey(res, InvalidKey); v != "" {
		why = append(why, v)
	}
	if v := res.GetConfig(InvalidKey); v != "" {
		why = append(why, v)
	}
	return strings.Join(why, "; ")
}

// Unverified returns why res's outputs were not verified, "" if they were
// or res does not say: its "verified: no (<reason>)" configuration, or
// zero verified calls.
func Unverified(res *benchfmt.Result) string {
	if v := res.GetConfig(VerifiedKey); strings.HasPrefix(v, "no") {
		return strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(strings.TrimPrefix(v, "no")), "("), ")")
	}
	for _, v := range res.Values {
		if v.Unit == VerifiedUnit && v.Value == 0 {
			return "no timed call was checked"
		}
	}
	return ""
}

// Check returns an error wrapping ErrInvalid that names res, its file and
// line, and why, when res is invalid; nil otherwise.
func Check(res *benchfmt.Result) error {
	why := Invalid(res)
	if why == "" {
		return nil
	}
	file, line := res.Pos()
	return fmt.Errorf("%s:%d: Benchmark%s: %w: %s", file, line, res.Name.Full(), ErrInvalid, why)
}

// nameKey returns the value of key=value in res's name ("" if absent).
func nameKey(res *benchfmt.Result, key string) string {
	_, parts := res.Name.Parts()
	for _, p := range parts {
		if k, v, ok := strings.Cut(strings.TrimPrefix(string(p), "/"), "="); ok && k == key {
			return v
		}
	}
	return ""
}

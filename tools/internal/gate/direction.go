package gate

import (
	"strings"

	"golang.org/x/perf/benchfmt"

	"github.com/inferbench/inferbench/tools/internal/benchdata"
)

// Direction says which way a unit improves.
type Direction int

// Directions. Values match benchfmt.UnitMetadataMap.GetBetter.
const (
	LowerIsBetter  Direction = -1
	HigherIsBetter Direction = +1
)

func (d Direction) String() string {
	if d == HigherIsBetter {
		return "higher is better"
	}
	return "lower is better"
}

// MarshalText encodes d as "higher" or "lower".
func (d Direction) MarshalText() ([]byte, error) {
	if d == HigherIsBetter {
		return []byte("higher"), nil
	}
	return []byte("lower"), nil
}

// UnitDirection returns the direction of unit (a tidied benchfmt unit)
// and whether it is known: declared in meta or covered by the built-in
// rules described in the package documentation. Unknown units are
// reported as LowerIsBetter.
func UnitDirection(meta benchfmt.UnitMetadataMap, unit string) (Direction, bool) {
	switch meta.GetBetter(unit) {
	case 1:
		return HigherIsBetter, true
	case -1:
		if meta.Get(unit, "better") != nil {
			return LowerIsBetter, true
		}
		// GetBetter's own defaults agree with the rules below.
	}
	switch {
	case strings.HasSuffix(unit, "/s"):
		return HigherIsBetter, true
	case strings.HasSuffix(unit, "/op"):
		return LowerIsBetter, true
	}
	return LowerIsBetter, benchdata.IsCost(unit)
}

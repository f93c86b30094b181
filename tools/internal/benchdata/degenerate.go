package benchdata

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"slices"

	"golang.org/x/perf/benchfmt"
)

var (
	// ErrDegenerate reports a value that cannot be compared as a
	// measurement: it underflows or overflows when tidied into the base
	// unit (1e-320 ns/op is 0 s), is subnormal, is too large for the
	// statistics (its square overflows), or is a duration of zero.
	ErrDegenerate = errors.New("degenerate value")
	// ErrTruncated reports a last line without a newline that does not
	// read as a whole result: output cut off while being written.
	ErrTruncated = errors.New("truncated last line")
)

// MaxMagnitude is the largest |value| read: squares and sums of squares
// of larger values overflow float64, so their variances, effect sizes
// and tests would be Inf or NaN.
const MaxMagnitude = 1e100

// degenerate rejects a value that tidying or the statistics cannot
// represent faithfully; see ErrDegenerate.
func degenerate(res *benchfmt.Result, v benchfmt.Value) error {
	file, line := res.Pos()
	bad := func(why string) error {
		return fmt.Errorf("%s:%d: Benchmark%s: %w %v %s: %s", file, line, res.Name.Full(), ErrDegenerate, valueOf(v), unitOf(v), why)
	}
	orig := valueOf(v)
	switch abs := math.Abs(v.Value); {
	case math.IsNaN(orig) || math.IsInf(orig, 0):
		return nil // check reports non-finite values as written
	case math.IsInf(v.Value, 0):
		return bad(fmt.Sprintf("overflows to %v when converted to %s", v.Value, v.Unit))
	case v.Value == 0 && orig != 0:
		return bad(fmt.Sprintf("underflows to 0 when converted to %s", v.Unit))
	case abs != 0 && abs < 0x1p-1022:
		return bad(fmt.Sprintf("is %v %s when converted, a subnormal number that has lost its precision (underflow)", v.Value, v.Unit))
	case abs > MaxMagnitude:
		return bad(fmt.Sprintf("too large: beyond %g the statistics overflow", float64(MaxMagnitude)))
	}
	_, duration := Seconds(v.Unit)
	// benchfmt tidies ns/op to sec/op, except a value of 0.
	if duration = duration || v.Unit == "ns/op"; duration && v.Value == 0 {
		return bad("a duration of zero was not measured (the timer never ran, or the value was rounded away)")
	}
	return nil
}

// truncation tells a last line cut off while written from one that
// merely lacks its newline.
type truncation struct {
	lastLine int                        // number of the last line when it lacks a newline, else 0
	units    map[string]map[string]bool // benchmark name → units on other lines
	allUnits map[string]bool            // units on other lines
	last     *benchfmt.Result           // the result on lastLine, if any
}

func newTruncation(data []byte) *truncation {
	t := &truncation{units: map[string]map[string]bool{}, allUnits: map[string]bool{}}
	if len(data) > 0 && data[len(data)-1] != '\n' {
		t.lastLine = bytes.Count(data, []byte("\n")) + 1
	}
	return t
}

// see records a result.
func (t *truncation) see(res *benchfmt.Result) {
	if t.lastLine == 0 {
		return
	}
	if _, line := res.Pos(); line == t.lastLine {
		t.last = res.Clone()
		return
	}
	name := string(res.Name.Full())
	if t.units[name] == nil {
		t.units[name] = map[string]bool{}
	}
	for _, v := range res.Values {
		t.units[name][unitOf(v)] = true
		t.allUnits[unitOf(v)] = true
	}
}

// check returns an ErrTruncated error when the last line has no newline
// and reads as a result with a unit no other line has, or with fewer
// units than the other lines of its benchmark; a syntax error on that
// line is explained the same way (syntax names the line benchfmt
// rejected, if any).
func (t *truncation) check(name string, syntaxLine int) error {
	if t.lastLine == 0 {
		return nil
	}
	if syntaxLine == t.lastLine {
		return fmt.Errorf("%s:%d: %w: the file ends without a newline in the middle of a result (output cut off?)", name, t.lastLine, ErrTruncated)
	}
	if t.last == nil {
		return nil
	}
	var have []string
	for _, v := range t.last.Values {
		u := unitOf(v)
		have = append(have, u)
		if !t.allUnits[u] {
			return fmt.Errorf("%s:%d: %w: Benchmark%s ends without a newline in unit %q, which no other line has (output cut off?); end the file with a newline if the line is whole",
				name, t.lastLine, ErrTruncated, t.last.Name.Full(), u)
		}
	}
	for u := range t.units[string(t.last.Name.Full())] {
		if !slices.Contains(have, u) {
			return fmt.Errorf("%s:%d: %w: Benchmark%s ends without a newline and lacks %s, which its other lines have (output cut off?)",
				name, t.lastLine, ErrTruncated, t.last.Name.Full(), u)
		}
	}
	return nil
}

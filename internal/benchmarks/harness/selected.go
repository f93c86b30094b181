package harness

import (
	"flag"
	"regexp"
)

// benchPattern is the -test.bench pattern of a test binary ("" elsewhere).
func benchPattern() string {
	if f := flag.Lookup("test.bench"); f != nil {
		return f.Value.String()
	}
	return ""
}

// splitPattern splits a -bench pattern into its per-level elements at the
// slashes outside brackets and parentheses, as package testing does.
func splitPattern(pattern string) []string {
	var elems []string
	depth, start := 0, 0
	for i := 0; i < len(pattern); i++ {
		switch pattern[i] {
		case '[', '(':
			depth++
		case ']', ')':
			depth--
		case '\\':
			i++
		case '/':
			if depth == 0 {
				elems = append(elems, pattern[start:i])
				start = i + 1
			}
		}
	}
	return append(elems, pattern[start:])
}

// selects reports whether a -bench pattern can select a (sub-)benchmark
// named by its elements (e.g. "BenchmarkOverhead", "backend=ort-cpu"):
// each element of the pattern must match the name's element at its level,
// unanchored, as package testing matches; an empty pattern, a level the
// pattern does not reach and an element that is not a valid expression
// match anything.
func selects(pattern string, names ...string) bool {
	if pattern == "" {
		return true
	}
	elems := splitPattern(pattern)
	for i, name := range names {
		if i >= len(elems) {
			return true
		}
		re, err := regexp.Compile(elems[i])
		if err != nil {
			return true
		}
		if !re.MatchString(name) {
			return false
		}
	}
	return true
}

// selectsBackend reports whether the -bench pattern can select a
// backend's sub-benchmarks (backend=B under any benchmark function).
func selectsBackend(pattern, backend string) bool {
	elems := splitPattern(pattern)
	return len(elems) < 2 || selects(elems[1], "backend="+backend)
}

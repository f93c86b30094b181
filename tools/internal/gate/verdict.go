package gate

import "fmt"

// Verdict classifies one row.
type Verdict int

// Verdicts; see the package documentation.
const (
	NoChange Verdict = iota
	Faster
	Slower
	TooFewSamples
	OnlyOld
	OnlyNew
	Degraded
	Equivalent
	Inconclusive
)

// names holds the text and the stable token of each value of an
// enumeration, indexed by the value.
type names []struct{ text, token string }

func (n names) text(kind string, i int) string {
	if i < 0 || i >= len(n) {
		return fmt.Sprintf("%s(%d)", kind, i)
	}
	return n[i].text
}

func (n names) token(kind string, i int) ([]byte, error) {
	if i < 0 || i >= len(n) {
		return nil, fmt.Errorf("gate: unknown %s %d", kind, i)
	}
	return []byte(n[i].token), nil
}

var verdicts = names{
	NoChange:      {"no significant change", "unchanged"},
	Faster:        {"faster", "faster"},
	Slower:        {"slower", "slower"},
	TooFewSamples: {"too few samples", "too_few_samples"},
	OnlyOld:       {"only in old", "only_old"},
	OnlyNew:       {"only in new", "only_new"},
	Degraded:      {"degraded", "degraded"},
	Equivalent:    {"equivalent", "equivalent"},
	Inconclusive:  {"inconclusive", "inconclusive"},
}

func (v Verdict) String() string { return verdicts.text("Verdict", int(v)) }

// MarshalText encodes v as a stable token such as "too_few_samples".
func (v Verdict) MarshalText() ([]byte, error) { return verdicts.token("verdict", int(v)) }

// Basis says which values a row was judged on.
type Basis int

// Bases.
const (
	// NotJudged: the row was not tested (a side is missing, or it is
	// inconclusive before any test).
	NotJudged Basis = iota
	// RunMedians: one value per run, the median of its samples, so
	// process-to-process variation is part of the test.
	RunMedians
	// WithinProcess: the samples of fewer runs than Options.MinRuns,
	// pooled; blind to variation between processes.
	WithinProcess
	// Exact: a unit declared assume=exact whose values do not vary.
	Exact
)

var bases = names{
	NotJudged:     {"-", "none"},
	RunMedians:    {"run medians", "run_medians"},
	WithinProcess: {"within one process", "within_process"},
	Exact:         {"exact", "exact"},
}

func (b Basis) String() string { return bases.text("Basis", int(b)) }

// MarshalText encodes b as a stable token such as "run_medians".
func (b Basis) MarshalText() ([]byte, error) { return bases.token("basis", int(b)) }

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

var verdicts = [...]struct{ text, token string }{
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

func (v Verdict) String() string {
	if v < 0 || int(v) >= len(verdicts) {
		return fmt.Sprintf("Verdict(%d)", int(v))
	}
	return verdicts[v].text
}

// MarshalText encodes v as a stable token such as "too_few_samples".
func (v Verdict) MarshalText() ([]byte, error) {
	if v < 0 || int(v) >= len(verdicts) {
		return nil, fmt.Errorf("gate: unknown verdict %d", int(v))
	}
	return []byte(verdicts[v].token), nil
}

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

var bases = [...]struct{ text, token string }{
	NotJudged:     {"-", "none"},
	RunMedians:    {"run medians", "run_medians"},
	WithinProcess: {"within one process", "within_process"},
	Exact:         {"exact", "exact"},
}

func (b Basis) String() string {
	if b < 0 || int(b) >= len(bases) {
		return fmt.Sprintf("Basis(%d)", int(b))
	}
	return bases[b].text
}

// MarshalText encodes b as a stable token such as "run_medians".
func (b Basis) MarshalText() ([]byte, error) {
	if b < 0 || int(b) >= len(bases) {
		return nil, fmt.Errorf("gate: unknown basis %d", int(b))
	}
	return []byte(bases[b].token), nil
}

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
)

var verdicts = [...]struct{ text, token string }{
	NoChange:      {"no significant change", "unchanged"},
	Faster:        {"faster", "faster"},
	Slower:        {"slower", "slower"},
	TooFewSamples: {"too few samples", "too_few_samples"},
	OnlyOld:       {"only in old", "only_old"},
	OnlyNew:       {"only in new", "only_new"},
	Degraded:      {"degraded", "degraded"},
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

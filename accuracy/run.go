package accuracy

import (
	"errors"
	"fmt"
	"strings"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/accuracy/eval"
	"github.com/inferbench/inferbench/internal/lm/corpus"
)

// Gates configure RunGates: Evaluate's Config, the baseline and the
// candidates.
type Gates struct {
	Config
	// Baseline names the baseline backend; "" chooses it (ChooseBaseline)
	// and lets the reference take over when the chosen one cannot run.
	Baseline string
	// Candidates name the backends to judge; nil means every registered
	// backend but the baseline.
	Candidates []string
}

// GateRun is the outcome of RunGates: the report and notes on how it was
// obtained (a baseline that took over, say).
type GateRun struct {
	Report *Report
	Notes  []string
}

// RunGates is a whole gate run: it refuses a model failing CheckIdentity,
// picks the baseline (g.Baseline, else ChooseBaseline) and the candidates
// (SelectBackends) and evaluates them over tokens of c. When the chosen
// default baseline cannot run here and m has Go weights, the reference
// takes over, over the prefix of tokens its budget allows, and a note says
// so. An error wrapping ErrSeeded refuses a seeded model; one wrapping
// backends.ErrUnavailable says the baseline cannot run here.
func RunGates(m *model.Model, c *corpus.Corpus, tokens []int64, g Gates) (GateRun, error) {
	var run GateRun
	if err := CheckIdentity(m.Identity); err != nil {
		return run, err
	}
	name := g.Baseline
	if name == "" {
		name = ChooseBaseline(m, len(tokens), g.ReferenceBudget)
	}
	base, cands, err := SelectBackends(name, g.Candidates)
	if err != nil {
		return run, err
	}
	run.Report, err = Evaluate(m, c, tokens, base, cands, g.Config)
	if errors.Is(err, backends.ErrUnavailable) && g.Baseline == "" && name != Reference && m.Source != nil {
		// Without the default baseline the reference takes over, over the
		// prefix its budget allows.
		window, _ := eval.WindowFor(m, g.Window)
		n := ReferenceTokens(m, len(tokens), window, g.ReferenceBudget)
		run.Notes = append(run.Notes, fmt.Sprintf("baseline %s unavailable (%s): %s is the baseline, over the first %d of %d tokens (its budget)",
			name, backends.Reason(err), Reference, n, len(tokens)))
		if base, cands, err = SelectBackends(Reference, g.Candidates); err != nil {
			return run, err
		}
		run.Report, err = Evaluate(m, c, tokens[:n], base, cands, g.Config)
	}
	return run, err
}

// SelectBackends returns the baseline and the candidates named (nil: every
// registered backend but the baseline). The reference is always a
// candidate when it is not the baseline: it checks the baseline. Unknown
// names are errors naming -baseline or -backends.
func SelectBackends(baseline string, candidates []string) (backends.Backend, []backends.Backend, error) {
	base, err := backends.Lookup(baseline)
	if err != nil {
		return nil, nil, fmt.Errorf("-baseline: %w", err)
	}
	names := backends.Names()
	if candidates != nil {
		names = append(append([]string(nil), candidates...), Reference)
	}
	var cands []backends.Backend
	seen := map[string]bool{baseline: true}
	for _, n := range names {
		n = strings.TrimSpace(n)
		if seen[n] {
			continue
		}
		seen[n] = true
		b, err := backends.Lookup(n)
		if err != nil {
			return nil, nil, fmt.Errorf("-backends: %w", err)
		}
		cands = append(cands, b)
	}
	return base, cands, nil
}

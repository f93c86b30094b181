package report

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/lm/gpt2"
	"github.com/inferbench/inferbench/internal/lm/zoo"
	"github.com/inferbench/inferbench/tools/internal/abtest"
	"github.com/inferbench/inferbench/tools/internal/benchdata"
)

// identityKeys name the model and corpus; one report is about one of each.
var identityKeys = []string{"model", "model-arch", "model-params", "model-weights", "model-weights-sha256", "model-precision", "corpus", "corpus-sha256"}

// softwareKeys differ between toolchains: a warning, not a different machine.
var softwareKeys = []string{"commit", "go-version", "ort-version"}

func (a *Analysis) validate() {
	d := a.Data
	for _, r := range d.Invalid {
		a.Invalid = append(a.Invalid, "wrong outputs, left out of every table and ranking: "+r)
	}
	for _, b := range a.Backends {
		for s, c := range d.Cells[b] {
			for _, why := range c.Unverified {
				a.Warnings = append(a.Warnings, fmt.Sprintf("%s at %s: outputs not verified (%s)", b, s, why))
			}
		}
	}
	var keys []string
	for k := range d.Config {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if len(d.Config[k]) > 1 && benchdata.IsMachineKey(k) {
			a.Invalid = append(a.Invalid, "results from different machines in one report: "+k+" is "+describe(d.Config[k]))
		}
	}
	for _, k := range identityKeys {
		if len(d.Config[k]) > 1 {
			a.Invalid = append(a.Invalid, "results of different models or corpora in one report: "+k+" is "+describe(d.Config[k]))
		}
	}
	for _, k := range softwareKeys {
		if vs := d.values(k); len(vs) > 1 {
			a.Warnings = append(a.Warnings, "results of different code or software in one report: "+k+" is "+describe(vs))
		}
	}
	if why := a.checkArchitecture(); why != "" {
		a.Invalid = append(a.Invalid, why)
	}
	a.checkAccuracy()
	a.checkPower()
	a.checkTails()
	a.checkEnvironment()
}

// checkTails warns when many cells' p95 is far above their p50: a sign of
// a busy machine (other processes, throttling), which makes the tails and
// the tok/s (a mean) say more about the machine than the backend.
func (a *Analysis) checkTails() {
	const ratio = 3
	wide, all := 0, 0
	for _, b := range a.Backends {
		for _, c := range a.Data.Cells[b] {
			p50, p95 := median(c.PerRun("p50-ms")), median(c.PerRun("p95-ms"))
			if p50 > 0 && p95 > 0 {
				all++
				if p95 > ratio*p50 {
					wide++
				}
			}
		}
	}
	if all > 0 && wide*4 >= all {
		a.Warnings = append(a.Warnings, fmt.Sprintf("%d of %d backends × scenarios have a p95 more than %d× their p50: the machine was probably busy (other processes, throttling); tails and tok/s (a mean) then describe the machine more than the backend", wide, all, ratio))
	}
}

func describe(vs []Value) string {
	var parts []string
	for _, v := range vs {
		parts = append(parts, fmt.Sprintf("%q (%s)", v.Value, strings.Join(v.Files, ", ")))
	}
	return strings.Join(parts, " vs ")
}

// checkArchitecture compares the parameter count with the one the
// declared architecture and the configuration imply.
func (a *Analysis) checkArchitecture() string {
	d := a.Data
	name, arch, ps := d.Get("model"), d.Get("model-arch"), d.Get("model-params")
	if ps == "" {
		return ""
	}
	params, err := strconv.ParseInt(ps, 10, 64)
	if err != nil {
		return fmt.Sprintf("model %s: model-params %q is not a number", name, ps)
	}
	// The configuration first: it is the more specific (every zoo model's
	// architecture, gpt2-tiny's included, declares a count too).
	if cfg, ok := parseConfig(d.Get("model-config")); ok {
		if want := cfg.ParamCount(); want != params {
			return fmt.Sprintf("model %s: its configuration %s implies %d parameters but model-params says %d", name, d.Get("model-config"), want, params)
		}
	}
	if want, ok := zoo.DeclaredParams(arch); ok && want != params {
		return fmt.Sprintf("model %s declares architecture %s (%d parameters) but has %d parameters", name, arch, want, params)
	}
	return ""
}

// parseConfig reads a model-config line: n_layer=4,n_head=4,n_embd=64,
// n_positions=512,vocab=50257.
func parseConfig(s string) (gpt2.Config, bool) {
	var c gpt2.Config
	if s == "" {
		return c, false
	}
	fields := map[string]*int{"n_layer": &c.NLayer, "n_head": &c.NHead, "n_embd": &c.NEmbd, "n_positions": &c.NPositions, "vocab": &c.VocabSize}
	for _, kv := range strings.Split(s, ",") {
		k, v, _ := strings.Cut(kv, "=")
		if p := fields[k]; p != nil {
			n, err := strconv.Atoi(v)
			if err != nil {
				return c, false
			}
			*p = n
		}
	}
	return c, c.Validate() == nil
}

func (a *Analysis) checkAccuracy() {
	sha := a.Data.Get("model-weights-sha256")
	for _, f := range a.Data.Accuracy {
		m := f.Model
		if m.Weights != model.Trained {
			a.Invalid = append(a.Invalid, fmt.Sprintf("accuracy claimed for %s weights: %s evaluates model %s, whose accuracy numbers mean nothing", m.Weights, f.Path, m.Name))
		}
		if f.Invalid != "" {
			a.Invalid = append(a.Invalid, fmt.Sprintf("%s: the accuracy gate itself says INVALID: %s", f.Path, f.Invalid))
		}
		if err := m.Validate(); err != nil {
			a.Invalid = append(a.Invalid, fmt.Sprintf("%s: %v", f.Path, err))
		}
		if sha != "" && m.WeightsSHA256 != "" && sha != m.WeightsSHA256 {
			a.Invalid = append(a.Invalid, fmt.Sprintf("%s evaluates model %s (weights sha256 %.12s), not the benchmarked model (%.12s)", f.Path, m.Name, m.WeightsSHA256, sha))
		}
		if why := a.Data.checkCorpus(f); why != "" {
			a.Invalid = append(a.Invalid, why)
		}
		a.Invalid = append(a.Invalid, checkVerdicts(f)...)
	}
}

// checkPower flags cells whose sample sizes cannot reach significance
// after the Holm correction over the matrix: the first Holm step compares
// the smallest p-value with Alpha/m.
func (a *Analysis) checkPower() {
	m := 0
	for _, c := range a.Matrix {
		if c.Untestable == "" {
			m++
		}
	}
	weak := 0
	minN := 0
	for _, c := range a.Matrix {
		if c.Untestable != "" {
			a.Invalid = append(a.Invalid, fmt.Sprintf("%s vs %s at %s cannot be tested: %s", c.Backend, a.Baseline, c.Scenario, c.Untestable))
			continue
		}
		if abtest.MinUTestP(c.NBase, c.N)*float64(m) >= a.Options.Alpha {
			weak++
			if minN == 0 || min(c.NBase, c.N) < minN {
				minN = min(c.NBase, c.N)
			}
		}
	}
	if weak > 0 {
		need := 2
		for abtest.MinUTestP(need, need)*float64(m) >= a.Options.Alpha && need < 1000 {
			need++
		}
		a.Invalid = append(a.Invalid, fmt.Sprintf("too few runs: %d of %d comparisons (as few as %d run(s), that is processes, a side) cannot reach significance after Holm's correction over %d cells at α=%g, however large the difference; run at least %d processes per backend and scenario (separate go test runs, or tools/compare)",
			weak, m, minN, m, a.Options.Alpha, need))
	}
}

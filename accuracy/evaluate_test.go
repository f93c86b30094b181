package accuracy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/accuracy/eval"
	"github.com/inferbench/inferbench/internal/lm/gpt2"
)

// TestEvaluateVerdicts runs a whole gate over fake backends: an exact
// candidate passes, a noisy one fails, an unavailable one is skipped with
// its reason, and every result lands in the report.
func TestEvaluateVerdicts(t *testing.T) {
	base := &fakeBackend{name: "base", precision: model.FP32}
	cands := []backends.Backend{
		&fakeBackend{name: "exact", precision: model.FP32},
		&fakeBackend{name: "noisy", precision: model.FP32, session: fakeSession{noise: 0.3}},
		&fakeBackend{name: "noisy-int8", precision: model.INT8, session: fakeSession{noise: 0.05}, degraded: "MatMul ran in float"},
		&fakeBackend{name: "absent", precision: model.FP32, reason: "no such device"},
		&fakeBackend{name: "broken", precision: model.FP32, openErr: errors.New("bad file")},
		&fakeBackend{name: "bf16", precision: "bf16"},
		base, // never judges itself
	}
	rep, err := Evaluate(fakeModel(model.Trained), nil, fakeTokens(2000), base, cands, Config{Window: 64, Batch: 3})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]Status{"exact": Pass, "noisy": Fail, "noisy-int8": Pass, "absent": Skip, "broken": Fail, "bf16": Fail}
	if len(rep.Backends) != len(want) {
		t.Errorf("%d results, want %d", len(rep.Backends), len(want))
	}
	for name, st := range want {
		r := rep.Result(name)
		if r == nil {
			t.Errorf("%s: no result", name)
			continue
		}
		if r.Verdict.Status != st {
			// The fakes' tables only when they say something is wrong: a
			// FAIL a fixture was built to produce is not news in go test -v.
			var buf bytes.Buffer
			r.WriteTable(&buf)
			t.Errorf("%s: %s %v, want %s\n%s", name, r.Verdict.Status, r.Verdict.Reasons, st, buf.String())
		}
	}
	if r := rep.Result("noisy-int8"); r.Degraded != "MatMul ran in float" || rep.Result("exact").Degraded != "" {
		t.Errorf("degradation not recorded: %q", r.Degraded)
	}
	if r := rep.Result("absent"); len(r.Verdict.Reasons) != 1 || r.Verdict.Reasons[0] != "no such device" {
		t.Errorf("absent: reasons %q", r.Verdict.Reasons)
	}
	if r := rep.Result("exact"); r.Scored != 1999 || r.DeltaRel != 0 || r.Divergence.KLMean != 0 || r.Divergence.Top1 != 1 {
		t.Errorf("exact: %+v", r)
	}
	if rep.Baseline.Scored != 1999 || rep.Baseline.PPL > 4 || rep.Invalid != "" || rep.Window != 64 || rep.Stride != 32 || rep.Batch != 3 {
		t.Errorf("report %+v", rep)
	}
}

// TestEvaluateUntrained: a baseline predicting nothing (PPL = vocab) makes
// every verdict INVALID, saying why, even for an exact candidate.
func TestEvaluateUntrained(t *testing.T) {
	base := &fakeBackend{name: "base", precision: model.FP32, session: fakeSession{uniform: true}}
	cands := []backends.Backend{
		&fakeBackend{name: "exact", precision: model.FP32, session: fakeSession{uniform: true}},
		&fakeBackend{name: "absent", precision: model.FP32, reason: "not here"},
	}
	rep, err := Evaluate(fakeModel(model.Unknown), nil, fakeTokens(500), base, cands, Config{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(rep.Invalid, "untrained") || !strings.Contains(rep.Invalid, "perplexity 32.0") {
		t.Errorf("Invalid = %q", rep.Invalid)
	}
	if v := rep.Result("exact").Verdict; v.Status != Invalid || len(v.Reasons) != 1 || v.Reasons[0] != rep.Invalid {
		t.Errorf("exact: %+v", v)
	}
	if v := rep.Result("absent").Verdict; v.Status != Skip {
		t.Errorf("absent: %+v", v)
	}
}

// TestEvaluateRefusesBeforeRunning: seeded weights and identity mismatches
// are refused before any session opens.
func TestEvaluateRefusesBeforeRunning(t *testing.T) {
	mismatch := fakeModel(model.Trained)
	mismatch.Identity.DeclaredParams = 124439808
	tests := []struct {
		name string
		m    *model.Model
		want error
	}{
		{"seeded", fakeModel(model.Seeded), ErrSeeded},
		{"mismatch", mismatch, model.ErrIdentityMismatch},
	}
	for _, tt := range tests {
		base := &fakeBackend{name: "base", precision: model.FP32}
		cand := &fakeBackend{name: "cand", precision: model.FP32}
		_, err := Evaluate(tt.m, nil, fakeTokens(100), base, []backends.Backend{cand}, Config{})
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: err %v, want %v", tt.name, err, tt.want)
		}
		if base.opened+cand.opened != 0 {
			t.Errorf("%s: %d sessions opened", tt.name, base.opened+cand.opened)
		}
	}
}

func TestEvaluateBaselineUnavailable(t *testing.T) {
	base := &fakeBackend{name: "base", precision: model.FP32, reason: "no library"}
	_, err := Evaluate(fakeModel(model.Trained), nil, fakeTokens(200), base, nil, Config{})
	if !errors.Is(err, backends.ErrUnavailable) || backends.Reason(err) != "no library" {
		t.Errorf("err %v, want unavailable with its reason", err)
	}
}

// TestEvaluateReferenceBudget: a candidate named reference over its budget
// runs the first windows only, against the baseline on the same prefix.
func TestEvaluateReferenceBudget(t *testing.T) {
	m := fakeModel(model.Trained) // 1000 parameters
	base := &fakeBackend{name: "base", precision: model.FP32}
	ref := &fakeBackend{name: Reference, precision: model.FP32, session: fakeSession{noise: 1e-4}}
	full := &fakeBackend{name: "full", precision: model.FP32}
	// 2000 tokens × 1000 > 5e5: the reference gets 5e5/(1000·64) = 7
	// windows of 64 with stride 32: 64 + 6·32 = 256 tokens.
	rep, err := Evaluate(m, nil, fakeTokens(2000), base, []backends.Backend{ref, full}, Config{Window: 64, ReferenceBudget: 5e5})
	if err != nil {
		t.Fatal(err)
	}
	r := rep.Result(Reference)
	if r.Tokens != 256 || r.Scored != 255 || !strings.Contains(r.Note, "first 256 of 2000 tokens") || r.Verdict.Status != Pass {
		t.Errorf("reference: %+v", r)
	}
	if f := rep.Result("full"); f.Tokens != 2000 || f.Scored != 1999 || f.BaselinePPL != rep.Baseline.PPL {
		t.Errorf("full: %+v", f)
	}
	if r.BaselinePPL == rep.Baseline.PPL {
		t.Errorf("reference judged against the baseline over all tokens, not its prefix")
	}
}

func TestChooseBaseline(t *testing.T) {
	tests := []struct {
		name    string
		params  int64
		weights bool
		tokens  int
		want    string
	}{
		{"tiny, few tokens", 3_449_280, true, 2000, Reference},
		{"tiny, held-out corpus", 3_449_280, true, 14000, FallbackBaseline},
		{"124m", 124_439_808, true, 100, FallbackBaseline},
		{"foreign onnx", 1000, false, 10, FallbackBaseline},
	}
	for _, tt := range tests {
		m := fakeModel(model.Trained)
		m.Identity.Params = tt.params
		if tt.weights {
			m.Source = &gpt2.Source{Weights: new(gpt2.Weights)}
		}
		if got := ChooseBaseline(m, tt.tokens, 0); got != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, got, tt.want)
		}
	}
	tiny := fakeModel(model.Trained)
	tiny.Identity.Params = 3_449_280
	if n := ReferenceTokens(tiny, 13996, 512, 0); n != 512+4*256 {
		t.Errorf("ReferenceTokens(gpt2-tiny, held-out) = %d, want 5 windows (1536 tokens)", n)
	}
	big := fakeModel(model.Trained)
	big.Identity.Params = 124_439_808
	if n := ReferenceTokens(big, 13996, 1024, 0); n != 1024+512 {
		t.Errorf("ReferenceTokens(124m) = %d, want %d windows", n, MinCheckWindows)
	}
	if n := ReferenceTokens(tiny, 100, 512, 0); n != 100 {
		t.Errorf("ReferenceTokens within budget = %d, want all", n)
	}
}

// TestReportJSON: the JSON report carries identity, corpus, windows,
// metrics and verdicts.
func TestReportJSON(t *testing.T) {
	base := &fakeBackend{name: "base", precision: model.FP32}
	cand := &fakeBackend{name: "cand", precision: model.FP16, session: fakeSession{noise: 0.01}}
	rep, err := Evaluate(fakeModel(model.Trained), nil, fakeTokens(300), base, []backends.Backend{cand}, Config{Window: 32})
	if err != nil {
		t.Fatal(err)
	}
	rep.Corpus = CorpusInfo{Name: "c", Bytes: 3, SHA256: "abc"}
	path := filepath.Join(t.TempDir(), "sub", "acc.json")
	if err := rep.WriteJSON(path); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"model", "corpus", "window", "stride", "baseline", "backends"} {
		if _, ok := got[key]; !ok {
			t.Errorf("JSON lacks %q:\n%s", key, data)
		}
	}
	for _, want := range []string{`"Name": "fake-lm"`, `"sha256": "abc"`, `"window": 32`, `"stride": 16`, `"kl_p99"`, `"top1_agreement"`, `"status": "PASS"`, `"ppl_delta_rel"`} {
		if !bytes.Contains(data, []byte(want)) {
			t.Errorf("JSON lacks %s:\n%s", want, data)
		}
	}
	var back Report
	if err := json.Unmarshal(data, &back); err != nil || back.Result("cand") == nil || back.Result("cand").Divergence != rep.Result("cand").Divergence {
		t.Errorf("round trip: %v", err)
	}
}

// TestEvaluateCorpusTooShort: a text that scores fewer than MinScoredTokens
// stops before any session opens and before any verdict on the model (a
// 10-byte text once scored 2 tokens and called a trained model untrained).
func TestEvaluateCorpusTooShort(t *testing.T) {
	for _, n := range []int{0, 1, 3, MinScoredTokens} {
		base := &fakeBackend{name: "base", precision: model.FP32}
		cand := &fakeBackend{name: "cand", precision: model.FP32}
		rep, err := Evaluate(fakeModel(model.Trained), nil, fakeTokens(max(n, 1))[:n], base, []backends.Backend{cand}, Config{})
		want := fmt.Sprintf("corpus too short: %d tokens scored, need %d", max(n-1, 0), MinScoredTokens)
		if !errors.Is(err, ErrCorpusTooShort) || !strings.Contains(err.Error(), want) {
			t.Errorf("%d tokens: err %v, want %q", n, err, want)
		}
		if rep != nil || base.opened+cand.opened != 0 {
			t.Errorf("%d tokens: report %v, %d sessions opened", n, rep, base.opened+cand.opened)
		}
	}
	base := &fakeBackend{name: "base", precision: model.FP32}
	if _, err := Evaluate(fakeModel(model.Trained), nil, fakeTokens(MinScoredTokens+1), base, nil, Config{}); err != nil {
		t.Errorf("%d tokens (%d scored): %v", MinScoredTokens+1, MinScoredTokens, err)
	}
}

// TestEvaluateUnknownContext: a model with no known n_positions (an ONNX
// file without a learned position embedding) and no window is refused with
// a message naming -window before any session opens, so no ONNX Runtime
// Gather error is the first thing a user sees.
func TestEvaluateUnknownContext(t *testing.T) {
	m := fakeModel(model.Unknown)
	m.Positions = 0
	base := &fakeBackend{name: "base", precision: model.FP32}
	_, err := Evaluate(m, nil, fakeTokens(300), base, nil, Config{})
	if !errors.Is(err, eval.ErrNoWindow) || !strings.Contains(err.Error(), "-window") {
		t.Errorf("err %v, want ErrNoWindow naming -window", err)
	}
	if base.opened != 0 {
		t.Errorf("%d sessions opened", base.opened)
	}
	rep, err := Evaluate(m, nil, fakeTokens(300), base, nil, Config{Window: 32})
	if err != nil || rep.Window != 32 {
		t.Errorf("with a window: %v, %+v", err, rep)
	}
}

// TestVerboseOutputNoFixtureVerdicts: go test -v of the unit tests does not
// print "verdict FAIL" tables of fake backends as if a gate had failed;
// tables of fixtures built to fail say so.
func TestVerboseOutputNoFixtureVerdicts(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping: runs the test binary again")
	}
	if os.Getenv("INFERBENCH_VERBOSE_CHECK") != "" {
		t.Skip("skipping: inside the check")
	}
	cmd := exec.Command(os.Args[0], "-test.run", "^(TestEvaluateVerdicts|TestEvaluateUntrained|TestEvaluateReferenceBudget)$", "-test.v")
	cmd.Env = append(os.Environ(), "INFERBENCH_VERBOSE_CHECK=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if f := strings.Fields(line); len(f) == 2 && f[0] == "verdict" && f[1] == "FAIL" {
			t.Errorf("go test -v prints a fixture's verdict table:\n%s", out)
			break
		}
	}
}

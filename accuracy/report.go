package accuracy

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/metrics"
)

// Report is a gate run: what was evaluated, how, and every verdict. Its
// JSON form is what -accuracy-out writes for tools.
type Report struct {
	Model  model.Identity `json:"model"`
	Corpus CorpusInfo     `json:"corpus"`
	// Tokens is the number of corpus tokens the baseline evaluated (its
	// scored count is Tokens-1).
	Tokens   int            `json:"tokens"`
	Window   int            `json:"window"`
	Stride   int            `json:"stride"`
	Batch    int            `json:"batch"`
	Baseline BaselineResult `json:"baseline"`
	Backends []Result       `json:"backends"`
	// Invalid, when set, says why no verdict can be trusted (untrained
	// model); every judged backend's verdict is then INVALID.
	Invalid string `json:"invalid,omitempty"`
}

// CorpusInfo identifies the evaluation text.
type CorpusInfo struct {
	Name   string `json:"name"`
	Bytes  int    `json:"bytes"`
	SHA256 string `json:"sha256"`
}

// BaselineResult is the baseline's perplexity over every evaluated token.
type BaselineResult struct {
	Backend        string      `json:"backend"`
	Precision      string      `json:"precision"`
	Device         string      `json:"device"`
	PPL            float64     `json:"ppl"`
	MeanNLL        float64     `json:"mean_nll"`
	Scored         int         `json:"tokens_scored"`
	ForwardSeconds float64     `json:"forward_seconds"`
	Degraded       string      `json:"degraded,omitempty"`
	Warnings       []string    `json:"warnings,omitempty"`
	Config         [][2]string `json:"session_config,omitempty"`
}

// Result is one candidate backend's gate.
type Result struct {
	Backend   string `json:"backend"`
	Precision string `json:"precision"`
	Device    string `json:"device"`
	// Tokens evaluated (a prefix of the baseline's when Note says so) and
	// targets scored.
	Tokens int    `json:"tokens"`
	Scored int    `json:"tokens_scored"`
	Note   string `json:"note,omitempty"`
	// PPL and BaselinePPL are over the same scored positions.
	PPL            float64         `json:"ppl"`
	MeanNLL        float64         `json:"mean_nll"`
	BaselinePPL    float64         `json:"baseline_ppl"`
	DeltaRel       float64         `json:"ppl_delta_rel"`
	Divergence     metrics.Summary `json:"divergence"`
	Thresholds     Thresholds      `json:"thresholds"`
	Verdict        Verdict         `json:"verdict"`
	ForwardSeconds float64         `json:"forward_seconds"`
	// Degraded is the session's own report that it does not run as its
	// backend claims (backends.Degrader): recorded, not judged.
	Degraded string      `json:"degraded,omitempty"`
	Warnings []string    `json:"warnings,omitempty"`
	Config   [][2]string `json:"session_config,omitempty"`
}

// Result returns the result for a backend, or nil.
func (r *Report) Result(backend string) *Result {
	for i := range r.Backends {
		if r.Backends[i].Backend == backend {
			return &r.Backends[i]
		}
	}
	return nil
}

// ErrNothingCompared reports a gate run in which no candidate ran against
// the baseline: it compared nothing, so it cannot pass.
var ErrNothingCompared = errors.New("the gate compared nothing")

// Compared returns nil when at least one candidate was judged against the
// baseline (PASS, FAIL or INVALID), else an ErrNothingCompared error that
// says which baseline ran and why each candidate did not.
func (r *Report) Compared() error {
	var why []string
	for _, b := range r.Backends {
		if b.Verdict.Status != Skip {
			return nil
		}
		why = append(why, fmt.Sprintf("%s: %s", b.Backend, strings.Join(b.Verdict.Reasons, "; ")))
	}
	if len(why) == 0 {
		why = []string{"no candidate backend besides the baseline is registered or named by -backends"}
	}
	return fmt.Errorf("%w: baseline %s (%s) scored %d tokens, but no candidate ran against it — %s",
		ErrNothingCompared, r.Baseline.Backend, r.Baseline.Precision, r.Baseline.Scored, strings.Join(why, "; "))
}

// WriteJSON writes the report, indented, creating the directory.
func (r *Report) WriteJSON(path string) error {
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("accuracy: report: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("accuracy: report: %w", err)
	}
	if err := os.WriteFile(path, append(data, '\n'), 0o644); err != nil {
		return fmt.Errorf("accuracy: report: %w", err)
	}
	return nil
}

// WriteHeader prints what every result of the report shares: the model's
// identity, the corpus, the windows and the baseline.
func (r *Report) WriteHeader(w io.Writer) {
	fmt.Fprintf(w, "model:    %s\n", r.Model)
	fmt.Fprintf(w, "corpus:   %s (%d bytes, sha256 %s), %d tokens\n", r.Corpus.Name, r.Corpus.Bytes, r.Corpus.SHA256, r.Tokens)
	fmt.Fprintf(w, "windows:  %d tokens, stride %d, batch %d\n", r.Window, r.Stride, r.Batch)
	b := r.Baseline
	fmt.Fprintf(w, "baseline: %s (%s, %s): PPL %.4f, mean NLL %.5f nats over %d tokens (forward %.1fs)\n", b.Backend, b.Precision, b.Device, b.PPL, b.MeanNLL, b.Scored, b.ForwardSeconds)
	if b.Degraded != "" {
		fmt.Fprintf(w, "          baseline session degraded: %s\n", b.Degraded)
	}
	if r.Invalid != "" {
		fmt.Fprintf(w, "INVALID:  %s\n", r.Invalid)
	}
}

// WriteTable prints one backend's result as a table of metric, value,
// bound and whether the bound holds.
func (res *Result) WriteTable(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "backend %s (%s, %s)\tvalue\tbound\t\n", res.Backend, res.Precision, res.Device)
	if res.Scored == 0 { // skipped, or never ran
		fmt.Fprintf(tw, "verdict\t%s\t\t\n", res.Verdict.Status)
		tw.Flush()
		for _, r := range res.Verdict.Reasons {
			fmt.Fprintf(w, "  reason: %s\n", r)
		}
		return
	}
	th, d := res.Thresholds, res.Divergence
	ok := func(b bool) string {
		if b {
			return "ok"
		}
		return "FAIL"
	}
	fmt.Fprintf(tw, "tokens scored\t%d\t\t\n", res.Scored)
	fmt.Fprintf(tw, "PPL\t%.4f\t\t\n", res.PPL)
	fmt.Fprintf(tw, "baseline PPL\t%.4f\t\t\n", res.BaselinePPL)
	fmt.Fprintf(tw, "ΔPPL\t%+.5f%%\t±%.3g%%\t%s\n", 100*res.DeltaRel, 100*th.PPLRel, ok(math.Abs(res.DeltaRel) <= th.PPLRel))
	fmt.Fprintf(tw, "KL mean\t%.3g\t≤ %.3g\t%s\n", d.KLMean, th.KLMean, ok(d.KLMean <= th.KLMean))
	fmt.Fprintf(tw, "KL p99\t%.3g\t≤ %.3g\t%s\n", d.KLP99, th.KLP99, ok(d.KLP99 <= th.KLP99))
	fmt.Fprintf(tw, "KL max\t%.3g\t\t\n", d.KLMax)
	fmt.Fprintf(tw, "top-1 agreement\t%.4f%%\t≥ %.3g%%\t%s\n", 100*d.Top1, 100*th.Top1Min, ok(d.Top1 >= th.Top1Min))
	fmt.Fprintf(tw, "max |Δlogit|\t%.3g\t\t\n", d.MaxAbsDelta)
	fmt.Fprintf(tw, "rel L2 logits\t%.3g\t\t\n", d.RelL2)
	if res.ForwardSeconds > 0 {
		fmt.Fprintf(tw, "forward\t%.2fs\t\t\n", res.ForwardSeconds)
	}
	fmt.Fprintf(tw, "verdict\t%s\t\t\n", res.Verdict.Status)
	tw.Flush()
	for _, r := range res.Verdict.Reasons {
		fmt.Fprintf(w, "  reason: %s\n", r)
	}
	if res.Note != "" {
		fmt.Fprintf(w, "  note: %s\n", res.Note)
	}
	if res.Degraded != "" {
		fmt.Fprintf(w, "  degraded: %s\n", res.Degraded)
	}
	for _, x := range res.Warnings {
		fmt.Fprintf(w, "  warning: %s\n", x)
	}
}

func errStrings(errs []error) []string {
	var out []string
	for _, e := range errs {
		out = append(out, e.Error())
	}
	return out
}

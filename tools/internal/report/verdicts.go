package report

import (
	"fmt"
	"math"
	"strings"

	"github.com/inferbench/inferbench/accuracy"
	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/metrics"
)

// An accuracy JSON is a claim, not a verdict: the report re-derives every
// verdict from the numbers it holds and the bounds of the result's
// precision (accuracy.ThresholdsFor, judged by accuracy.Judge), and a
// file whose numbers are impossible (a negative or sub-1 perplexity, a
// negative or non-finite KL divergence, top-1 agreement outside [0, 1],
// fewer than accuracy.MinScoredTokens scored tokens), inconsistent (PPL
// ≠ exp(mean NLL), ΔPPL ≠ PPL/baseline − 1, a baseline PPL other than the
// file's baseline over the same tokens, KL mean or p99 above KL max),
// judged with bounds looser than its precision's, or whose claimed
// verdict differs from the re-derived one makes the report INVALID,
// saying which backend and why. So does accuracy measured on another
// corpus than the benchmarks' (corpus-sha256, or corpus when no hash).

// relTol is the relative tolerance of the consistency checks: the JSON's
// numbers are rounded when written by hand or by other tools.
const relTol = 1e-3

// checkVerdicts returns why f's verdicts cannot be trusted, one reason per
// line; nil when each follows from its numbers.
func checkVerdicts(f *AccuracyFile) []string {
	var out []string
	bad := func(format string, args ...any) { out = append(out, f.Path+": "+fmt.Sprintf(format, args...)) }
	b := f.Baseline
	if why := perplexityProblems(b.PPL, b.MeanNLL, b.Scored, 0); why != "" {
		bad("baseline %s: %s", b.Backend, why)
	}
	for i := range f.Backends {
		r := &f.Backends[i]
		if r.Verdict.Status == accuracy.Skip && r.Scored == 0 {
			continue
		}
		var why []string
		if p := perplexityProblems(r.PPL, r.MeanNLL, r.Scored, r.Tokens); p != "" {
			why = append(why, p)
		}
		if p := divergenceProblems(r.Divergence); p != "" {
			why = append(why, p)
		}
		if !(r.BaselinePPL >= 1) || math.IsInf(r.BaselinePPL, 0) {
			why = append(why, fmt.Sprintf("baseline PPL %v is not a perplexity (≥ 1, finite)", r.BaselinePPL))
		} else if r.Scored == b.Scored && !close(r.BaselinePPL, b.PPL) {
			why = append(why, fmt.Sprintf("baseline PPL %v differs from the file's baseline %v over the same %d tokens", r.BaselinePPL, b.PPL, r.Scored))
		}
		if want := r.PPL/r.BaselinePPL - 1; len(why) == 0 && !(math.Abs(r.DeltaRel-want) <= 1e-6+relTol*math.Abs(want)) {
			why = append(why, fmt.Sprintf("ΔPPL %+.4g%% is not PPL %v / baseline %v − 1 = %+.4g%%", 100*r.DeltaRel, r.PPL, r.BaselinePPL, 100*want))
		}
		if len(why) > 0 {
			bad("backend %s (claims %s): its numbers are not a measurement: %s", r.Backend, r.Verdict.Status, strings.Join(why, "; "))
			continue
		}
		th, err := accuracy.ThresholdsFor(model.Precision(r.Precision))
		if err != nil {
			bad("backend %s (claims %s): %v: nothing to judge it by", r.Backend, r.Verdict.Status, err)
			continue
		}
		if loose := looser(r.Thresholds, th); loose != "" {
			bad("backend %s was judged with bounds looser than %s's: %s", r.Backend, r.Precision, loose)
		}
		if r.Verdict.Status != accuracy.Pass && r.Verdict.Status != accuracy.Fail {
			continue
		}
		v := rejudge(r, th)
		if v.Status != r.Verdict.Status {
			because := "its numbers pass every bound"
			if len(v.Reasons) > 0 {
				because = strings.Join(v.Reasons, "; ")
			}
			bad("backend %s claims %s, but by the %s bounds (ΔPPL ±%.3g%%, mean KL ≤ %.3g, p99 KL ≤ %.3g, top-1 ≥ %.3g%%) it is %s: %s",
				r.Backend, r.Verdict.Status, r.Precision, 100*th.PPLRel, th.KLMean, th.KLP99, 100*th.Top1Min, v.Status, because)
		}
	}
	return out
}

// rejudge applies accuracy.Judge to the result's numbers.
func rejudge(r *accuracy.Result, th accuracy.Thresholds) accuracy.Verdict {
	n := float64(r.Scored)
	base := metrics.Perplexity{SumNLL: math.Log(r.BaselinePPL) * n, Tokens: r.Scored}
	cand := metrics.Perplexity{SumNLL: math.Log(r.PPL) * n, Tokens: r.Scored}
	d := r.Divergence
	if d.Positions == 0 {
		d.Positions = r.Scored // the JSON need not carry it
	}
	return accuracy.Judge(base, cand, d, th)
}

// perplexityProblems says what is impossible or inconsistent about a
// perplexity over scored of tokens tokens (tokens 0: not given).
func perplexityProblems(ppl, meanNLL float64, scored, tokens int) string {
	var why []string
	switch {
	case math.IsNaN(ppl) || math.IsInf(ppl, 0) || ppl < 1:
		why = append(why, fmt.Sprintf("PPL %v is not a perplexity (≥ 1, finite)", ppl))
	case !(meanNLL >= 0) || math.IsInf(meanNLL, 0):
		why = append(why, fmt.Sprintf("mean NLL %v is not ≥ 0 and finite", meanNLL))
	case !close(math.Exp(meanNLL), ppl):
		why = append(why, fmt.Sprintf("PPL %v is not exp(mean NLL %v) = %.6g", ppl, meanNLL, math.Exp(meanNLL)))
	}
	if scored < accuracy.MinScoredTokens {
		why = append(why, fmt.Sprintf("%d tokens scored, fewer than the %d a perplexity needs", scored, accuracy.MinScoredTokens))
	}
	if tokens > 0 && scored > tokens {
		why = append(why, fmt.Sprintf("%d tokens scored of %d evaluated", scored, tokens))
	}
	return strings.Join(why, "; ")
}

// divergenceProblems says what is impossible about a divergence summary.
func divergenceProblems(d metrics.Summary) string {
	var why []string
	for _, kl := range []struct {
		name string
		v    float64
	}{{"mean KL", d.KLMean}, {"p99 KL", d.KLP99}, {"max KL", d.KLMax}} {
		if !(kl.v >= 0) || kl.v > 1e6 || math.IsInf(kl.v, 0) {
			why = append(why, fmt.Sprintf("%s %v is not a divergence of two distributions over a vocabulary (0 ≤ KL, finite, and at most a few tens of nats)", kl.name, kl.v))
		}
	}
	if len(why) == 0 && (d.KLMean > d.KLMax*(1+relTol) || d.KLP99 > d.KLMax*(1+relTol)) {
		why = append(why, fmt.Sprintf("mean KL %v or p99 KL %v above max KL %v", d.KLMean, d.KLP99, d.KLMax))
	}
	if !(d.Top1 >= 0 && d.Top1 <= 1) {
		why = append(why, fmt.Sprintf("top-1 agreement %v is not a fraction in [0, 1]", d.Top1))
	}
	return strings.Join(why, "; ")
}

// looser names the claimed bounds that are looser than the precision's.
func looser(claimed, th accuracy.Thresholds) string {
	var out []string
	if claimed.PPLRel > th.PPLRel {
		out = append(out, fmt.Sprintf("ΔPPL ±%.3g%% > ±%.3g%%", 100*claimed.PPLRel, 100*th.PPLRel))
	}
	if claimed.KLMean > th.KLMean {
		out = append(out, fmt.Sprintf("mean KL ≤ %.3g > %.3g", claimed.KLMean, th.KLMean))
	}
	if claimed.KLP99 > th.KLP99 {
		out = append(out, fmt.Sprintf("p99 KL ≤ %.3g > %.3g", claimed.KLP99, th.KLP99))
	}
	if claimed.Top1Min < th.Top1Min {
		out = append(out, fmt.Sprintf("top-1 ≥ %.3g%% < %.3g%%", 100*claimed.Top1Min, 100*th.Top1Min))
	}
	return strings.Join(out, ", ")
}

// close reports whether a and b agree within relTol.
func close(a, b float64) bool { return math.Abs(a-b) <= relTol*math.Max(math.Abs(a), math.Abs(b)) }

// checkCorpus says why f's corpus is not the benchmarks', or "".
func (d *Data) checkCorpus(f *AccuracyFile) string {
	sha, name := d.Get("corpus-sha256"), d.Get("corpus")
	switch {
	case sha != "" && f.Corpus.SHA256 != "" && sha != f.Corpus.SHA256:
		return fmt.Sprintf("%s measures accuracy on corpus %s (sha256 %.12s), not the benchmarks' corpus %s (sha256 %.12s)", f.Path, f.Corpus.Name, f.Corpus.SHA256, name, sha)
	case (sha == "" || f.Corpus.SHA256 == "") && name != "" && f.Corpus.Name != "" && name != f.Corpus.Name:
		return fmt.Sprintf("%s measures accuracy on corpus %s, not the benchmarks' corpus %s", f.Path, f.Corpus.Name, name)
	}
	return ""
}

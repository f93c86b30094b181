package accuracy

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/metrics"
)

func TestThresholdsFor(t *testing.T) {
	tests := []struct {
		p    model.Precision
		ppl  float64
		fail bool
	}{
		{model.FP32, 0.001, false},
		{model.FP16, 0.005, false},
		{model.INT8, 0.02, false},
		{"bf16", 0, true},
	}
	for _, tt := range tests {
		th, err := ThresholdsFor(tt.p)
		if tt.fail {
			if !errors.Is(err, ErrPrecision) {
				t.Errorf("%s: err %v, want ErrPrecision", tt.p, err)
			}
			continue
		}
		if err != nil || th.PPLRel != tt.ppl {
			t.Errorf("%s: %+v, %v; want PPL bound %g", tt.p, th, err, tt.ppl)
		}
		// Every mean-KL bound fits the PPL budget in nats, ln(1+τ); the
		// tail bound is ten times the mean's.
		if th.KLMean > math.Log1p(th.PPLRel) || math.Abs(th.KLP99-10*th.KLMean) > 1e-9*th.KLP99 || th.Top1Min < 0.95 || th.Top1Min >= 1 {
			t.Errorf("%s: %+v", tt.p, th)
		}
	}
}

func TestJudge(t *testing.T) {
	fp32, _ := ThresholdsFor(model.FP32)
	base := ppl(100, 1000)
	good := metrics.Summary{Positions: 1000, KLMean: 1e-9, KLP99: 1e-8, Top1: 1}
	tests := []struct {
		name    string
		cand    metrics.Perplexity
		d       metrics.Summary
		want    Status
		reasons []string // substrings, one per reason
	}{
		{"identical", base, good, Pass, nil},
		{"ppl +0.09%", ppl(100.09, 1000), good, Pass, nil},
		{"ppl -0.09%", ppl(99.91, 1000), good, Pass, nil},
		{"ppl +0.2%", ppl(100.2, 1000), good, Fail, []string{"Δ +0.2000% exceeds ±0.1%"}},
		{"ppl -0.2%", ppl(99.8, 1000), good, Fail, []string{"Δ -0.2000%"}},
		{"kl mean", base, sum(1000, 2e-6, 5e-6, 1), Fail, []string{"mean KL 2e-06 nats exceeds 1e-06"}},
		{"kl p99", base, sum(1000, 1e-7, 2e-5, 1), Fail, []string{"p99 KL 2e-05 nats exceeds 1e-05"}},
		{"top1", base, sum(1000, 1e-9, 1e-8, 0.998), Fail, []string{"top-1 agreement 99.800% below 99.9%"}},
		{"everything", ppl(110, 1000), sum(1000, 1, 2, 0.5), Fail, []string{"PPL", "mean KL", "p99 KL", "top-1"}},
		{"nan", base, sum(1000, math.NaN(), 0, 1), Fail, []string{"mean KL NaN"}},
		{"mismatched counts", ppl(100, 999), sum(999, 0, 0, 1), Fail, []string{"nothing to judge"}},
		{"nothing scored", metrics.Perplexity{}, metrics.Summary{}, Fail, []string{"nothing to judge"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := base
			if tt.name == "nothing scored" {
				b = metrics.Perplexity{}
			}
			v := Judge(b, tt.cand, tt.d, fp32)
			if v.Status != tt.want {
				t.Fatalf("status %s (%v), want %s", v.Status, v.Reasons, tt.want)
			}
			if len(tt.reasons) > 0 && len(v.Reasons) < len(tt.reasons) {
				t.Fatalf("reasons %q, want %d mentioning %q", v.Reasons, len(tt.reasons), tt.reasons)
			}
			for i, want := range tt.reasons {
				if !strings.Contains(v.Reasons[i], want) {
					t.Errorf("reason %d = %q, want it to mention %q", i, v.Reasons[i], want)
				}
			}
		})
	}
}

func ppl(p float64, n int) metrics.Perplexity {
	return metrics.Perplexity{SumNLL: math.Log(p) * float64(n), Tokens: n}
}

func sum(n int, mean, p99, top1 float64) metrics.Summary {
	return metrics.Summary{Positions: n, KLMean: mean, KLP99: p99, KLMax: p99, Top1: top1}
}

func TestCheckTrained(t *testing.T) {
	tests := []struct {
		ppl  float64
		fail bool
	}{
		{30, false}, {25128.5, false}, {25129, true}, {50257, true}, {math.NaN(), true}, {math.Inf(1), true},
	}
	for _, tt := range tests {
		err := CheckTrained("m", tt.ppl, 50257)
		if got := errors.Is(err, ErrUntrained); got != tt.fail {
			t.Errorf("PPL %v: err %v, want untrained %v", tt.ppl, err, tt.fail)
		}
		if err != nil && !strings.Contains(err.Error(), "above half its vocabulary (50257/2 = 25128.5") {
			t.Errorf("message does not say why: %v", err)
		}
	}
}

func TestCheckIdentity(t *testing.T) {
	ok := model.Identity{Name: "m", Architecture: "a", DeclaredParams: 10, Params: 10, Weights: model.Trained}
	if err := CheckIdentity(ok); err != nil {
		t.Errorf("trained, matching: %v", err)
	}
	unknown := ok
	unknown.Weights = model.Unknown
	if err := CheckIdentity(unknown); err != nil {
		t.Errorf("unknown weights are measured, not refused: %v", err)
	}
	seeded := ok
	seeded.Weights, seeded.Extra = model.Seeded, map[string]string{"weights-source": "seeded:seed=1"}
	if err := CheckIdentity(seeded); !errors.Is(err, ErrSeeded) || !strings.Contains(err.Error(), "latency") {
		t.Errorf("seeded: %v", err)
	}
	mismatch := ok
	mismatch.DeclaredParams = 124439808
	if err := CheckIdentity(mismatch); !errors.Is(err, model.ErrIdentityMismatch) {
		t.Errorf("mismatch: %v", err)
	}
}

//go:build torch

package torch_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/backends/backendtest"
	"github.com/inferbench/inferbench/internal/backends/reference"
	"github.com/inferbench/inferbench/internal/backends/suite"
	"github.com/inferbench/inferbench/internal/backends/torch"
	"github.com/inferbench/inferbench/internal/lm/workload"
	"github.com/inferbench/inferbench/internal/quantile"
)

// MaxRelL2 is the torch backends' tolerance against the float64 reference.
// With TF32 off the worker computes in true fp32, so the error is fp32
// rounding (ort-cpu sees ~1e-7); GPU kernels sum in other orders, and
// 1e-5 (ort-cpu's bound) still catches TF32 (~1e-3) and any real bug.
const MaxRelL2 = 1e-5

func fixture(t *testing.T) (*model.Model, []int64) {
	t.Helper()
	f := suite.Flags.Require(t)
	return f.Model, f.Tokens
}

// TestMatchesReference checks both torch backends against the pure-Go
// float64 reference on the default model, for every scenario.
func TestMatchesReference(t *testing.T) {
	m, toks := fixture(t)
	base, err := backends.Lookup(reference.Name)
	if err != nil {
		t.Fatal(err)
	}
	for _, mode := range []string{"eager", "compile"} {
		be := torch.Backend{Mode: mode}
		t.Run("backend="+be.Name(), func(t *testing.T) {
			backendtest.Run(t, backendtest.Case{
				Candidate: be,
				Baseline:  base,
				Model:     m,
				Tokens:    toks,
				Scenarios: workload.All(),
				MaxRelL2:  MaxRelL2,
			})
		})
	}
}

// TestUnavailableWithoutPython checks that a missing interpreter makes the
// backend unavailable, with the reason, rather than failing.
func TestUnavailableWithoutPython(t *testing.T) {
	m, _ := fixture(t)
	t.Setenv("INFERBENCH_PYTHON", "/nonexistent/python3")
	s, err := torch.Backend{Mode: "eager"}.Open(m, backends.Options{})
	if s != nil || !errors.Is(err, backends.ErrUnavailable) {
		t.Fatalf("Open = %v, %v; want unavailable", s, err)
	}
	t.Logf("reason: %s", backends.Reason(err))
}

// BenchmarkWorkerForward reports the round trip (p50-ms) beside the
// worker's own forward time (worker-forward-p50-ms) for the report shapes,
// with the logits copied to the host (logits=host, Prefill) and left on
// the device (logits=device, PrefillDevice), and their ratio
// (overhead-x): what the Go side and the transport add to PyTorch's time.
func BenchmarkWorkerForward(b *testing.B) {
	m := suite.Flags.Require(b).Model // -model, or $INFERBENCH_MODEL
	for _, mode := range []string{"eager", "compile"} {
		be := torch.Backend{Mode: mode}
		b.Run("backend="+be.Name(), func(b *testing.B) {
			s := backendtest.Open(b, be, m, suite.Flags.Options())
			ft := s.(torch.ForwardTimer)
			dl := s.(backends.DeviceLogits)
			for _, where := range []string{"host", "device"} {
				for _, sc := range workload.Report {
					b.Run("logits="+where+"/scenario="+sc.Name, func(b *testing.B) {
						toks := make([]int64, sc.Tokens())
						for i := range toks {
							toks[i] = int64(i*7919) % int64(m.Vocab)
						}
						logits := make([]float32, m.LogitsLen(sc.Batch, sc.Seq))
						call := func() error { return s.Prefill(toks, sc.Batch, sc.Seq, logits) }
						if where == "device" {
							call = func() error { return dl.PrefillDevice(toks, sc.Batch, sc.Seq) }
						}
						for range 3 {
							if err := call(); err != nil {
								b.Fatal(err)
							}
						}
						rt := make([]time.Duration, 0, b.N)
						fw := make([]time.Duration, 0, b.N)
						b.ResetTimer()
						for range b.N {
							start := time.Now()
							if err := call(); err != nil {
								b.Fatal(err)
							}
							rt = append(rt, time.Since(start))
							fw = append(fw, ft.LastForward())
						}
						b.StopTimer()
						slices.Sort(rt)
						slices.Sort(fw)
						p50 := func(s []time.Duration) float64 {
							d, _ := quantile.NearestRank(s, 0.5)
							return float64(d) / 1e6
						}
						b.ReportMetric(p50(rt), "p50-ms")
						b.ReportMetric(p50(fw), "worker-forward-p50-ms")
						b.ReportMetric(p50(rt)/p50(fw), "overhead-x")
					})
				}
			}
		})
	}
}

// BenchmarkWorkerTransport times the transport alone with the real worker:
// the echo op returns N float32 values from the worker's device into the
// caller's buffer, no model call (ms-per-MB).
func BenchmarkWorkerTransport(b *testing.B) {
	m := suite.Flags.Require(b).Model
	s := backendtest.Open(b, torch.Backend{Mode: "eager"}, m, suite.Flags.Options())
	for _, mb := range []int{1, 16, 64} {
		b.Run(fmt.Sprintf("MB=%d", mb), func(b *testing.B) {
			buf := make([]float32, mb<<20/4)
			if err := torch.Echo(s, buf); err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(4 * len(buf)))
			start := time.Now()
			for b.Loop() {
				if err := torch.Echo(s, buf); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(time.Since(start))/1e6/float64(b.N)/float64(mb), "ms-per-MB")
		})
	}
}

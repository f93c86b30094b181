package benchmarks

import (
	"cmp"
	"flag"
	"fmt"
	"os"
	"testing"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/internal/backends/isolate"
	"github.com/inferbench/inferbench/internal/backends/reference"
	"github.com/inferbench/inferbench/internal/benchmarks/harness"
	"github.com/inferbench/inferbench/internal/lm/workload"
)

// The run settings' flags (-model -arch -corpus -threads -backends
// -scenarios -gen-scenarios and their INFERBENCH_* variables) are the
// public API's, registered by TestMain (inferbench.RegisterFlags); these
// are the benchmarks' own.
var (
	flagRefGFLOP = flag.Float64("reference-max-gflop", 20, "skip the pure-Go reference on scenarios needing more GFLOP per op than this")
	flagLogits   = flag.String("logits", harness.LogitsHost, "where Prefill leaves the logits: host (the caller's buffer, Prefill's contract) or device (GPU backends only; the device-to-host copy is not timed)")
	flagIsolate  = flag.Bool("isolate", true, "probe each accelerator ONNX Runtime backend in a child process first; a crash, hang or load failure there skips it with the reason")
	flagWarmUp   = flag.String("warmup", cmp.Or(os.Getenv("INFERBENCH_WARMUP"), "3"), "untimed prefills before timing: a count, or \"stable\" (until the last 5 prefills' times vary by less than 2%, at most 100 or 2 s); default $INFERBENCH_WARMUP or 3")
	flagIsoTime  = flag.Duration("isolate-timeout", isolate.DefaultTimeout, "how long an isolation probe may take")
	flagProfile  = flag.String("ort-profile", "", "write ONNX Runtime's JSON profile of every session (each node's time on every run, timed runs included) into this directory when the session closes; for seeing where the time goes, not for results: profiling slows the runs, and each result's config says ort-profiling: on")
)

// plan is the suite's plan with the reference's compute limit, where the
// logits are left, and the isolation of accelerator backends.
func plan(tb testing.TB) harness.Plan {
	tb.Helper()
	p := harness.FromFlags(tb)
	if err := harness.CheckLogits(*flagLogits); err != nil {
		tb.Fatalf("-%v", err)
	}
	p.Logits = *flagLogits
	p.Options.ProfileDir = *flagProfile
	w, err := harness.ParseWarmUp(*flagWarmUp)
	if err != nil {
		tb.Fatalf("-%v", err)
	}
	p.WarmUp = w
	if *flagIsolate {
		if *flagIsoTime <= 0 {
			tb.Fatalf("-isolate-timeout %v: want a positive duration", *flagIsoTime)
		}
		p.Isolate = *flagIsoTime
	}
	p.Unfit = func(be backends.Backend, sc workload.Scenario) string {
		if be.Name() != reference.Name {
			return ""
		}
		gflop := 2 * float64(p.Fixture.Model.Identity.Params) * float64(sc.Tokens()) / 1e9
		if gflop > *flagRefGFLOP {
			return fmt.Sprintf("the pure-Go reference would need ~%.0f GFLOP per op (limit -reference-max-gflop=%g)", gflop, *flagRefGFLOP)
		}
		return ""
	}
	return p
}

package benchmarks

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"

	"golang.org/x/perf/benchfmt"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/internal/backends/backendtest"
	"github.com/inferbench/inferbench/internal/backends/reference"
	"github.com/inferbench/inferbench/internal/benchmarks/harness"
)

// fakesEnv, when set, registers two test backends over the reference:
// fake-stale, whose outputs go stale after its third call (a replayed
// graph in miniature), and fake-honest, which forwards every call. Only
// TestStaleOutputsAreCaught's child process sets it.
const fakesEnv = "INFERBENCH_TEST_FAKE_BACKENDS"

func init() {
	if os.Getenv(fakesEnv) == "" {
		return
	}
	ref, err := backends.Lookup(reference.Name)
	if err != nil {
		panic(err)
	}
	backends.Register(backendtest.Stale("fake-stale", ref, 3))
	backends.Register(backendtest.Stale("fake-honest", ref, 0))
}

// StaleArgs are the arguments of the benchmark run that
// TestStaleOutputsAreCaught makes of this binary (and that
// tools/benchgate/testdata/stale.sh makes of `go test`).
var staleArgs = []string{"-test.run=^$", "-test.bench=^Benchmark(Prefill|Generate)$", "-test.benchtime=2x",
	"-backends=fake-stale,fake-honest", "-scenarios=single_micro", "-gen-scenarios=gen_1x32+128", "-isolate=false"}

// TestStaleOutputsAreCaught runs BenchmarkPrefill and BenchmarkGenerate in
// a child process over fake-stale and fake-honest: every fake-stale result
// must be printed with an invalid:<bound> metric and named by an INVALID
// line that fails the run; every fake-honest result must be verified
// (verified-calls > 0, no invalid metric).
func TestStaleOutputsAreCaught(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the benchmarks in a child process (-short)")
	}
	cmd := exec.Command(os.Args[0], staleArgs...)
	cmd.Env = append(os.Environ(), fakesEnv+"=1")
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Errorf("the run with a stale backend passed; want it to fail:\n%s", out)
	}
	results := map[string]*benchfmt.Result{}
	r := benchfmt.NewReader(bytes.NewReader(out), "child")
	for r.Scan() {
		if res, ok := r.Result().(*benchfmt.Result); ok {
			base, parts := res.Name.Parts()
			name := string(base)
			for _, p := range parts {
				if !bytes.HasPrefix(p, []byte("-")) { // not the GOMAXPROCS suffix
					name += string(p)
				}
			}
			results[name] = res.Clone()
		}
	}
	for _, name := range []string{"Prefill/backend=fake-stale/scenario=single_micro", "Generate/backend=fake-stale/scenario=gen_1x32+128",
		"Prefill/backend=fake-honest/scenario=single_micro", "Generate/backend=fake-honest/scenario=gen_1x32+128"} {
		res := results[name]
		if res == nil {
			t.Errorf("no result %s in\n%s", name, out)
			continue
		}
		var invalid []string
		verified := -1.0
		for _, v := range res.Values {
			if strings.HasPrefix(v.Unit, harness.InvalidPrefix) {
				invalid = append(invalid, v.Unit)
			}
			if v.Unit == harness.UnitVerified {
				verified = v.Value
			}
		}
		stale := strings.Contains(name, "fake-stale")
		switch {
		case stale && len(invalid) == 0:
			t.Errorf("%s: stale outputs not marked invalid", name)
		case stale && !strings.Contains(string(out), "INVALID Benchmark"+name+":"):
			t.Errorf("%s: no INVALID line naming it in\n%s", name, out)
		case !stale && (len(invalid) > 0 || verified < 1):
			t.Errorf("%s: honest outputs: invalid %v, %v verified calls", name, invalid, verified)
		}
		if res.GetConfig("verify-baseline") == "" {
			t.Errorf("%s: no verify-baseline configuration", name)
		}
	}
	if t.Failed() {
		t.Logf("child output:\n%s", out)
	}
}

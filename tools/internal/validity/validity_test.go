package validity

import (
	"os"
	"strings"
	"testing"

	"golang.org/x/perf/benchfmt"
)

func results(t *testing.T, text string) []*benchfmt.Result {
	t.Helper()
	var out []*benchfmt.Result
	r := benchfmt.NewReader(strings.NewReader(text), "test")
	for r.Scan() {
		if res, ok := r.Result().(*benchfmt.Result); ok {
			out = append(out, res.Clone())
		}
	}
	return out
}

func TestMarks(t *testing.T) {
	for _, tc := range []struct {
		name, text          string
		invalid, unverified string
	}{
		{"clean", "BenchmarkP/backend=a-2 1 100 ns/op 3 verified-calls\n", "", ""},
		{"broken bounds", "BenchmarkP/backend=a-2 1 100 ns/op 3 verified-calls 2 invalid:kl 1 invalid:top1\n",
			"kl broken by 2 checked calls; top1 broken by 1 checked calls", ""},
		{"zero is no mark", "BenchmarkP/backend=a-2 1 100 ns/op 0 invalid:kl 3 verified-calls\n", "", ""},
		{"name key", "BenchmarkP/backend=a/invalid=stale-2 1 100 ns/op\n", "stale", ""},
		{"config key", "invalid: replayed graph\nBenchmarkP/backend=a-2 1 100 ns/op\n", "replayed graph", ""},
		{"unverified config", "verified: no (no baseline can run: reference: no Go weights)\nBenchmarkP/backend=a-2 1 100 ns/op 0 verified-calls\n",
			"", "no baseline can run: reference: no Go weights"},
		{"nothing checked", "BenchmarkP/backend=a-2 1 100 ns/op 0 verified-calls\n", "", "no timed call was checked"},
		{"says nothing", "BenchmarkP/backend=a-2 1 100 ns/op\n", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rs := results(t, tc.text)
			if len(rs) != 1 {
				t.Fatalf("%d results in %q", len(rs), tc.text)
			}
			if got := Invalid(rs[0]); got != tc.invalid {
				t.Errorf("Invalid = %q, want %q", got, tc.invalid)
			}
			if got := Unverified(rs[0]); got != tc.unverified {
				t.Errorf("Unverified = %q, want %q", got, tc.unverified)
			}
			if err := Check(rs[0]); (err != nil) != (tc.invalid != "") || (err != nil && !strings.Contains(err.Error(), "test:")) {
				t.Errorf("Check = %v", err)
			}
		})
	}
}

// testdata/stale.txt is a real run of the benchmarks over a backend whose
// outputs go stale after its third call and an honest one (stale.sh):
// every stale result, and only those, is invalid; every honest one was
// verified.
func TestStaleRun(t *testing.T) {
	data, err := os.ReadFile("testdata/stale.txt")
	if err != nil {
		t.Fatal(err)
	}
	rs := results(t, string(data))
	if len(rs) != 4 {
		t.Fatalf("%d results, want Prefill and Generate of fake-stale and fake-honest", len(rs))
	}
	for _, res := range rs {
		name := res.Name.String()
		stale := strings.Contains(name, "backend=fake-stale")
		if got := Invalid(res) != ""; got != stale {
			t.Errorf("%s: Invalid = %q", name, Invalid(res))
		}
		if why := Unverified(res); why != "" {
			t.Errorf("%s: unverified: %s", name, why)
		}
	}
}

func TestIsCheckUnit(t *testing.T) {
	for unit, want := range map[string]bool{"verified-calls": true, "worst-kl": true, "invalid:kl": true, "top1-agree-%": true,
		"sec/op": false, "p50-ms": false, "tok/s": false, "degraded": false} {
		if IsCheckUnit(unit) != want {
			t.Errorf("IsCheckUnit(%q) = %v", unit, !want)
		}
	}
}

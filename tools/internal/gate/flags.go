package gate

import (
	"flag"
	"fmt"
	"strconv"
	"strings"
)

// RegisterFlags defines -threshold (in percent), -alpha, -min-effect,
// -confidence, -min-runs, -min-within-cv (in percent), -inconclusive,
// -primary, -allow-missing and -allow-env-diff on fs, with o's current
// values as defaults, storing
// into o.
func (o *Options) RegisterFlags(fs *flag.FlagSet) {
	fs.Var((*percent)(&o.Threshold), "threshold", "fail on slowdowns of the median beyond this `percent`; also the equivalence margin")
	fs.Float64Var(&o.Alpha, "alpha", o.Alpha, "family-wise significance `level` (Holm-adjusted Mann-Whitney p)")
	fs.Float64Var(&o.MinEffect, "min-effect", o.MinEffect, "smallest |Cohen's d| of a significant change")
	fs.Float64Var(&o.Confidence, "confidence", o.Confidence, "confidence `level` of the medians' intervals")
	fs.IntVar(&o.MinRuns, "min-runs", o.MinRuns, "runs (processes) per side from which rows are tested on per-run medians; 0: the fewest with which the test can reach -alpha")
	fs.Var((*percent)(&o.MinWithinCV), "min-within-cv", "within-run variation (`percent`) below which a metric is never judged from fewer runs than -min-runs")
	fs.Var((*inconclusive)(&o.InconclusivePass), "inconclusive", "`mode` for rows that could not be judged: fail (exit 3, the default) or pass (exit 0)")
	fs.StringVar(&o.Primary, "primary", o.Primary, "the `unit` the gate decides on (tidied: sec/op, not ns/op); other units are reported and may warn; empty: gate every unit")
	fs.BoolVar(&o.AllowMissing, "allow-missing", o.AllowMissing, "allow benchmarks or units of the old input to be missing from the new one (they are listed as \"only in old\"); without it they are unusable input (exit 2)")
	fs.BoolVar(&o.AllowEnvDiff, "allow-env-diff", o.AllowEnvDiff, "compare results of different machines (cpu, cores, memory, gpu, driver, goos/goarch, clock policy)")
}

// percent is a flag value written in percent ("5" or "5%") and stored as
// a fraction.
type percent float64

func (p *percent) String() string {
	if p == nil {
		return "0"
	}
	return strconv.FormatFloat(float64(*p)*100, 'g', -1, 64)
}

func (p *percent) Set(s string) error {
	v, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(s), "%"), 64)
	if err != nil {
		return err
	}
	*p = percent(v / 100)
	return nil
}

// inconclusive is the -inconclusive flag: "fail" or "pass", stored as
// whether inconclusive rows pass.
type inconclusive bool

func (i *inconclusive) String() string {
	if i != nil && bool(*i) {
		return "pass"
	}
	return "fail"
}

func (i *inconclusive) Set(s string) error {
	switch s {
	case "fail":
		*i = false
	case "pass":
		*i = true
	default:
		return fmt.Errorf("want fail or pass, not %q", s)
	}
	return nil
}

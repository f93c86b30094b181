package history

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
)

// Exit statuses of Command.
const (
	ExitOK         = 0
	ExitRegression = 1
	ExitUnusable   = 2
	// ExitInconclusive: no regression found, but a series' latest
	// commits are worse beyond the threshold without being significantly
	// so, or no series is long enough to test.
	ExitInconclusive = 3
)

// Command runs "benchgate history [flags] DIR" and returns its exit
// status: 1 when a series' latest segment regressed beyond the threshold
// (confirmed, or unconfirmed in the last commits: see trailing.go), 2 for
// bad input or flags, 3 when inconclusive (Result.Inconclusive).
func Command(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("benchgate history", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: benchgate history [flags] DIR\n\n"+
			"DIR holds one benchmark output file per commit, each with \"commit:\" and\n"+
			"\"commit-seq:\" or \"commit-time:\" configuration lines.\n\n")
		fs.PrintDefaults()
		fmt.Fprintf(fs.Output(), "\nExit status: 0 no regression; 1 a series' latest segment is worse beyond -threshold\n"+
			"(also an unconfirmed change in the last commits, \"at or after <commit>\"); 2 unusable input\n"+
			"or flags; 3 inconclusive (the last commits are worse beyond -threshold but the series\n"+
			"is too noisy to tell, or no series has enough commits).\n")
	}
	o := DefaultOptions
	fs.Float64Var(&o.Threshold, "threshold", o.Threshold, "relative worsening of the latest segment that fails (0.05 = 5%)")
	fs.Float64Var(&o.Alpha, "alpha", o.Alpha, "family-wise significance level over all series")
	fs.IntVar(&o.Permutations, "permutations", o.Permutations, "least permutations per test")
	fs.IntVar(&o.MinSize, "min-segment", o.MinSize, "fewest commits in a segment")
	fs.Uint64Var(&o.Seed, "seed", o.Seed, "seed of the permutation tests")
	bench := fs.String("bench", "", "only benchmarks whose full name matches `regexp`")
	unit := fs.String("unit", "", "only units matching `regexp`")
	png := fs.String("png", "", "write a PNG per series with a change point into `dir`")
	all := fs.Bool("png-all", false, "with -png, draw every series")
	if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
		return ExitOK
	} else if err != nil {
		return ExitUnusable
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return ExitUnusable
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "benchgate history: %v\n", err)
		return ExitUnusable
	}
	for _, re := range []struct {
		dst  **regexp.Regexp
		flag string
		expr string
	}{{&o.Bench, "bench", *bench}, {&o.Unit, "unit", *unit}} {
		if re.expr == "" {
			continue
		}
		var err error
		if *re.dst, err = regexp.Compile(re.expr); err != nil {
			return fail(fmt.Errorf("-%s: %w", re.flag, err))
		}
	}
	d, err := Load(fs.Arg(0))
	if err != nil {
		return fail(err)
	}
	res, err := Analyze(d, o)
	if err != nil {
		return fail(err)
	}
	res.WriteText(stdout)
	if *png != "" {
		if err := os.MkdirAll(*png, 0o755); err != nil {
			return fail(err)
		}
		paths, err := res.Plot(*png, *all)
		if err != nil {
			return fail(err)
		}
		fmt.Fprintf(stdout, "wrote %d figures to %s\n", len(paths), *png)
	}
	if len(res.Regressions()) > 0 {
		return ExitRegression
	}
	if len(res.Inconclusive()) > 0 {
		return ExitInconclusive
	}
	return ExitOK
}

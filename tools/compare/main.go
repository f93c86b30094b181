package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/inferbench/inferbench/tools/internal/benchdata"
	"github.com/inferbench/inferbench/tools/internal/gate"
	"github.com/inferbench/inferbench/tools/internal/interleave"
	"github.com/inferbench/inferbench/tools/internal/quiet"
	"github.com/inferbench/inferbench/tools/internal/render"
	"github.com/inferbench/inferbench/tools/internal/sequential"
)

// Exit statuses, as benchgate's (gate.ExitTable).
const (
	exitPass         = gate.ExitPass
	exitFail         = gate.ExitRegression
	exitError        = gate.ExitUnusable
	exitInconclusive = gate.ExitInconclusive
)

// revisionVars are where the harness keeps the revision a binary was
// built from, now and before the packages moved (a base revision may
// predate the move).
const revisionVars = "github.com/inferbench/inferbench/internal/benchmarks/harness.commit," +
	"github.com/inferbench/inferbench/benchmarks/harness.commit"

// statusFile, in -out, holds the exit status, for callers behind make or
// go run, which report every failure with their own status.
const statusFile = "exit-status"

func main() { os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr)) }

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	started := time.Now()
	fs := flag.NewFlagSet("compare", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: compare -base REF [flags] [-- benchmark binary arguments]\n\n")
		fs.PrintDefaults()
		fmt.Fprintf(fs.Output(), "\nExit status (also written to -out/%s):\n\n%s", statusFile, gate.ExitTable)
	}
	var o interleave.Options
	fs.StringVar(&o.Base, "base", "", "git `ref` to compare the working tree against (required)")
	fs.StringVar(&o.Dir, "C", ".", "`dir` inside the git working tree whose module holds -pkg")
	fs.StringVar(&o.Pkg, "pkg", "./benchmarks", "benchmark package `dir`, relative to -C")
	fs.StringVar(&o.Bench, "bench", ".", "run only benchmarks matching `regexp`")
	fs.StringVar(&o.Benchtime, "benchtime", "", "benchmark time per run, `d` or Nx (default: the testing package's)")
	fs.IntVar(&o.Count, "count", 10, "`rounds` with -budget 0: processes (runs) per side, one sample per benchmark each")
	budget := fs.Duration("budget", 10*time.Minute, "sequential rounds until every benchmark is decided or this `duration` (from the start, builds included) is spent; 0: a fixed -count rounds")
	maxRounds := fs.Int("max-rounds", 0, "with -budget: stop after this many `rounds` at most (0: no limit)")
	minRounds := fs.Int("min-rounds", sequential.DefaultOptions.MinRounds, "with -budget: fewest `rounds` a benchmark is decided on")
	threads := fs.Int("threads", 0, "pin the benchmark processes' thread count (GOMAXPROCS and INFERBENCH_THREADS) to `n`; 0: not pinned")
	cpus := fs.String("affinity", "", "run the benchmark processes on these `cpus` (such as 1 or 0-1; sched_setaffinity); empty: not pinned")
	fs.StringVar(&o.Tags, "tags", "", "comma-separated build `tags` for both binaries")
	fs.BoolVar(&o.Reproducible, "trimpath", true, "build both binaries with -trimpath, so unchanged code gives identical binaries, linking each side's revision into -revision-var")
	fs.StringVar(&o.RevisionVar, "revision-var", revisionVars, "comma-separated string `variables` each binary's revision is linked into with -trimpath (those a package lacks are ignored)")
	fs.StringVar(&o.OutDir, "out", "out/compare", "write old.txt and new.txt into `dir` (the confirm stage into dir/confirm)")
	confirm := fs.Bool("confirm", true, "re-run benchmarks with a regression in a second interleaved stage and fail only if it confirms them")
	confirmCount := fs.Int("confirm-count", 0, "`rounds` of the confirm stage (default: -count)")
	benchstat := fs.String("benchstat", "go run golang.org/x/perf/cmd/benchstat -ignore commit,run",
		"`command` printing the table of old.txt and new.txt (their paths are appended); empty: none")
	format := fs.String("format", "text", "verdict `format`: text, markdown or json")
	summary := fs.String("summary", "", "also append the Markdown verdict to `file`, such as $GITHUB_STEP_SUMMARY")
	g := gate.DefaultOptions
	g.Primary = "sec/op" // one question per benchmark: its time per op
	g.RegisterFlags(fs)
	if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
		return exitPass
	} else if err != nil {
		return exitError
	}
	o.Args = fs.Args()
	if o.Base == "" {
		fmt.Fprintln(stderr, "compare: -base is required")
		fs.Usage()
		return exitError
	}
	write, ok := map[string]func(io.Writer, *gate.Report) error{
		"text": render.Text, "markdown": render.Markdown, "json": render.JSON,
	}[*format]
	if !ok {
		fmt.Fprintf(stderr, "compare: -format %q: want text, markdown or json\n", *format)
		return exitError
	}
	o.Log = stderr
	env, threadLine := quiet.Threads(*threads)
	start, affLine, err := quiet.Affinity(*cpus)
	if err != nil {
		fmt.Fprintf(stderr, "compare: -affinity: %v\n", err)
		return exitError
	}
	o.Env, o.Start, o.Config = env, start, []string{threadLine, affLine}
	seq := sequential.Options{Threshold: g.Threshold, Alpha: g.Alpha, MinRounds: *minRounds, G: sequential.DefaultG, SkipConfirm: !*confirm}
	if *budget > 0 {
		if g.Primary == "" {
			fmt.Fprintln(stderr, "compare: -budget needs a -primary unit to decide on")
			return exitError
		}
		if err := seq.Validate(); err != nil {
			fmt.Fprintf(stderr, "compare: %v\n", err)
			return exitError
		}
	}
	c := &comparison{o: o, g: g, write: write, benchstat: strings.Fields(*benchstat), summary: *summary, stdout: stdout, stderr: stderr,
		format: *format, seq: seq, primary: g.Primary, budget: *budget, maxRounds: *maxRounds, started: started}
	code := c.run(ctx, *confirm, *confirmCount)
	if err := os.MkdirAll(o.OutDir, 0o755); err == nil {
		err = os.WriteFile(filepath.Join(o.OutDir, statusFile), []byte(strconv.Itoa(code)+"\n"), 0o644)
		if err != nil {
			fmt.Fprintf(stderr, "compare: %v\n", err)
		}
	}
	return code
}

// comparison is one compare invocation: its options and outputs.
type comparison struct {
	o         interleave.Options
	g         gate.Options
	write     func(io.Writer, *gate.Report) error
	benchstat []string
	summary   string
	stdout    io.Writer
	stderr    io.Writer

	format string // of the verdict

	// The sequential mode (budget > 0).
	seq       sequential.Options
	primary   string
	budget    time.Duration
	maxRounds int
	started   time.Time
}

func (c *comparison) fail(err error) int {
	fmt.Fprintf(c.stderr, "compare: %v\n", err)
	return exitError
}

func (c *comparison) run(ctx context.Context, confirm bool, confirmCount int) int {
	b, err := interleave.Build(ctx, c.o)
	if errors.Is(err, interleave.ErrNoBasePackage) {
		fmt.Fprintf(c.stderr, "compare: nothing to compare: %v\n", err)
		return exitPass
	}
	if err != nil {
		return c.fail(err)
	}
	defer b.Close()
	if c.budget > 0 {
		return c.sequentialStage(ctx, b, c.started)
	}

	first, err := c.stage(ctx, b, interleave.Stage{}, "", nil)
	if err != nil {
		return c.fail(err)
	}
	if !confirm || first.Outcome() != exitFail {
		return first.Outcome()
	}
	var names []string
	for _, r := range first.Failures() {
		names = append(names, r.Name)
	}
	sel := interleave.BenchRegexp(names)
	fmt.Fprintf(c.stdout, "\ncompare: confirm stage: re-running the %d flagged benchmark row(s) (-bench %s)\n\n", len(names), sel)
	var exact []string
	for _, n := range names {
		exact = append(exact, regexp.QuoteMeta(n))
	}
	only := regexp.MustCompile("^(" + strings.Join(exact, "|") + ")$")
	second, err := c.stage(ctx, b, interleave.Stage{Bench: sel, Count: confirmCount, OutDir: filepath.Join(c.o.OutDir, "confirm")}, "confirm stage", only)
	if err != nil {
		return c.fail(err)
	}
	code := gate.Confirm(first, second)
	if code == exitFail {
		fmt.Fprintf(c.stdout, "\ncompare: the confirm stage confirmed the regression (exit %d)\n", code)
	} else {
		fmt.Fprintf(c.stdout, "\ncompare: the confirm stage did not confirm the regression of the first stage (exit %d)\n", code)
	}
	return code
}

// stage runs one interleaved stage and reports its verdict: benchstat's
// table, benchgate's report, and the Markdown summary. only, when set,
// restricts the verdict to those benchmark names.
func (c *comparison) stage(ctx context.Context, b *interleave.Bench, st interleave.Stage, title string, only *regexp.Regexp) (*gate.Report, error) {
	res, err := b.Run(ctx, st)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(c.stderr, "compare: wrote %s (%s at %.12s) and %s (working tree)\n", res.Old, c.o.Base, res.BaseRev, res.New)
	if len(c.benchstat) > 0 {
		// The table is for people; the verdict below decides.
		cmd := exec.CommandContext(ctx, c.benchstat[0], append(c.benchstat[1:], res.Old, res.New)...)
		cmd.Stdout, cmd.Stderr = c.stdout, c.stderr
		if err := cmd.Run(); err != nil {
			fmt.Fprintf(c.stderr, "compare: warning: %s: %v\n", strings.Join(c.benchstat, " "), err)
		}
		fmt.Fprintln(c.stdout)
	}
	coll, err := benchdata.ReadFiles(benchdata.Options{Ignore: []string{"commit"}, Bench: only}, []string{res.Old}, []string{res.New})
	if err != nil {
		return nil, err
	}
	rep, err := gate.Evaluate(coll, c.g)
	if err != nil {
		return nil, err
	}
	if err := c.write(c.stdout, rep); err != nil {
		return nil, err
	}
	if c.summary != "" {
		if err := appendMarkdown(c.summary, title, rep); err != nil {
			return nil, err
		}
	}
	return rep, nil
}

func appendMarkdown(path, title string, rep *gate.Report) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if title != "" {
		fmt.Fprintf(f, "\n## %s\n\n", title)
	}
	err = render.Markdown(f, rep)
	return errors.Join(err, f.Close())
}

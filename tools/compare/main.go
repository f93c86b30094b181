package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"

	"github.com/inferbench/inferbench/tools/internal/benchdata"
	"github.com/inferbench/inferbench/tools/internal/gate"
	"github.com/inferbench/inferbench/tools/internal/interleave"
	"github.com/inferbench/inferbench/tools/internal/render"
)

// Exit statuses, as benchgate's.
const (
	exitPass  = 0
	exitFail  = 1
	exitError = 2
)

func main() { os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr)) }

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("compare", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: compare -base REF [flags] [-- benchmark binary arguments]\n\n")
		fs.PrintDefaults()
	}
	var o interleave.Options
	fs.StringVar(&o.Base, "base", "", "git `ref` to compare the working tree against (required)")
	fs.StringVar(&o.Dir, "C", ".", "`dir` inside the git working tree whose module holds -pkg")
	fs.StringVar(&o.Pkg, "pkg", "./benchmarks", "benchmark package `dir`, relative to -C")
	fs.StringVar(&o.Bench, "bench", ".", "run only benchmarks matching `regexp`")
	fs.StringVar(&o.Benchtime, "benchtime", "", "benchmark time per run, `d` or Nx (default: the testing package's)")
	fs.IntVar(&o.Count, "count", 10, "`rounds`: samples per benchmark and side")
	fs.StringVar(&o.Tags, "tags", "", "comma-separated build `tags` for both binaries")
	fs.StringVar(&o.OutDir, "out", "out/compare", "write old.txt and new.txt into `dir`")
	benchstat := fs.String("benchstat", "go run golang.org/x/perf/cmd/benchstat -ignore commit",
		"`command` printing the table of old.txt and new.txt (their paths are appended); empty: none")
	format := fs.String("format", "text", "verdict `format`: text, markdown or json")
	summary := fs.String("summary", "", "also append the Markdown verdict to `file`, such as $GITHUB_STEP_SUMMARY")
	g := gate.DefaultOptions
	g.RegisterFlags(fs)
	if err := fs.Parse(args); err != nil {
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

	res, err := interleave.Run(ctx, o)
	if errors.Is(err, interleave.ErrNoBasePackage) {
		fmt.Fprintf(stderr, "compare: nothing to compare: %v\n", err)
		return exitPass
	}
	if err != nil {
		fmt.Fprintf(stderr, "compare: %v\n", err)
		return exitError
	}
	fmt.Fprintf(stderr, "compare: wrote %s (%s at %.12s) and %s (working tree)\n", res.Old, o.Base, res.BaseRev, res.New)

	if cmd := strings.Fields(*benchstat); len(cmd) > 0 {
		// The table is for people; the verdict below decides.
		c := exec.CommandContext(ctx, cmd[0], append(cmd[1:], res.Old, res.New)...)
		c.Stdout, c.Stderr = stdout, stderr
		if err := c.Run(); err != nil {
			fmt.Fprintf(stderr, "compare: warning: %s: %v\n", *benchstat, err)
		}
		fmt.Fprintln(stdout)
	}

	c, err := benchdata.ReadFiles(benchdata.Options{Ignore: []string{"commit"}}, []string{res.Old}, []string{res.New})
	var rep *gate.Report
	if err == nil {
		rep, err = gate.Evaluate(c, g)
	}
	if err == nil {
		err = write(stdout, rep)
	}
	if err == nil && *summary != "" {
		err = appendMarkdown(*summary, rep)
	}
	if err != nil {
		fmt.Fprintf(stderr, "compare: %v\n", err)
		return exitError
	}
	if rep.Failed() {
		return exitFail
	}
	return exitPass
}

func appendMarkdown(path string, rep *gate.Report) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	err = render.Markdown(f, rep)
	return errors.Join(err, f.Close())
}

package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/inferbench/inferbench/tools/internal/report"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: report -o DIR [flags] bench.txt... [accuracy.json...]\n\n")
		fs.PrintDefaults()
	}
	o := report.DefaultOptions
	out := fs.String("o", "", "output `dir` for report.md and the figures")
	fs.StringVar(&o.Baseline, "baseline", "", "baseline `backend` of the speed-up matrix (default ort-cpu, else the first)")
	fs.Float64Var(&o.Alpha, "alpha", o.Alpha, "family-wise significance `level` of the speed-up matrix")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *out == "" || fs.NArg() == 0 {
		fs.Usage()
		return 2
	}
	var bench, acc []string
	for _, a := range fs.Args() {
		if strings.HasSuffix(a, ".json") {
			acc = append(acc, a)
		} else {
			bench = append(bench, a)
		}
	}
	d, err := report.Load(bench, acc)
	if err == nil {
		var a *report.Analysis
		if a, err = report.Analyze(d, o); err == nil {
			var paths []string
			if paths, err = a.Write(*out); err == nil {
				fmt.Fprintf(stdout, "wrote %s\n", strings.Join(paths, ", "))
				if len(a.Invalid) > 0 {
					fmt.Fprintf(stdout, "INVALID:\n  %s\n", strings.Join(a.Invalid, "\n  "))
					return 1
				}
				fmt.Fprintln(stdout, "VALID")
				return 0
			}
		}
	}
	fmt.Fprintf(stderr, "report: %v\n", err)
	removed, rerr := report.RemoveStale(*out)
	if len(removed) > 0 {
		fmt.Fprintf(stderr, "report: removed the previous run's %s: they described other inputs\n", strings.Join(removed, ", "))
	}
	if rerr != nil {
		fmt.Fprintf(stderr, "report: %v: a previous report may still be in %s\n", rerr, *out)
	}
	return 2
}

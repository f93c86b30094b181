package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"text/tabwriter"

	"github.com/inferbench/inferbench/internal/backends/ort/variant"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("ortprofile", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprintf(fs.Output(), "usage: ortprofile profile.json...\n") }
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return 2
	}
	for i, path := range fs.Args() {
		p, err := variant.Parse(path)
		if err != nil {
			fmt.Fprintf(stderr, "ortprofile: %v\n", err)
			return 1
		}
		if i > 0 {
			fmt.Fprintln(stdout)
		}
		summarise(stdout, path, p)
	}
	return 0
}

// summarise writes p's summary; a profile without "model_run" events
// counts as one run.
func summarise(w io.Writer, path string, p *variant.Profile) {
	runs := float64(max(p.Runs, 1))
	var total int64
	for _, k := range p.Kernels {
		total += k.Micros
	}
	fmt.Fprintf(w, "%s: %d runs, %.1f kernels/run, %.1f µs/run\n", path, p.Runs, float64(len(p.Kernels))/runs, float64(total)/runs)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "op\tprovider\tkernels/run\tµs/run\tshare\t")
	for _, t := range p.Times() {
		share := 0.0
		if total > 0 {
			share = 100 * float64(t.Micros) / float64(total)
		}
		fmt.Fprintf(tw, "%s\t%s\t%.1f\t%.1f\t%.1f%%\t\n", t.Op, t.Provider, float64(t.Kernels)/runs, float64(t.Micros)/runs, share)
	}
	tw.Flush()
}

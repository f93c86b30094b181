package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"

	"github.com/inferbench/inferbench/tools/internal/benchdata"
	"github.com/inferbench/inferbench/tools/internal/gate"
	"github.com/inferbench/inferbench/tools/internal/history"
	"github.com/inferbench/inferbench/tools/internal/render"
)

// Exit statuses: the contract of gate.ExitTable.
const (
	exitPass         = gate.ExitPass
	exitFail         = gate.ExitRegression
	exitUnusable     = gate.ExitUnusable
	exitInconclusive = gate.ExitInconclusive
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "history" {
		return history.Command(args[1:], stdout, stderr)
	}
	fs := flag.NewFlagSet("benchgate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: benchgate [flags] old.txt new.txt [old2.txt new2.txt ...]\n\n")
		fs.PrintDefaults()
		fmt.Fprintf(fs.Output(), "\nExit status (build it, go build -o bin/benchgate ./tools/benchgate: go run reports every failure as 1):\n\n%s", gate.ExitTable)
	}
	o := gate.DefaultOptions
	o.RegisterFlags(fs)
	format := fs.String("format", "text", "output `format`: text, markdown or json")
	bench := fs.String("bench", "", "compare only benchmarks whose name matches `regexp`")
	unit := fs.String("unit", "", "compare only units matching `regexp` (as written, ns/op, or tidied, sec/op)")
	var d benchdata.Options
	fs.StringVar(&d.Table, "table", "", "split into tables by benchproc `projection` (e.g. /backend)")
	fs.StringVar(&d.Row, "row", ".fullname", "name rows by benchproc `projection` (e.g. /scenario)")
	fs.StringVar(&d.Filter, "filter", "*", "use only results matching benchproc filter `query`")
	ignore := fs.String("ignore", "commit", "comma-separated configuration `keys` expected to differ between old and new")
	if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
		return exitPass
	} else if err != nil {
		return exitUnusable
	}
	if fs.NArg() == 0 || fs.NArg()%2 != 0 {
		fs.Usage()
		return exitUnusable
	}
	write, ok := map[string]func(io.Writer, *gate.Report) error{
		"text": render.Text, "markdown": render.Markdown, "json": render.JSON,
	}[*format]
	if !ok {
		fmt.Fprintf(stderr, "benchgate: -format %q: want text, markdown or json\n", *format)
		return exitUnusable
	}
	var err error
	if d.Bench, err = compile("bench", *bench); err == nil {
		d.Unit, err = compile("unit", *unit)
	}
	if *ignore != "" {
		d.Ignore = strings.Split(*ignore, ",")
	}
	var rep *gate.Report
	if err == nil {
		var c *benchdata.Collection
		var old, new []string
		for i := 0; i < fs.NArg(); i += 2 {
			old, new = append(old, fs.Arg(i)), append(new, fs.Arg(i+1))
		}
		if c, err = benchdata.ReadFiles(d, old, new); err == nil {
			rep, err = gate.Evaluate(c, o)
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "benchgate: %v\n", err)
		return exitUnusable
	}
	if err := write(stdout, rep); err != nil {
		fmt.Fprintf(stderr, "benchgate: %v\n", err)
		return exitUnusable
	}
	return rep.Outcome()
}

func compile(name, expr string) (*regexp.Regexp, error) {
	if expr == "" {
		return nil, nil
	}
	re, err := regexp.Compile(expr)
	if err != nil {
		return nil, fmt.Errorf("%w: -%s: %w", errBadFlag, name, err)
	}
	return re, nil
}

var errBadFlag = errors.New("bad flag")

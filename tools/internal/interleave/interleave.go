package interleave

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"golang.org/x/perf/benchfmt"

	"github.com/inferbench/inferbench/tools/internal/benchdata"
)

var (
	// ErrNoBasePackage reports that the package does not exist at the
	// base revision, so there is nothing to compare against.
	ErrNoBasePackage = errors.New("package does not exist at base")
	// ErrGit reports a failed git command.
	ErrGit = errors.New("git failed")
	// ErrBuild reports a test binary that did not build.
	ErrBuild = errors.New("build failed")
	// ErrRun reports a benchmark run that failed.
	ErrRun = errors.New("benchmark run failed")
)

// Options configure Run.
type Options struct {
	Dir       string    // directory in the git working tree; "" means "."
	Base      string    // git ref of the old revision (required)
	Pkg       string    // benchmark package directory relative to Dir; "" means "./benchmarks"
	Bench     string    // -test.bench regexp; "" means "."
	Benchtime string    // -test.benchtime; "" leaves the default
	Count     int       // rounds; 0 means 10
	Tags      string    // comma-separated build tags
	Args      []string  // extra arguments for both binaries, such as "-model", "gpt2-tiny"
	OutDir    string    // where old.txt and new.txt go; "" means "."
	Go        string    // go command; "" means "go"
	Log       io.Writer // progress; nil discards
	// Env, if set, is added to the binaries' environment (such as
	// GOMAXPROCS=2).
	Env []string
	// Reproducible builds both binaries with -trimpath, so that the same
	// source gives the same binary whichever directory it was built in
	// (without it the embedded paths differ, and so can code layout and
	// speed: unchanged code would not be compared with itself), and, when
	// RevisionVar is set, links each side's revision into those string
	// variables (comma-separated; -ldflags -X), since -trimpath hides the
	// source directory a binary could ask git in. Variables the package
	// lacks are ignored.
	Reproducible bool
	RevisionVar  string
	// Config lines ("key: value") are written before each run's
	// output, to record how the runs were made.
	Config []string
	// Start, if set, starts each benchmark process instead of
	// cmd.Start (to place it on CPUs, say).
	Start func(*exec.Cmd) error
}

// Result names the output files.
type Result struct {
	Old, New string // benchmark output of the base revision and of the working tree
	BaseRev  string // the commit Base resolved to
}

func (o *Options) defaults() {
	def := func(s *string, v string) {
		if *s == "" {
			*s = v
		}
	}
	def(&o.Dir, ".")
	def(&o.Pkg, "./benchmarks")
	def(&o.Bench, ".")
	def(&o.OutDir, ".")
	def(&o.Go, "go")
	if o.Count == 0 {
		o.Count = 10
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
}

// Run builds and runs the benchmarks as described in the package
// documentation and returns the paths of the two output files.
func Run(ctx context.Context, o Options) (Result, error) {
	b, err := Build(ctx, o)
	if err != nil {
		return Result{BaseRev: b.baseRev()}, err
	}
	defer b.Close()
	return b.Run(ctx, Stage{})
}

// Bench is the pair of test binaries Build made, ready to run in stages.
type Bench struct {
	o       Options
	BaseRev string // the commit Base resolved to
	tmp     string // temporary directory holding the binaries and the worktree
	top, wt string // the repository's top level and the base worktree
	sides   []*side
}

func (b *Bench) baseRev() string {
	if b == nil {
		return ""
	}
	return b.BaseRev
}

// Stage selects what one round of runs does; its zero value runs
// Options.Bench for Options.Count rounds into Options.OutDir.
type Stage struct {
	Bench  string // -test.bench regexp; "" means Options.Bench
	Count  int    // rounds; 0 means Options.Count
	OutDir string // where old.txt and new.txt go; "" means Options.OutDir
}

// Build checks the base revision out into a temporary git worktree and
// builds both test binaries. On ErrNoBasePackage the returned Bench (only)
// carries BaseRev. Close removes the worktree and the binaries.
func Build(ctx context.Context, o Options) (*Bench, error) {
	o.defaults()
	if o.Base == "" {
		return nil, errors.New("interleave: no base revision")
	}
	if o.Count < 0 {
		return nil, fmt.Errorf("interleave: count %d < 0", o.Count)
	}
	if o.Pkg != "." && !strings.HasPrefix(o.Pkg, "./") && !strings.HasPrefix(o.Pkg, "../") {
		return nil, fmt.Errorf("interleave: package %q: want a relative directory such as ./benchmarks", o.Pkg)
	}
	dir, err := filepath.Abs(o.Dir)
	if err != nil {
		return nil, err
	}
	top, err := git(ctx, dir, "rev-parse", "--show-toplevel")
	if err != nil {
		return nil, err
	}
	rel, err := filepath.Rel(top, dir)
	if err != nil {
		return nil, err
	}
	rev, err := git(ctx, dir, "rev-parse", "--verify", "--quiet", "--end-of-options", o.Base+"^{commit}")
	if err != nil {
		return nil, fmt.Errorf("base %q: %w", o.Base, err)
	}
	obj := rev + "^{tree}"
	if p := filepath.ToSlash(filepath.Join(rel, o.Pkg)); p != "." {
		obj = rev + ":" + p
	}
	if _, err := git(ctx, top, "cat-file", "-e", obj); err != nil {
		return &Bench{BaseRev: rev}, fmt.Errorf("%s at %s (%s): %w", o.Pkg, o.Base, short(rev), ErrNoBasePackage)
	}

	tmp, err := os.MkdirTemp("", "interleave-")
	if err != nil {
		return nil, err
	}
	b := &Bench{o: o, BaseRev: rev, tmp: tmp, top: top}
	wt := filepath.Join(tmp, "base")
	if _, err := git(ctx, top, "worktree", "add", "--detach", "--quiet", wt, rev); err != nil {
		b.Close()
		return nil, err
	}
	b.wt = wt
	b.sides = []*side{
		{name: "old", src: filepath.Join(wt, rel), bin: filepath.Join(tmp, "old.test")},
		{name: "new", src: dir, bin: filepath.Join(tmp, "new.test")},
	}
	if o.Reproducible {
		if err := b.reproducible(ctx, top, rev); err != nil {
			b.Close()
			return nil, err
		}
	}
	for _, s := range b.sides {
		fmt.Fprintf(o.Log, "interleave: building %s (%s) in %s\n", o.Pkg, s.name, s.src)
		if err := s.build(ctx, &o); err != nil {
			b.Close()
			return nil, err
		}
	}
	return b, nil
}

// Close removes the base worktree and the binaries.
func (b *Bench) Close() {
	if b.wt != "" {
		// Use a fresh context: the worktree must go even after a cancel.
		if _, err := git(context.Background(), b.top, "worktree", "remove", "--force", b.wt); err != nil {
			fmt.Fprintf(b.o.Log, "interleave: %v\n", err)
		}
		b.wt = ""
	}
	if b.tmp != "" {
		os.RemoveAll(b.tmp)
		b.tmp = ""
	}
}

// Run runs the binaries in alternating rounds as the package
// documentation describes, each run one process whose output is stamped
// "run: <round>/<side>", and returns the output files.
func (b *Bench) Run(ctx context.Context, st Stage) (Result, error) {
	res, o, err := b.Begin(st)
	if err != nil {
		return Result{}, err
	}
	for round := range o.Count {
		if err := b.Round(ctx, st, round+1); err != nil {
			return Result{}, err
		}
	}
	return res, nil
}

// side is one revision's test binary.
type side struct {
	name string // "old" or "new"
	src  string // directory the package path is relative to
	bin  string // test binary
	out  string // output file
	// reproducible are the build flags of Options.Reproducible.
	reproducible []string
}

func (s *side) build(ctx context.Context, o *Options) error {
	args := []string{"test", "-c", "-o", s.bin}
	args = append(args, s.reproducible...)
	if o.Tags != "" {
		args = append(args, "-tags", o.Tags)
	}
	args = append(args, o.Pkg)
	cmd := exec.CommandContext(ctx, o.Go, args...)
	cmd.Dir = s.src
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s: go %s: %w: %w\n%s", s.name, strings.Join(args, " "), ErrBuild, err, tail(out))
	}
	if _, err := os.Stat(s.bin); err != nil {
		return fmt.Errorf("%s: go %s wrote no binary (no test files?): %w\n%s", s.name, strings.Join(args, " "), ErrBuild, tail(out))
	}
	return nil
}

func (s *side) run(ctx context.Context, o *Options, round int) error {
	args := []string{"-test.run=^$", "-test.bench=" + o.Bench, "-test.count=1"}
	if o.Benchtime != "" {
		args = append(args, "-test.benchtime="+o.Benchtime)
	}
	args = append(args, o.Args...)
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, s.bin, args...)
	cmd.Dir = filepath.Join(s.src, o.Pkg)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if len(o.Env) > 0 {
		cmd.Env = append(os.Environ(), o.Env...)
	}
	start := cmd.Start
	if o.Start != nil {
		start = func() error { return o.Start(cmd) }
	}
	runErr := start()
	if runErr == nil {
		runErr = cmd.Wait()
	}
	f, err := os.OpenFile(s.out, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	// The stamp makes this process one run for benchdata.
	var config strings.Builder
	for _, l := range o.Config {
		config.WriteString(l + "\n")
	}
	_, werr := fmt.Fprintf(f, "%s%s: %d/%s\n%s", config.String(), benchdata.RunKey, round, s.name, stdout.Bytes())
	if err := errors.Join(werr, f.Close()); err != nil {
		return err
	}
	if runErr != nil {
		return fmt.Errorf("%s: %s %s: %w: %w\n%s%s", s.name, filepath.Base(s.bin), strings.Join(args, " "), ErrRun, runErr, tail(stdout.Bytes()), tail(stderr.Bytes()))
	}
	return nil
}

// git runs a git command in dir and returns its trimmed output.
func git(ctx context.Context, dir string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("git %s: %w: %w: %s", strings.Join(args, " "), ErrGit, err, strings.TrimSpace(stderr.String()))
	}
	return strings.TrimSpace(string(out)), nil
}

// tail returns the last lines of b, for error messages.
func tail(b []byte) string {
	const max = 2000
	if len(b) > max {
		b = b[len(b)-max:]
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			b = b[i+1:]
		}
	}
	return string(b)
}

func short(rev string) string {
	if len(rev) > 12 {
		return rev[:12]
	}
	return rev
}

// BenchRegexp returns a -test.bench expression that selects the named
// benchmarks, given as benchfmt names without the "Benchmark" prefix and
// with or without the -GOMAXPROCS suffix ("Prefill/backend=cpu-8"). The
// testing package matches each "/"-separated level of a name against
// the same level of the expression, so the expression is one anchored
// alternation per level: it may also select combinations of the levels
// that were not named, which the caller filters out of the results.
func BenchRegexp(names []string) string {
	var levels [][]string
	for _, n := range names {
		base, parts := benchfmt.Name(n).Parts()
		elems := []string{"Benchmark" + string(base)}
		for _, p := range parts {
			if sub, ok := strings.CutPrefix(string(p), "/"); ok {
				elems = append(elems, sub)
			}
		}
		for i, e := range elems {
			if i == len(levels) {
				levels = append(levels, nil)
			}
			if q := regexp.QuoteMeta(e); !slices.Contains(levels[i], q) {
				levels[i] = append(levels[i], q)
			}
		}
	}
	out := make([]string, len(levels))
	for i, alts := range levels {
		out[i] = "^(" + strings.Join(alts, "|") + ")$"
	}
	return strings.Join(out, "/")
}

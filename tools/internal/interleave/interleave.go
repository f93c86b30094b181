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
	"strings"
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
	o.defaults()
	if o.Base == "" {
		return Result{}, errors.New("interleave: no base revision")
	}
	if o.Count < 0 {
		return Result{}, fmt.Errorf("interleave: count %d < 0", o.Count)
	}
	if o.Pkg != "." && !strings.HasPrefix(o.Pkg, "./") && !strings.HasPrefix(o.Pkg, "../") {
		return Result{}, fmt.Errorf("interleave: package %q: want a relative directory such as ./benchmarks", o.Pkg)
	}
	dir, err := filepath.Abs(o.Dir)
	if err != nil {
		return Result{}, err
	}
	top, err := git(ctx, dir, "rev-parse", "--show-toplevel")
	if err != nil {
		return Result{}, err
	}
	rel, err := filepath.Rel(top, dir)
	if err != nil {
		return Result{}, err
	}
	rev, err := git(ctx, dir, "rev-parse", "--verify", "--quiet", "--end-of-options", o.Base+"^{commit}")
	if err != nil {
		return Result{}, fmt.Errorf("base %q: %w", o.Base, err)
	}
	obj := rev + "^{tree}"
	if p := filepath.ToSlash(filepath.Join(rel, o.Pkg)); p != "." {
		obj = rev + ":" + p
	}
	if _, err := git(ctx, top, "cat-file", "-e", obj); err != nil {
		return Result{BaseRev: rev}, fmt.Errorf("%s at %s (%s): %w", o.Pkg, o.Base, short(rev), ErrNoBasePackage)
	}

	tmp, err := os.MkdirTemp("", "interleave-")
	if err != nil {
		return Result{}, err
	}
	defer os.RemoveAll(tmp)
	wt := filepath.Join(tmp, "base")
	if _, err := git(ctx, top, "worktree", "add", "--detach", "--quiet", wt, rev); err != nil {
		return Result{}, err
	}
	defer func() {
		// Use a fresh context: the worktree must go even after a cancel.
		if _, err := git(context.Background(), top, "worktree", "remove", "--force", wt); err != nil {
			fmt.Fprintf(o.Log, "interleave: %v\n", err)
		}
	}()

	sides := []*side{
		{name: "old", src: filepath.Join(wt, rel), bin: filepath.Join(tmp, "old.test")},
		{name: "new", src: dir, bin: filepath.Join(tmp, "new.test")},
	}
	for _, s := range sides {
		fmt.Fprintf(o.Log, "interleave: building %s (%s) in %s\n", o.Pkg, s.name, s.src)
		if err := s.build(ctx, &o); err != nil {
			return Result{}, err
		}
	}
	if err := os.MkdirAll(o.OutDir, 0o755); err != nil {
		return Result{}, err
	}
	res := Result{Old: filepath.Join(o.OutDir, "old.txt"), New: filepath.Join(o.OutDir, "new.txt"), BaseRev: rev}
	sides[0].out, sides[1].out = res.Old, res.New
	for _, s := range sides {
		if err := os.WriteFile(s.out, nil, 0o644); err != nil {
			return Result{}, err
		}
	}
	for round := range o.Count {
		order := sides
		if round%2 == 1 {
			order = []*side{sides[1], sides[0]}
		}
		for _, s := range order {
			fmt.Fprintf(o.Log, "interleave: round %d/%d: %s\n", round+1, o.Count, s.name)
			if err := s.run(ctx, &o); err != nil {
				return Result{}, fmt.Errorf("round %d: %w", round+1, err)
			}
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
}

func (s *side) build(ctx context.Context, o *Options) error {
	args := []string{"test", "-c", "-o", s.bin}
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

func (s *side) run(ctx context.Context, o *Options) error {
	args := []string{"-test.run=^$", "-test.bench=" + o.Bench, "-test.count=1"}
	if o.Benchtime != "" {
		args = append(args, "-test.benchtime="+o.Benchtime)
	}
	args = append(args, o.Args...)
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, s.bin, args...)
	cmd.Dir = filepath.Join(s.src, o.Pkg)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	f, err := os.OpenFile(s.out, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	_, werr := f.Write(stdout.Bytes())
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

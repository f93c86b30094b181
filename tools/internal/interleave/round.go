package interleave

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
)

// Begin prepares a stage that the caller runs round by round (Round):
// it creates the stage's output directory and empty output files, and
// returns their names and the stage's effective options.
func (b *Bench) Begin(st Stage) (Result, Options, error) {
	o := b.stage(st)
	if err := os.MkdirAll(o.OutDir, 0o755); err != nil {
		return Result{}, o, err
	}
	res := Result{Old: filepath.Join(o.OutDir, "old.txt"), New: filepath.Join(o.OutDir, "new.txt"), BaseRev: b.BaseRev}
	for _, f := range []string{res.Old, res.New} {
		if err := os.WriteFile(f, nil, 0o644); err != nil {
			return Result{}, o, err
		}
	}
	return res, o, nil
}

// Round runs round number round (from 1) of a stage that Begin
// prepared: one process per side, the old side first in odd rounds,
// each appending its output, stamped "run: <round>/<side>", to the
// stage's file. st.Bench may change from round to round, so a caller
// can stop running benchmarks it has decided.
func (b *Bench) Round(ctx context.Context, st Stage, round int) error {
	o := b.stage(st)
	b.sides[0].out = filepath.Join(o.OutDir, "old.txt")
	b.sides[1].out = filepath.Join(o.OutDir, "new.txt")
	order := b.sides
	if round%2 == 0 {
		order = []*side{b.sides[1], b.sides[0]}
	}
	for _, s := range order {
		if o.Count > 0 {
			fmt.Fprintf(o.Log, "interleave: round %d/%d: %s\n", round, o.Count, s.name)
		} else {
			fmt.Fprintf(o.Log, "interleave: round %d: %s\n", round, s.name)
		}
		if err := s.run(ctx, &o, round); err != nil {
			return fmt.Errorf("round %d: %w", round, err)
		}
	}
	return nil
}

// stage returns the options of a stage: Options overridden by st.
// A negative st.Count means an open-ended stage (no "of N" in the log).
func (b *Bench) stage(st Stage) Options {
	o := b.o
	if st.Bench != "" {
		o.Bench = st.Bench
	}
	if st.Count != 0 {
		o.Count = max(st.Count, 0)
	}
	if st.OutDir != "" {
		o.OutDir = st.OutDir
	}
	return o
}

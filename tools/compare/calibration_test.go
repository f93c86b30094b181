package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/inferbench/inferbench/tools/internal/interleave/interleavetest"
)

// TestCalibrationRun is the benchmark-style calibration run of the
// sequential gate on this machine's real processes: repeated
// comparisons of interleavetest's BenchmarkWork, whose cost per
// iteration is configurable, unchanged, +7% and +10% slower, each with
// the budget and limits of the CI job. It is slow (the runs are real)
// and its rates depend on the machine, so it runs only when asked:
//
//	INFERBENCH_GATE_CALIBRATION=5 go test ./tools/compare -run CalibrationRun -v -timeout 60m
//
// (5 comparisons per case; INFERBENCH_GATE_BUDGET sets the budget,
// default 10m). It reports the exit statuses and wall times; the
// statistical rates over 1000 trials are the seeded simulations of
// package sequential, whose noise models this run's CVs feed.
func TestCalibrationRun(t *testing.T) {
	runs, _ := strconv.Atoi(os.Getenv("INFERBENCH_GATE_CALIBRATION"))
	if runs <= 0 {
		t.Skip("set INFERBENCH_GATE_CALIBRATION=<comparisons per case> to run the real calibration")
	}
	budget := "10m"
	if b := os.Getenv("INFERBENCH_GATE_BUDGET"); b != "" {
		budget = b
	}
	const work = 200000
	for _, c := range []struct {
		name string
		slow float64 // new cost over old
	}{{"unchanged", 1}, {"+10%", 1.10}, {"+7%", 1.07}} {
		counts := map[int]int{}
		var walls []string
		for i := range runs {
			repo := interleavetest.NewRepo(t, work, int(work*c.slow))
			var stdout, stderr bytes.Buffer
			start := time.Now()
			code := run(context.Background(), []string{
				"-C", repo, "-base", "HEAD", "-pkg", interleavetest.Pkg, "-bench", "Work", "-benchtime", "200ms",
				"-budget", budget, "-threads", "1", "-benchstat", "", "-out", t.TempDir(),
			}, &stdout, &stderr)
			counts[code]++
			walls = append(walls, time.Since(start).Round(time.Second).String())
			last := stdout.String()
			if i := strings.Index(last, "sequential gate:"); i >= 0 {
				last = last[i:]
			}
			t.Logf("%s #%d: exit %d in %v\n%s", c.name, i+1, code, time.Since(start).Round(time.Second), last)
		}
		t.Logf("%s: %d comparisons: exit 0 ×%d, exit 1 ×%d, exit 3 ×%d; wall %s", c.name, runs, counts[0], counts[1], counts[3], strings.Join(walls, " "))
		fmt.Fprintf(os.Stderr, "calibration %s: exit 0 ×%d, exit 1 ×%d, exit 3 ×%d; wall %s\n", c.name, counts[0], counts[1], counts[3], strings.Join(walls, " "))
	}
}

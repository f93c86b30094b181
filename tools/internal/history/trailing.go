package history

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// Trailing changes.
//
// E-divisive never ends a segment with fewer than MinSize commits, so a
// change in the last MinSize-1 commits is either not seen at all (a 2×
// slowdown at HEAD alone) or, when big enough, placed at the latest
// position it allows, n-MinSize: when the last two commits are slower, it
// blames their parent, a clean commit. Both cases are handled here, and
// such a change is reported as "unconfirmed, at or after <commit>": later
// commits may still move it, and nothing before that commit is blamed.
//
//   - A change found at n-MinSize is real (its permutation test passed),
//     but the data cannot tell whether it is there or later. It is moved
//     to the split of the last MinSize commits with the least squared
//     error about the levels either side (the level before being the
//     preceding segment's mean), and marked unconfirmed.
//   - Otherwise the last k < MinSize commits are tested against the
//     segment before them, for every such k: the t statistic of the
//     tail's mean against the segment's mean and spread, with the
//     segment's commit-to-commit standard deviation (df = its commits
//     minus one), two-sided, Bonferroni over the k tried and at the
//     series' level (Alpha / series). This assumes roughly normal
//     commit-to-commit noise: the commit value is a median of run
//     medians, and one commit cannot be ranked more extremely than 1 in
//     the segment's size + 1, which no rank test at α/series can use.
//     A significant worse tail beyond the threshold is an unconfirmed
//     regression (exit 1); a worse tail beyond the threshold that is not
//     significant is inconclusive (exit 3): the series is too noisy to
//     tell, and Series.TrailingMDE says what it could have told.

// TrailingResult is the test of a series' last commits.
type TrailingResult struct {
	// Tested: the last commits were tested (no change at n-MinSize, and
	// enough commits before them).
	Tested bool
	// Commits is the number of commits in the reference segment.
	Commits int
	// MDE is the smallest relative change of the last commit alone that
	// the test detects with 80% power.
	MDE float64
	// Inconclusive says why the tail is worse beyond the threshold yet
	// not significantly so; "" otherwise.
	Inconclusive string
}

// trailing adjusts s.Changes for the last minSize commits (see above).
func (s *Series) trailing(minSize int, alpha, threshold float64) {
	n := len(s.Values)
	start := 0
	if k := len(s.Changes); k > 0 {
		last := &s.Changes[k-1]
		if last.Index == n-minSize {
			s.relocate(last, k, minSize)
			return
		}
		start = last.Index
	}
	s.tailTest(start, minSize, alpha, threshold)
}

// relocate moves the last change c (the k-th) to the least-squares split
// of the last minSize commits and marks it unconfirmed.
func (s *Series) relocate(c *Change, k, minSize int) {
	n := len(s.Values)
	from := 0
	if k > 1 {
		from = s.Changes[k-2].Index
	}
	before := stat.Mean(s.Values[from:n-minSize], nil)
	best, bestSSE := n-minSize, math.Inf(1)
	for tau := n - minSize; tau < n; tau++ {
		sse := 0.0
		for _, v := range s.Values[n-minSize : tau] {
			sse += (v - before) * (v - before)
		}
		m := stat.Mean(s.Values[tau:], nil)
		for _, v := range s.Values[tau:] {
			sse += (v - m) * (v - m)
		}
		if sse < bestSSE {
			best, bestSSE = tau, sse
		}
	}
	c.Index, c.Commit = best, s.Commits[best].Commit
	c.Before, c.After = s.Level(from, best), s.Level(best, n)
	c.Rel = rel(c.Before, c.After)
	c.Worse = (c.After-c.Before)*float64(s.Better) < 0
	c.SegmentCommits = n - best
	c.Unconfirmed = true
}

// tailTest tests the last k < minSize commits against the segment from
// start (see above), appending a significant change.
func (s *Series) tailTest(start, minSize int, alpha, threshold float64) {
	n := len(s.Values)
	type cand struct {
		tau     int
		t, p    float64
		ref     []float64
		relMean float64
	}
	var cands []cand
	for tau := n - minSize + 1; tau < n; tau++ {
		ref := s.Values[start:tau]
		if len(ref) < minSize || len(ref) < 2 {
			continue
		}
		mean, sd := stat.MeanStdDev(ref, nil)
		tail := stat.Mean(s.Values[tau:], nil)
		se := sd * math.Sqrt(1/float64(n-tau)+1/float64(len(ref)))
		t := math.Inf(1)
		if d := tail - mean; se > 0 {
			t = d / se
		} else if d == 0 {
			t = 0
		} else {
			t = math.Copysign(math.Inf(1), d)
		}
		p := 2 * distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(len(ref) - 1)}.Survival(math.Abs(t))
		cands = append(cands, cand{tau, t, p, ref, rel(mean, tail)})
	}
	if len(cands) == 0 {
		return
	}
	s.Trailing.Tested = true
	// The last commit alone: what could the test have seen?
	last := cands[len(cands)-1]
	level := alpha / float64(len(cands))
	mean, sd := stat.MeanStdDev(last.ref, nil)
	tdist := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(len(last.ref) - 1)}
	s.Trailing.Commits = len(last.ref)
	s.Trailing.MDE = (tdist.Quantile(1-level/2) + tdist.Quantile(Power)) * sd * math.Sqrt(1+1/float64(len(last.ref))) / math.Abs(mean)
	// The split with the largest |t| is the estimate.
	best := cands[0]
	for _, c := range cands[1:] {
		if math.Abs(c.t) > math.Abs(best.t) {
			best = c
		}
	}
	p := math.Min(1, best.p*float64(len(cands)))
	worse := best.t*float64(s.Better) < 0
	if p >= alpha {
		if worse && math.Abs(best.relMean) > threshold {
			s.Trailing.Inconclusive = fmt.Sprintf("the last %d commit(s) from %s are %+.1f%% %s, beyond the %.3g%% threshold, but not significantly (t=%.2f, p=%.2g ≥ %.2g against the %d commits before): the series is too noisy to tell; the last commit alone would need a change of %.3g%% to be detected with %.0f%% power",
				n-best.tau, short(s.Commits[best.tau].Commit), 100*best.relMean, "worse", 100*threshold, best.t, p, alpha, len(best.ref), 100*s.Trailing.MDE, 100*Power)
		}
		return
	}
	before, after := s.Level(start, best.tau), s.Level(best.tau, n)
	s.Changes = append(s.Changes, Change{
		Index: best.tau, Commit: s.Commits[best.tau].Commit, Before: before, After: after, Rel: rel(before, after),
		Worse: worse, P: p, SegmentCommits: n - best.tau, Unconfirmed: true, TailTest: true,
	})
}

// Power is the power at which TrailingResult.MDE is detected.
const Power = 0.8

func rel(before, after float64) float64 {
	if before == 0 {
		return math.Copysign(math.Inf(1), after)
	}
	return after/before - 1
}

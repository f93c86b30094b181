package history

import (
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"strings"

	"golang.org/x/perf/benchunit"

	"github.com/inferbench/inferbench/tools/internal/chart"
)

// WriteText prints every series that changed, the regressions and the
// warnings.
func (r *Result) WriteText(w io.Writer) {
	cs := r.Data.Commits
	fmt.Fprintf(w, "history: %d commits (%s … %s), %d series\n", len(cs), cs[0].Short(), cs[len(cs)-1].Short(), len(r.Series))
	fmt.Fprintf(w, "method: E-divisive means, permutation test at α=%.3g per series (%.3g family-wise, Bonferroni over %d series), %d permutations, seed %d\n",
		r.PerSeries.Alpha, r.Options.Alpha, len(r.Series), r.PerSeries.Permutations, r.PerSeries.Seed)
	fmt.Fprintf(w, "detectable: segments of ≥ %d commits, no p-value below %.2g; a change in the last %d commits is unconfirmed (at or after the commit named): the last 1–%d commits are t-tested against the segment before them (Bonferroni over positions)\n",
		r.PerSeries.MinSize, 1/float64(r.PerSeries.Permutations+1), r.PerSeries.MinSize, r.PerSeries.MinSize-1)
	changed := 0
	for _, s := range r.Series {
		if len(s.Changes) == 0 {
			continue
		}
		changed++
		fmt.Fprintf(w, "\n%s %s (%s, %d commits)\n", s.Name, s.Unit, s.Better, len(s.Values))
		sc := benchunit.CommonScale(s.Values, benchunit.ClassOf(s.Unit))
		for _, c := range s.Changes {
			dir := "better"
			if c.Worse {
				dir = "worse"
			}
			at := fmt.Sprintf("change at commit %s (#%d)", short(c.Commit), c.Index)
			if c.Unconfirmed {
				at = fmt.Sprintf("change unconfirmed, at or after commit %s (#%d, the last %d commits)", short(c.Commit), c.Index, c.SegmentCommits)
			}
			test := fmt.Sprintf("p=%.2g, %d permutations", c.P, c.Permutations)
			if c.TailTest {
				test = fmt.Sprintf("p=%.2g, t test of the last commits", c.P)
			}
			fmt.Fprintf(w, "  %s: %s → %s %s, %+.1f%% %s (%s)\n", at, sc.Format(c.Before), sc.Format(c.After), s.Unit, 100*c.Rel, dir, test)
		}
	}
	if changed == 0 {
		fmt.Fprintf(w, "\nno change point in any series\n")
	}
	reg := r.Regressions()
	for _, s := range reg {
		first, last := s.Changes[s.Since], s.Changes[len(s.Changes)-1]
		latest := fmt.Sprintf("latest segment: %d commits", last.SegmentCommits)
		if k := len(s.Changes) - s.Since; k > 1 {
			latest = fmt.Sprintf("%d worse change points; latest segment: %d commits since %s", k, last.SegmentCommits, short(last.Commit))
		}
		if last.Unconfirmed {
			fmt.Fprintf(w, "\nUNCONFIRMED REGRESSION: %s %s: %+.1f%% worse, at or after commit %s (the last %d commits; later commits will confirm or move it), threshold %.3g%%\n",
				s.Name, s.Unit, 100*s.Drift, short(last.Commit), last.SegmentCommits, 100*r.Options.Threshold)
			continue
		}
		fmt.Fprintf(w, "\nREGRESSION: %s %s: %+.1f%% worse than before commit %s (%s), threshold %.3g%%\n",
			s.Name, s.Unit, 100*s.Drift, short(first.Commit), latest, 100*r.Options.Threshold)
	}
	inc := r.Inconclusive()
	for _, why := range inc {
		fmt.Fprintf(w, "\nINCONCLUSIVE: %s\n", why)
	}
	if len(reg) == 0 && len(inc) == 0 {
		fmt.Fprintf(w, "\nlatest segments: no regression beyond %.3g%%\n", 100*r.Options.Threshold)
	}
	for _, e := range r.Warnings {
		fmt.Fprintf(w, "warning: %v\n", e)
	}
}

func short(c string) string {
	if len(c) > 7 {
		return c[:7]
	}
	return c
}

var unsafe = regexp.MustCompile(`[^A-Za-z0-9_.=-]+`)

// FileName is the PNG file name of a series.
func (s *Series) FileName() string {
	return unsafe.ReplaceAllString(s.Name+"_"+s.Unit, "_") + ".png"
}

// Plot draws every series with a change point (all series if all) into
// dir and returns the paths written.
func (r *Result) Plot(dir string, all bool) ([]string, error) {
	var paths []string
	for _, s := range r.Series {
		if len(s.Changes) == 0 && !all || len(s.Values) == 0 {
			continue
		}
		var labels []string
		for _, c := range s.Commits {
			labels = append(labels, c.Short())
		}
		var idx []int
		for _, c := range s.Changes {
			idx = append(idx, c.Index)
		}
		p, err := chart.Changes(strings.TrimSuffix(s.Name, "")+" ("+s.Better.String()+")", s.Unit, s.Values, labels, idx, s.Level)
		if err != nil {
			return paths, err
		}
		path := filepath.Join(dir, s.FileName())
		if err := chart.Save(p, path); err != nil {
			return paths, err
		}
		paths = append(paths, path)
	}
	return paths, nil
}

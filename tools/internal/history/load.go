package history

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"time"

	"golang.org/x/perf/benchfmt"

	"github.com/inferbench/inferbench/tools/internal/benchdata"
)

// ErrLayout reports a directory that does not follow the layout.
var ErrLayout = errors.New("history: bad layout")

// Commit is one commit's results.
type Commit struct {
	Commit string
	Seq    int64 // valid when HasSeq
	HasSeq bool
	Time   time.Time // zero when absent
	Files  []string
	Recs   []benchdata.Record
}

// Short is the commit's first 7 characters.
func (c *Commit) Short() string {
	if len(c.Commit) > 7 {
		return c.Commit[:7]
	}
	return c.Commit
}

// Data is a directory's commits in order, with the unit metadata.
type Data struct {
	Commits []*Commit
	Units   benchfmt.UnitMetadataMap // of all files; later files override
}

// Load reads every *.txt file of dir and orders the commits.
func Load(dir string) (*Data, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("%w: %s has no *.txt benchmark files", ErrLayout, dir)
	}
	sort.Strings(paths)
	return load(paths, os.ReadFile)
}

// LoadFS is Load for the *.txt files at the top of fsys.
func LoadFS(fsys fs.FS) (*Data, error) {
	paths, err := fs.Glob(fsys, "*.txt")
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("%w: no *.txt benchmark files", ErrLayout)
	}
	sort.Strings(paths)
	return load(paths, func(p string) ([]byte, error) { return fs.ReadFile(fsys, p) })
}

func load(paths []string, read func(string) ([]byte, error)) (*Data, error) {
	d := &Data{Units: make(benchfmt.UnitMetadataMap)}
	byCommit := make(map[string]*Commit)
	var errs []error
	for _, p := range paths {
		data, err := read(p)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		rs, err := benchdata.ParseRecords(p, data)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for k, v := range rs.Units {
			d.Units[k] = v
		}
		c, err := fileCommit(p, rs)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		prev := byCommit[c.Commit]
		if prev == nil {
			byCommit[c.Commit] = c
			d.Commits = append(d.Commits, c)
			continue
		}
		if prev.HasSeq != c.HasSeq || prev.Seq != c.Seq || !prev.Time.Equal(c.Time) {
			errs = append(errs, fmt.Errorf("%w: %s and %s: commit %s with different commit-seq or commit-time", ErrLayout, prev.Files[0], p, c.Commit))
			continue
		}
		prev.Files = append(prev.Files, p)
		prev.Recs = append(prev.Recs, c.Recs...)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return d, d.order()
}

// fileCommit reads the commit and ordering lines of one file.
func fileCommit(path string, rs *benchdata.Records) (*Commit, error) {
	values := func(key string) []string {
		var vs []string
		for _, r := range rs.Records {
			if v := r.GetConfig(key); v != "" && !slices.Contains(vs, v) {
				vs = append(vs, v)
			}
		}
		return vs
	}
	commits := values("commit")
	if len(commits) != 1 {
		return nil, fmt.Errorf("%w: %s: want one \"commit:\" configuration value, have %d %v", ErrLayout, path, len(commits), commits)
	}
	c := &Commit{Commit: commits[0], Files: []string{path}, Recs: rs.Records}
	if seqs := values("commit-seq"); len(seqs) > 1 {
		return nil, fmt.Errorf("%w: %s: several commit-seq values %v", ErrLayout, path, seqs)
	} else if len(seqs) == 1 {
		n, err := strconv.ParseInt(seqs[0], 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%w: %s: commit-seq %q: %w", ErrLayout, path, seqs[0], err)
		}
		c.Seq, c.HasSeq = n, true
	}
	if times := values("commit-time"); len(times) > 1 {
		return nil, fmt.Errorf("%w: %s: several commit-time values %v", ErrLayout, path, times)
	} else if len(times) == 1 {
		t, err := time.Parse(time.RFC3339, times[0])
		if err != nil {
			return nil, fmt.Errorf("%w: %s: commit-time %q: %w", ErrLayout, path, times[0], err)
		}
		c.Time = t
	}
	if !c.HasSeq && c.Time.IsZero() {
		return nil, fmt.Errorf("%w: %s: no commit-seq or commit-time configuration line to order commit %s by", ErrLayout, path, c.Commit)
	}
	return c, nil
}

// order sorts the commits by sequence number when all have one, else by
// time; ties between different commits are an error.
func (d *Data) order() error {
	allSeq, allTime := true, true
	var noSeq, noTime *Commit
	for _, c := range d.Commits {
		if !c.HasSeq && noSeq == nil {
			noSeq = c
		}
		if c.Time.IsZero() && noTime == nil {
			noTime = c
		}
		allSeq = allSeq && c.HasSeq
		allTime = allTime && !c.Time.IsZero()
	}
	var by func(a, b *Commit) int
	switch {
	case allSeq:
		by = func(a, b *Commit) int { return cmp.Compare(a.Seq, b.Seq) }
	case allTime:
		by = func(a, b *Commit) int { return a.Time.Compare(b.Time) }
	default:
		return fmt.Errorf("%w: no common order: %s has no commit-seq, %s no commit-time", ErrLayout, noSeq.Files[0], noTime.Files[0])
	}
	slices.SortStableFunc(d.Commits, by)
	for i := 1; i < len(d.Commits); i++ {
		if by(d.Commits[i-1], d.Commits[i]) == 0 {
			return fmt.Errorf("%w: commits %s (%s) and %s (%s) have the same position", ErrLayout,
				d.Commits[i-1].Short(), d.Commits[i-1].Files[0], d.Commits[i].Short(), d.Commits[i].Files[0])
		}
	}
	return nil
}

package interleave

import (
	"context"
	"strings"
)

// reproducible sets the sides' build flags for Options.Reproducible: the
// base revision is rev; the working tree's is HEAD's, marked "-dirty"
// when tracked files have uncommitted changes.
func (b *Bench) reproducible(ctx context.Context, top, rev string) error {
	revs := [2]string{rev, ""}
	if b.o.RevisionVar != "" {
		head, err := git(ctx, top, "rev-parse", "HEAD")
		if err != nil {
			return err
		}
		status, err := git(ctx, top, "status", "--porcelain", "--untracked-files=no")
		if err != nil {
			return err
		}
		if status != "" {
			head += "-dirty"
		}
		revs[1] = head
	}
	for i, s := range b.sides {
		s.reproducible = []string{"-trimpath"}
		var x []string
		for _, v := range strings.Split(b.o.RevisionVar, ",") {
			if v = strings.TrimSpace(v); v != "" {
				x = append(x, "-X="+v+"="+revs[i])
			}
		}
		if len(x) > 0 {
			s.reproducible = append(s.reproducible, "-ldflags="+strings.Join(x, " "))
		}
	}
	return nil
}

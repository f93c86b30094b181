package interleave

import "context"

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
		if b.o.RevisionVar != "" {
			s.reproducible = append(s.reproducible, "-ldflags=-X="+b.o.RevisionVar+"="+revs[i])
		}
	}
	return nil
}

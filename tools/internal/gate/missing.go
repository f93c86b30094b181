package gate

import (
	"errors"
	"fmt"
	"strings"

	"github.com/inferbench/inferbench/tools/internal/benchdata"
)

// ErrVanished reports benchmarks (or units) of the old input that the new
// one lacks. Evidence that disappears is not evidence of no change: a
// benchmark that stopped running (skipped, crashed in a sub-benchmark,
// filtered out, renamed) would otherwise pass the gate unseen. It is
// unusable input (ExitUnusable), like a file that cannot be read, not a
// regression: nothing was measured to be slower. Options.AllowMissing
// (-allow-missing) accepts intended removals and renames.
var ErrVanished = errors.New("vanished from the new input")

// vanished returns an ErrVanished error naming every row only in old,
// with where the old input has it, unless o.AllowMissing.
func vanished(rows []*Row, series []*benchdata.Series, o Options) error {
	if o.AllowMissing {
		return nil
	}
	var gone []string
	for i, r := range rows {
		if r.Verdict == OnlyOld {
			gone = append(gone, fmt.Sprintf("Benchmark%s %s (%s)", r.Name, r.Unit, series[i].Pos[benchdata.Old]))
		}
	}
	if len(gone) == 0 {
		return nil
	}
	const show = 10
	more := ""
	if len(gone) > show {
		more = fmt.Sprintf(" and %d more", len(gone)-show)
		gone = gone[:show]
	}
	return fmt.Errorf("%d benchmark unit(s) %w: %s%s; removed, renamed, skipped or crashed in the new run? Pass -allow-missing to compare the rest",
		len(gone), ErrVanished, strings.Join(gone, ", "), more)
}

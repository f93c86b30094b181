package render

import (
	"bufio"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/inferbench/inferbench/tools/internal/gate"
)

// Text writes rep as aligned plain-text tables.
func Text(w io.Writer, rep *gate.Report) error {
	bw := bufio.NewWriter(w)
	for _, line := range environment(rep) {
		fmt.Fprintf(bw, "!! %s\n", line)
	}
	fmt.Fprintln(bw, header(rep))
	table := "\x00"
	for _, s := range sections(rep.Rows) {
		fmt.Fprintln(bw)
		if s.table != table && s.table != "" {
			fmt.Fprintf(bw, "%s\n", s.table)
		}
		table = s.table
		tw := tabwriter.NewWriter(bw, 0, 4, 2, ' ', 0)
		fmt.Fprintf(tw, "%s\told\tnew\tΔ\tp\tp(holm)\td\tMDE\truns\tn\tbasis\tverdict\n", s.title())
		for _, r := range s.rows {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Name, s.summary(r.Old), s.summary(r.New),
				delta(r), pval(r.P), pval(r.PHolm), effect(r.D), mde(r.MDE), runs(r), count(r), basis(r), verdict(r, rep.Options))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	fmt.Fprintln(bw)
	fmt.Fprintf(bw, "%s (%s)\n", decision(rep), tally(rep))
	if len(rep.Warnings) > 0 {
		fmt.Fprintf(bw, "\n%d warning(s):\n", len(rep.Warnings))
		for _, e := range rep.Warnings {
			fmt.Fprintf(bw, "  %v\n", e)
		}
	}
	return bw.Flush()
}

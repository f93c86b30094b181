package render

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/inferbench/inferbench/tools/internal/gate"
)

// Markdown writes rep as GitHub-flavoured Markdown.
func Markdown(w io.Writer, rep *gate.Report) error {
	bw := bufio.NewWriter(w)
	mark := map[int]string{gate.ExitPass: "✅", gate.ExitRegression: "❌", gate.ExitInconclusive: "⚠️"}[rep.Outcome()]
	fmt.Fprintf(bw, "### benchgate %s %s\n\n", mark, md(decision(rep)))
	for _, line := range environment(rep) {
		fmt.Fprintf(bw, "**%s**\n\n", md(line))
	}
	fmt.Fprintf(bw, "%s. %s.\n", md(header(rep)), tally(rep))
	for _, s := range sections(rep.Rows) {
		title := s.title()
		if s.table != "" {
			title = s.table + " · " + title
		}
		fmt.Fprintf(bw, "\n#### %s\n\n", md(title))
		fmt.Fprintln(bw, "| benchmark | old | new | Δ | p | p (Holm) | d | MDE | runs | n | basis | verdict |")
		fmt.Fprintln(bw, "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|---|")
		for _, r := range s.rows {
			v := md(verdict(r, rep.Options))
			if r.Fail {
				v = "**" + v + "** ❌"
			}
			fmt.Fprintf(bw, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", md(r.Name), md(s.summary(r.Old)), md(s.summary(r.New)),
				md(delta(r)), pval(r.P), pval(r.PHolm), effect(r.D), md(mde(r.MDE)), runs(r), count(r), md(basis(r)), v)
		}
	}
	if len(rep.Warnings) > 0 {
		fmt.Fprintf(bw, "\n<details><summary>%d warning(s)</summary>\n\n", len(rep.Warnings))
		for _, e := range rep.Warnings {
			fmt.Fprintf(bw, "- %s\n", md(e.Error()))
		}
		fmt.Fprintln(bw, "\n</details>")
	}
	return bw.Flush()
}

var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "|", `\|`, "*", `\*`, "_", `\_`, "`", "\\`", "<", "&lt;", ">", "&gt;", "[", `\[`, "]", `\]`, "~", `\~`, "#", `\#`,
)

// md escapes text for a Markdown table cell or paragraph.
func md(s string) string { return mdEscaper.Replace(s) }

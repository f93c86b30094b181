package gate_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/inferbench/inferbench/tools/internal/benchdata"
	"github.com/inferbench/inferbench/tools/internal/gate"
)

// synth describes one synthetic benchmark × unit.
type synth struct {
	name string     // benchmark name without "Benchmark"
	unit string     // unit as written
	n    [2]int     // values per side
	mean [2]float64 // true mean per side
	cv   float64    // coefficient of variation of the noise
	// noise draws standardised noise; nil means normal.
	noise func(*rand.Rand) float64
	// perRun is the number of samples per run (process); 0 means 1, the
	// layout of make compare. The runs are stamped "run: k".
	perRun int
	// runCV is the standard deviation of each run's multiplicative
	// offset, N(1, runCV): what heap layout or RSS does to a process.
	runCV float64
}

func (s synth) per() int { return max(1, s.perRun) }

// gen writes the side's values of rows as benchmark output, run by run,
// interleaving the rows within a run the way go test -count does.
func gen(r *rand.Rand, side benchdata.Side, header string, rows []synth) string {
	var b strings.Builder
	b.WriteString(header)
	runs := 0
	for _, s := range rows {
		runs = max(runs, (s.n[side]+s.per()-1)/s.per())
	}
	for run := range runs {
		fmt.Fprintf(&b, "run: %d\n", run+1)
		offset := make([]float64, len(rows))
		for j, s := range rows {
			offset[j] = 1 + s.runCV*r.NormFloat64()
		}
		for i := 0; ; i++ {
			wrote := false
			for j, s := range rows {
				if i >= s.per() || run*s.per()+i >= s.n[side] {
					continue
				}
				noise := r.NormFloat64
				if s.noise != nil {
					noise = func() float64 { return s.noise(r) }
				}
				fmt.Fprintf(&b, "Benchmark%s\t1\t%g %s\n", s.name, s.mean[side]*offset[j]*(1+s.cv*noise()), s.unit)
				wrote = true
			}
			if !wrote {
				break
			}
		}
	}
	return b.String()
}

func evaluate(t testing.TB, o gate.Options, d benchdata.Options, old, new string) (*gate.Report, error) {
	t.Helper()
	c, err := benchdata.NewCollection(d)
	require.NoError(t, err)
	require.NoError(t, c.Read(benchdata.Old, strings.NewReader(old), "old.txt"))
	require.NoError(t, c.Read(benchdata.New, strings.NewReader(new), "new.txt"))
	return gate.Evaluate(c, o)
}

// pair generates old and new output for rows with one seed.
func pair(seed uint64, header string, rows []synth) (old, new string) {
	r := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	return gen(r, benchdata.Old, header, rows), gen(r, benchdata.New, header, rows)
}

func rowsByName(rep *gate.Report) map[string]*gate.Row {
	m := make(map[string]*gate.Row)
	for _, r := range rep.Rows {
		m[r.Name+" "+r.Unit] = r
	}
	return m
}

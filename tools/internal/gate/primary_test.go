package gate_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inferbench/inferbench/tools/internal/benchdata"
	"github.com/inferbench/inferbench/tools/internal/gate"
)

// With a primary unit only its rows form the Holm family and decide the
// exit status; a slower secondary metric warns, and a secondary metric
// that cannot be judged does not make the comparison inconclusive.
func TestPrimaryUnit(t *testing.T) {
	ten := [2]int{10, 10}
	rows := []synth{
		{name: "A", unit: "ns/op", n: ten, mean: [2]float64{1000, 1000}, cv: 0.01},
		{name: "A", unit: "B/op", n: ten, mean: [2]float64{1000, 1300}, cv: 0.01},
		{name: "A", unit: "p99-ms", n: [2]int{3, 3}, mean: [2]float64{5, 5}, cv: 0.01},
	}
	old, new := pair(11, "", rows)

	all, err := evaluate(t, gate.DefaultOptions, benchdata.Options{}, old, new)
	require.NoError(t, err)
	assert.Equal(t, gate.ExitRegression, all.Outcome(), "every unit gated: B/op fails")
	assert.Equal(t, 2, all.Tests)

	o := gate.DefaultOptions
	o.Primary = "sec/op"
	rep, err := evaluate(t, o, benchdata.Options{}, old, new)
	require.NoError(t, err)
	assert.Equal(t, gate.ExitPass, rep.Outcome())
	assert.Equal(t, 1, rep.Tests, "the family is the primary rows")
	byName := map[string]*gate.Row{}
	for _, r := range rep.Rows {
		byName[r.Unit] = r
	}
	assert.False(t, byName["sec/op"].Secondary)
	b := byName["B/op"]
	assert.True(t, b.Secondary)
	assert.Equal(t, gate.Slower, b.Verdict)
	assert.False(t, b.Fail)
	assert.Contains(t, b.Warnings[len(b.Warnings)-1].Error(), "reported, not gated (the gate decides on sec/op)")
	assert.True(t, byName["p99-ms"].Inconclusive())
	assert.Empty(t, rep.Inconclusives())

	o.Primary = "tok/s"
	_, err = evaluate(t, o, benchdata.Options{}, old, new)
	assert.ErrorIs(t, err, gate.ErrNoPrimary)
}

package gate_test

import (
	"flag"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inferbench/inferbench/tools/internal/gate"
)

func TestRegisterFlags(t *testing.T) {
	tests := []struct {
		args    []string
		want    gate.Options
		wantErr bool
	}{
		{nil, gate.DefaultOptions, false},
		{[]string{"-threshold", "10"}, gate.Options{Threshold: 0.10, Alpha: 0.05, MinEffect: 0.5, Confidence: 0.95}, false},
		{[]string{"-threshold=2.5%", "-alpha", "0.01", "-min-effect", "0.8", "-confidence", "0.9"}, gate.Options{Threshold: 0.025, Alpha: 0.01, MinEffect: 0.8, Confidence: 0.9}, false},
		{[]string{"-threshold", "five"}, gate.Options{}, true},
	}
	for _, tt := range tests {
		o := gate.DefaultOptions
		fs := flag.NewFlagSet("x", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		o.RegisterFlags(fs)
		err := fs.Parse(tt.args)
		if tt.wantErr {
			assert.Error(t, err, "%v", tt.args)
			continue
		}
		require.NoError(t, err, "%v", tt.args)
		assert.InDelta(t, tt.want.Threshold, o.Threshold, 1e-12, "%v", tt.args)
		assert.Equal(t, tt.want.Alpha, o.Alpha)
		assert.Equal(t, tt.want.MinEffect, o.MinEffect)
		assert.Equal(t, tt.want.Confidence, o.Confidence)
	}
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	o := gate.DefaultOptions
	o.RegisterFlags(fs)
	assert.Equal(t, "5", fs.Lookup("threshold").DefValue)
	assert.Equal(t, "fail", fs.Lookup("inconclusive").DefValue)
	require.NoError(t, fs.Parse([]string{"-inconclusive=pass", "-allow-env-diff", "-min-runs", "6", "-min-within-cv", "2%"}))
	assert.True(t, o.InconclusivePass)
	assert.True(t, o.AllowEnvDiff)
	assert.Equal(t, 6, o.MinRuns)
	assert.InDelta(t, 0.02, o.MinWithinCV, 1e-12)
	assert.Error(t, fs.Parse([]string{"-inconclusive=maybe"}))
}

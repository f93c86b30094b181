package chart

import (
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/plot"
)

func TestFigures(t *testing.T) {
	dir := t.TempDir()
	a := Series{Name: "a", Points: []Point{{0, 1, 0.8, 1.5}, {1, 2, 1.9, 2.6}}}
	b := Series{Name: "b", Points: []Point{{0, 10, 9, 12}, {1, 20, 19, 30}}, Dashed: true}
	dots, err := Dots("latency", "ms", []string{"x", "y"}, []Series{a, b}, true)
	require.NoError(t, err)
	_, err = Lines("throughput", "tokens", "tok/s", []Series{a, b}, true, false)
	assert.ErrorIs(t, err, ErrLogScale, "x = 0 on a log axis")
	a.Points[0].X, b.Points[0].X = 0.5, 0.5
	lines, err := Lines("throughput", "tokens", "tok/s", []Series{a, b}, true, false)
	require.NoError(t, err)
	y := []float64{1, 1.1, 0.9, 1, 2, 2.1, 1.9, 2}
	ch, err := Changes("history", "ns/op", y, []string{"a", "b", "c", "d", "e", "f", "g", "h"}, []int{4}, func(from, to int) float64 { return y[from] })
	require.NoError(t, err)
	for name, p := range map[string]*plot.Plot{"dots": dots, "lines": lines, "changes": ch} {
		path := filepath.Join(dir, name+".png")
		require.NoError(t, Save(p, path))
		assert.NoError(t, Verify(path), name)
		// Deterministic: drawing again gives the same bytes.
		again := filepath.Join(dir, name+"2.png")
		require.NoError(t, Save(p, again))
		x, _ := os.ReadFile(path)
		z, _ := os.ReadFile(again)
		assert.Equal(t, x, z, name)
	}
}

func TestVerifyRejects(t *testing.T) {
	dir := t.TempDir()
	blank := filepath.Join(dir, "blank.png")
	img := image.NewRGBA(image.Rect(0, 0, 100, 100))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	img.Set(3, 3, color.Black) // one pixel is not a figure
	f, err := os.Create(blank)
	require.NoError(t, err)
	require.NoError(t, png.Encode(f, img))
	require.NoError(t, f.Close())
	assert.ErrorIs(t, Verify(blank), ErrBlank)

	notPNG := filepath.Join(dir, "x.png")
	require.NoError(t, os.WriteFile(notPNG, []byte("GIF89a"), 0o644))
	assert.ErrorContains(t, Verify(notPNG), "x.png")
}

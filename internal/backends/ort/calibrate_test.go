package ort_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/internal/backends/ort"
	"github.com/inferbench/inferbench/internal/backends/ort/orttest"
	"github.com/inferbench/inferbench/internal/lm/corpus"
	"github.com/inferbench/inferbench/internal/lm/gpt2"
	"github.com/inferbench/inferbench/internal/lm/gpt2/calib"
)

// calibConfig has GPT-2's vocabulary, so any text tokenizes into it, and
// little else.
var calibConfig = gpt2.Config{NLayer: 2, NHead: 2, NEmbd: 16, NPositions: 64, VocabSize: gpt2.VocabGPT2, LayerNormEpsilon: 1e-5}

func calibText(t *testing.T) *corpus.Corpus {
	t.Helper()
	c, err := corpus.New("test", "test.txt", strings.Repeat("Light is refracted by the prism into colours. ", 40))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestCalibrator runs package calib's calibration with ONNX Runtime: every
// quantization point sees every window's activations (the gelu output is
// four times as wide), and the ranges lie within the values seen.
func TestCalibrator(t *testing.T) {
	orttest.Require(t)
	w := gpt2.Seeded(calibConfig, 3)
	for _, m := range []calib.Method{calib.MinMax, calib.Percentile} {
		t.Run(string(m), func(t *testing.T) {
			opt := calib.Options{Method: m, Windows: 5, Length: 16, Corpus: calibText(t), Run: ort.Calibrator(2)}
			if m == calib.Percentile {
				opt.Percentile = 99
			}
			res, err := calib.Calibrate(calibConfig, w, opt)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := len(res.Points), 4*calibConfig.NLayer; got != want {
				t.Fatalf("%d quantization points, want %d (4 Conv1D per block)", got, want)
			}
			for _, p := range res.Points {
				width := int64(calibConfig.NEmbd)
				if strings.HasSuffix(p.Tensor, "gelu_mul") {
					width = 4 * width
				}
				if want := 5 * 16 * width; p.Count != want {
					t.Errorf("%s: %d values, want 5 windows × 16 tokens × %d = %d", p.Tensor, p.Count, width, want)
				}
				if !(p.Min <= p.Range.Min && p.Range.Min <= p.Range.Max && p.Range.Max <= p.Max) || p.Min == p.Max {
					t.Errorf("%s: range [%v, %v] outside the values seen [%v, %v]", p.Tensor, p.Range.Min, p.Range.Max, p.Min, p.Max)
				}
				if m == calib.MinMax && (p.Range.Min != p.Min || p.Range.Max != p.Max) {
					t.Errorf("%s: minmax range [%v, %v], values seen [%v, %v]", p.Tensor, p.Range.Min, p.Range.Max, p.Min, p.Max)
				}
				if res.Ranges[p.Tensor] != p.Range {
					t.Errorf("%s: Ranges and Points disagree", p.Tensor)
				}
			}
		})
	}
}

// TestCalibratorThreads checks that a thread count of 0 is refused rather
// than left to ONNX Runtime's default: callers resolve it first
// (backends.Options.EffectiveThreads).
func TestCalibratorThreads(t *testing.T) {
	opt := calib.Options{Windows: 1, Length: 8, Corpus: calibText(t), Run: ort.Calibrator(0)}
	_, err := calib.Calibrate(calibConfig, gpt2.Seeded(calibConfig, 3), opt)
	if err == nil || errors.Is(err, backends.ErrUnavailable) || !strings.Contains(err.Error(), "0 threads") {
		t.Errorf("Calibrate with 0 threads = %v, want an error naming the thread count", err)
	}
}

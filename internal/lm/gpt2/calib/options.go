package calib

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/inferbench/inferbench/internal/lm/corpus"
)

// Version identifies the calibration procedure (window selection,
// reduction, histogram). Caches of calibrated models key on it.
const Version = "1"

// ErrOptions reports unusable calibration options.
var ErrOptions = errors.New("bad calibration options")

// Method is how an activation's range is reduced from the values seen.
type Method string

const (
	// MinMax takes the smallest and largest value seen.
	MinMax Method = "minmax"
	// Percentile clips each tail to 1 − Percentile/100 of the values.
	Percentile Method = "percentile"
)

// Defaults of Options' zero values.
//
// MinMax is the default because it measured best: on the trained
// gpt2-tiny (int8 variant, 7-bit weights, 32×128 calibration tokens,
// scored on the held-out Opticks text against fp32) minmax gave mean KL
// 1.3e-4 nats and ΔPPL +0.007%, percentile 99.999 1.3e-4 and +0.019%,
// 99.99 2.9e-4 and +0.028%, 99.9 2.8e-3 and +0.48%: clipping GPT-2's
// outlier activations costs more than the resolution it buys.
const (
	DefaultMethod     = MinMax
	DefaultPercentile = 99.99
	DefaultWindows    = 32
	DefaultLength     = 128
)

// Options configure calibration. Zero values mean the defaults.
type Options struct {
	// Method reduces the values to a range (default MinMax).
	Method Method
	// Percentile, in (50, 100], for Method Percentile (default 99.99).
	// Setting it with Method "" selects Percentile; with MinMax, it is an
	// error.
	Percentile float64
	// Windows of Length tokens each are cut from the corpus, evenly spaced
	// from its start to its end (defaults 32 and 128; Length is capped at
	// the model's n_positions).
	Windows, Length int
	// Corpus is the calibration text. nil means the train part of Go's
	// Opticks (corpus.Split(corpus.TrainFraction)), which is disjoint from
	// the default evaluation text corpus.Heldout().
	Corpus *corpus.Corpus
	// Run executes the calibration graph (see Runner). Calibrate needs
	// one; package calib runs no inference engine itself. ONNX Runtime's is
	// ort.Calibrator in internal/backends/ort, which also owns the thread count. It
	// does not change the result, so it is not part of Key.
	Run Runner
}

// Resolve fills in the defaults for a model of n_positions positions and
// loads the default corpus if none is set.
func (o Options) Resolve(positions int) (Options, error) {
	if o.Method == "" {
		o.Method = DefaultMethod
		if o.Percentile != 0 {
			o.Method = Percentile
		}
	}
	switch o.Method {
	case MinMax:
		if o.Percentile != 0 {
			return o, fmt.Errorf("calib: %w: percentile %v with method %s", ErrOptions, o.Percentile, MinMax)
		}
	case Percentile:
		if o.Percentile == 0 {
			o.Percentile = DefaultPercentile
		}
		if !(o.Percentile > 50 && o.Percentile <= 100) {
			return o, fmt.Errorf("calib: %w: percentile %v outside (50, 100]", ErrOptions, o.Percentile)
		}
	default:
		return o, fmt.Errorf("calib: %w: unknown method %q (want %s or %s)", ErrOptions, o.Method, MinMax, Percentile)
	}
	if o.Windows == 0 {
		o.Windows = DefaultWindows
	}
	if o.Length == 0 {
		o.Length = DefaultLength
	}
	if positions > 0 {
		o.Length = min(o.Length, positions)
	}
	if o.Windows < 1 || o.Length < 1 {
		return o, fmt.Errorf("calib: %w: %d windows of %d tokens", ErrOptions, o.Windows, o.Length)
	}
	if o.Corpus == nil {
		all, err := corpus.Opticks()
		if err != nil {
			return o, fmt.Errorf("calib: default corpus: %w", err)
		}
		if o.Corpus, _, err = all.Split(corpus.TrainFraction); err != nil {
			return o, fmt.Errorf("calib: default corpus: %w", err)
		}
	}
	return o, nil
}

// MethodName is the method as recorded in identities: "minmax" or
// "percentile-99.99".
func (o Options) MethodName() string {
	if o.Method == Percentile {
		return "percentile-" + strconv.FormatFloat(o.Percentile, 'g', -1, 64)
	}
	return string(o.Method)
}

// Key is everything that determines a resolved calibration's result, for
// cache keys.
func (o Options) Key() string {
	return fmt.Sprintf("calib=%s method=%s windows=%d length=%d corpus=%s",
		Version, o.MethodName(), o.Windows, o.Length, o.Corpus.SHA256)
}

// Describe returns a resolved calibration's identity entries
// (model.Identity.Extra): method, samples (windows × tokens), total tokens,
// and the corpus' name and sha256.
func (o Options) Describe() map[string]string {
	return map[string]string{
		"calibration-method":        o.MethodName(),
		"calibration-samples":       fmt.Sprintf("%dx%d", o.Windows, o.Length),
		"calibration-tokens":        strconv.Itoa(o.Windows * o.Length),
		"calibration-corpus":        o.Corpus.Name,
		"calibration-corpus-sha256": o.Corpus.SHA256,
		"calibration-version":       Version,
	}
}

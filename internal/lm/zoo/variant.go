package zoo

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strconv"
	"sync"

	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/lm/gpt2"
	"github.com/inferbench/inferbench/internal/lm/gpt2/calib"
	"github.com/inferbench/inferbench/internal/lm/gpt2/graph"
	"github.com/inferbench/inferbench/internal/lm/onnx"
)

// ErrNoWeights reports a model without Go weights, such as a foreign ONNX
// file: variants are built from weights, never converted from files.
var ErrNoWeights = errors.New("no Go weights to build a variant from")

// DefaultWeightBits is the int8 variant's default weight grid: 7 bits
// ([−63, 63]), which ONNX Runtime's u8×s8 CPU kernels cannot saturate on
// x86-64 CPUs without VNNI (see package graph, qdq.go).
const DefaultWeightBits = 7

// VariantOptions configure Variant. The zero value gives the defaults.
type VariantOptions struct {
	// Calibration of the int8 variant's activation ranges (zero value:
	// package calib's defaults, on the train part of Go's Opticks). Its Run
	// is needed only when the int8 variant is not cached.
	Calibration calib.Options
	// WeightBits of the int8 variant's weights, 7 or 8 (0: DefaultWeightBits).
	WeightBits int
}

// variantMu serialises variant builds in a process: a calibration is
// expensive enough not to run twice concurrently for the same key.
var variantMu sync.Mutex

// Variant returns m at precision p: a copy of m whose ONNXPath is the
// variant's file in the content-addressed cache and whose Identity has
// precision p, the variant file's sha256 and, in Extra, what the variant
// is (for int8: the quantization scheme and the calibration's method,
// samples and corpus sha256). The cache key covers the weights, the
// configuration, the precision, the builder's versions and, for int8, the
// weight bits and the calibration (package calib's Key), so a cache hit
// returns the same file without calibrating again.
//
// m must be an fp32 model with Go weights (a zoo model or FromWeights);
// p = fp32 returns m itself. A foreign ONNX file gives an error wrapping
// ErrNoWeights. Calibrating needs a runner, opt.Calibration.Run (ONNX
// Runtime's is ort.Calibrator in internal/backends/ort); without one the error
// wraps calib.ErrNoRunner, and the runner's own errors (a missing engine)
// are wrapped.
func Variant(m *model.Model, p model.Precision, opt VariantOptions) (*model.Model, error) {
	if m.Identity.Precision == p || p == model.FP32 && m.Identity.Precision == "" {
		return m, nil
	}
	if m.Identity.Precision != model.FP32 {
		return nil, fmt.Errorf("zoo: %s variant of %s: %w %s: variants derive from fp32 models", p, m.Identity.Name, graph.ErrPrecision, m.Identity.Precision)
	}
	src, ok := gpt2.Of(m)
	if !ok {
		return nil, fmt.Errorf("zoo: %s variant of %s: %w (foreign ONNX files cannot be re-precisioned; pass a zoo model or a Hugging Face directory)",
			p, m.Identity.Name, ErrNoWeights)
	}
	variantMu.Lock()
	defer variantMu.Unlock()
	switch p {
	case model.FP16:
		return buildVariant(m, src, p, nil, func() (*onnx.Model, error) {
			return graph.Build(src.Config, src.Weights, graph.Options{Precision: model.FP16})
		})
	case model.INT8:
		return int8Variant(m, src, opt)
	}
	return nil, fmt.Errorf("zoo: variant of %s: %w %q", m.Identity.Name, graph.ErrPrecision, p)
}

// int8Variant resolves the calibration options (cheap: loading the corpus)
// and calibrates only when the variant is not cached.
func int8Variant(m *model.Model, src *gpt2.Source, opt VariantOptions) (*model.Model, error) {
	bits := opt.WeightBits
	if bits == 0 {
		bits = DefaultWeightBits
	}
	if bits != 7 && bits != 8 {
		return nil, fmt.Errorf("zoo: int8 variant of %s: %w: %d-bit weights (want 7 or 8)", m.Identity.Name, graph.ErrPrecision, bits)
	}
	co, err := opt.Calibration.Resolve(src.Config.NPositions)
	if err != nil {
		return nil, fmt.Errorf("zoo: int8 variant of %s: %w", m.Identity.Name, err)
	}
	extra := co.Describe()
	extra["quant-format"] = "qdq"
	extra["quant-weights"] = fmt.Sprintf("int8-symmetric-per-channel-%dbit", bits)
	extra["quant-activations"] = "uint8-asymmetric-per-tensor"
	extra["quant-matmuls"] = strconv.Itoa(4 * src.Config.NLayer)
	extra["quant-float"] = "embeddings,layernorm,attention-scores,softmax,gelu,lm-head"
	keyed := []string{"weight-bits=" + strconv.Itoa(bits), co.Key()}
	return buildVariant(m, src, model.INT8, extra, func() (*onnx.Model, error) {
		res, err := calib.Calibrate(src.Config, src.Weights, co)
		if err != nil {
			return nil, err
		}
		g, err := graph.Build(src.Config, src.Weights, graph.Options{
			Precision:  model.INT8,
			Ranges:     res.Ranges,
			WeightBits: bits,
			Metadata: []onnx.KV{
				{Key: "inferbench.calibration_method", Value: co.MethodName()},
				{Key: "inferbench.calibration_samples", Value: extra["calibration-samples"]},
				{Key: "inferbench.calibration_corpus_sha256", Value: co.Corpus.SHA256},
			},
		})
		if err != nil {
			return nil, err
		}
		return g, writeRanges(m, src, res, keyed)
	}, keyed...)
}

// buildVariant returns the cached variant file for (m, p, keyed), building
// and caching it with build on a miss, and the variant's model.
func buildVariant(m *model.Model, src *gpt2.Source, p model.Precision, extra map[string]string, build func() (*onnx.Model, error), keyed ...string) (*model.Model, error) {
	path := filepath.Join(m.CacheDir, "onnx", variantKey(m, src, p, keyed), "model.onnx")
	sum, err := cached(path)
	if err != nil {
		g, err := build()
		if err != nil {
			return nil, fmt.Errorf("zoo: %s variant of %s: %w", p, m.Identity.Name, err)
		}
		if sum, err = writeCached(path, g.Marshal()); err != nil {
			return nil, err
		}
	}
	v := *m
	v.ONNXPath = path
	v.Identity.Precision = p
	v.Identity.ONNXSHA256 = sum
	v.Identity.Extra = maps.Clone(m.Identity.Extra)
	if v.Identity.Extra == nil {
		v.Identity.Extra = map[string]string{}
	}
	maps.Copy(v.Identity.Extra, extra)
	v.Identity.Extra["base-onnx-sha256"] = m.Identity.ONNXSHA256
	v.Identity.Extra["graph-variant-version"] = graph.VariantVersion
	if err := v.Identity.Validate(); err != nil {
		return nil, fmt.Errorf("zoo: %w", err)
	}
	return &v, nil
}

// variantKey extends cacheKey with the variant builder's version and what
// else determines the variant's bytes.
func variantKey(m *model.Model, src *gpt2.Source, p model.Precision, keyed []string) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\nvariant %s\n", cacheKey(m, src, p), graph.VariantVersion)
	for _, k := range keyed {
		fmt.Fprintf(h, "%s\n", k)
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// writeRanges records the calibration next to the variant, for inspection.
func writeRanges(m *model.Model, src *gpt2.Source, res *calib.Result, keyed []string) error {
	type point struct {
		Tensor   string  `json:"tensor"`
		Count    int64   `json:"count"`
		Min      float32 `json:"min"`
		Max      float32 `json:"max"`
		RangeMin float32 `json:"range_min"`
		RangeMax float32 `json:"range_max"`
	}
	doc := struct {
		Model       string            `json:"model"`
		Calibration map[string]string `json:"calibration"`
		Points      []point           `json:"points"`
	}{Model: m.Identity.Name, Calibration: res.Options.Describe()}
	for _, p := range res.Points {
		doc.Points = append(doc.Points, point{p.Tensor, p.Count, p.Min, p.Max, p.Range.Min, p.Range.Max})
	}
	data, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	dir := filepath.Join(m.CacheDir, "onnx", variantKey(m, src, model.INT8, keyed))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("zoo: cache: %w", err)
	}
	return writeAtomic(filepath.Join(dir, "calibration.json"), data)
}

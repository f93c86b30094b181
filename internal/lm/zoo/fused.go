package zoo

import (
	"fmt"
	"maps"
	"path/filepath"
	"sync"

	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/lm/gpt2"
	"github.com/inferbench/inferbench/internal/lm/gpt2/graph"
)

// Identity entries of a fused model (Identity.Extra; reported as
// "model-…" or "variant-…" configuration lines).
const (
	// ExtraFusion names the fusion: FusionORTContrib.
	ExtraFusion = "graph-fusion"
	// ExtraFusedOps is the fused graph's contrib-op counts,
	// "Attention=12,FastGelu=12,SkipLayerNormalization=25".
	ExtraFusedOps = "graph-fused-ops"
	// ExtraFusedVersion is graph.FusedVersion.
	ExtraFusedVersion = "graph-fused-version"
)

// FusionORTContrib is the fusion Fused applies: ONNX Runtime's contrib
// operators (package gpt2/graph, fused.go).
const FusionORTContrib = "ort-contrib"

// fusedMu serialises fused-graph builds in a process.
var fusedMu sync.Mutex

// Fused returns m with its graph fused (package gpt2/graph, fused.go): a
// copy of m whose ONNXPath is the fused graph at m's precision (fp32 or
// fp16), built on first use and cached in the folder "fused<version>"
// beside m's ONNX file (whose folder's key covers the weights, the
// configuration and the precision), and whose identity records the file's
// sha256, the fusion and its contrib-op counts (ExtraFusedOps). Decoder
// and Rows of the returned model are fused too. The build fails unless
// the graph has exactly graph.WantContribOps, so a builder that stops
// fusing cannot populate the cache.
//
// A model without Go weights (a foreign ONNX file) cannot be fused: the
// error wraps ErrNoWeights; an int8 model gives an error wrapping
// graph.ErrPrecision. A model that is already fused is returned as is.
func Fused(m *model.Model) (*model.Model, error) {
	if IsFused(m) {
		return m, nil
	}
	src, ok := gpt2.Of(m)
	if !ok {
		return nil, fmt.Errorf("zoo: fused graph of %s: %w (it is built from the weights)", m.Identity.Name, ErrNoWeights)
	}
	p := m.Identity.Precision
	if p == "" {
		p = model.FP32
	}
	if p != model.FP32 && p != model.FP16 {
		return nil, fmt.Errorf("zoo: fused graph of %s: %w %s: fused graphs are %s or %s", m.Identity.Name, graph.ErrPrecision, p, model.FP32, model.FP16)
	}
	path := filepath.Join(filepath.Dir(m.ONNXPath), "fused"+graph.FusedVersion, "model.onnx")
	want := graph.FormatOps(graph.WantContribOps(src.Config))
	fusedMu.Lock()
	defer fusedMu.Unlock()
	sum, err := cached(path)
	if err != nil {
		g, err := buildGraph(src, graph.Options{Precision: p}, true)
		if err != nil {
			return nil, fmt.Errorf("zoo: fused graph of %s: %w", m.Identity.Name, err)
		}
		if sum, err = writeCached(path, g); err != nil {
			return nil, err
		}
	}
	v := *m
	v.ONNXPath = path
	v.Identity.ONNXSHA256 = sum
	v.Identity.Extra = maps.Clone(m.Identity.Extra)
	if v.Identity.Extra == nil {
		v.Identity.Extra = map[string]string{}
	}
	v.Identity.Extra["fused-base-onnx-sha256"] = m.Identity.ONNXSHA256
	v.Identity.Extra[ExtraFusion] = FusionORTContrib
	v.Identity.Extra[ExtraFusedVersion] = graph.FusedVersion
	v.Identity.Extra[ExtraFusedOps] = want
	return &v, nil
}

// IsFused reports whether m is a graph Fused returned.
func IsFused(m *model.Model) bool { return m.Identity.Extra[ExtraFusion] == FusionORTContrib }

// buildGraph builds opt's graph, fused if fused is set, and returns its
// bytes; a fused graph's contrib ops must be graph.WantContribOps.
func buildGraph(src *gpt2.Source, opt graph.Options, fused bool) ([]byte, error) {
	opt.Fused = fused
	g, err := graph.Build(src.Config, src.Weights, opt)
	if err != nil {
		return nil, err
	}
	got, want := graph.ContribOps(g), map[string]int{}
	if fused {
		want = graph.WantContribOps(src.Config)
	}
	if !maps.Equal(got, want) {
		return nil, fmt.Errorf("fused graph has contrib ops %s, want %s", graph.FormatOps(got), graph.FormatOps(want))
	}
	return g.Marshal(), nil
}

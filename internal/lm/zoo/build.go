package zoo

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/atomicfile"
	"github.com/inferbench/inferbench/internal/cachefile"
	"github.com/inferbench/inferbench/internal/lm/gpt2"
	"github.com/inferbench/inferbench/internal/lm/gpt2/graph"
)

// cacheKey addresses a built file by what determines its bytes: the weights,
// the configuration, the precision and the builder's version.
func cacheKey(m *model.Model, src *gpt2.Source, precision model.Precision) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\n%s\n%s\n%s\n", m.Identity.WeightsSHA256, configString(src.Config), precision, graph.Version)
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// buildONNX makes sure the model's fp32 ONNX file exists in the cache and
// records its path and sha256.
func buildONNX(m *model.Model, src *gpt2.Source) error {
	path := filepath.Join(m.CacheDir, "onnx", cacheKey(m, src, model.FP32), "model.onnx")
	sum, err := cached(path)
	if err != nil {
		g, err := graph.Build(src.Config, src.Weights, graph.Options{Precision: model.FP32})
		if err != nil {
			return fmt.Errorf("build onnx: %w", err)
		}
		if sum, err = writeCached(path, g.Marshal()); err != nil {
			return err
		}
	}
	m.ONNXPath = path
	m.Identity.ONNXSHA256 = sum
	return nil
}

// ErrCorrupt reports a cache entry whose content no longer has its
// recorded sha256; it is removed and rebuilt.
var ErrCorrupt = cachefile.ErrCorrupt

// cached returns the recorded sha256 of a cached file whose content has
// it (see package cachefile; a corrupt file is removed and rebuilt).
func cached(path string) (string, error) { return cachefile.Check(path) }

// writeCached writes data to the cache and records its sha256.
func writeCached(path string, data []byte) (string, error) { return cachefile.Write(path, data) }

// sweepOnce cleans every entry directory of a cache once per process.
var sweepOnce sync.Map // cache dir → struct{}

func sweep(cacheDir string) {
	if _, done := sweepOnce.LoadOrStore(cacheDir, struct{}{}); done {
		return
	}
	cachefile.CleanStale(filepath.Join(cacheDir, "fixtures"))
	ents, _ := os.ReadDir(filepath.Join(cacheDir, "onnx"))
	for _, e := range ents {
		if e.IsDir() {
			cachefile.CleanStale(filepath.Join(cacheDir, "onnx", e.Name()))
		}
	}
}

func writeAtomic(path string, data []byte) error {
	if err := atomicfile.WriteBytes(path, data); err != nil {
		return fmt.Errorf("zoo: cache: %s: %w", path, err)
	}
	return nil
}

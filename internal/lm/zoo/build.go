package zoo

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/atomicfile"
	"github.com/inferbench/inferbench/internal/filehash"
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

// cached returns the recorded sha256 of a cached file when the file and its
// sidecar agree on the size.
func cached(path string) (string, error) {
	side, err := os.ReadFile(path + ".sha256")
	if err != nil {
		return "", err
	}
	fields := strings.Fields(string(side))
	st, err := os.Stat(path)
	if err != nil {
		return "", err
	}
	if len(fields) != 2 || fields[1] != strconv.FormatInt(st.Size(), 10) || len(fields[0]) != 64 {
		return "", fmt.Errorf("zoo: stale cache entry %s", path)
	}
	return fields[0], nil
}

// writeCached writes data atomically and then its sidecar "sha256 size".
func writeCached(path string, data []byte) (string, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return "", fmt.Errorf("zoo: cache: %w", err)
	}
	sum := filehash.Bytes(data)
	if err := writeAtomic(path, data); err != nil {
		return "", err
	}
	if err := writeAtomic(path+".sha256", []byte(fmt.Sprintf("%s %d\n", sum, len(data)))); err != nil {
		return "", err
	}
	return sum, nil
}

func writeAtomic(path string, data []byte) error {
	if err := atomicfile.WriteBytes(path, data); err != nil {
		return fmt.Errorf("zoo: cache: %s: %w", path, err)
	}
	return nil
}

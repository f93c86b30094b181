//go:build torch

package torch

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/cachefile"
	"github.com/inferbench/inferbench/internal/lm/gpt2"
	"github.com/inferbench/inferbench/internal/lm/zoo"
)

// TestModelDirCorruptRebuilt: a byte flipped in the torch worker's cached
// model.safetensors is found on the next use and the directory rebuilt,
// so torch never loads damaged weights.
func TestModelDirCorruptRebuilt(t *testing.T) {
	c := gpt2.Config{NLayer: 1, NHead: 2, NEmbd: 8, NPositions: 16, VocabSize: 50, LayerNormEpsilon: 1e-5}
	m, err := zoo.FromWeights("torch-cache", "", c, gpt2.Seeded(c, 2), model.Seeded, zoo.Options{CacheDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	src, _ := gpt2.Of(m)
	cache := t.TempDir()
	dir, err := writeModelDir(cache, m, src)
	if err != nil {
		t.Fatal(err)
	}
	weights := filepath.Join(dir, gpt2.WeightsFile)
	good, err := os.ReadFile(weights)
	if err != nil {
		t.Fatal(err)
	}
	bad := bytes.Clone(good)
	bad[len(bad)-5] ^= 0x10
	if err := os.WriteFile(weights, bad, 0o644); err != nil {
		t.Fatal(err)
	}
	cachefile.Forget()
	if dir2, err := writeModelDir(cache, m, src); err != nil || dir2 != dir {
		t.Fatalf("writeModelDir after corruption = %s, %v", dir2, err)
	}
	if now, _ := os.ReadFile(weights); !bytes.Equal(now, good) {
		t.Error("the corrupt model.safetensors was not rebuilt")
	}
}

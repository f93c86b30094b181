package zoo

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/fixtures/gpt2tiny"
	"github.com/inferbench/inferbench/internal/filehash"
	"github.com/inferbench/inferbench/internal/lm/gpt2"
)

// ErrFixture reports an embedded fixture that does not match its manifest.
var ErrFixture = errors.New("embedded fixture does not match its manifest")

// TinyConfig is gpt2-tiny's shape: GPT-2's vocabulary and layout, 4 layers
// of width 64, 512 positions (3,449,280 parameters).
var TinyConfig = gpt2.Config{NLayer: 4, NHead: 4, NEmbd: 64, NPositions: 512, VocabSize: gpt2.VocabGPT2, LayerNormEpsilon: 1e-5}

// loadTiny returns the embedded, trained gpt2-tiny after checking the
// weights' sha256 and parameter count against the committed manifest.
func loadTiny(cacheDir string) (gpt2.Config, *gpt2.Weights, source, error) {
	man, err := gpt2tiny.ReadManifest()
	if err != nil {
		return gpt2.Config{}, nil, source{}, fmt.Errorf("%w: %v", ErrFixture, err)
	}
	sum := filehash.Bytes(gpt2tiny.Safetensors)
	if sum != man.Weights.SHA256 {
		return gpt2.Config{}, nil, source{}, fmt.Errorf("gpt2tiny/model.safetensors: sha256 %s, manifest says %s: %w", sum, man.Weights.SHA256, ErrFixture)
	}
	var cfg gpt2.Config
	if err := json.Unmarshal(gpt2tiny.ConfigJSON, &cfg); err != nil {
		return gpt2.Config{}, nil, source{}, fmt.Errorf("gpt2tiny/config.json: %w: %v", ErrFixture, err)
	}
	if cfg != TinyConfig {
		return gpt2.Config{}, nil, source{}, fmt.Errorf("gpt2tiny/config.json: %+v, want %+v: %w", cfg, TinyConfig, ErrFixture)
	}
	// ReadSafetensors reads files: materialise the embedded bytes once,
	// content-addressed, in the cache.
	path := filepath.Join(cacheDir, "fixtures", "gpt2-tiny-"+sum[:16]+".safetensors")
	if got, err := filehash.File(path); err != nil || got != sum {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return gpt2.Config{}, nil, source{}, fmt.Errorf("zoo: cache: %w", err)
		}
		if err := writeAtomic(path, gpt2tiny.Safetensors); err != nil {
			return gpt2.Config{}, nil, source{}, err
		}
	}
	w, err := gpt2.ReadSafetensors(path, cfg)
	if err != nil {
		return gpt2.Config{}, nil, source{}, err
	}
	if w.Params() != man.Params {
		return gpt2.Config{}, nil, source{}, fmt.Errorf("gpt2tiny: weights hold %d parameters, manifest says %d: %w", w.Params(), man.Params, ErrFixture)
	}
	return cfg, w, source{
		kind:   model.Trained,
		sha256: sum,
		origin: "embedded:fixtures/gpt2tiny/model.safetensors",
		extra: map[string]string{
			"fixture-heldout":     man.Heldout.Name,
			"fixture-heldout-ppl": strconv.FormatFloat(man.Heldout.PPL, 'f', -1, 64),
		},
	}, nil
}

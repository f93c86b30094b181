package zoo

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"math"

	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/lm/gpt2"
)

// seeded returns a loader of seeded weights shaped by cfg.
func seeded(cfg gpt2.Config) func(string) (gpt2.Config, *gpt2.Weights, source, error) {
	return func(string) (gpt2.Config, *gpt2.Weights, source, error) {
		w := gpt2.Seeded(cfg, Seed)
		return cfg, w, source{
			kind:   model.Seeded,
			sha256: hashTensors(w),
			origin: fmt.Sprintf("seeded:seed=%d", Seed),
		}, nil
	}
}

// hashTensors is the sha256 of the weights' float32 little-endian bytes in
// Hugging Face order: the identity of weights that have no file.
func hashTensors(w *gpt2.Weights) string {
	h := sha256.New()
	buf := make([]byte, 0, 1<<16)
	for _, nt := range w.Tensors() {
		io.WriteString(h, nt.Name)
		for _, v := range nt.T.Data {
			buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(v))
			if len(buf) == cap(buf) {
				h.Write(buf)
				buf = buf[:0]
			}
		}
		h.Write(buf)
		buf = buf[:0]
	}
	return hex.EncodeToString(h.Sum(nil))
}

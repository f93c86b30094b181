package backends

import (
	"fmt"

	"github.com/inferbench/inferbench/backends/model"
)

// NoGeneration is the reason a backend whose sessions do not implement
// Generator gives for skipping generation.
const NoGeneration = "generation not implemented for this backend"

// Generator is implemented by sessions that can decode with a KV cache:
// prefill a prompt into a cache, then extend it one token at a time.
// Benchmarks and tests find it with a type assertion, as they find
// Degrader; NewDecoder (the function) does it for them.
type Generator interface {
	// NewDecoder prepares a decoder for batch sequences of at most maxLen
	// positions (prompt plus generated tokens), allocating its cache and
	// every buffer a step needs up front. A model without a KV-cache
	// graph (a foreign ONNX file without past_key_values inputs) gives an
	// error wrapping ErrUnavailable and model.ErrNoKVCache with the reason.
	NewDecoder(batch, maxLen int) (Decoder, error)
}

// Decoder holds one batch's KV cache. It owns the logits buffers it
// returns, so a step need not allocate or copy them; a returned slice is
// valid until the decoder's next call. It is not safe for concurrent use.
type Decoder interface {
	// Prefill empties the cache and runs batch prompts of seq tokens each
	// (row-major, every token attended) into it, returning the logits
	// [batch, seq, vocab].
	Prefill(tokens []int64, seq int) ([]float32, error)
	// Step appends one token per sequence (tokens holds batch ids) at
	// position Len() and returns the next-token logits [batch, vocab].
	Step(tokens []int64) ([]float32, error)
	// Len is the number of positions in the cache.
	Len() int
	// CacheBytes is the memory the decoder holds for its KV cache (for
	// double-buffered caches, both buffers).
	CacheBytes() int64
	// Config describes the cache as benchfmt key/value pairs: its dtype,
	// placement and the decoder graph's identity.
	Config() [][2]string
	// Close releases the decoder's resources.
	Close() error
}

// NewDecoder returns s's decoder for batch sequences of at most maxLen
// positions. A session that does not implement Generator gives an error
// wrapping ErrUnavailable with the reason NoGeneration; backend names it.
func NewDecoder(backend string, s Session, batch, maxLen int) (Decoder, error) {
	g, ok := s.(Generator)
	if !ok {
		return nil, Unavailable(backend, "%s", NoGeneration)
	}
	return g.NewDecoder(batch, maxLen)
}

// CheckDecode validates a decoder call: batch·seq tokens inside the
// vocabulary and a cache that will not outgrow maxLen or the model's
// n_positions. past is the cache's length before the call.
func CheckDecode(m *model.Model, tokens []int64, batch, seq, past, maxLen int) error {
	if len(tokens) != batch*seq {
		return fmt.Errorf("model %s: decoder: %d tokens for batch %d × %d: %w", m.Identity.Name, len(tokens), batch, seq, model.ErrBadShape)
	}
	if past+seq > maxLen {
		return fmt.Errorf("model %s: decoder: %d cached + %d new positions exceed the decoder's %d: %w", m.Identity.Name, past, seq, maxLen, model.ErrTooLong)
	}
	if m.Positions > 0 && past+seq > m.Positions {
		return fmt.Errorf("model %s: decoder: %d cached + %d new positions exceed n_positions %d: %w", m.Identity.Name, past, seq, m.Positions, model.ErrTooLong)
	}
	return m.CheckInput(tokens, batch, seq)
}

// Argmax returns the index of the largest value of row (the first one on
// ties): the greedy choice of a next-token distribution.
func Argmax(row []float32) int64 {
	best := 0
	for i, v := range row {
		if v > row[best] {
			best = i
		}
	}
	return int64(best)
}

package ort

import (
	"fmt"

	"github.com/inferbench/inferbench/backends/model"
)

// KVLayout is where a double-buffered KV cache keeps its tensors, in host
// or device memory alike. Each of the two buffers holds, one after the
// other, the 2·Layers cache tensors (tensor j is layer j/2's keys for
// even j, its values for odd j), each in a region of Batch·Heads·MaxLen·
// HeadDim elements. The cache of length l is, in every region, the
// row-major tensor [Batch, Heads, l, HeadDim] over the region's first
// elements: a call that grows the cache rewrites the whole present (the
// graph's Concat), so the layout of a length never has to match another's.
type KVLayout struct {
	Batch, Heads, HeadDim, Layers, MaxLen int
}

// NewKVLayout is the layout of dec's cache for batch sequences of at most
// maxLen positions.
func NewKVLayout(dec *model.Decoder, batch, maxLen int) KVLayout {
	return KVLayout{Batch: batch, Heads: dec.Heads, HeadDim: dec.HeadDim, Layers: dec.Layers, MaxLen: maxLen}
}

// Tensors is the number of cache tensors in a buffer (keys and values of
// every layer).
func (l KVLayout) Tensors() int { return 2 * l.Layers }

// RegionLen is the capacity, in elements, of one cache tensor's region.
func (l KVLayout) RegionLen() int { return l.Batch * l.Heads * l.MaxLen * l.HeadDim }

// BufferLen is the number of elements of one buffer.
func (l KVLayout) BufferLen() int { return l.Tensors() * l.RegionLen() }

// Offset is where cache tensor j's region starts in a buffer, in elements.
func (l KVLayout) Offset(j int) int { return j * l.RegionLen() }

// Shape is the shape of a cache tensor of length positions.
func (l KVLayout) Shape(length int) []int64 {
	return []int64{int64(l.Batch), int64(l.Heads), int64(length), int64(l.HeadDim)}
}

// Call is what a decoder call binds: it reads the past (PastLen positions)
// from buffer Past and ORT writes the present (PresentLen positions, the
// past plus the call's new ones) into buffer Present, the other one,
// which then holds the cache.
type Call struct {
	Past, Present       int // buffer indices, 0 or 1
	PastLen, PresentLen int
}

// Plan returns the call that adds seq positions to a cache of past
// positions held in buffer cur, checking that the cache stays within
// MaxLen. The attention mask of the call covers PresentLen positions.
func (l KVLayout) Plan(cur, past, seq int) (Call, error) {
	if cur != 0 && cur != 1 {
		return Call{}, fmt.Errorf("kv cache: buffer %d of 2: %w", cur, model.ErrBadShape)
	}
	if past < 0 || seq <= 0 {
		return Call{}, fmt.Errorf("kv cache: %d cached + %d new positions: %w", past, seq, model.ErrBadShape)
	}
	if past+seq > l.MaxLen {
		return Call{}, fmt.Errorf("kv cache: %d cached + %d new positions exceed its %d: %w", past, seq, l.MaxLen, model.ErrTooLong)
	}
	return Call{Past: cur, Present: 1 - cur, PastLen: past, PresentLen: past + seq}, nil
}

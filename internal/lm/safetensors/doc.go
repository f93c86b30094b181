// Package safetensors reads and writes .safetensors files, the tensor
// container used by Hugging Face.
//
// A file is an 8-byte little-endian header length N, N bytes of JSON header
// and the data buffer:
//
//	{"__metadata__": {"format": "pt"},
//	 "wte.weight": {"dtype": "F32", "shape": [50257, 768], "data_offsets": [0, 154389504]},
//	 ...}
//
// Offsets are relative to the start of the buffer. Parse validates the
// header strictly, as Hugging Face's own loader does and more: the header
// length is bounded, the JSON must be a single object with no duplicate keys,
// tensor entries hold exactly dtype, shape and data_offsets, dtypes must be
// known, the byte size of every shape must equal its range, and the ranges,
// taken in order, must tile the buffer exactly (no overlap, no gap, no
// trailing bytes). Every error wraps one of the sentinel errors (ErrHeader,
// ErrTruncated, ErrDType, ErrShape, ErrOverlap, ErrCoverage, ...) and names
// the file and, where there is one, the tensor.
//
// Write is deterministic: the same tensors and metadata always give the same
// bytes. The header is compact JSON with "__metadata__" first and tensors in
// name order, padded with spaces to a multiple of 8 bytes; tensor data
// follows in the same order. WriteFile writes through a temporary file and a
// rename, so it never leaves a partial file behind.
//
// Float16Tensor and BFloat16Tensor round to nearest even, with subnormals,
// infinities and NaN (package internal/floatbits).
package safetensors

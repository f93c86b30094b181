package safetensors

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"io"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/inferbench/inferbench/internal/atomicfile"
	"github.com/inferbench/inferbench/internal/floatbits"
)

// Tensor is a tensor to write: its raw little-endian data with dtype and
// shape.
type Tensor struct {
	Name  string
	DType DType
	Shape []int64
	Data  []byte
}

// Float32Tensor encodes v as an F32 tensor.
func Float32Tensor(name string, shape []int64, v []float32) Tensor {
	return Tensor{Name: name, DType: F32, Shape: slices.Clone(shape), Data: floatbits.Float32LE(v)}
}

// Float16Tensor encodes v as an F16 tensor, rounding to nearest even.
func Float16Tensor(name string, shape []int64, v []float32) Tensor {
	return Tensor{Name: name, DType: F16, Shape: slices.Clone(shape), Data: floatbits.Float16LE(v)}
}

// BFloat16Tensor encodes v as a BF16 tensor, rounding to nearest even.
func BFloat16Tensor(name string, shape []int64, v []float32) Tensor {
	return Tensor{Name: name, DType: BF16, Shape: slices.Clone(shape), Data: floatbits.BFloat16LE(v)}
}

// Write writes tensors and metadata in the safetensors format. The output is
// deterministic: tensors are laid out in name order, metadata keys sorted,
// and the header padded with spaces to a multiple of 8 bytes. Tensors are
// checked first (known dtype, data size matching shape, unique names, valid
// UTF-8); nothing is written if one is invalid.
func Write(w io.Writer, tensors []Tensor, metadata map[string]string) error {
	hdr, order, err := encodeHeader("write", tensors, metadata)
	if err != nil {
		return err
	}
	if err := writeBody(w, hdr, order); err != nil {
		return fmt.Errorf("safetensors: write: %w", err)
	}
	return nil
}

// WriteFile writes tensors and metadata to path, through a temporary file in
// the same directory renamed into place: a failure never leaves a partial
// file at path.
func WriteFile(path string, tensors []Tensor, metadata map[string]string) error {
	hdr, order, err := encodeHeader(path, tensors, metadata)
	if err != nil {
		return err
	}
	err = atomicfile.Write(path, func(w io.Writer) error { return writeBody(w, hdr, order) })
	if err != nil {
		return fmt.Errorf("safetensors: %s: %w", path, err)
	}
	return nil
}

func writeBody(w io.Writer, hdr []byte, order []*Tensor) error {
	var n [8]byte
	binary.LittleEndian.PutUint64(n[:], uint64(len(hdr)))
	if _, err := w.Write(n[:]); err != nil {
		return err
	}
	if _, err := w.Write(hdr); err != nil {
		return err
	}
	for _, t := range order {
		if _, err := w.Write(t.Data); err != nil {
			return err
		}
	}
	return nil
}

// encodeHeader validates tensors and builds the padded JSON header; order is
// the tensors in name order, as laid out in the buffer.
func encodeHeader(file string, tensors []Tensor, metadata map[string]string) (hdr []byte, order []*Tensor, err error) {
	order = make([]*Tensor, len(tensors))
	for i := range tensors {
		order[i] = &tensors[i]
	}
	slices.SortFunc(order, func(a, b *Tensor) int { return cmp.Compare(a.Name, b.Name) })

	hdr = append(hdr, '{')
	if len(metadata) > 0 {
		keys := make([]string, 0, len(metadata))
		for k, v := range metadata {
			if !utf8.ValidString(k) || !utf8.ValidString(v) {
				return nil, nil, errorf(file, ErrHeader, "metadata %q is not valid UTF-8", k)
			}
			keys = append(keys, k)
		}
		slices.Sort(keys)
		hdr = appendString(hdr, metadataKey)
		hdr = append(hdr, ":{"...)
		for i, k := range keys {
			if i > 0 {
				hdr = append(hdr, ',')
			}
			hdr = appendString(hdr, k)
			hdr = append(hdr, ':')
			hdr = appendString(hdr, metadata[k])
		}
		hdr = append(hdr, '}')
	}
	var off int64
	for i, t := range order {
		switch {
		case t.Name == metadataKey:
			return nil, nil, errorf(file, ErrHeader, "tensor name %q is reserved", t.Name)
		case !utf8.ValidString(t.Name):
			return nil, nil, errorf(file, ErrHeader, "tensor name %q is not valid UTF-8", t.Name)
		case i > 0 && order[i-1].Name == t.Name:
			return nil, nil, errorf(file, ErrDuplicate, "tensor %q", t.Name)
		case !t.DType.Known():
			return nil, nil, errorf(file, ErrDType, "tensor %q: unknown dtype %q", t.Name, t.DType)
		}
		size, err := byteSize(t.DType, t.Shape)
		if err != nil {
			return nil, nil, fmt.Errorf("safetensors: %s: tensor %q: %w", file, t.Name, err)
		}
		if size != int64(len(t.Data)) {
			return nil, nil, errorf(file, ErrShape, "tensor %q: %d bytes of data, shape %v of %s needs %d",
				t.Name, len(t.Data), t.Shape, t.DType, size)
		}
		if len(hdr) > 1 {
			hdr = append(hdr, ',')
		}
		hdr = appendString(hdr, t.Name)
		hdr = append(hdr, `:{"dtype":`...)
		hdr = appendString(hdr, string(t.DType))
		hdr = append(hdr, `,"shape":[`...)
		for j, d := range t.Shape {
			if j > 0 {
				hdr = append(hdr, ',')
			}
			hdr = strconv.AppendInt(hdr, d, 10)
		}
		hdr = append(hdr, `],"data_offsets":[`...)
		hdr = strconv.AppendInt(hdr, off, 10)
		hdr = append(hdr, ',')
		off += size
		hdr = strconv.AppendInt(hdr, off, 10)
		hdr = append(hdr, "]}"...)
	}
	hdr = append(hdr, '}')
	for len(hdr)%8 != 0 {
		hdr = append(hdr, ' ')
	}
	if len(hdr) > MaxHeaderSize {
		return nil, nil, errorf(file, ErrHeader, "header of %d bytes exceeds the %d-byte limit", len(hdr), MaxHeaderSize)
	}
	return hdr, order, nil
}

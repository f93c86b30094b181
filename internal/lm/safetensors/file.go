package safetensors

import (
	"encoding/binary"
	"fmt"
	"math"
	"slices"

	"github.com/inferbench/inferbench/internal/floatbits"
)

// Lookup returns the tensor called name.
func (f *File) Lookup(name string) (TensorInfo, bool) {
	i, ok := f.index[name]
	if !ok {
		return TensorInfo{}, false
	}
	return f.Tensors[i], true
}

// Names lists the tensor names in name order.
func (f *File) Names() []string {
	names := make([]string, len(f.Tensors))
	for i, t := range f.Tensors {
		names[i] = t.Name
	}
	slices.Sort(names)
	return names
}

// Bytes returns the raw little-endian data of the tensor called name. The
// slice aliases the file's data and must not be modified.
func (f *File) Bytes(name string) ([]byte, error) {
	t, ok := f.Lookup(name)
	if !ok {
		return nil, errorf(f.Path, ErrNotFound, "tensor %q", name)
	}
	return f.buf[t.Begin:t.End:t.End], nil
}

// Float32 returns the tensor called name converted to float32, and its
// shape. F32, F16, BF16 and F64 tensors convert; other dtypes fail with
// ErrDType.
func (f *File) Float32(name string) ([]float32, []int64, error) {
	t, ok := f.Lookup(name)
	if !ok {
		return nil, nil, errorf(f.Path, ErrNotFound, "tensor %q", name)
	}
	b := f.buf[t.Begin:t.End]
	n := len(b) / int(t.DType.Size())
	v := make([]float32, n)
	switch t.DType {
	case F32:
		for i := range v {
			v[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
		}
	case F16:
		for i := range v {
			v[i] = floatbits.Float16ToFloat32(binary.LittleEndian.Uint16(b[2*i:]))
		}
	case BF16:
		for i := range v {
			v[i] = floatbits.BFloat16ToFloat32(binary.LittleEndian.Uint16(b[2*i:]))
		}
	case F64:
		for i := range v {
			v[i] = float32(math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:])))
		}
	default:
		return nil, nil, errorf(f.Path, ErrDType, "tensor %q: cannot convert %s to float32", name, t.DType)
	}
	return v, slices.Clone(t.Shape), nil
}

// String summarises the file.
func (f *File) String() string {
	return fmt.Sprintf("%s: %d tensors, %d bytes of data", f.Path, len(f.Tensors), len(f.buf))
}

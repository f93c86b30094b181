package onnx

import (
	"encoding/binary"
	"fmt"
	"math"
	"slices"

	"github.com/inferbench/inferbench/internal/floatbits"
)

// FloatTensor is a FLOAT tensor holding v in raw_data (little-endian).
func FloatTensor(name string, dims []int64, v []float32) Tensor {
	return Tensor{Name: name, DataType: Float, Dims: slices.Clone(dims), Raw: floatbits.Float32LE(v)}
}

// Float16Tensor is a FLOAT16 tensor holding v, rounded to nearest even, in
// raw_data.
func Float16Tensor(name string, dims []int64, v []float32) Tensor {
	return Tensor{Name: name, DataType: Float16, Dims: slices.Clone(dims), Raw: floatbits.Float16LE(v)}
}

// Int64Tensor is an INT64 tensor holding v in raw_data (little-endian).
func Int64Tensor(name string, dims []int64, v []int64) Tensor {
	b := make([]byte, 8*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint64(b[8*i:], uint64(x))
	}
	return Tensor{Name: name, DataType: Int64, Dims: slices.Clone(dims), Raw: b}
}

// Floats decodes a FLOAT, FLOAT16, BFLOAT16 or DOUBLE tensor, held in Raw
// or in its typed data field, to float32. External data must be resolved
// first.
func (t *Tensor) Floats() ([]float32, error) {
	n, err := t.count()
	if err != nil {
		return nil, err
	}
	v := make([]float32, n)
	if t.Raw != nil {
		if err := t.checkRaw(n); err != nil {
			return nil, err
		}
		for i := range v {
			switch t.DataType {
			case Float:
				v[i] = math.Float32frombits(binary.LittleEndian.Uint32(t.Raw[4*i:]))
			case Double:
				v[i] = float32(math.Float64frombits(binary.LittleEndian.Uint64(t.Raw[8*i:])))
			case Float16, BFloat16:
				v[i] = half(t.DataType, binary.LittleEndian.Uint16(t.Raw[2*i:]))
			}
		}
	}
	var have int
	switch t.DataType {
	case Float:
		have = len(t.FloatData)
		if t.Raw == nil && have == n {
			copy(v, t.FloatData)
		}
	case Double:
		have = len(t.DoubleData)
		if t.Raw == nil && have == n {
			for i, x := range t.DoubleData {
				v[i] = float32(x)
			}
		}
	case Float16, BFloat16:
		have = len(t.Int32Data)
		if t.Raw == nil && have == n {
			for i, x := range t.Int32Data {
				v[i] = half(t.DataType, uint16(x))
			}
		}
	default:
		return nil, fmt.Errorf("onnx: tensor %q: cannot convert %v to float32: %w", t.Name, t.DataType, ErrInvalid)
	}
	if t.Raw == nil && have != n {
		return nil, fmt.Errorf("onnx: tensor %q: %d values, dims %v need %d: %w", t.Name, have, t.Dims, n, ErrInvalid)
	}
	return v, nil
}

// Int64s decodes an INT64 or INT32 tensor, held in Raw or in its typed data
// field. External data must be resolved first.
func (t *Tensor) Int64s() ([]int64, error) {
	n, err := t.count()
	if err != nil {
		return nil, err
	}
	if t.DataType != Int64 && t.DataType != Int32 {
		return nil, fmt.Errorf("onnx: tensor %q: cannot convert %v to int64: %w", t.Name, t.DataType, ErrInvalid)
	}
	v := make([]int64, n)
	if t.Raw != nil {
		if err := t.checkRaw(n); err != nil {
			return nil, err
		}
		for i := range v {
			if t.DataType == Int64 {
				v[i] = int64(binary.LittleEndian.Uint64(t.Raw[8*i:]))
			} else {
				v[i] = int64(int32(binary.LittleEndian.Uint32(t.Raw[4*i:])))
			}
		}
		return v, nil
	}
	have := len(t.Int64Data)
	if t.DataType == Int32 {
		have = len(t.Int32Data)
	}
	if have != n {
		return nil, fmt.Errorf("onnx: tensor %q: %d values, dims %v need %d: %w", t.Name, have, t.Dims, n, ErrInvalid)
	}
	for i := range v {
		if t.DataType == Int64 {
			v[i] = t.Int64Data[i]
		} else {
			v[i] = int64(t.Int32Data[i])
		}
	}
	return v, nil
}

func (t *Tensor) count() (int, error) {
	if t.DataLocation == DataExternal {
		return 0, fmt.Errorf("onnx: tensor %q: external data not resolved: %w", t.Name, ErrExternal)
	}
	n, err := NumElements(t.Dims)
	if err != nil {
		return 0, fmt.Errorf("onnx: tensor %q: %w", t.Name, err)
	}
	if n > math.MaxInt32 {
		return 0, fmt.Errorf("onnx: tensor %q: %d elements is too many to convert: %w", t.Name, n, ErrInvalid)
	}
	return int(n), nil
}

func (t *Tensor) checkRaw(n int) error {
	want, ok := t.DataType.RawSize(int64(n))
	if ok && int64(len(t.Raw)) != want {
		return fmt.Errorf("onnx: tensor %q: raw_data holds %d bytes, %d %v elements need %d: %w",
			t.Name, len(t.Raw), n, t.DataType, want, ErrInvalid)
	}
	return nil
}

func half(dt DataType, h uint16) float32 {
	if dt == BFloat16 {
		return floatbits.BFloat16ToFloat32(h)
	}
	return floatbits.Float16ToFloat32(h)
}

// AttrFloat is a FLOAT attribute.
func AttrFloat(name string, v float32) Attr { return Attr{Name: name, Type: AttrTypeFloat, F: v} }

// AttrInt is an INT attribute.
func AttrInt(name string, v int64) Attr { return Attr{Name: name, Type: AttrTypeInt, I: v} }

// AttrString is a STRING attribute.
func AttrString(name, v string) Attr { return Attr{Name: name, Type: AttrTypeString, S: bytesOf(v)} }

// AttrTensor is a TENSOR attribute, as Constant's "value".
func AttrTensor(name string, t Tensor) Attr { return Attr{Name: name, Type: AttrTypeTensor, T: &t} }

// AttrGraph is a GRAPH attribute, as If's "then_branch".
func AttrGraph(name string, g Graph) Attr { return Attr{Name: name, Type: AttrTypeGraph, G: &g} }

// AttrFloats is a FLOATS attribute.
func AttrFloats(name string, v ...float32) Attr {
	return Attr{Name: name, Type: AttrTypeFloats, Floats: slices.Clone(v)}
}

// AttrInts is an INTS attribute, as Transpose's "perm".
func AttrInts(name string, v ...int64) Attr {
	return Attr{Name: name, Type: AttrTypeInts, Ints: slices.Clone(v)}
}

// AttrStrings is a STRINGS attribute.
func AttrStrings(name string, v ...string) Attr {
	a := Attr{Name: name, Type: AttrTypeStrings, Strings: make([][]byte, len(v))}
	for i, s := range v {
		a.Strings[i] = bytesOf(s)
	}
	return a
}

// bytesOf is []byte(s), but nil for "" as Unmarshal decodes it.
func bytesOf(s string) []byte {
	if s == "" {
		return nil
	}
	return []byte(s)
}

// TensorInfo is a ValueInfo for a tensor of element type elem and the
// given dimensions: an int or int64 is a fixed size, a string a symbolic
// one.
func TensorInfo(name string, elem DataType, dims ...any) ValueInfo {
	vi := ValueInfo{Name: name, ElemType: elem}
	if len(dims) > 0 {
		vi.Dims = make([]Dim, len(dims))
	}
	for i, d := range dims {
		switch d := d.(type) {
		case int:
			vi.Dims[i] = Dim{Value: int64(d)}
		case int64:
			vi.Dims[i] = Dim{Value: d}
		case string:
			vi.Dims[i] = Dim{Param: d}
		default:
			panic(fmt.Sprintf("onnx.TensorInfo: dimension %v of type %T", d, d))
		}
	}
	return vi
}

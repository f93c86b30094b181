//go:build !tensorrt

package tensorrt_test

import (
	"errors"
	"testing"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/model"
	"github.com/inferbench/inferbench/internal/backends/ort/tensorrt"
)

func TestUnavailableWithoutTag(t *testing.T) {
	for _, p := range []model.Precision{model.FP32, model.FP16, model.INT8} {
		b := tensorrt.New(p)
		s, err := b.Open(&model.Model{}, backends.Options{})
		if s != nil || !errors.Is(err, backends.ErrUnavailable) {
			t.Fatalf("%s: Open = %v, %v; want an unavailable error", b.Name(), s, err)
		}
		if r, want := backends.Reason(err), "built without -tags tensorrt"; r != want {
			t.Errorf("%s: reason %q, want %q", b.Name(), r, want)
		}
	}
}

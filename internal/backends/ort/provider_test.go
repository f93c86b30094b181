package ort_test

import (
	"errors"
	"strings"
	"testing"

	ortgo "github.com/yalue/onnxruntime_go"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/internal/backends/ort"
	"github.com/inferbench/inferbench/internal/backends/ort/orttest"
)

// TestProviderRefusedIsUnavailable: a provider ORT refuses makes the
// backend unavailable with ORT's words, as one *ProviderError type.
func TestProviderRefusedIsUnavailable(t *testing.T) {
	orttest.Require(t)
	o := testOptions()
	o.Providers = []ort.Provider{{
		Name:   "NoSuchExecutionProvider",
		Append: func(*ortgo.SessionOptions) error { return errors.New("provider not built in") },
	}}
	_, err := ort.Open("ort-test", orttest.Tiny(t), o)
	var pe *ort.ProviderError
	if !errors.Is(err, backends.ErrUnavailable) || !errors.As(err, &pe) || pe.Provider != "NoSuchExecutionProvider" {
		t.Fatalf("Open with a refused provider = %v; want unavailable wrapping *ort.ProviderError", err)
	}
	if r := backends.Reason(err); !strings.Contains(r, "provider not built in") || ort.UnavailableReason(err) != r {
		t.Errorf("reason %q, UnavailableReason %q", r, ort.UnavailableReason(err))
	}
}

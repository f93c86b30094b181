package harness

import (
	"testing"

	"github.com/inferbench/inferbench/backends"
	"github.com/inferbench/inferbench/backends/model"
)

func TestFallbackNodes(t *testing.T) {
	tests := []struct {
		cfg  Config
		want float64
		ok   bool
	}{
		{Config{{"ort-version", "1.30.0"}, {"placement-fallback-nodes", "3"}}, 3, true},
		{Config{{"placement-fallback-nodes", "0"}}, 0, true},
		{Config{{"ort-version", "1.30.0"}}, 0, false},
		{Config{{"placement-fallback-nodes", "many"}}, 0, false},
	}
	for _, tt := range tests {
		if n, ok := FallbackNodes(tt.cfg); n != tt.want || ok != tt.ok {
			t.Errorf("FallbackNodes(%v) = %v, %v; want %v, %v", tt.cfg, n, ok, tt.want, tt.ok)
		}
	}
}

func TestCheckLogits(t *testing.T) {
	for _, tt := range []struct {
		where string
		ok    bool
	}{{"", true}, {"host", true}, {"device", true}, {"gpu", false}, {"Host", false}} {
		if err := CheckLogits(tt.where); (err == nil) != tt.ok {
			t.Errorf("CheckLogits(%q) = %v, want ok=%v", tt.where, err, tt.ok)
		}
	}
}

type fakeBackend struct{ name, device string }

func (b fakeBackend) Name() string             { return b.name }
func (fakeBackend) Precision() model.Precision { return model.FP32 }
func (b fakeBackend) Device() string           { return b.device }
func (fakeBackend) Open(*model.Model, backends.Options) (backends.Session, error) {
	return nil, backends.Unavailable("fake", "fake")
}

func TestIsolated(t *testing.T) {
	for _, tt := range []struct {
		be   fakeBackend
		want bool
	}{
		{fakeBackend{"ort-cuda", "cuda:0"}, true},
		{fakeBackend{"ort-webgpu", "webgpu"}, true},
		{fakeBackend{"ort-cpu", "cpu"}, false},
		{fakeBackend{"torch-eager", "cuda:0"}, false},
		{fakeBackend{"reference", "cpu"}, false},
	} {
		if got := Isolated(tt.be); got != tt.want {
			t.Errorf("Isolated(%s on %s) = %v, want %v", tt.be.name, tt.be.device, got, tt.want)
		}
	}
}

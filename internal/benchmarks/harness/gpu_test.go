package harness

import (
	"strings"
	"testing"
)

// GPU never invents a device: it either names what NVML reports or says
// why it cannot (and says nothing in CPU-only builds).
func TestGPULines(t *testing.T) {
	for _, kv := range GPU() {
		if kv[0] == "gpu" && !strings.HasPrefix(kv[1], "unknown: ") {
			t.Errorf("gpu line %q neither names a device key nor says unknown", kv[1])
		}
		if kv[1] == "" {
			t.Errorf("empty value for %s", kv[0])
		}
		t.Logf("%s: %s", kv[0], kv[1])
	}
}

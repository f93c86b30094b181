package capi

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/inferbench/inferbench/internal/backends/ort/ortlib"
)

// thirdParty is the vendored headers' folder.
var thirdParty = filepath.Join("..", "..", "..", "third_party", "onnxruntime")

// TestHeaders: the compiled ORT_API_VERSION is the one VERSION records and
// no newer than the pinned library's (ONNX Runtime 1.N serves API versions
// up to N), and every header has the digest the README records.
func TestHeaders(t *testing.T) {
	version, err := os.ReadFile(filepath.Join(thirdParty, "VERSION"))
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("ORT_API_VERSION %d\n", APIVersion); !strings.HasPrefix(string(version), want) {
		t.Errorf("VERSION starts %q; the compiled headers are %q", strings.SplitN(string(version), "\n", 2)[0], strings.TrimSpace(want))
	}
	parts := strings.Split(ortlib.Version, ".")
	minor, err := strconv.Atoi(parts[1])
	if err != nil || parts[0] != "1" {
		t.Fatalf("pinned ONNX Runtime %q", ortlib.Version)
	}
	if APIVersion > minor {
		t.Errorf("headers of API version %d are newer than the pinned ONNX Runtime %s (API %d)", APIVersion, ortlib.Version, minor)
	}
	readme, err := os.ReadFile(filepath.Join(thirdParty, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	headers, err := filepath.Glob(filepath.Join(thirdParty, "include", "*.h"))
	if err != nil || len(headers) != 3 {
		t.Fatalf("headers %v: %v", headers, err)
	}
	for _, h := range headers {
		b, err := os.ReadFile(h)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(b)
		row := fmt.Sprintf("| `%s` | `%s` |", filepath.Base(h), hex.EncodeToString(sum[:]))
		if !strings.Contains(string(readme), row) {
			t.Errorf("README.md lacks the row %s", row)
		}
	}
}

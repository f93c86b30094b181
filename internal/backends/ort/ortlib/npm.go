package ortlib

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
)

// Pack runs `npm pack spec` in dir, so npm's own registry configuration
// applies, and returns the path of the tarball it wrote. npm's progress and
// notices go to log.
func Pack(ctx context.Context, dir, spec string, log io.Writer) (string, error) {
	npm, err := exec.LookPath("npm")
	if err != nil {
		return "", fmt.Errorf("ortlib: npm pack %s: %w (install npm, or pass a tarball)", spec, err)
	}
	cmd := exec.CommandContext(ctx, npm, "pack", "--json", "--ignore-scripts", spec)
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = log
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("ortlib: npm pack %s: %w", spec, err)
	}
	var packed []struct {
		Filename string `json:"filename"`
	}
	if err := json.Unmarshal(out.Bytes(), &packed); err != nil || len(packed) != 1 || packed[0].Filename == "" {
		return "", fmt.Errorf("ortlib: npm pack %s: unexpected output %q", spec, out.Bytes())
	}
	return filepath.Join(dir, filepath.Base(packed[0].Filename)), nil
}

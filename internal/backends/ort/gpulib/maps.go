package gpulib

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Loaded returns the shared-object files mapped into this process whose
// base names contain any of substrs (all of them when none is given), in
// the order they first appear in /proc/self/maps.
func Loaded(substrs ...string) ([]string, error) {
	f, err := os.Open("/proc/self/maps")
	if err != nil {
		return nil, fmt.Errorf("gpulib: %w", err)
	}
	defer f.Close()
	return parseMaps(f, substrs...)
}

func parseMaps(r io.Reader, substrs ...string) ([]string, error) {
	var out []string
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for sc.Scan() {
		// address perms offset dev inode pathname
		fields := strings.Fields(sc.Text())
		if len(fields) < 6 {
			continue
		}
		path := strings.Join(fields[5:], " ")
		base := filepath.Base(path)
		if !strings.HasPrefix(path, "/") || !(strings.HasSuffix(base, ".so") || strings.Contains(base, ".so.")) {
			continue
		}
		if len(substrs) > 0 && !slices.ContainsFunc(substrs, func(s string) bool { return strings.Contains(base, s) }) {
			continue
		}
		if !slices.Contains(out, path) {
			out = append(out, path)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("gpulib: reading maps: %w", err)
	}
	return out, nil
}

// NVIDIA are the name parts of the libraries GPU configuration lines
// record: ONNX Runtime and its providers, the CUDA runtime and driver,
// cuBLAS, cuDNN, cuRAND, cuFFT, NVRTC, TensorRT.
var NVIDIA = []string{"onnxruntime", "libcuda", "libcudart", "libcublas", "libcudnn", "libcurand", "libcufft", "libnvrtc", "libnvinfer", "libnvonnxparser", "libnvidia-ml"}

// ConfigLines renders loaded library files as configuration lines
// "<prefix><name>: <path>", name being the lower-cased base name up to
// ".so" (benchfmt keys have no upper case), such as
// "ort-loaded-libcublaslt: /usr/local/cuda/lib64/libcublasLt.so.13.1.0.3".
func ConfigLines(prefix string, paths []string) [][2]string {
	lines := make([][2]string, 0, len(paths))
	seen := map[string]int{}
	for _, p := range paths {
		name, _, _ := strings.Cut(filepath.Base(p), ".so")
		name = strings.ToLower(name)
		seen[name]++
		if seen[name] > 1 {
			name = fmt.Sprintf("%s-%d", name, seen[name])
		}
		lines = append(lines, [2]string{prefix + name, p})
	}
	return lines
}

package ortlib

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Resolve returns the ONNX Runtime shared library to load: the file named by
// $ONNXRUNTIME_SHARED_LIBRARY_PATH when it is set; else, in builds with a
// GPU tag (cuda, tensorrt; see PreferGPU), the GPU build in GPUDir if it is
// there; else the CPU library at the cache path. A variable naming no file
// is an ErrBadLibraryPath error naming it, never a silent fall-back to a
// cached library: the user asked for that one. With none found, the error
// wraps ErrNotFound and says where it looked and how to install.
func Resolve() (string, error) {
	var caches []string
	if PreferGPU {
		if dir, err := GPUDir(); err == nil {
			caches = append(caches, filepath.Join(dir, GPULibraryName))
		}
	}
	if cache, err := CachePath(); err == nil {
		caches = append(caches, cache)
	}
	return resolve(os.Getenv(EnvLibraryPath), isFile, caches...)
}

func resolve(env string, exists func(string) bool, caches ...string) (string, error) {
	looked := strings.Join(caches, ", ")
	if len(caches) == 0 {
		looked = "<no user cache directory>"
	}
	setup := "`make setup`"
	if PreferGPU {
		setup = "`make setup ORT_FLAVOR=gpu` (GPU build) or `make setup` (CPU build)"
	}
	if env != "" {
		if exists(env) {
			return env, nil
		}
		return "", fmt.Errorf("%w: $%s=%s: no such file; point it at libonnxruntime.so, or unset it to use %s (%s)", ErrBadLibraryPath, EnvLibraryPath, env, looked, setup)
	}
	for _, c := range caches {
		if exists(c) {
			return c, nil
		}
	}
	return "", fmt.Errorf("%w (looked in $%s (unset) and %s); run %s", ErrNotFound, EnvLibraryPath, looked, setup)
}

func isFile(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular()
}

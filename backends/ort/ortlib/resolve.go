package ortlib

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Resolve returns the ONNX Runtime shared library to load: the file named by
// $ONNXRUNTIME_SHARED_LIBRARY_PATH if it exists; else, in builds with a GPU
// tag (cuda, tensorrt; see PreferGPU), the GPU build in GPUDir if it is
// there; else the CPU library at the cache path. Otherwise the error wraps
// ErrNotFound and says where it looked and how to install.
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
	if env != "" && exists(env) {
		return env, nil
	}
	for _, c := range caches {
		if exists(c) {
			return c, nil
		}
	}
	envDesc := "$" + EnvLibraryPath + " (unset)"
	if env != "" {
		envDesc = fmt.Sprintf("$%s (%s: no such file)", EnvLibraryPath, env)
	}
	if len(caches) == 0 {
		caches = []string{"<no user cache directory>"}
	}
	setup := "`make setup`"
	if PreferGPU {
		setup = "`make setup ORT_FLAVOR=gpu` (GPU build) or `make setup` (CPU build)"
	}
	return "", fmt.Errorf("%w (looked in %s and %s); run %s", ErrNotFound, envDesc, strings.Join(caches, ", "), setup)
}

func isFile(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular()
}

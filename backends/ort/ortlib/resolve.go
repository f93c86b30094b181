package ortlib

import (
	"fmt"
	"os"
)

// Resolve returns the ONNX Runtime shared library to load: the file named by
// $ONNXRUNTIME_SHARED_LIBRARY_PATH if it exists, else the cache path if it
// exists. Otherwise the error wraps ErrNotFound and says where it looked.
func Resolve() (string, error) {
	cache, err := CachePath()
	if err != nil {
		cache = "" // reported as unknown below
	}
	return resolve(os.Getenv(EnvLibraryPath), cache, isFile)
}

func resolve(env, cache string, exists func(string) bool) (string, error) {
	if env != "" && exists(env) {
		return env, nil
	}
	if cache != "" && exists(cache) {
		return cache, nil
	}
	envDesc := "$" + EnvLibraryPath + " (unset)"
	if env != "" {
		envDesc = fmt.Sprintf("$%s (%s: no such file)", EnvLibraryPath, env)
	}
	if cache == "" {
		cache = "<no user cache directory>"
	}
	return "", fmt.Errorf("%w (looked in %s and %s); run `make setup`", ErrNotFound, envDesc, cache)
}

func isFile(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular()
}

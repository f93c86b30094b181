package gpulib

import (
	"debug/elf"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// EnvLibraryPath names a colon-separated list of folders searched first.
const EnvLibraryPath = "INFERBENCH_CUDA_LIBRARY_PATH"

// system are sonames every Linux has; they are never searched for.
var system = []string{
	"libc.so.6", "libm.so.6", "libdl.so.2", "librt.so.1", "libpthread.so.0",
	"libstdc++.so.6", "libgcc_s.so.1", "ld-linux-x86-64.so.2",
}

// Driver is the CUDA driver library; it comes with the NVIDIA driver, not
// the toolkit, and is looked up by the system's linker only.
const Driver = "libcuda.so.1"

// MissingError reports a library found in none of the searched folders.
type MissingError struct {
	Soname string
	For    string   // the library that needs it
	Dirs   []string // where it was looked for
}

func (e *MissingError) Error() string {
	return fmt.Sprintf("%s (needed by %s) not found in %s or the system's library path; set $%s to the folder that holds it",
		e.Soname, filepath.Base(e.For), strings.Join(e.Dirs, ":"), EnvLibraryPath)
}

// Needed returns the DT_NEEDED sonames of the ELF file at path, without
// the system ones, followed by extra (libraries it opens by name at run
// time).
func Needed(path string, extra ...string) ([]string, error) {
	f, err := elf.Open(path)
	if err != nil {
		return nil, fmt.Errorf("gpulib: %w", err)
	}
	defer f.Close()
	libs, err := f.ImportedLibraries()
	if err != nil {
		return nil, fmt.Errorf("gpulib: %s: %w", path, err)
	}
	var out []string
	for _, l := range append(libs, extra...) {
		if !slices.Contains(system, l) && !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	return out, nil
}

// Dirs returns the folders searched for NVIDIA libraries, in order,
// existing ones only: $INFERBENCH_CUDA_LIBRARY_PATH, $LD_LIBRARY_PATH,
// $CUDA_HOME/lib64, $CUDA_PATH/lib64, /usr/local/cuda*/lib64, extra, the
// nvidia-* and tensorrt_libs Python wheels of $VIRTUAL_ENV, /opt/*/.venv,
// ~/.local and the system Python, then the system library folders.
func Dirs(extra ...string) []string {
	var cand []string
	for _, env := range []string{EnvLibraryPath, "LD_LIBRARY_PATH"} {
		cand = append(cand, filepath.SplitList(os.Getenv(env))...)
	}
	for _, env := range []string{"CUDA_HOME", "CUDA_PATH"} {
		if v := os.Getenv(env); v != "" {
			cand = append(cand, filepath.Join(v, "lib64"))
		}
	}
	cand = append(cand, "/usr/local/cuda/lib64")
	cand = append(cand, glob("/usr/local/cuda-*/lib64")...)
	cand = append(cand, extra...)
	var roots []string
	if v := os.Getenv("VIRTUAL_ENV"); v != "" {
		roots = append(roots, glob(filepath.Join(v, "lib", "python3*", "site-packages"))...)
	}
	roots = append(roots, glob("/opt/*/.venv/lib/python3*/site-packages")...)
	if home, err := os.UserHomeDir(); err == nil {
		roots = append(roots, glob(filepath.Join(home, ".local", "lib", "python3*", "site-packages"))...)
	}
	roots = append(roots, glob("/usr/local/lib/python3*/dist-packages")...)
	roots = append(roots, glob("/usr/lib/python3/dist-packages")...)
	for _, r := range roots {
		cand = append(cand, glob(filepath.Join(r, "nvidia", "*", "lib"))...)
		cand = append(cand, glob(filepath.Join(r, "nvidia", "*", "lib64"))...)
		cand = append(cand, glob(filepath.Join(r, "tensorrt_libs"))...)
	}
	cand = append(cand, "/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib")
	var dirs []string
	for _, d := range cand {
		if d == "" || slices.Contains(dirs, d) {
			continue
		}
		if fi, err := os.Stat(d); err == nil && fi.IsDir() {
			dirs = append(dirs, d)
		}
	}
	return dirs
}

func glob(pattern string) []string {
	m, _ := filepath.Glob(pattern)
	return m
}

// Find returns the path of each soname in the first of dirs that holds
// it, in the order given. The driver (Driver) is left to the system linker
// and maps to its bare soname. A soname found nowhere is a *MissingError;
// forLib names the library that needs them, for the message.
func Find(sonames []string, dirs []string, forLib string) ([]string, error) {
	paths := make([]string, 0, len(sonames))
	for _, so := range sonames {
		if so == Driver {
			paths = append(paths, so)
			continue
		}
		found := ""
		for _, d := range dirs {
			p := filepath.Join(d, so)
			if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
				found = p
				break
			}
		}
		if found == "" {
			return nil, &MissingError{Soname: so, For: forLib, Dirs: dirs}
		}
		paths = append(paths, found)
	}
	return paths, nil
}

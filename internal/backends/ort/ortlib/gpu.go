package ortlib

import (
	"archive/zip"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
)

// The pinned ONNX Runtime GPU build: the PyPI wheel onnxruntime-gpu, built
// for CUDA 13 and cuDNN 9. Its onnxruntime/capi/ folder holds the base
// library and the provider libraries ORT loads from the base library's
// folder.
const (
	// GPUVersion is the onnxruntime-gpu release; it matches Version.
	GPUVersion = Version
	// GPURequirement is what `pip download` is asked for.
	GPURequirement = "onnxruntime-gpu==" + GPUVersion
	// GPUWheel is the wheel file pip downloads for CPython 3.12 on
	// manylinux_2_28 x86-64 (the ABI tag only picks a file: the extracted
	// libraries do not use Python).
	GPUWheel = "onnxruntime_gpu-1.30.0-cp312-cp312-manylinux_2_28_x86_64.whl"
	// GPUWheelSHA256 is the wheel's sha256, checked before anything is
	// extracted from it.
	GPUWheelSHA256 = "6acc0f4b3d5ac5f2984432faa59dd8fcce6775f8b43a7140afa0f322c7a703b1"
	// GPULibraryName is the base library's name in the GPU folder.
	GPULibraryName = "libonnxruntime.so." + GPUVersion
	// GPUFlavor names the GPU build in the cache folder (<Version>-gpu).
	GPUFlavor = "gpu"
)

// GPUPipArgs are the `pip download` arguments besides the requirement and
// the destination: one binary wheel, no dependencies, for the platform the
// pinned sha256 belongs to, whatever Python runs pip.
var GPUPipArgs = []string{
	"download", "--no-deps", "--only-binary=:all:",
	"--python-version", "3.12", "--implementation", "cp",
	"--platform", "manylinux_2_28_x86_64",
}

// PinnedFile is one file to extract from an archive, with its pinned sha256.
type PinnedFile struct {
	Name   string // path inside the archive
	SHA256 string
}

// GPUMembers are the files extracted from GPUWheel into the GPU folder.
var GPUMembers = []PinnedFile{
	{"onnxruntime/capi/" + GPULibraryName, "5a140dc17c8b60b35b2ceab0bb533e65ac54f06a208948417c1f9c31df6afc4c"},
	{"onnxruntime/capi/libonnxruntime_providers_shared.so", "086ec1d5388f64153d9c63470d126693db9a182c8ce236d3a1119068471b8a0d"},
	{"onnxruntime/capi/libonnxruntime_providers_cuda.so", "35da2e7ed0dd0d1aec5cdb16ce11a51d06c0c48cf62d1b1c9332946a4fae14fc"},
	{"onnxruntime/capi/libonnxruntime_providers_tensorrt.so", "4365c6412845f42d7de138055ad3dcff5d0fbca2d748e30e8a04aa3ab0643337"},
}

// ErrWheel reports a wheel that is not the pinned one or is damaged.
var ErrWheel = errors.New("not the pinned wheel")

// Wheel describes files to install from a wheel (a zip archive) into Dir.
type Wheel struct {
	File    string // the wheel's file name, for messages
	SHA256  string // the wheel's pinned sha256
	Members []PinnedFile
	Dir     string // destination folder; each member keeps its base name
}

// GPUDir is the GPU build's folder:
// <os.UserCacheDir>/inferbench/onnxruntime/<Version>-gpu.
func GPUDir() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("ortlib: locating the user cache directory: %w", err)
	}
	return filepath.Join(dir, "inferbench", "onnxruntime", GPUVersion+"-"+GPUFlavor), nil
}

// GPUTarget is the default GPU install: the pinned wheel and members, into
// GPUDir. It fails on platforms other than linux/amd64.
func GPUTarget() (Wheel, error) {
	if err := CheckPlatform(runtime.GOOS, runtime.GOARCH); err != nil {
		return Wheel{}, err
	}
	dir, err := GPUDir()
	if err != nil {
		return Wheel{}, err
	}
	return Wheel{File: GPUWheel, SHA256: GPUWheelSHA256, Members: GPUMembers, Dir: dir}, nil
}

func (w Wheel) spec(m PinnedFile) Spec {
	return Spec{Member: m.Name, SHA256: m.SHA256, Path: filepath.Join(w.Dir, filepath.Base(m.Name))}
}

// Installed reports whether every member is in Dir with its pinned sha256.
func (w Wheel) Installed() (bool, error) {
	for _, m := range w.Members {
		ok, err := w.spec(m).Installed()
		if err != nil || !ok {
			return false, err
		}
	}
	return true, nil
}

// InstallFrom checks the wheel at path against the pinned sha256, then
// extracts every member that is not installed yet, each checked against
// its own sha256 and renamed into place whole (see Spec.InstallFrom).
func (w Wheel) InstallFrom(path string) error {
	sum, err := fileSHA256(path)
	if err != nil {
		return fmt.Errorf("ortlib: %w", err)
	}
	if sum != w.SHA256 {
		return fmt.Errorf("ortlib: %w: %s has sha256 %s, pinned %s (%s): %w", ErrWheel, path, sum, w.SHA256, w.File, ErrChecksum)
	}
	zr, err := zip.OpenReader(path)
	if err != nil {
		return fmt.Errorf("ortlib: %w: %s: %w", ErrWheel, path, err)
	}
	defer zr.Close()
	for _, m := range w.Members {
		s := w.spec(m)
		if ok, err := s.Installed(); err != nil {
			return err
		} else if ok {
			continue
		}
		if err := extract(&zr.Reader, s); err != nil {
			return fmt.Errorf("ortlib: installing %s from %s: %w", m.Name, path, err)
		}
	}
	return nil
}

func extract(zr *zip.Reader, s Spec) error {
	for _, f := range zr.File {
		if f.Name != s.Member {
			continue
		}
		if !f.Mode().IsRegular() {
			return fmt.Errorf("member is not a regular file (mode %v)", f.Mode())
		}
		r, err := f.Open()
		if err != nil {
			return err
		}
		defer r.Close()
		return s.write(r)
	}
	return ErrNoMember
}

// LibraryPath is the base library's path in Dir.
func (w Wheel) LibraryPath() string {
	return filepath.Join(w.Dir, filepath.Base(w.Members[0].Name))
}

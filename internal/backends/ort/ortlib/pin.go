package ortlib

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
)

// The pinned ONNX Runtime release.
const (
	// Version is the ONNX Runtime release inferbench installs.
	Version = "1.30.0"
	// NPMPackage is the npm package spec the library is taken from.
	NPMPackage = "onnxruntime-node@" + Version
	// Member is the library's path inside the npm tarball.
	Member = "package/bin/napi-v6/linux/x64/libonnxruntime.so.1"
	// SHA256 is the hex sha256 of Member.
	SHA256 = "ffb75a925ba05e47b235bb66e3e3911714a80b328a9c9425539feb204aa32a23"
	// LibraryName is the installed file's base name.
	LibraryName = "libonnxruntime.so.1"
	// EnvLibraryPath names the environment variable that overrides the
	// cache path.
	EnvLibraryPath = "ONNXRUNTIME_SHARED_LIBRARY_PATH"
)

var (
	// ErrChecksum reports a file whose sha256 differs from the pinned one.
	ErrChecksum = errors.New("sha256 mismatch")
	// ErrNoMember reports an archive (npm tarball or wheel) without the
	// expected library member.
	ErrNoMember = errors.New("member not found in archive")
	// ErrPlatform reports a platform the pinned library does not run on.
	ErrPlatform = errors.New("unsupported platform")
	// ErrNotFound reports that no library was found where Resolve looks.
	ErrNotFound = errors.New("ONNX Runtime shared library not found")
	// ErrBadLibraryPath reports $ONNXRUNTIME_SHARED_LIBRARY_PATH naming no
	// file.
	ErrBadLibraryPath = errors.New("ONNX Runtime library path names no file")
)

// CheckPlatform reports whether the pinned library runs on goos/goarch.
func CheckPlatform(goos, goarch string) error {
	if goos != "linux" || goarch != "amd64" {
		return fmt.Errorf("%w: ONNX Runtime %s is pinned for linux/amd64 only, this is %s/%s; "+
			"install a matching libonnxruntime yourself and set $%s",
			ErrPlatform, Version, goos, goarch, EnvLibraryPath)
	}
	return nil
}

// CachePath is where Install puts the library and Resolve looks for it:
// <os.UserCacheDir>/inferbench/onnxruntime/<Version>/libonnxruntime.so.1.
func CachePath() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("ortlib: locating the user cache directory: %w", err)
	}
	return filepath.Join(dir, "inferbench", "onnxruntime", Version, LibraryName), nil
}

// Target is the default install target: the pinned member, checksum and
// the cache path. It fails on platforms other than linux/amd64.
func Target() (Spec, error) {
	if err := CheckPlatform(runtime.GOOS, runtime.GOARCH); err != nil {
		return Spec{}, err
	}
	p, err := CachePath()
	if err != nil {
		return Spec{}, err
	}
	return Spec{Member: Member, SHA256: SHA256, Path: p}, nil
}

package atomicfile

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// tmpMarker separates a temporary file's destination name from its writer's
// PID: ".model.onnx.tmp-<pid>-<random>".
const tmpMarker = ".tmp-"

// StaleAge is the age past which a temporary is stale whatever its writer:
// no write of inferbench's takes an hour, and a PID may have been reused.
const StaleAge = time.Hour

// TempPattern returns an os.CreateTemp or os.MkdirTemp pattern that records
// this process' PID after prefix ("<prefix><pid>-*"), so that CleanStale can
// tell a temporary whose writer was killed from one being written.
func TempPattern(prefix string) string {
	return prefix + strconv.Itoa(os.Getpid()) + "-*"
}

// CleanStale removes the stale temporaries in dir: the entries whose names
// start with prefix (files or directories) and either record a writer PID
// (TempPattern) of a process that no longer exists, or are older than
// maxAge. prefix "" means Write's temporaries (".<name>.tmp-<pid>-…"). It
// returns the paths it removed; a missing dir is no error.
func CleanStale(dir, prefix string, maxAge time.Duration) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var removed []string
	var errs []error
	for _, e := range ents {
		rest, ok := afterPrefix(e.Name(), prefix)
		if !ok {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue // removed meanwhile
		}
		old := time.Since(info.ModTime()) > maxAge
		pid, hasPID := leadingPID(rest)
		if !old && (!hasPID || pid == os.Getpid() || alive(pid)) {
			continue
		}
		p := filepath.Join(dir, e.Name())
		if err := os.RemoveAll(p); err != nil {
			errs = append(errs, err)
			continue
		}
		removed = append(removed, p)
	}
	return removed, errors.Join(errs...)
}

// afterPrefix returns what follows prefix (or, for prefix "", Write's
// ".<name>.tmp-") in name.
func afterPrefix(name, prefix string) (string, bool) {
	if prefix != "" {
		return strings.CutPrefix(name, prefix)
	}
	if !strings.HasPrefix(name, ".") {
		return "", false
	}
	i := strings.LastIndex(name, tmpMarker)
	if i < 0 {
		return "", false
	}
	return name[i+len(tmpMarker):], true
}

// leadingPID parses "<pid>-…".
func leadingPID(s string) (int, bool) {
	digits, _, ok := strings.Cut(s, "-")
	if !ok {
		return 0, false
	}
	pid, err := strconv.Atoi(digits)
	return pid, err == nil && pid > 0
}

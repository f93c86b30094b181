package cachefile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/inferbench/inferbench/internal/atomicfile"
	"github.com/inferbench/inferbench/internal/filehash"
)

// ErrCorrupt reports a cache entry whose content no longer has the sha256
// recorded when it was written (a flipped bit, an overwrite): it is
// removed and rebuilt, never used.
var ErrCorrupt = errors.New("corrupt cache entry")

// verified remembers, per cache file, the stamp (size, modification time,
// inode) at which this process last hashed it and found the recorded
// sha256: a file is hashed on its first use in each process and again
// whenever its stamp changes.
var (
	verified sync.Map // path → stamp
	warned   sync.Map // path → struct{}: corruption reported once
)

type stamp struct {
	size, mtime int64
	ino         uint64
	sum         string
}

func stampOf(st os.FileInfo, sum string) stamp {
	return stamp{size: st.Size(), mtime: st.ModTime().UnixNano(), ino: inode(st), sum: sum}
}

// Check returns the recorded sha256 of a cached file when the file's
// content has it. A file whose content differs is reported on stderr
// (once per path and process), removed with its sidecar, and the error
// wraps ErrCorrupt: the caller rebuilds it.
func Check(path string) (string, error) {
	side, err := os.ReadFile(path + ".sha256")
	if err != nil {
		return "", err
	}
	fields := strings.Fields(string(side))
	st, err := os.Stat(path)
	if err != nil {
		return "", err
	}
	if len(fields) != 2 || fields[1] != strconv.FormatInt(st.Size(), 10) || len(fields[0]) != 64 {
		return "", fmt.Errorf("cache: stale entry %s: its sidecar records another size", path)
	}
	want := fields[0]
	now := stampOf(st, want)
	if v, ok := verified.Load(path); ok && v.(stamp) == now {
		return want, nil
	}
	got, err := filehash.File(path)
	if err != nil {
		return "", err
	}
	if got != want {
		if _, dup := warned.LoadOrStore(path, struct{}{}); !dup {
			fmt.Fprintf(os.Stderr, "inferbench: cache: %s: content sha256 %s, recorded %s when written: corrupt, rebuilding\n", path, got, want)
		}
		verified.Delete(path)
		os.Remove(path + ".sha256")
		os.Remove(path)
		return "", fmt.Errorf("cache: %w %s: content sha256 %s, recorded %s", ErrCorrupt, path, got, want)
	}
	verified.Store(path, now)
	return want, nil
}

// Write writes data to path atomically and then its sidecar "sha256 size",
// after removing the stale temporaries of killed builds beside it.
func Write(path string, data []byte) (string, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return "", fmt.Errorf("cache: %w", err)
	}
	CleanStale(filepath.Dir(path))
	sum := filehash.Bytes(data)
	if err := atomicfile.WriteBytes(path, data); err != nil {
		return "", fmt.Errorf("cache: %s: %w", path, err)
	}
	return sum, record(path, sum, int64(len(data)))
}

// Record hashes a file just written to the cache by other means (such as
// a writer of its own format) and records its sha256 as Write does.
func Record(path string) (string, error) {
	sum, err := filehash.File(path)
	if err != nil {
		return "", fmt.Errorf("cache: %w", err)
	}
	st, err := os.Stat(path)
	if err != nil {
		return "", fmt.Errorf("cache: %w", err)
	}
	return sum, record(path, sum, st.Size())
}

func record(path, sum string, size int64) error {
	if err := atomicfile.WriteBytes(path+".sha256", []byte(fmt.Sprintf("%s %d\n", sum, size))); err != nil {
		return fmt.Errorf("cache: %s: %w", path, err)
	}
	if st, err := os.Stat(path); err == nil {
		verified.Store(path, stampOf(st, sum))
	}
	return nil
}

// Forget makes the next Check of every file hash it again, as a new
// process would (for tests).
func Forget() { verified.Clear() }

// CleanStale removes the temporaries killed builds left in dir, saying so
// on stderr.
func CleanStale(dir string) {
	removed, err := atomicfile.CleanStale(dir, "", atomicfile.StaleAge)
	for _, p := range removed {
		fmt.Fprintf(os.Stderr, "inferbench: cache: removed %s, left by an interrupted build\n", p)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "inferbench: cache: cleaning %s: %v\n", dir, err)
	}
}

// Package cachefile keeps derived files (built ONNX graphs, converted
// weights) in a cache whose content is verified, as Go's build cache is:
// each file's sha256 and size are recorded beside it ("<file>.sha256")
// when it is written, and Check hashes the file again on its first use in
// a process and whenever its size, modification time or inode change. A
// file whose content no longer has its sha256 (a flipped bit, an
// overwrite) is reported on stderr once, removed, and Check's error wraps
// ErrCorrupt so the caller rebuilds it; it is never used. Writes are
// atomic (package atomicfile), and the temporaries of killed writers are
// removed (CleanStale).
package cachefile

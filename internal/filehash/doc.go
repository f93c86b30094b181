// Package filehash is the one sha256 every identity and cache in
// inferbench records: of a file's bytes (streamed, so model weights of any
// size hash in constant memory) or of bytes in memory, as lowercase hex.
package filehash

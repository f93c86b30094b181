// Package atomicfile writes files so that readers see either the old file or
// the complete new one, never a half-written file: the bytes go to a
// temporary file in the same directory, which is synced and then renamed
// over the destination.
package atomicfile

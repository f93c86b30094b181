// Package atomicfile writes files so that readers see either the old file or
// the complete new one, never a half-written file: the bytes go to a
// temporary file in the same directory, which is synced and then renamed
// over the destination. Temporaries carry their writer's PID, so that
// CleanStale removes those a killed process left behind (and any older
// than an hour) without touching one being written.
package atomicfile

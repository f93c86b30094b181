// Package quiet holds the measures tools/compare can take against noise
// before any statistics: a pinned thread count and a CPU affinity for the
// benchmark processes. Each is switchable, and each reports itself as a
// benchfmt configuration line ("compare-threads: 2", "compare-affinity:
// 1 (sched_setaffinity)"), or says why it was not applied, so a result
// records how it was made.
//
// Pinning matters on shared machines: a process whose thread count
// follows the machine, or whose threads migrate between CPUs, varies
// from process to process more than one whose placement is fixed, and
// the process is the gate's unit of replication.
package quiet

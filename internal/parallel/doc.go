// Package parallel divides an index range among workers.
//
// Work in this module is split by core count (GOMAXPROCS) in several places:
// scoring positions in the accuracy pass, the reference forward pass's
// matrix rows, attention heads and vocabulary columns. A split written inline
// as "chunk = ceil(n/workers); worker k takes [k·chunk, (k+1)·chunk)" is
// wrong whenever workers·chunk exceeds n by a whole chunk or more (n = 172,
// workers = 24 gives chunk 8, and worker 22 would start at 176): such code
// passes on a 2-core machine and panics on a 24-core one. Every split goes
// through this package instead, and its tests run every worker count
// from 1 to 128 against every n up to a few hundred.
package parallel

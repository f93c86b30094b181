// Package ortlib locates and installs the ONNX Runtime shared library that
// inferbench's ORT backends load.
//
// The library is pinned: ONNX Runtime 1.30.0 for linux/amd64, taken from the
// npm package onnxruntime-node@1.30.0 (member
// package/bin/napi-v6/linux/x64/libonnxruntime.so.1) and checked against a
// pinned sha256 before it is installed, atomically, at
//
//	$XDG_CACHE_HOME/inferbench/onnxruntime/1.30.0/libonnxruntime.so.1
//
// (os.UserCacheDir, so ~/.cache by default). The tarball is fetched with
// `npm pack`, so npm's own registry configuration applies; no registry URL is
// built in.
//
// At run time Resolve looks first at $ONNXRUNTIME_SHARED_LIBRARY_PATH, then
// at the cache path. Package ortlib does not use cgo; package ort loads what
// Resolve finds.
package ortlib

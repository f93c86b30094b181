// Package ortlib locates and installs the ONNX Runtime shared library that
// inferbench's ORT backends load.
//
// Two builds are pinned, both ONNX Runtime 1.30.0 for linux/amd64:
//
//   - CPU (default): the npm package onnxruntime-node@1.30.0 (member
//     package/bin/napi-v6/linux/x64/libonnxruntime.so.1), fetched with `npm
//     pack`, checked against a pinned sha256 and installed, atomically, at
//
//     $XDG_CACHE_HOME/inferbench/onnxruntime/1.30.0/libonnxruntime.so.1
//
//   - GPU (`make setup ORT_FLAVOR=gpu`): the PyPI wheel onnxruntime-gpu
//     1.30.0 (CUDA 13, cuDNN 9), fetched with `pip download --no-deps
//     --only-binary=:all:` for CPython 3.12 on manylinux_2_28 x86-64 (the
//     tags only pick the file; no Python runs it), checked against the
//     wheel's pinned sha256; the base library and the shared, CUDA and
//     TensorRT provider libraries of onnxruntime/capi/ are extracted, each
//     checked against its own sha256, into
//
//     $XDG_CACHE_HOME/inferbench/onnxruntime/1.30.0-gpu/
//
//     (ORT loads provider libraries from the base library's folder.)
//
// (os.UserCacheDir, so ~/.cache by default.) npm's and pip's own registry
// configuration applies; no registry URL is built in. Both installs are
// idempotent: files already in place with their pinned sha256 are not
// touched; a damaged one is replaced. Without npm or pip the error says
// which tool is missing and how to pass the archive instead.
//
// At run time Resolve looks first at $ONNXRUNTIME_SHARED_LIBRARY_PATH, then,
// in builds with the cuda or tensorrt tag (PreferGPU), at the GPU build,
// then at the CPU library. Package ortlib does not use cgo; package ort
// loads what Resolve finds.
package ortlib

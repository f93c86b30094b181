// Package gpulib finds and loads the NVIDIA libraries that ONNX Runtime's
// GPU provider libraries need, and reports which library files a process
// actually loaded.
//
// ONNX Runtime loads libonnxruntime_providers_cuda.so (and _tensorrt.so)
// with dlopen when a session appends the provider. Their DT_NEEDED
// entries (libcudart.so.13, libcublasLt.so.13, libcublas.so.13,
// libcurand.so.10; libnvinfer.so.10 and libnvonnxparser.so.10 for
// TensorRT) and the libraries ORT opens by name later (libcudnn.so.9) are
// resolved by the dynamic linker, which reads $LD_LIBRARY_PATH only when
// the process starts. So instead of asking users to set it, Preload finds
// each library in well-known places (Dirs: $INFERBENCH_CUDA_LIBRARY_PATH,
// $LD_LIBRARY_PATH, the CUDA toolkit, the nvidia-* Python wheels of common
// virtual environments, the system folders) and opens it by full path with
// RTLD_GLOBAL before ORT does; the linker then satisfies the provider's
// needs by soname from the already loaded copies. A library found nowhere
// is a *MissingError naming the soname and the folders searched, which the
// GPU backends report as their "unavailable" reason.
//
// Loaded reads /proc/self/maps, so configuration lines record the files
// that were really mapped, not the ones that were meant.
package gpulib

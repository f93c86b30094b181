// ONNX Runtime's log, routed to Go (logger.go).
#include <dlfcn.h>
#include <stddef.h>
#include "onnxruntime_c_api.h"
#include "_cgo_export.h"

// ib_quiet_tls marks the calling thread's ORT calls as expected to fail
// (capi.Quiet): their messages are kept for the caller, not logged.
static __thread int ib_quiet_tls;

void ib_set_quiet(int on) { ib_quiet_tls = on; }

static void ib_log(void *param, OrtLoggingLevel severity, const char *category, const char *logid,
		const char *code_location, const char *message) {
	(void)param; (void)logid; (void)code_location;
	inferbenchORTLog((int)severity, ib_quiet_tls, (char *)category, (char *)message);
}

// The environment that owns the logger. ORT keeps one environment per
// process: onnxruntime_go's later CreateEnv gets this one, with its logger.
static OrtEnv *ib_logger_env;

int ib_install_logger(const char *path, int level) {
	void *h = dlopen(path, RTLD_NOW | RTLD_GLOBAL);
	if (!h) return 1;
	typedef const OrtApiBase *(*get_base_fn)(void);
	get_base_fn get_base = (get_base_fn)dlsym(h, "OrtGetApiBase");
	if (!get_base) return 2;
	const OrtApi *api = get_base()->GetApi(ORT_API_VERSION);
	if (!api) return 3;
	OrtStatus *st = api->CreateEnvWithCustomLogger(ib_log, NULL, (OrtLoggingLevel)level, "inferbench", &ib_logger_env);
	if (st) {
		api->ReleaseStatus(st);
		return 4;
	}
	return 0;
}

/* libaxon_runtime: loads kernels from an axon-synth kernel library and runs them on caller
 * buffers, without the synthesizer, a solver or LLVM. C ABI; the C++ wrapper is axon_runtime.hpp.
 *
 *   axon_library* lib;  axon_kernel* k;
 *   if (axon_open("axon-lib", &lib) != AXON_OK) { puts(axon_last_error()); ... }
 *   axon_arg sig[] = {{"x", "f32", 2, xs}, {"g", "f32", 1, gs}, {"w", "f32", 2, ws}, {"y", "f32",
 * 2, ys}}; axon_find(lib, "rmsnorm_matmul", sig, 4, &k);       // checks names, dtypes and shapes
 *   void* bufs[] = {x, g, w, y};                         // in axon_kernel_arg order
 *   axon_run(k, bufs, 4);
 *   axon_close(lib);                                     // kernels die with their library
 *
 * Every function returns AXON_OK or an error code; the message of the calling thread's last
 * error is axon_last_error(). Calls on one kernel from many threads at once are safe (each call
 * gets its own workspace). The library format is described in docs/runtime.md. */
#ifndef AXON_RUNTIME_H
#define AXON_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define AXON_EXPORT __attribute__((visibility("default")))

typedef enum axon_status {
  AXON_OK = 0,
  AXON_ERR_IO = 1,           /* the library directory or a file in it cannot be read */
  AXON_ERR_MANIFEST = 2,     /* manifest.json is malformed (the message names the field) */
  AXON_ERR_SCHEMA_NEWER = 3, /* manifest.json has a schema newer than this runtime reads */
  AXON_ERR_NOT_FOUND = 4,    /* no kernel of that name (or index) */
  AXON_ERR_SIGNATURE = 5,    /* the arguments do not match the kernel's signature */
  AXON_ERR_CORRUPT = 6,      /* an object's sha256 differs from the manifest, or it is missing */
  AXON_ERR_CPU = 7,          /* this CPU lacks a feature the kernel needs */
  AXON_ERR_LOAD = 8,         /* the object cannot be loaded (dlopen) or lacks its symbol */
  AXON_ERR_ARGUMENT = 9,     /* a bad call: null or misaligned pointer, wrong count */
  AXON_ERR_NOMEM = 10,       /* workspace allocation failed */
  AXON_ERR_NO_LOADER = 11,   /* the kernel's backend (or artifact kind) has no loader here */
  AXON_ERR_NO_DEVICE = 12    /* the kernel is for a target with no device here: an NPU program,
                                which runs only in the simulator (axon-synth sim) */
} axon_status;

typedef struct axon_library axon_library;
typedef struct axon_kernel axon_kernel;

/* One argument of a signature as the caller describes it. */
typedef struct axon_arg {
  const char* name;
  const char* dtype; /* "f32", "bf16", "f16" or "bool" */
  int32_t rank;
  const int64_t* shape;
} axon_arg;

/* The role of an argument: the kernel reads an input, writes an output, updates an inout. */
typedef enum axon_role { AXON_INPUT = 0, AXON_OUTPUT = 1, AXON_INOUT = 2 } axon_role;

AXON_EXPORT const char* axon_last_error(void);
AXON_EXPORT const char* axon_status_name(axon_status s);
/* 1 when this CPU has FEATURE (an LLVM name such as "avx2", "fma", "avx512f"), 0 when it lacks
 * it, -1 when the runtime cannot check that name. */
AXON_EXPORT int axon_cpu_supports(const char* feature);

/* Reads DIR/manifest.json. Objects are checked and loaded by axon_find, not here. */
AXON_EXPORT axon_status axon_open(const char* dir, axon_library** out);
AXON_EXPORT void axon_close(axon_library* lib);
AXON_EXPORT size_t axon_kernel_count(const axon_library* lib);
/* Name and id ("name.target.signature-hash") of the i-th manifest entry. */
AXON_EXPORT const char* axon_entry_name(const axon_library* lib, size_t i);
AXON_EXPORT const char* axon_entry_id(const axon_library* lib, size_t i);
AXON_EXPORT const char* axon_entry_target(const axon_library* lib, size_t i);
/* The backend that compiled the i-th entry ("llvm" for CPU kernels): the runtime loads it with
 * that backend's loader, and refuses one it has no loader for (AXON_ERR_NO_LOADER). */
AXON_EXPORT const char* axon_entry_backend(const axon_library* lib, size_t i);
/* The signature of the i-th entry: its argument count and its j-th argument (pointers stay valid
 * until axon_close). */
AXON_EXPORT size_t axon_entry_arg_count(const axon_library* lib, size_t i);
AXON_EXPORT axon_status axon_entry_arg(const axon_library* lib, size_t i, size_t j, axon_arg* arg,
                                       axon_role* role);

/* Finds the kernel NAME whose signature is exactly ARGS (any order, matched by name); with
 * ARGS == NULL, the only signature of that name this CPU can run. Among entries of that signature
 * for several targets, the one needing the most CPU features this CPU has wins. Entries whose
 * backend has no loader here, or whose target has no device here (an NPU program), are passed
 * over (AXON_ERR_NO_LOADER, AXON_ERR_NO_DEVICE when no other fits). Checks the
 * CPU features, the object's sha256 and ABI hash, then loads it. The kernel stays valid until
 * axon_close. */
AXON_EXPORT axon_status axon_find(axon_library* lib, const char* name, const axon_arg* args,
                                  size_t nargs, axon_kernel** out);

/* The kernel's arguments, in the order axon_run takes them. */
AXON_EXPORT size_t axon_kernel_arg_count(const axon_kernel* k);
AXON_EXPORT axon_status axon_kernel_arg(const axon_kernel* k, size_t i, axon_arg* arg,
                                        axon_role* role);
/* Position of the argument NAME, or -1. */
AXON_EXPORT int64_t axon_kernel_arg_index(const axon_kernel* k, const char* name);
AXON_EXPORT size_t axon_kernel_arg_bytes(const axon_kernel* k, size_t i);
AXON_EXPORT const char* axon_kernel_id(const axon_kernel* k);

/* Runs the kernel: ARGS[i] points to argument i (contiguous row-major, aligned to its element
 * size). Outputs are written; inout arguments are updated in place. An output or inout must not
 * overlap any other argument (AXON_ERR_ARGUMENT). */
AXON_EXPORT axon_status axon_run(axon_kernel* k, void* const* args, size_t nargs);

#ifdef __cplusplus
}
#endif

#endif /* AXON_RUNTIME_H */

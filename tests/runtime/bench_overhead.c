/* Per-call overhead of libaxon_runtime from C: the median time of axon_run on a tiny kernel
 * against the median time of calling the same kernel's function directly (the shared object
 * dlopen()ed by hand, buffers passed in the kernel's own order).
 * Usage: runtime_overhead_bench LIB NAME OBJECT.so   (tests/runtime/bench_overhead.sh runs it) */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "axon_runtime.h"

enum { kBatches = 201, kCalls = 20000 };

static double now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static int cmp(const void* a, const void* b) {
  double x = *(const double*)a, y = *(const double*)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char** argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: %s LIB NAME OBJECT.so\n", argv[0]);
    return 2;
  }
  axon_library* lib;
  axon_kernel* k;
  if (axon_open(argv[1], &lib) != AXON_OK || axon_find(lib, argv[2], NULL, 0, &k) != AXON_OK) {
    fprintf(stderr, "%s\n", axon_last_error());
    return 1;
  }
  size_t n = axon_kernel_arg_count(k);
  void* args[16];
  if (n > 16)
    return 1;
  for (size_t i = 0; i < n; ++i)
    args[i] = calloc(1, axon_kernel_arg_bytes(k, i) + 64);
  /* The direct call: only valid for kernels whose buffers are exactly their arguments, in order
   * (no workspace, no in-place update), which the caller must know; the runtime does not assume it.
   */
  void* so = dlopen(argv[3], RTLD_NOW | RTLD_LOCAL);
  void (*fn)(void**) = so ? (void (*)(void**))dlsym(so, "axon_kernel") : NULL;
  if (!fn) {
    fprintf(stderr, "cannot load %s\n", argv[3]);
    return 1;
  }
  double direct[kBatches], runtime[kBatches];
  for (int b = 0; b < kBatches; ++b) {
    double t0 = now_ns();
    for (int c = 0; c < kCalls; ++c)
      fn(args);
    double t1 = now_ns();
    for (int c = 0; c < kCalls; ++c)
      if (axon_run(k, args, n) != AXON_OK)
        return 1;
    double t2 = now_ns();
    direct[b] = (t1 - t0) / kCalls;
    runtime[b] = (t2 - t1) / kCalls;
  }
  qsort(direct, kBatches, sizeof(double), cmp);
  qsort(runtime, kBatches, sizeof(double), cmp);
  printf("C: %s: axon_run median %.1f ns/call, direct call median %.1f ns/call, runtime overhead "
         "%.1f ns/call "
         "(%d batches of %d calls)\n",
         axon_kernel_id(k), runtime[kBatches / 2], direct[kBatches / 2],
         runtime[kBatches / 2] - direct[kBatches / 2], kBatches, kCalls);
  axon_close(lib);
  return 0;
}

/* Calls an installed rmsnorm_matmul kernel from C through libaxon_runtime alone, and checks it
 * against a plain C reference:  y = (x / sqrt(mean(x^2, axis=1) + 1e-6) * g) @ w.
 *
 *   axon-synth --isa targets/avx2.json experiments/suites/nkibench/rmsnorm_matmul.tp
 * --library=axon-lib cc examples/rmsnorm_matmul.c -Iruntime -Lbuild/lib -laxon_runtime
 * -Wl,-rpath,$PWD/build/lib -lm
 *   ./a.out axon-lib [M K N]
 *
 * With M K N, the kernel is looked up by its full signature; without, the shapes are read from the
 * library (the only rmsnorm_matmul this CPU can run). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "axon_runtime.h"

static int die(const char* what) {
  fprintf(stderr, "%s: %s\n", what, axon_last_error());
  return 1;
}

/* Deterministic inputs in [-1, 1). */
static float next_value(unsigned* state) {
  *state = *state * 1664525u + 1013904223u;
  return (float)((*state >> 8) & 0xffff) / 32768.0f - 1.0f;
}

int main(int argc, char** argv) {
  const char* dir = argc > 1 ? argv[1] : "axon-lib";
  axon_library* lib;
  axon_kernel* k;
  if (axon_open(dir, &lib) != AXON_OK)
    return die("axon_open");
  if (argc > 4) {
    const int64_t m = atoll(argv[2]), kk = atoll(argv[3]), n = atoll(argv[4]);
    const int64_t xs[] = {m, kk}, gs[] = {kk}, ws[] = {kk, n}, ys[] = {m, n};
    const axon_arg sig[] = {
        {"x", "f32", 2, xs}, {"g", "f32", 1, gs}, {"w", "f32", 2, ws}, {"y", "f32", 2, ys}};
    if (axon_find(lib, "rmsnorm_matmul", sig, 4, &k) != AXON_OK)
      return die("axon_find");
  } else if (axon_find(lib, "rmsnorm_matmul", NULL, 0, &k) != AXON_OK) {
    return die("axon_find");
  }

  /* Argument order and shapes come from the kernel; x is [M, K], w is [K, N], y is [M, N]. */
  axon_arg a;
  int64_t ix = axon_kernel_arg_index(k, "x"), ig = axon_kernel_arg_index(k, "g");
  int64_t iw = axon_kernel_arg_index(k, "w"), iy = axon_kernel_arg_index(k, "y");
  if (ix < 0 || ig < 0 || iw < 0 || iy < 0 || axon_kernel_arg_count(k) != 4) {
    fprintf(stderr, "%s: this rmsnorm_matmul does not take x, g, w and y\n", axon_kernel_id(k));
    return 1;
  }
  axon_kernel_arg(k, (size_t)iw, &a, NULL);
  const int64_t K = a.shape[0], N = a.shape[1];
  axon_kernel_arg(k, (size_t)ix, &a, NULL);
  const int64_t M = a.shape[0];

  float* x = malloc(sizeof(float) * (size_t)(M * K));
  float* g = malloc(sizeof(float) * (size_t)K);
  float* w = malloc(sizeof(float) * (size_t)(K * N));
  float* y = malloc(sizeof(float) * (size_t)(M * N));
  unsigned seed = 12345;
  for (int64_t i = 0; i < M * K; ++i)
    x[i] = next_value(&seed);
  for (int64_t i = 0; i < K; ++i)
    g[i] = next_value(&seed);
  for (int64_t i = 0; i < K * N; ++i)
    w[i] = next_value(&seed);

  void* args[4];
  args[ix] = x;
  args[ig] = g;
  args[iw] = w;
  args[iy] = y;
  if (axon_run(k, args, 4) != AXON_OK)
    return die("axon_run");

  double worst = 0;
  for (int64_t m = 0; m < M; ++m) {
    double ss = 0;
    for (int64_t j = 0; j < K; ++j)
      ss += (double)x[m * K + j] * x[m * K + j];
    double r = 1.0 / sqrt(ss / (double)K + 1e-6);
    for (int64_t n = 0; n < N; ++n) {
      double ref = 0;
      for (int64_t j = 0; j < K; ++j)
        ref += (double)x[m * K + j] * r * g[j] * w[j * N + n];
      double err = fabs(y[m * N + n] - ref) / (1e-4 + 1e-3 * fabs(ref));
      if (err > worst)
        worst = err;
    }
  }
  printf("%s: y[%lld, %lld] computed; y[0, 0] = %.6f; max scaled error vs the C reference %.3g "
         "(tolerance 1)\n",
         axon_kernel_id(k), (long long)M, (long long)N, y[0], worst);
  free(x);
  free(g);
  free(w);
  free(y);
  axon_close(lib);
  return worst <= 1.0 ? 0 : 1;
}

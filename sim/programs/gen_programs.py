#!/usr/bin/env python3
"""Writes the NPU programs of sim/programs/ (docs/npu-program.md, docs/npu-calibration.md).

The four matmul schedules of the NKI matrix-multiplication tutorial (bf16 lhsT[K,M] x rhs[K,N],
one NeuronCore), written tile by tile as the tutorial's kernels issue them:
  matmul_tiled        loads of both operands inside the k loop
  matmul_hoisted      lhsT column loaded once per m, rhs column once per (m, n)
  matmul_block_free   2 x 2 blocks of [128, 512] output tiles share their loads
  matmul_block_all    blocks of 16 x 2 output tiles and 8 k tiles, partial sums kept in SBUF
and the expert RMSNorm+QKV schedule of NPU.md (fp32, y = rmsnorm(x, g) @ w): rmsnorm_qkv at the
NKIBench shape and rmsnorm_qkv_m<M>_k<K>_n<N> at the small shapes of the NKI RMSNorm-QKV tests
(RMSNORM_QKV_TEST_SHAPES; their .tp files are experiments/suites/nkibench/ of the same names).

Loops stay loops in the JSON (integer fields are formulas of the loop variables), so the files
are small and read like the kernels. A tile allocated inside a loop of the tutorial becomes a
buffer with several slots used in rotation, as the NKI compiler allocates it. DMA transfers are
spread round-robin over the 16 queues.

usage: gen_programs.py [--out DIR] [--M 4096 --N 8192 --K 8192] [--block-all 16,2,8]
                       [--rms-M 4096 --rms-N 2048 --rms-K 1024] [--suffix S]
The small variants checked by tests/sim (functional results against the reference interpreter):
  gen_programs.py --out tests/sim/programs --M 256 --N 1024 --K 256 --block-all 2,2,2 \
      --rms-M 256 --rms-N 512 --rms-K 256 --suffix _small
  gen_programs.py --out tests/sim/programs --replicas-small
Without --suffix it also writes the replicas of NKIBench's compiler baselines (nki_*.json) and
the three access-pattern programs (dma_*.json) of docs/npu-calibration.md.
"""
import argparse
import json
import os

QUEUES = 16


def mod(expr, n):
    """expr mod n in the formula language (which has floor but no %)."""
    return f"({expr}) - {n} * floor(({expr}) / {n})"


class Prog:
    def __init__(self, name, description):
        self.doc = {"schema_version": 1, "name": name, "target": "npu", "description": description,
                    "tensors": [], "buffers": [], "program": []}
        self.stack = [self.doc["program"]]
        self.dma_count = 0  # round-robin queue assignment for DMAs outside loops

    def tensor(self, name, dtype, shape, kind):
        self.doc["tensors"].append({"name": name, "dtype": dtype, "shape": shape, "kind": kind})

    def buffer(self, name, memory, dtype, size, partitions=128):
        self.doc["buffers"].append({"name": name, "memory": memory, "dtype": dtype,
                                    "partitions": partitions, "size": size})

    def emit(self, instr, **kw):
        d = {"instr": instr}
        d.update(kw)
        self.stack[-1].append(d)

    def loop(self, var, count):
        body = []
        self.stack[-1].append({"loop": var, "count": count, "body": body})
        self.stack.append(body)
        return self

    def __enter__(self):
        return self

    def __exit__(self, *a):
        self.stack.pop()

    def uses(self, instr, items=None):
        for it in self.doc["program"] if items is None else items:
            if it.get("instr") == instr or ("loop" in it and self.uses(instr, it["body"])):
                return True
        return False

    def write(self, path):
        # The Neuron compiler's PE transposes multiply by an identity matrix it keeps in SBUF
        # (128 fp32 per partition in the NKIBench listings); our transpose_pe has no identity
        # operand, so a replica that transposes on PE only reserves the space, after its buffers.
        if self.doc["name"].startswith("nki_") and self.uses("transpose_pe") and \
                not any(b["name"] == "ident" for b in self.doc["buffers"]):
            self.buffer("ident", "SBUF", "f32", 128)
        with open(path, "w") as f:
            json.dump(self.doc, f, indent=1)
            f.write("\n")


def sb(buf, offset, n, p=0, np_=None):
    t = {"buf": buf, "offset": offset, "n": n}
    if p:
        t["p"] = p
    if np_ is not None:
        t["np"] = np_
    return t


def hbm(tensor, offset, rows, row_stride, cols):
    return {"tensor": tensor, "offset": offset, "ap": [[row_stride, rows], [1, cols]]}


def matmul_common(p, M, N, K):
    p.tensor("lhsT", "bf16", [K, M], "input")
    p.tensor("rhs", "bf16", [K, N], "input")
    p.tensor("result", "bf16", [M, N], "output")


def store_tile(p, psum_slot, res_slot, m_expr, n_expr, M, N, queue):
    """PSUM [128,512] -> SBUF (cast to bf16) -> result[m*128:, n*512:]."""
    p.emit("tensor_copy", engine="DVE", a=sb("ps", f"({psum_slot}) * 512", 512), out=sb("res", f"({res_slot}) * 512", 512))
    p.emit("dma_copy", queue=queue, src=sb("res", f"({res_slot}) * 512", 512),
           dst=hbm("result", f"({m_expr}) * 128 * {N} + ({n_expr}) * 512", 128, N, 512))


def gen_tiled(M, N, K, slots=16):
    p = Prog("matmul_tiled", "NKI tutorial nki_matmul_tiled_: both operand tiles loaded inside the k loop")
    matmul_common(p, M, N, K)
    MT, NT, KT = M // 128, N // 512, K // 128
    p.buffer("lt", "SBUF", "bf16", 128 * slots)
    p.buffer("rt", "SBUF", "bf16", 512 * slots)
    p.buffer("ps", "PSUM", "f32", 512 * 2)
    p.buffer("res", "SBUF", "bf16", 512 * 2)
    with p.loop("m", MT), p.loop("n", NT):
        it = f"m * {NT} + n"
        for first in (True, False):
            ctx = p.loop("kk", 1 if first else KT - 1)
            with ctx:
                k = "kk" if first else "kk + 1"
                i = f"({it}) * {KT} + {k}"
                slot = mod(i, slots)
                p.emit("dma_copy", queue=mod(i, QUEUES), src=hbm("lhsT", f"({k}) * 128 * {M} + m * 128", 128, M, 128),
                       dst=sb("lt", f"({slot}) * 128", 128))
                p.emit("dma_copy", queue=mod(f"{i} + 8", QUEUES), src=hbm("rhs", f"({k}) * 128 * {N} + n * 512", 128, N, 512),
                       dst=sb("rt", f"({slot}) * 512", 512))
                p.emit("matmul", st=sb("lt", f"({slot}) * 128", 128), mv=sb("rt", f"({slot}) * 512", 512),
                       out=sb("ps", f"({mod(it, 2)}) * 512", 512), accumulate=not first)
        store_tile(p, mod(it, 2), mod(it, 2), "m", "n", M, N, mod(it, QUEUES))
    return p


def gen_hoisted(M, N, K):
    p = Prog("matmul_hoisted", "NKI tutorial nki_matmul_hoist_load_: lhsT column per m, rhs column per (m, n)")
    matmul_common(p, M, N, K)
    MT, NT, KT = M // 128, N // 512, K // 128
    p.buffer("lt", "SBUF", "bf16", 2 * KT * 128)   # double-buffered over m
    p.buffer("rt", "SBUF", "bf16", 2 * KT * 512)   # double-buffered over (m, n)
    p.buffer("ps", "PSUM", "f32", 512 * 2)
    p.buffer("res", "SBUF", "bf16", 512 * 2)
    with p.loop("m", MT):
        ls = mod("m", 2)
        with p.loop("k", KT):
            p.emit("dma_copy", queue=mod(f"m * {KT} + k", QUEUES), src=hbm("lhsT", f"k * 128 * {M} + m * 128", 128, M, 128),
                   dst=sb("lt", f"(({ls}) * {KT} + k) * 128", 128))
        with p.loop("n", NT):
            it = f"m * {NT} + n"
            rs = mod(it, 2)
            with p.loop("k", KT):
                p.emit("dma_copy", queue=mod(f"({it}) * {KT} + k + 8", QUEUES),
                       src=hbm("rhs", f"k * 128 * {N} + n * 512", 128, N, 512), dst=sb("rt", f"(({rs}) * {KT} + k) * 512", 512))
            for first in (True, False):
                with p.loop("kk", 1 if first else KT - 1):
                    k = "kk" if first else "kk + 1"
                    p.emit("matmul", st=sb("lt", f"(({ls}) * {KT} + {k}) * 128", 128),
                           mv=sb("rt", f"(({rs}) * {KT} + {k}) * 512", 512), out=sb("ps", f"({rs}) * 512", 512),
                           accumulate=not first)
            store_tile(p, rs, rs, "m", "n", M, N, mod(it, QUEUES))
    return p


def gen_block_free(M, N, K, BM=2, BN=2):
    p = Prog("matmul_block_free", f"NKI tutorial nki_matmul_block_free_dimension_: blocks of {BM} x {BN} output tiles")
    matmul_common(p, M, N, K)
    KT = K // 128
    p.buffer("lt", "SBUF", "bf16", BM * KT * 128)
    p.buffer("rt", "SBUF", "bf16", BN * KT * 512)
    p.buffer("ps", "PSUM", "f32", 512 * 2)
    p.buffer("res", "SBUF", "bf16", 512 * 2)
    with p.loop("m", M // (128 * BM)):
        with p.loop("bm", BM), p.loop("k", KT):
            p.emit("dma_copy", queue=mod(f"(m * {BM} + bm) * {KT} + k", QUEUES),
                   src=hbm("lhsT", f"k * 128 * {M} + (m * {BM} + bm) * 128", 128, M, 128),
                   dst=sb("lt", f"(bm * {KT} + k) * 128", 128))
        with p.loop("n", N // (512 * BN)):
            with p.loop("bn", BN), p.loop("k", KT):
                p.emit("dma_copy", queue=mod(f"(n * {BN} + bn) * {KT} + k + 8", QUEUES),
                       src=hbm("rhs", f"k * 128 * {N} + (n * {BN} + bn) * 512", 128, N, 512),
                       dst=sb("rt", f"(bn * {KT} + k) * 512", 512))
            with p.loop("bm", BM), p.loop("bn", BN):
                t = f"bm * {BN} + bn"
                for first in (True, False):
                    with p.loop("kk", 1 if first else KT - 1):
                        k = "kk" if first else "kk + 1"
                        p.emit("matmul", st=sb("lt", f"(bm * {KT} + {k}) * 128", 128), mv=sb("rt", f"(bn * {KT} + {k}) * 512", 512),
                               out=sb("ps", f"({mod(t, 2)}) * 512", 512), accumulate=not first)
                store_tile(p, mod(t, 2), mod(t, 2), f"m * {BM} + bm", f"n * {BN} + bn", M, N, mod(f"n * {BM * BN} + {t}", QUEUES))
    return p


def gen_block_all(M, N, K, TM=16, TN=2, TK=8):
    p = Prog("matmul_block_all", f"NKI tutorial nki_matmul_fully_optimized_: blocks of {TM} x {TN} output tiles and {TK} k tiles")
    matmul_common(p, M, N, K)
    BM, BN, BK = 128 * TM, 512 * TN, 128 * TK
    NBM, NBN, NBK = M // BM, N // BN, K // BK
    p.buffer("acc", "SBUF", "bf16", NBM * TM * TN * 512)  # result_tmps, bf16 like the tutorial's
    p.buffer("rt", "SBUF", "bf16", 2 * TK * BN)            # double-buffered over k blocks
    p.buffer("lt", "SBUF", "bf16", 2 * TK * BM)            # double-buffered over (k, m) blocks
    p.buffer("ps", "PSUM", "f32", 512 * 4)
    PK = 8                                                 # result_packed slots in rotation
    p.buffer("packed", "SBUF", "f32", PK * BN)
    with p.loop("n", NBN):
        with p.loop("t", NBM * TM * TN):
            p.emit("memset", engine="POOL", out=sb("acc", "t * 512", 512), value=0.0)
        with p.loop("k", NBK):
            rslot = mod("n * %d + k" % NBK, 2)
            with p.loop("bk", TK):
                p.emit("dma_copy", queue=mod(f"(n * {NBK} + k) * {TK} + bk", QUEUES),
                       src=hbm("rhs", f"(k * {TK} + bk) * 128 * {N} + n * {BN}", 128, N, BN),
                       dst=sb("rt", f"(({rslot}) * {TK} + bk) * {BN}", BN))
            with p.loop("m", NBM):
                lslot = mod(f"(n * {NBK} + k) * {NBM} + m", 2)
                with p.loop("bk", TK):
                    p.emit("dma_copy", queue=mod(f"((n * {NBK} + k) * {NBM} + m) * {TK} + bk + 8", QUEUES),
                           src=hbm("lhsT", f"(k * {TK} + bk) * 128 * {M} + m * {BM}", 128, M, BM),
                           dst=sb("lt", f"(({lslot}) * {TK} + bk) * {BM}", BM))
                with p.loop("bn", TN), p.loop("bm", TM):
                    t = f"bn * {TM} + bm"
                    ps = mod(t, 4)
                    for first in (True, False):
                        with p.loop("kk", 1 if first else TK - 1):
                            bk = "kk" if first else "kk + 1"
                            p.emit("matmul", st=sb("lt", f"(({lslot}) * {TK} + {bk}) * {BM} + bm * 128", 128),
                                   mv=sb("rt", f"(({rslot}) * {TK} + {bk}) * {BN} + bn * 512", 512),
                                   out=sb("ps", f"({ps}) * 512", 512), accumulate=not first)
                    acc = sb("acc", f"((m * {TM} + bm) * {TN} + bn) * 512", 512)
                    p.emit("tensor_tensor", engine="DVE", op="add", a=acc, b=sb("ps", f"({ps}) * 512", 512), out=acc)
        with p.loop("m", NBM), p.loop("bm", TM):
            slot = mod(f"m * {TM} + bm", PK)
            with p.loop("bn", TN):
                p.emit("tensor_copy", engine="DVE", a=sb("acc", f"((m * {TM} + bm) * {TN} + bn) * 512", 512),
                       out=sb("packed", f"({slot}) * {BN} + bn * 512", 512))
            p.emit("dma_copy", queue=mod(f"(n * {NBM} + m) * {TM} + bm", QUEUES), src=sb("packed", f"({slot}) * {BN}", BN),
                   dst=hbm("result", f"(m * {TM} + bm) * 128 * {N} + n * {BN}", 128, N, BN))
    return p


# The small shapes of the NKI RMSNorm-QKV tests (aws-neuron/nki-samples,
# test/unit/test_rmsnorm_qkv.py, the performance cases of allocated_fused_rms_norm_qkv), as
# (batch * seqlen, dim, d_head) = (M, K, N). The tests run them in fp16/bf16; the expert programs
# here are fp32 like the rest of the NKIBench suite and rmsnorm_matmul.tp. The test's fourth,
# numerics-only shape (1024, 8192, 512) is left out: its fp32 weight alone (128 KiB per partition)
# and the double-buffered rows exceed SBUF in this structure.
RMSNORM_QKV_TEST_SHAPES = [(128, 512, 512), (512, 1024, 384), (128, 1024, 512)]


def rmsnorm_qkv_name(M, K, N):
    return f"rmsnorm_qkv_m{M}_k{K}_n{N}"


def column_chunks(p, var, N):
    """The 512-column chunks of N (one PSUM bank each): a loop `var` over the full ones, then the
    ragged tail as one chunk. Yields (column chunk index as a formula, width)."""
    full, tail = N // 512, N % 512
    if full:
        with p.loop(var, full):
            yield var, 512
    if tail:
        yield str(full), tail


def gen_rmsnorm_qkv(M, N, K, eps=1e-6, name="rmsnorm_qkv"):
    """NPU.md's expert RMSNorm+QKV kernel; the gain g is folded into the preloaded weight rows.
    M and K are multiples of 128 (K a multiple of 512 from 512 on); N is any width, in 512-column
    PSUM banks with a ragged last one."""
    desc = "expert RMSNorm+QKV (NPU.md): y = rmsnorm(x, g) @ w, fp32"
    if name != "rmsnorm_qkv":
        desc = f"expert RMSNorm+QKV (NPU.md) at M {M}, K {K}, N {N}: y = rmsnorm(x, g) @ w, fp32"
    where = f"gen_programs.py: {name} (M {M}, N {N}, K {K})"
    if M % 128 or K % 128 or (K > 512 and K % 512) or N < 1:
        raise SystemExit(f"{where}: M and K must be multiples of 128, K a multiple of 512 from 512 on")
    p = Prog(name, desc)
    p.tensor("x", "f32", [M, K], "input")
    p.tensor("g", "f32", [K], "input")
    p.tensor("w", "f32", [K, N], "input")
    p.tensor("y", "f32", [M, N], "output")
    KT, NT, MT = K // 128, -(-N // 512), M // 128
    sbuf_f32 = KT * N + KT + 1 + 2 * K + K + 6 + 2 * K + 2 * K + 2 * N
    if sbuf_f32 * 4 > 192 * 1024:
        raise SystemExit(f"{where}: needs {sbuf_f32 * 4} bytes of SBUF per partition, more than 192 KiB")
    if 2 * ((KT + 3) // 4) + NT > 8:
        raise SystemExit(f"{where}: needs {2 * ((KT + 3) // 4) + NT} PSUM banks, more than 8")
    p.buffer("wt", "SBUF", "f32", KT * N)        # w[kt*128 + p, :] at (kt * N) of partition p
    p.buffer("gt", "SBUF", "f32", KT)            # g[kt*128 + p] at kt
    p.buffer("zero", "SBUF", "f32", 1)
    p.buffer("xt", "SBUF", "f32", 2 * K)         # double-buffered input rows
    p.buffer("sq", "SBUF", "f32", K)             # squares (discarded; only their row sums matter)
    p.buffer("ss", "SBUF", "f32", 2)
    p.buffer("ms", "SBUF", "f32", 2)
    p.buffer("rr", "SBUF", "f32", 2)
    p.buffer("xn", "SBUF", "f32", 2 * K)
    p.buffer("xT", "SBUF", "f32", 2 * K)         # transposed blocks: block kt at kt * 128
    p.buffer("yt", "SBUF", "f32", 2 * N)
    BPS = (KT + 3) // 4                          # PSUM banks of one row tile's transposes
    p.buffer("pt", "PSUM", "f32", 2 * BPS * 512)  # transposes, two sets of banks
    p.buffer("py", "PSUM", "f32", NT * 512)      # one bank per 512 output columns
    p.emit("memset", engine="POOL", out=sb("zero", 0, 1), value=0.0)
    with p.loop("kt", KT):
        p.emit("dma_copy", queue=mod("kt", QUEUES), src={"tensor": "g", "offset": "kt * 128", "ap": [[1, 128], [1, 1]]},
               dst=sb("gt", "kt", 1))
        for c, cw in column_chunks(p, "c", N):
            p.emit("dma_copy", queue=mod(f"kt * {NT} + {c} + 4", QUEUES), src=hbm("w", f"kt * 128 * {N} + {c} * 512", 128, N, cw),
                   dst=sb("wt", f"kt * {N} + {c} * 512", cw))
        p.emit("tensor_scalar", engine="POOL", **{"in": sb("wt", f"kt * {N}", N)}, out=sb("wt", f"kt * {N}", N),
               op0="multiply", s0=sb("gt", "kt", 1), op1="bypass", s1=0.0)
    # Each input row tile moves in two halves (2 KiB or more per partition each).
    halves = 2 if K >= 1024 else 1
    hk = K // halves

    def front(mt):
        """Load row tile `mt`, normalise it and transpose it into xT (ACT and PE only)."""
        s = mod(mt, 2)
        for h in range(halves):
            p.emit("dma_copy", queue=mod(f"({mt}) * 8 + {h}", QUEUES), src=hbm("x", f"({mt}) * 128 * {K} + {h * hk}", 128, K, hk),
                   dst=sb("xt", f"({s}) * {K} + {h * hk}", hk))
        p.emit("activation", func="square", **{"in": sb("xt", f"({s}) * {K}", K)}, out=sb("sq", 0, K), scale=1.0,
               bias=sb("zero", 0, 1), reduce=True, acc=sb("ss", s, 1))
        p.emit("tensor_scalar", engine="ACT", **{"in": sb("ss", s, 1)}, out=sb("ms", s, 1), op0="multiply", s0=1.0 / K,
               op1="add", s1=eps)
        p.emit("activation", func="rsqrt", **{"in": sb("ms", s, 1)}, out=sb("rr", s, 1), scale=1.0, bias=sb("zero", 0, 1))
        with p.loop("c", K // 512 if K >= 512 else 1):
            w = 512 if K >= 512 else K
            p.emit("tensor_scalar", engine="ACT", **{"in": sb("xt", f"({s}) * {K} + c * {w}", w)},
                   out=sb("xn", f"({s}) * {K} + c * {w}", w), op0="multiply", s0=sb("rr", s, 1), op1="bypass", s1=0.0)
        with p.loop("kt", KT):
            bank = f"(({s}) * {BPS} + floor(kt / 4)) * 512 + ({mod('kt', 4)}) * 128"
            p.emit("transpose_pe", a=sb("xn", f"({s}) * {K} + kt * 128", 128), out=sb("pt", bank, 128))
        # Copy the transposed blocks back to SBUF one bank (4 blocks) at a time.
        with p.loop("b", BPS):
            n = min(4, KT) * 128
            p.emit("activation", func="copy", **{"in": sb("pt", f"(({s}) * {BPS} + b) * 512", n)},
                   out=sb("xT", f"({s}) * {K} + b * 512", n), scale=1.0, bias=sb("zero", 0, 1))

    def back(mt):
        """Row tile `mt` times the weight, one PSUM bank per 512 columns, then store it."""
        s = mod(mt, 2)
        for c, cw in column_chunks(p, "c", N):
            for first in (True, False):
                with p.loop("kk", 1 if first else KT - 1):
                    kt = "kk" if first else "kk + 1"
                    p.emit("matmul", st=sb("xT", f"({s}) * {K} + ({kt}) * 128", 128), mv=sb("wt", f"({kt}) * {N} + {c} * 512", cw),
                           out=sb("py", f"{c} * 512", cw), accumulate=not first)
            # On DVE: ACT's in-order stream holds only the normalisation, so it runs a tile ahead.
            p.emit("tensor_copy", engine="DVE", a=sb("py", f"{c} * 512", cw), out=sb("yt", f"({s}) * {N} + {c} * 512", cw))
            # One store per 512 columns (2 KiB per partition), each on its own queue.
            p.emit("dma_copy", queue=mod(f"({mt}) * 8 + 2 + {c}", QUEUES), src=sb("yt", f"({s}) * {N} + {c} * 512", cw),
                   dst=hbm("y", f"({mt}) * 128 * {N} + {c} * 512", 128, N, cw))

    # Software-pipelined by one tile: the PE stream transposes tile mt + 1 before it multiplies
    # tile mt, so the normalisation of the next tile overlaps the matmuls of this one.
    front("0")
    if MT > 1:
        with p.loop("mt", MT - 1):
            front("mt + 1")
            back("mt")
    back(str(MT - 1))
    return p



# ---- Replicas of NKIBench's Neuron-compiler baselines (docs/npu-calibration.md) -----------------
# Each is written from a description of the compiler's kernel for that NKIBench case (its tiling,
# what it keeps on chip, its DMA pattern), not translated from it. Choices the listings leave open
# are made once for all replicas: a loop-local tile becomes a buffer with two slots used in turn
# (one where SBUF cannot hold two; a tile of at most 2 KiB per partition gets one slot per
# iteration of its loop, up to 8); PSUM results are copied out on DVE; ACT runs activations, the
# reciprocal (its faster engine on trn1) and the tensor_scalar ops the compiler may place
# anywhere; elementwise tensor_tensor ops run on DVE; loads and stores go round-robin over two
# halves of the 16 queues (dma()); independent iterations of an innermost elementwise loop are
# interleaved op by op, as the compiler's list scheduler orders them.


def q(expr):
    return mod(expr, QUEUES)


def dma(p, idx, src, dst):
    """A transfer of a replica: loads go round-robin over queues 0-7, stores over 8-15 (the
    compiler ties a queue to the engine that triggers the transfer, and loads and stores are
    triggered by different engines), so a load never waits in a FIFO queue behind a store that
    waits for compute."""
    store = "tensor" in dst
    p.emit("dma_copy", queue=(f"8 + " if store else "") + mod(idx, QUEUES // 2), src=src, dst=dst)


def hb(tensor, offset, rows, row_stride, cols, col_stride=1):
    """HBM tile of `rows` partitions (row_stride apart) of `cols` elements."""
    return {"tensor": tensor, "offset": offset, "ap": [[row_stride, rows], [col_stride, cols]]}


def gen_nki_matmul(M=4096, N=12288, K=5120):
    """c = a @ b, fp32. Per 1024 columns of b: the whole [K, 1024] column block stays in SBUF; per
    128 rows of a: [128, 1024] chunks loaded, PE-transposed block by block into a [K, 128] a^T,
    then two [128, 512] PSUM banks each accumulate K/128 matmuls and one [128, 1024] store.
    SBUF per partition, as the listing needs it: the b block (K * 4 KiB / 128 = 160 KiB), a^T
    (K * 4 B = 20 KiB), the output row block (4 KiB) and the identity the PE transposes multiply
    by (512 B; our transpose_pe names no identity operand, so the buffer only holds its place)
    leave 7.5 KiB: one 4 KiB a chunk, not two."""
    p = Prog("nki_matmul", "replica of the Neuron compiler's NKIBench matmul baseline (fp32 4096x12288x5120)")
    p.tensor("a", "f32", [M, K], "input")
    p.tensor("b", "f32", [K, N], "input")
    p.tensor("c", "f32", [M, N], "output")
    KT, KC, NB, MT = K // 128, K // 1024, N // 1024, M // 128
    p.buffer("bb", "SBUF", "f32", KT * 1024)
    p.buffer("ident", "SBUF", "f32", 128)
    slots = 2 if (KT * 1024 + 128 + K + 1024 + 2 * 1024) * 4 <= 192 * 1024 else 1
    p.buffer("ach", "SBUF", "f32", slots * 1024)
    p.buffer("aT", "SBUF", "f32", K)
    p.buffer("ot", "SBUF", "f32", 1024)
    p.buffer("pt", "PSUM", "f32", 4 * 512)
    p.buffer("py", "PSUM", "f32", 2 * 512)
    with p.loop("nb", NB):
        with p.loop("kt", KT):
            dma(p, (f"nb * {KT} + kt"), src=hb("b", f"kt * 128 * {N} + nb * 1024", 128, N, 1024),
                   dst=sb("bb", "kt * 1024", 1024))
        with p.loop("mt", MT):
            with p.loop("c", KC):
                s = mod("c", 2) if slots == 2 else "0"
                dma(p, (f"(nb * {MT} + mt) * {KC} + c + 8"),
                       src=hb("a", f"mt * 128 * {K} + c * 1024", 128, K, 1024), dst=sb("ach", f"({s}) * 1024", 1024))
                with p.loop("j", 8):
                    bank = f"(2 * ({s}) + floor(j / 4)) * 512 + ({mod('j', 4)}) * 128"
                    p.emit("transpose_pe", a=sb("ach", f"({s}) * 1024 + j * 128", 128), out=sb("pt", bank, 128))
                    p.emit("tensor_copy", engine="DVE", a=sb("pt", bank, 128), out=sb("aT", "(c * 8 + j) * 128", 128))
            with p.loop("h", 2):
                for first in (True, False):
                    with p.loop("kk", 1 if first else KT - 1):
                        k = "kk" if first else "kk + 1"
                        p.emit("matmul", st=sb("aT", f"({k}) * 128", 128), mv=sb("bb", f"({k}) * 1024 + h * 512", 512),
                               out=sb("py", "h * 512", 512), accumulate=not first)
                p.emit("tensor_copy", engine="DVE", a=sb("py", "h * 512", 512), out=sb("ot", "h * 512", 512))
            dma(p, (f"nb * {MT} + mt + 4"), src=sb("ot", 0, 1024),
                   dst=hb("c", f"mt * 128 * {N} + nb * 1024", 128, N, 1024))
    return p


def gen_nki_transpose_matmul(M=4096, K=2048, N=10944):
    """c = a^T @ b with a [K, M], b [K, N], fp32: the contraction rows are split as k = p * (K/128) + t,
    so every load is [128, 1024] with 4 KiB runs. Per 1024 columns of M: sixteen a tiles stay; per
    1024 columns of N: sixteen b tiles (one buffer: two do not fit beside a), then eight row groups
    of two PSUM banks accumulating K/128 matmuls, one [128, 1024] store each."""
    p = Prog("nki_transpose_matmul", "replica of the Neuron compiler's NKIBench transpose_matmul baseline (fp32 M4096 K2048 N10944)")
    p.tensor("a", "f32", [K, M], "input")
    p.tensor("b", "f32", [K, N], "input")
    p.tensor("c", "f32", [M, N], "output")
    T, MB = K // 128, M // 1024
    full, rest = N // 1024, N % 1024
    p.buffer("at", "SBUF", "f32", T * 1024)
    p.buffer("bt", "SBUF", "f32", T * 1024)
    p.buffer("ot", "SBUF", "f32", 2 * 1024)
    p.buffer("py", "PSUM", "f32", 4 * 512)

    def nblock(nb, width, qbase):
        with p.loop("t", T):
            dma(p, (f"({qbase}) * {T} + t + 8"), src=hb("b", f"t * {N} + ({nb}) * 1024", 128, T * N, width),
                   dst=sb("bt", "t * 1024", width))
        with p.loop("m4", 8):
            os_ = mod(f"({qbase}) * 8 + m4", 2)
            for h in range((width + 511) // 512):
                w = min(512, width - h * 512)
                ps = f"(2 * ({mod('m4', 2)}) + {h}) * 512"
                for first in (True, False):
                    with p.loop("kk", 1 if first else T - 1):
                        k = "kk" if first else "kk + 1"
                        p.emit("matmul", st=sb("at", f"({k}) * 1024 + m4 * 128", 128), mv=sb("bt", f"({k}) * 1024 + {h * 512}", w),
                               out=sb("py", ps, w), accumulate=not first)
                p.emit("tensor_copy", engine="DVE", a=sb("py", ps, w), out=sb("ot", f"({os_}) * 1024 + {h * 512}", w))
            dma(p, (f"({qbase}) * 8 + m4"), src=sb("ot", f"({os_}) * 1024", width),
                   dst=hb("c", f"(mb * 1024 + m4 * 128) * {N} + ({nb}) * 1024", 128, N, width))

    with p.loop("mb", MB):
        with p.loop("t", T):
            dma(p, (f"mb * {T} + t"), src=hb("a", f"t * {M} + mb * 1024", 128, T * M, 1024),
                   dst=sb("at", "t * 1024", 1024))
        with p.loop("nb", full):
            nblock("nb", 1024, f"mb * {full + 1} + nb")
        if rest:
            nblock(str(full), rest, f"mb * {full + 1} + {full}")
    return p


def gen_nki_bmm(B=16, M=4096, K=64, N=4096):
    """c[b] = a[b] @ b[b], fp32, K = 64. Per batch and 1024 columns: b's [64, 1024] tile; per 1024
    rows: eight [128, 64] a tiles each PE-transposed to a [64, 128] block of a^T; then per 128 rows
    two K=64 matmuls into two PSUM banks and one [128, 1024] store."""
    p = Prog("nki_bmm", "replica of the Neuron compiler's NKIBench bmm baseline (fp32 B16 M4096 K64 N4096)")
    p.tensor("a", "f32", [B, M, K], "input")
    p.tensor("b", "f32", [B, K, N], "input")
    p.tensor("c", "f32", [B, M, N], "output")
    NB, MB = N // 1024, M // 1024
    p.buffer("bt", "SBUF", "f32", 2 * 1024, partitions=K)
    p.buffer("at", "SBUF", "f32", 8 * K)
    p.buffer("aT", "SBUF", "f32", 2 * 1024, partitions=K)
    p.buffer("ot", "SBUF", "f32", 2 * 1024)
    p.buffer("pt", "PSUM", "f32", 2 * 512, partitions=K)
    p.buffer("py", "PSUM", "f32", 4 * 512)
    with p.loop("bi", B), p.loop("nb", NB):
        bs = mod(f"bi * {NB} + nb", 2)
        dma(p, (f"bi * {NB} + nb"), src=hb("b", f"bi * {K * N} + nb * 1024", K, N, 1024),
               dst=sb("bt", f"({bs}) * 1024", 1024))
        with p.loop("mb", MB):
            it = f"(bi * {NB} + nb) * {MB} + mb"
            asl = mod(it, 2)
            with p.loop("j", 8):
                dma(p, (f"({it}) * 8 + j + 4"), src=hb("a", f"bi * {M * K} + (mb * 1024 + j * 128) * {K}", 128, K, K),
                       dst=sb("at", f"j * {K}", K))
                pt = f"({mod('j', 2)}) * 512"
                p.emit("transpose_pe", a=sb("at", f"j * {K}", K), out=sb("pt", pt, 128))
                p.emit("tensor_copy", engine="DVE", a=sb("pt", pt, 128), out=sb("aT", f"({asl}) * 1024 + j * 128", 128))
            with p.loop("j", 8):
                os_ = mod(f"({it}) * 8 + j", 2)
                with p.loop("h", 2):
                    ps = f"(2 * ({mod('j', 2)}) + h) * 512"
                    p.emit("matmul", st=sb("aT", f"({asl}) * 1024 + j * 128", 128), mv=sb("bt", f"({bs}) * 1024 + h * 512", 512),
                           out=sb("py", ps, 512))
                    p.emit("tensor_copy", engine="DVE", a=sb("py", ps, 512), out=sb("ot", f"({os_}) * 1024 + h * 512", 512))
                dma(p, (f"({it}) * 8 + j + 12"), src=sb("ot", f"({os_}) * 1024", 1024),
                       dst=hb("c", f"bi * {M * N} + (mb * 1024 + j * 128) * {N} + nb * 1024", 128, N, 1024))
    return p


def gen_nki_silu(M=4096, N=7168):
    """y = x * sigmoid(x), fp32, x viewed as [128, M/128, N] (row p * M/128 + i): per [128, 1024]
    tile and per 512 columns: exp(-x) on ACT, + 1, 1/(.) on ACT, x * that on DVE; one store."""
    p = Prog("nki_silu", "replica of the Neuron compiler's NKIBench silu baseline (fp32 4096x7168)")
    p.tensor("x", "f32", [M, N], "input")
    p.tensor("y", "f32", [M, N], "output")
    R, C = M // 128, N // 1024
    p.buffer("zero", "SBUF", "f32", 1)
    p.buffer("xt", "SBUF", "f32", 2 * 1024)
    p.buffer("e", "SBUF", "f32", 2 * 512)
    p.buffer("d", "SBUF", "f32", 2 * 512)
    p.buffer("r", "SBUF", "f32", 2 * 512)
    p.buffer("ot", "SBUF", "f32", 2 * 1024)
    p.emit("memset", engine="POOL", out=sb("zero", 0, 1), value=0.0)
    with p.loop("i", R), p.loop("c", C):
        it = f"i * {C} + c"
        s = mod(it, 2)
        dma(p, (it), src=hb("x", f"i * {N} + c * 1024", 128, R * N, 1024), dst=sb("xt", f"({s}) * 1024", 1024))
        with p.loop("h", 2):
            hs = "h * 512"
            p.emit("activation", func="exp", **{"in": sb("xt", f"({s}) * 1024 + h * 512", 512)}, out=sb("e", hs, 512),
                   scale=-1.0, bias=sb("zero", 0, 1))
            p.emit("tensor_scalar", engine="ACT", **{"in": sb("e", hs, 512)}, out=sb("d", hs, 512), op0="add", s0=1.0,
                   op1="bypass", s1=0.0)
            p.emit("activation", func="reciprocal", **{"in": sb("d", hs, 512)}, out=sb("r", hs, 512), scale=1.0,
                   bias=sb("zero", 0, 1))
            p.emit("tensor_tensor", engine="DVE", op="multiply", a=sb("xt", f"({s}) * 1024 + h * 512", 512), b=sb("r", hs, 512),
                   out=sb("ot", f"({s}) * 1024 + h * 512", 512))
        dma(p, (f"{it} + 8"), src=sb("ot", f"({s}) * 1024", 1024), dst=hb("y", f"i * {N} + c * 1024", 128, R * N, 1024))
    return p


def gen_nki_adamw(P=10944, Q=2048):
    """NKIBench's adamw step (adamw_nkibench.tp), fp32: per 128 rows (the last tile partial) and
    1024 columns, four [rows, 1024] loads (p, g, m, v); per 512 columns six scalings on ACT, six
    elementwise ops on DVE, sqrt and reciprocal on ACT; one store of the new p."""
    p = Prog("nki_adamw", "replica of the Neuron compiler's NKIBench adamw baseline (fp32 10944x2048)")
    for n in ("p", "g", "m", "v"):
        p.tensor(n, "f32", [P, Q], "input")
    p.tensor("q", "f32", [P, Q], "output")
    RT, C = P // 128, Q // 1024
    last = P - RT * 128
    p.buffer("zero", "SBUF", "f32", 1)
    for n in ("pt", "gt", "mt", "vt", "ot"):
        p.buffer(n, "SBUF", "f32", 2 * 1024)
    for n in ("t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "t9", "t10", "t11", "t12"):
        p.buffer(n, "SBUF", "f32", 1024)
    p.emit("memset", engine="POOL", out=sb("zero", 0, 1), value=0.0)

    def tile(r0, rows, it):
        s = mod(it, 2)
        for j, (n, t) in enumerate((("p", "pt"), ("m", "mt"), ("v", "vt"), ("g", "gt"))):
            dma(p, (f"({it}) * 5 + {j}"), src=hb(n, f"({r0}) * {Q} + c * 1024", rows, Q, 1024),
                   dst=sb(t, f"({s}) * 1024", 1024, np_=rows))
        # The two 512-column halves are independent: their ops are interleaved one by one.
        def T(n, h):
            return sb(n, h * 512, 512, np_=rows)

        def X(n, h):
            return sb(n, f"({s}) * 1024 + {h * 512}", 512, np_=rows)

        def ts(a, o, op, c):
            for h in (0, 1):
                p.emit("tensor_scalar", engine="ACT", **{"in": a(h)}, out=T(o, h), op0=op, s0=c, op1="bypass", s1=0.0)

        def tt(a, b, o, op):
            for h in (0, 1):
                p.emit("tensor_tensor", engine="DVE", op=op, a=a(h), b=b(h), out=o(h))

        def act(func, a, o, scale):
            for h in (0, 1):
                p.emit("activation", func=func, **{"in": a(h)}, out=T(o, h), scale=scale, bias=sb("zero", 0, 1, np_=rows))

        def t(n):
            return lambda h: T(n, h)

        def x(n):
            return lambda h: X(n, h)
        ts(x("pt"), "t1", "multiply", 1e-5)
        ts(x("mt"), "t3", "multiply", 0.9)
        ts(x("gt"), "t4", "multiply", 0.1)
        tt(x("pt"), t("t1"), t("t2"), "subtract")
        ts(x("vt"), "t7", "multiply", 0.999)
        ts(x("gt"), "t8", "multiply", 0.001)
        tt(t("t3"), t("t4"), t("t5"), "add")
        tt(t("t8"), x("gt"), t("t9"), "multiply")
        ts(t("t5"), "t6", "multiply", 0.01)
        tt(t("t7"), t("t9"), t("t10"), "add")
        act("sqrt", t("t10"), "t11", 1000.0)
        ts(t("t11"), "t12", "add", 1e-8)
        act("reciprocal", t("t12"), "t11", 1.0)
        tt(t("t6"), t("t11"), t("t9"), "multiply")
        tt(t("t2"), t("t9"), x("ot"), "subtract")
        dma(p, (f"({it}) * 5 + 4"), src=sb("ot", f"({s}) * 1024", 1024, np_=rows),
               dst=hb("q", f"({r0}) * {Q} + c * 1024", rows, Q, 1024))

    with p.loop("r", RT), p.loop("c", C):
        tile("r * 128", 128, f"r * {C} + c")
    if last:
        with p.loop("c", C):
            tile(str(RT * 128), last, f"{RT * C} + c")
    return p


def gen_nki_rmsnorm_matmul(M=4096, N=2048, K=1024):
    """rmsnorm_matmul_nkibench.tp, fp32: per 1024 rows, each 128-row tile is loaded, squared on
    ACT, scaled by 1/K on ACT, summed on DVE, rsqrt on ACT; loaded again, scaled by the row factor
    and PE-transposed into a^T; then per 1024 output columns the [K, 1024] block of w is loaded
    (again for every 1024 rows) and eight row tiles x two banks accumulate K/128 matmuls."""
    p = Prog("nki_rmsnorm_matmul", "replica of the Neuron compiler's NKIBench rmsnorm_matmul baseline (fp32 M4096 N2048 K1024, no gain, no eps)")
    p.tensor("x", "f32", [M, K], "input")
    p.tensor("w", "f32", [K, N], "input")
    p.tensor("y", "f32", [M, N], "output")
    KT, G, NH = K // 128, M // 1024, N // 1024
    p.buffer("zero", "SBUF", "f32", 1)
    p.buffer("xt", "SBUF", "f32", 2 * K)
    p.buffer("sq", "SBUF", "f32", 512)
    p.buffer("sc", "SBUF", "f32", 512)
    p.buffer("part", "SBUF", "f32", K // 512)
    p.buffer("ss", "SBUF", "f32", 1)
    p.buffer("rr", "SBUF", "f32", 2)
    p.buffer("xn", "SBUF", "f32", 512)
    p.buffer("xT", "SBUF", "f32", KT * 1024)
    p.buffer("wt", "SBUF", "f32", KT * 1024)
    p.buffer("ot", "SBUF", "f32", 2 * 1024)
    p.buffer("pt", "PSUM", "f32", 2 * 512)
    p.buffer("py", "PSUM", "f32", 4 * 512)
    p.emit("memset", engine="POOL", out=sb("zero", 0, 1), value=0.0)
    with p.loop("g", G):
        with p.loop("t", 8):
            it = "g * 8 + t"
            s = mod(it, 2)
            dma(p, (f"({it}) * 2"), src=hb("x", f"({it}) * 128 * {K}", 128, K, K), dst=sb("xt", f"({s}) * {K}", K))
            with p.loop("h", K // 512):
                p.emit("activation", func="square", **{"in": sb("xt", f"({s}) * {K} + h * 512", 512)}, out=sb("sq", 0, 512),
                       scale=1.0, bias=sb("zero", 0, 1))
                p.emit("tensor_scalar", engine="ACT", **{"in": sb("sq", 0, 512)}, out=sb("sc", 0, 512), op0="multiply",
                       s0=1.0 / K, op1="bypass", s1=0.0)
                p.emit("tensor_reduce", op="add", a=sb("sc", 0, 512), out=sb("part", "h", 1))
            p.emit("tensor_reduce", op="add", a=sb("part", 0, K // 512), out=sb("ss", 0, 1))
            p.emit("activation", func="rsqrt", **{"in": sb("ss", 0, 1)}, out=sb("rr", s, 1), scale=1.0, bias=sb("zero", 0, 1))
            # The listing loads the row tile a second time for the scaling.
            dma(p, (f"({it}) * 2 + 1"), src=hb("x", f"({it}) * 128 * {K}", 128, K, K), dst=sb("xt", f"({s}) * {K}", K))
            with p.loop("h", K // 512):
                p.emit("tensor_scalar", engine="ACT", **{"in": sb("xt", f"({s}) * {K} + h * 512", 512)}, out=sb("xn", 0, 512),
                       op0="multiply", s0=sb("rr", s, 1), op1="bypass", s1=0.0)
                with p.loop("j", 4):
                    pt = f"({mod('j', 2)}) * 512"
                    p.emit("transpose_pe", a=sb("xn", "j * 128", 128), out=sb("pt", pt, 128))
                    p.emit("tensor_copy", engine="DVE", a=sb("pt", pt, 128), out=sb("xT", "(h * 4 + j) * 1024 + t * 128", 128))
        with p.loop("nh", NH):
            with p.loop("kt", KT):
                dma(p, (f"(g * {NH} + nh) * {KT} + kt"), src=hb("w", f"kt * 128 * {N} + nh * 1024", 128, N, 1024),
                       dst=sb("wt", "kt * 1024", 1024))
            with p.loop("t", 8):
                os_ = mod("t", 2)
                with p.loop("hh", 2):
                    ps = f"(2 * ({os_}) + hh) * 512"
                    for first in (True, False):
                        with p.loop("kk", 1 if first else KT - 1):
                            k = "kk" if first else "kk + 1"
                            p.emit("matmul", st=sb("xT", f"({k}) * 1024 + t * 128", 128), mv=sb("wt", f"({k}) * 1024 + hh * 512", 512),
                                   out=sb("py", ps, 512), accumulate=not first)
                    p.emit("tensor_copy", engine="DVE", a=sb("py", ps, 512), out=sb("ot", f"({os_}) * 1024 + hh * 512", 512))
                dma(p, (f"(g * {NH} + nh) * 8 + t + 8"), src=sb("ot", f"({os_}) * 1024", 1024),
                       dst=hb("y", f"(g * 1024 + t * 128) * {N} + nh * 1024", 128, N, 1024))
    return p


def gen_nki_swiglu(M=4096, K=1024, N=3072):
    """swiglu_nkibench.tp, fp32, in the compiler's three passes: (1) per 1024 intermediate columns
    the [K, 1024] block of w_gate and, per 512 tokens, four [128, K] x tiles PE-transposed, eight
    [128, 512] PSUM results of (x @ w_gate)^T, kept; these do not fit SBUF (384 KiB per partition)
    so the replica stores them to HBM scratch; (2) the same for w_up, each result combined with the
    gate (exp(-g) + 1, reciprocal, g * r * up) and stored to the HBM scratch product; (3) w_down
    loaded whole and, per 512 tokens, the product reloaded and 24 accumulating matmuls per bank."""
    p = Prog("nki_swiglu", "replica of the Neuron compiler's NKIBench swiglu baseline (fp32 M4096 K1024 N3072, with the down projection)")
    p.tensor("x", "f32", [M, K], "input")
    p.tensor("w_up", "f32", [K, N], "input")
    p.tensor("w_down", "f32", [N, K], "input")
    p.tensor("w_gate", "f32", [K, N], "input")
    p.tensor("gT", "f32", [N, M], "scratch")
    p.tensor("hT", "f32", [N, M], "scratch")
    p.tensor("y", "f32", [M, K], "output")
    KT, NB, MB, NT = K // 128, N // 1024, M // 512, N // 128
    p.buffer("zero", "SBUF", "f32", 1)
    # One buffer holds the w_gate / w_up block of passes 1-2 and then w_down (pass 3).
    p.buffer("wb", "SBUF", "f32", max(KT * 1024, NT * K))
    p.buffer("xt", "SBUF", "f32", 2 * K)
    p.buffer("xT", "SBUF", "f32", KT * 512)
    p.buffer("r1", "SBUF", "f32", 2 * 512)
    p.buffer("gl", "SBUF", "f32", 2 * 512)
    p.buffer("e", "SBUF", "f32", 512)
    p.buffer("hp", "SBUF", "f32", 2 * 512)
    p.buffer("hl", "SBUF", "f32", NT * 512)
    p.buffer("ot", "SBUF", "f32", 2 * K)
    p.buffer("pt", "PSUM", "f32", 2 * 512)
    p.buffer("py", "PSUM", "f32", 4 * 512)
    p.emit("memset", engine="POOL", out=sb("zero", 0, 1), value=0.0)

    def xpass(w, ps):
        with p.loop("nb", NB):
            with p.loop("kt", KT):
                dma(p, (f"nb * {KT} + kt + {ps * 4}"), src=hb(w, f"kt * 128 * {N} + nb * 1024", 128, N, 1024),
                       dst=sb("wb", "kt * 1024", 1024))
            with p.loop("mb", MB):
                it = f"nb * {MB} + mb"
                with p.loop("t", 4):
                    s = mod("t", 2)
                    dma(p, (f"({it}) * 4 + t + 8"), src=hb("x", f"(mb * 512 + t * 128) * {K}", 128, K, K),
                           dst=sb("xt", f"({s}) * {K}", K))
                    with p.loop("j", KT):
                        pt = f"({mod('j', 2)}) * 512"
                        p.emit("transpose_pe", a=sb("xt", f"({s}) * {K} + j * 128", 128), out=sb("pt", pt, 128))
                        p.emit("tensor_copy", engine="DVE", a=sb("pt", pt, 128), out=sb("xT", "j * 512 + t * 128", 128))
                with p.loop("nt", 8):
                    o = mod("nt", 2)
                    pso = f"({o}) * 512"
                    for first in (True, False):
                        with p.loop("kk", 1 if first else KT - 1):
                            k = "kk" if first else "kk + 1"
                            p.emit("matmul", st=sb("wb", f"({k}) * 1024 + nt * 128", 128), mv=sb("xT", f"({k}) * 512", 512),
                                   out=sb("py", pso, 512), accumulate=not first)
                    row = f"(nb * 1024 + nt * 128) * {M} + mb * 512"
                    if ps == 0:
                        p.emit("tensor_copy", engine="DVE", a=sb("py", pso, 512), out=sb("r1", f"({o}) * 512", 512))
                        dma(p, (f"({it}) * 8 + nt"), src=sb("r1", f"({o}) * 512", 512), dst=hb("gT", row, 128, M, 512))
                    else:
                        dma(p, (f"({it}) * 8 + nt + 4"), src=hb("gT", row, 128, M, 512), dst=sb("gl", f"({o}) * 512", 512))
                        p.emit("activation", func="exp", **{"in": sb("gl", f"({o}) * 512", 512)}, out=sb("e", 0, 512), scale=-1.0,
                               bias=sb("zero", 0, 1))
                        p.emit("tensor_scalar", engine="ACT", **{"in": sb("e", 0, 512)}, out=sb("e", 0, 512), op0="add", s0=1.0,
                               op1="bypass", s1=0.0)
                        p.emit("activation", func="reciprocal", **{"in": sb("e", 0, 512)}, out=sb("e", 0, 512), scale=1.0,
                               bias=sb("zero", 0, 1))
                        p.emit("tensor_tensor", engine="DVE", op="multiply", a=sb("gl", f"({o}) * 512", 512), b=sb("e", 0, 512),
                               out=sb("hp", f"({o}) * 512", 512))
                        p.emit("tensor_tensor", engine="DVE", op="multiply", a=sb("hp", f"({o}) * 512", 512), b=sb("py", pso, 512),
                               out=sb("hp", f"({o}) * 512", 512))
                        dma(p, (f"({it}) * 8 + nt + 12"), src=sb("hp", f"({o}) * 512", 512), dst=hb("hT", row, 128, M, 512))

    xpass("w_gate", 0)
    xpass("w_up", 1)
    with p.loop("nt", NT):
        dma(p, ("nt"), src=hb("w_down", f"nt * 128 * {K}", 128, K, K), dst=sb("wb", f"nt * {K}", K))
    with p.loop("mb", MB):
        with p.loop("nt", NT):
            dma(p, (f"mb * {NT} + nt + 3"), src=hb("hT", f"nt * 128 * {M} + mb * 512", 128, M, 512),
                   dst=sb("hl", "nt * 512", 512))
        with p.loop("t", 4):
            os_ = mod("t", 2)
            with p.loop("hh", K // 512):
                ps = f"(2 * ({os_}) + hh) * 512"
                for first in (True, False):
                    with p.loop("kk", 1 if first else NT - 1):
                        k = "kk" if first else "kk + 1"
                        p.emit("matmul", st=sb("hl", f"({k}) * 512 + t * 128", 128), mv=sb("wb", f"({k}) * {K} + hh * 512", 512),
                               out=sb("py", ps, 512), accumulate=not first)
                p.emit("tensor_copy", engine="DVE", a=sb("py", ps, 512), out=sb("ot", f"({os_}) * {K} + hh * 512", 512))
            dma(p, (f"mb * 4 + t + 7"), src=sb("ot", f"({os_}) * {K}", K),
                   dst=hb("y", f"(mb * 512 + t * 128) * {K}", 128, K, K))
    return p




def gen_nki_lora(M=4096, N=12288, K=5120, R=128):
    """lora_nkibench.tp, fp32. (1) (x @ a)^T per 512 rows: x tiles [128, 1024] PE-transposed and
    multiplied by the [128, R] tiles of a, accumulated in one PSUM bank, kept as [R, 512] tiles.
    (2) Per 1024 output columns: the main product y^T in [128 n, 512 m] PSUM tiles, K split in four
    sequential quarters whose partial sums add up in SBUF (DVE), x reloaded as [128, 640] tiles
    and PE-transposed for every quarter; (3) each sum plus (x a b)^T (one K=R matmul), PE-transposed
    back to [128 m, 128 n] blocks, each stored with 512-byte runs. The compiler's listing keeps the
    partial sums of all 4096 rows of a column block (128 KiB per partition) beside the w quarter;
    that exceeds SBUF with its other tiles, so the replica runs the rows in two halves and loads
    each w quarter once per half."""
    p = Prog("nki_lora", "replica of the Neuron compiler's NKIBench lora baseline (fp32 M4096 N12288 K5120 R128)")
    p.tensor("x", "f32", [M, K], "input")
    p.tensor("w", "f32", [K, N], "input")
    p.tensor("a", "f32", [K, R], "input")
    p.tensor("b", "f32", [R, N], "input")
    p.tensor("y", "f32", [M, N], "output")
    KT, MG, NB, KQ = K // 128, M // 512, N // 1024, 4
    QT = KT // KQ                      # k tiles per quarter (10)
    HALF = QT // 2                     # transposed per [128, 640] x tile (5)
    p.buffer("wa", "SBUF", "f32", QT * 1024)      # a's tiles in (1), a w quarter in (2)
    p.buffer("xaT", "SBUF", "f32", MG * 512)       # (x @ a)^T, [R, 512] per 512 rows
    p.buffer("acc", "SBUF", "f32", (MG // 2) * 8 * 512)  # partial sums of one half; (1)'s scratch
    p.buffer("xt", "SBUF", "f32", 2 * HALF * 128)
    p.buffer("xT", "SBUF", "f32", QT * 512)
    p.buffer("bt", "SBUF", "f32", 1024, partitions=R)
    p.buffer("ob", "SBUF", "f32", 2 * 128)
    p.buffer("pt", "PSUM", "f32", 2 * 512)
    p.buffer("py", "PSUM", "f32", 2 * 512)
    p.buffer("pl", "PSUM", "f32", 2 * 512)
    # (1) a stays (40 [128, R] tiles), then per 512 rows the K/128 products accumulate in PSUM.
    with p.loop("kt", KT):
        dma(p, "kt", src=hb("a", f"kt * 128 * {R}", 128, R, R), dst=sb("wa", f"kt * {R}", R))
    with p.loop("mg", MG):
        for kc in range(K // 1024):
            with p.loop("t", 4):
                s = mod("t", 2)
                dma(p, f"(mg * {K // 1024} + {kc}) * 4 + t", src=hb("x", f"(mg * 512 + t * 128) * {K} + {kc * 1024}", 128, K, 1024),
                    dst=sb("acc", f"({s}) * 1024", 1024))
                with p.loop("j", 8):
                    pt = f"({mod('j', 2)}) * 512"
                    p.emit("transpose_pe", a=sb("acc", f"({s}) * 1024 + j * 128", 128), out=sb("pt", pt, 128))
                    p.emit("tensor_copy", engine="DVE", a=sb("pt", pt, 128), out=sb("acc", "2048 + j * 512 + t * 128", 128))
            for first in ((True, False) if kc == 0 else (False,)):
                with p.loop("jj", (1 if first else 7) if kc == 0 else 8):
                    j = "jj + 1" if kc == 0 and not first else "jj"
                    p.emit("matmul", st=sb("wa", f"({kc * 8} + {j}) * {R}", R), mv=sb("acc", f"2048 + ({j}) * 512", 512),
                           out=sb("pl", f"({mod('mg', 2)}) * 512", 512), accumulate=not first)
        p.emit("tensor_copy", engine="DVE", a=sb("pl", f"({mod('mg', 2)}) * 512", 512), out=sb("xaT", "mg * 512", 512))
    # (2) + (3) per 1024 columns, per half of the rows.
    with p.loop("nb", NB):
        dma(p, "nb", src=hb("b", "nb * 1024", R, N, 1024), dst=sb("bt", 0, 1024))
        with p.loop("hm", 2):
            for first_q in (True, False):
                with p.loop("qq", 1 if first_q else KQ - 1):
                    kq = "qq" if first_q else "qq + 1"
                    with p.loop("kt", QT):
                        dma(p, f"((nb * 2 + hm) * {KQ} + {kq}) * {QT} + kt",
                            src=hb("w", f"(({kq}) * {QT} + kt) * 128 * {N} + nb * 1024", 128, N, 1024), dst=sb("wa", "kt * 1024", 1024))
                    with p.loop("g", MG // 2):
                        mg = f"hm * {MG // 2} + g"
                        with p.loop("t", 4), p.loop("hx", 2):
                            s = mod("hx", 2)
                            dma(p, f"(({mg}) * 4 + t) * 2 + hx + 3",
                                src=hb("x", f"(({mg}) * 512 + t * 128) * {K} + (({kq}) * {QT} + hx * {HALF}) * 128", 128, K, HALF * 128),
                                dst=sb("xt", f"({s}) * {HALF * 128}", HALF * 128))
                            with p.loop("j", HALF):
                                pt = f"({mod('j', 2)}) * 512"
                                p.emit("transpose_pe", a=sb("xt", f"({s}) * {HALF * 128} + j * 128", 128), out=sb("pt", pt, 128))
                                p.emit("tensor_copy", engine="DVE", a=sb("pt", pt, 128),
                                       out=sb("xT", f"(hx * {HALF} + j) * 512 + t * 128", 128))
                        with p.loop("n", 8):
                            ps = f"({mod('n', 2)}) * 512"
                            for first in (True, False):
                                with p.loop("kk", 1 if first else QT - 1):
                                    k = "kk" if first else "kk + 1"
                                    p.emit("matmul", st=sb("wa", f"({k}) * 1024 + n * 128", 128), mv=sb("xT", f"({k}) * 512", 512),
                                           out=sb("py", ps, 512), accumulate=not first)
                            acc = sb("acc", "(g * 8 + n) * 512", 512)
                            if first_q:
                                p.emit("tensor_copy", engine="DVE", a=sb("py", ps, 512), out=acc)
                            else:
                                p.emit("tensor_tensor", engine="DVE", op="add", a=acc, b=sb("py", ps, 512), out=acc)
            with p.loop("g", MG // 2), p.loop("n", 8):
                mg = f"hm * {MG // 2} + g"
                pl = f"({mod('n', 2)}) * 512"
                acc = sb("acc", "(g * 8 + n) * 512", 512)
                p.emit("matmul", st=sb("bt", "n * 128", 128), mv=sb("xaT", f"({mg}) * 512", 512), out=sb("pl", pl, 512))
                p.emit("tensor_tensor", engine="DVE", op="add", a=acc, b=sb("pl", pl, 512), out=acc)
                with p.loop("t", 4):
                    pt = f"({mod('t', 2)}) * 512"
                    o = f"({mod('t', 2)}) * 128"
                    p.emit("transpose_pe", a=sb("acc", "(g * 8 + n) * 512 + t * 128", 128), out=sb("pt", pt, 128))
                    p.emit("tensor_copy", engine="DVE", a=sb("pt", pt, 128), out=sb("ob", o, 128))
                    dma(p, f"((nb * {MG} + {mg}) * 8 + n) * 4 + t", src=sb("ob", o, 128),
                        dst=hb("y", f"(({mg}) * 512 + t * 128) * {N} + nb * 1024 + n * 128", 128, N, 128))
    return p



def rms_tile(p, src, n, eps, s):
    """RMSNorm of the [128, n] tile `src` (slot s of "a") into "xn": square on ACT, row sums on
    DVE, (sum / n + eps) and rsqrt on ACT, the row scaling on ACT, the gain (broadcast into every
    partition once, "gB") on DVE, in 512-column pieces."""
    p.emit("activation", func="square", **{"in": src}, out=sb("sq", 0, n), scale=1.0, bias=sb("zero", 0, 1))
    p.emit("tensor_reduce", op="add", a=sb("sq", 0, n), out=sb("ss", 0, 1))
    p.emit("tensor_scalar", engine="ACT", **{"in": sb("ss", 0, 1)}, out=sb("ss", 0, 1), op0="multiply", s0=1.0 / n,
           op1="add", s1=eps)
    p.emit("activation", func="rsqrt", **{"in": sb("ss", 0, 1)}, out=sb("rr", s, 1), scale=1.0, bias=sb("zero", 0, 1))
    with p.loop("h", n // 512):
        piece = sb("xn", f"({s}) * {n} + h * 512", 512)
        p.emit("tensor_scalar", engine="ACT", **{"in": sb("a", f"({s}) * {n} + h * 512", 512)}, out=piece, op0="multiply",
               s0=sb("rr", s, 1), op1="bypass", s1=0.0)
        p.emit("tensor_tensor", engine="DVE", op="multiply", a=piece, b=sb("gB", "h * 512", 512), out=piece)


def gen_nki_add_rmsnorm_matmul(M=4096, N=2048, K=1024, eps=1e-6):
    """add_rmsnorm_matmul.tp, fp32, as NKIBench's hand-written NKI baseline is structured: per 128
    rows, x and the residual z loaded, added, RMS-normalised with the gain (broadcast once), the
    row tile PE-transposed in 128-column blocks, then per 512 output columns K/128 [128, 512] w
    tiles loaded (again for every row tile) and accumulated, copied out and stored."""
    p = Prog("nki_add_rmsnorm_matmul", "replica of NKIBench's add_rmsnorm_matmul baseline (fp32 M4096 N2048 K1024)")
    p.tensor("x", "f32", [M, K], "input")
    p.tensor("r", "f32", [M, K], "input")
    p.tensor("g", "f32", [K], "input")
    p.tensor("w", "f32", [K, N], "input")
    p.tensor("y", "f32", [M, N], "output")
    KT, MT, NT = K // 128, M // 128, N // 512
    for b_, n in (("zero", 1), ("gB", K), ("xt", 2 * K), ("zt", 2 * K), ("a", 2 * K), ("sq", K), ("ss", 1), ("rr", 2),
                  ("xn", 2 * K), ("xT", 2 * KT * 128), ("wt", 2 * 512), ("ot", 2 * 512)):
        p.buffer(b_, "SBUF", "f32", n)
    p.buffer("pt", "PSUM", "f32", 2 * 512)
    p.buffer("py", "PSUM", "f32", 2 * 512)
    p.emit("memset", engine="POOL", out=sb("zero", 0, 1), value=0.0)
    p.emit("dma_broadcast", queue=0, src={"tensor": "g", "offset": 0, "ap": [[1, K], [1, 1]]}, dst=sb("gB", 0, K))
    with p.loop("i", MT):
        s = mod("i", 2)
        dma(p, "i * 2", src=hb("x", f"i * 128 * {K}", 128, K, K), dst=sb("xt", f"({s}) * {K}", K))
        dma(p, "i * 2 + 1", src=hb("r", f"i * 128 * {K}", 128, K, K), dst=sb("zt", f"({s}) * {K}", K))
        p.emit("tensor_tensor", engine="DVE", op="add", a=sb("xt", f"({s}) * {K}", K), b=sb("zt", f"({s}) * {K}", K),
               out=sb("a", f"({s}) * {K}", K))
        rms_tile(p, sb("a", f"({s}) * {K}", K), K, eps, s)
        with p.loop("kt", KT):
            pt = f"({mod('kt', 2)}) * 512"
            p.emit("transpose_pe", a=sb("xn", f"({s}) * {K} + kt * 128", 128), out=sb("pt", pt, 128))
            p.emit("tensor_copy", engine="DVE", a=sb("pt", pt, 128), out=sb("xT", f"(({s}) * {KT} + kt) * 128", 128))
        with p.loop("n", NT):
            ps = f"({mod('n', 2)}) * 512"
            for first in (True, False):
                with p.loop("kk", 1 if first else KT - 1):
                    k = "kk" if first else "kk + 1"
                    ws = mod(f"({k})", 2)
                    dma(p, f"(i * {NT} + n) * {KT} + {k} + 2", src=hb("w", f"({k}) * 128 * {N} + n * 512", 128, N, 512),
                        dst=sb("wt", f"({ws}) * 512", 512))
                    p.emit("matmul", st=sb("xT", f"(({s}) * {KT} + {k}) * 128", 128), mv=sb("wt", f"({ws}) * 512", 512),
                           out=sb("py", ps, 512), accumulate=not first)
            p.emit("tensor_copy", engine="DVE", a=sb("py", ps, 512), out=sb("ot", ps, 512))
            dma(p, f"i * {NT} + n", src=sb("ot", ps, 512), dst=hb("y", f"i * 128 * {N} + n * 512", 128, N, 512))
    return p


def gen_nki_matmul_add_rmsnorm(M=4096, N=2048, K=2048, eps=1e-6):
    """matmul_add_rmsnorm.tp, fp32, as NKIBench's hand-written NKI baseline is structured: per 128
    rows, x loaded and PE-transposed, per 512 output columns K/128 [128, 512] w tiles loaded (again
    for every row tile) and accumulated into h; then the residual z loaded and added, the row
    RMS-normalised with the gain (broadcast once) and stored."""
    p = Prog("nki_matmul_add_rmsnorm", "replica of NKIBench's matmul_add_rmsnorm baseline (fp32 M4096 N2048 K2048)")
    p.tensor("x", "f32", [M, K], "input")
    p.tensor("w", "f32", [K, N], "input")
    p.tensor("r", "f32", [M, N], "input")
    p.tensor("g", "f32", [N], "input")
    p.tensor("y", "f32", [M, N], "output")
    KT, MT, NT = K // 128, M // 128, N // 512
    for b_, n in (("zero", 1), ("gB", N), ("xt", 2 * K), ("xT", KT * 128), ("wt", 2 * 512), ("hs", N), ("zt", 2 * N),
                  ("a", 2 * N), ("sq", N), ("ss", 1), ("rr", 2), ("xn", 2 * N)):
        p.buffer(b_, "SBUF", "f32", n)
    p.buffer("pt", "PSUM", "f32", 2 * 512)
    p.buffer("py", "PSUM", "f32", 2 * 512)
    p.emit("memset", engine="POOL", out=sb("zero", 0, 1), value=0.0)
    p.emit("dma_broadcast", queue=0, src={"tensor": "g", "offset": 0, "ap": [[1, N], [1, 1]]}, dst=sb("gB", 0, N))
    with p.loop("i", MT):
        s = mod("i", 2)
        dma(p, "i * 2", src=hb("x", f"i * 128 * {K}", 128, K, K), dst=sb("xt", f"({s}) * {K}", K))
        with p.loop("kt", KT):
            pt = f"({mod('kt', 2)}) * 512"
            p.emit("transpose_pe", a=sb("xt", f"({s}) * {K} + kt * 128", 128), out=sb("pt", pt, 128))
            p.emit("tensor_copy", engine="DVE", a=sb("pt", pt, 128), out=sb("xT", "kt * 128", 128))
        with p.loop("n", NT):
            ps = f"({mod('n', 2)}) * 512"
            for first in (True, False):
                with p.loop("kk", 1 if first else KT - 1):
                    k = "kk" if first else "kk + 1"
                    ws = mod(f"({k})", 2)
                    dma(p, f"(i * {NT} + n) * {KT} + {k} + 2", src=hb("w", f"({k}) * 128 * {N} + n * 512", 128, N, 512),
                        dst=sb("wt", f"({ws}) * 512", 512))
                    p.emit("matmul", st=sb("xT", f"({k}) * 128", 128), mv=sb("wt", f"({ws}) * 512", 512),
                           out=sb("py", ps, 512), accumulate=not first)
            p.emit("tensor_copy", engine="DVE", a=sb("py", ps, 512), out=sb("hs", "n * 512", 512))
        dma(p, "i * 2 + 1", src=hb("r", f"i * 128 * {N}", 128, N, N), dst=sb("zt", f"({s}) * {N}", N))
        p.emit("tensor_tensor", engine="DVE", op="add", a=sb("hs", 0, N), b=sb("zt", f"({s}) * {N}", N),
               out=sb("a", f"({s}) * {N}", N))
        rms_tile(p, sb("a", f"({s}) * {N}", N), N, eps, s)
        dma(p, "i", src=sb("xn", f"({s}) * {N}", N), dst=hb("y", f"i * 128 * {N}", 128, N, N))
    return p



def gen_nki_rope(D=128, S=262144, T=512):
    """rope_nkibench.tp, fp32, as NKIBench's hand-written NKI baseline is structured: per 512
    columns, x [128, 512] and the cos/sin tables [64, 512] (packed in one [128, 512] tile) loaded,
    the odd half copied down to partitions 0-63, four products and two sums on DVE, one store."""
    p = Prog("nki_rope", "replica of NKIBench's rope baseline (fp32 D128, 64 heads x 4096 positions)")
    H = D // 2
    p.tensor("x", "f32", [D, S], "input")
    p.tensor("cos", "f32", [H, S], "input")
    p.tensor("sin", "f32", [H, S], "input")
    p.tensor("y", "f32", [D, S], "output")
    for b_ in ("xt", "cs", "od", "ecs", "ocs", "ot"):
        p.buffer(b_, "SBUF", "f32", 2 * T)

    def t(b_, p0, s):
        return sb(b_, f"({s}) * {T}", T, p=p0, np_=H)
    with p.loop("i", S // T):
        s = mod("i", 2)
        dma(p, "i * 3", src=hb("x", f"i * {T}", D, S, T), dst=sb("xt", f"({s}) * {T}", T))
        dma(p, "i * 3 + 1", src=hb("cos", f"i * {T}", H, S, T), dst=t("cs", 0, s))
        dma(p, "i * 3 + 2", src=hb("sin", f"i * {T}", H, S, T), dst=t("cs", H, s))
        p.emit("tensor_copy", engine="DVE", a=t("xt", H, s), out=t("od", 0, s))
        for a_, b_, o_ in ((t("xt", 0, s), t("cs", 0, s), t("ecs", 0, s)), (t("od", 0, s), t("cs", 0, s), t("ocs", 0, s)),
                           (t("xt", 0, s), t("cs", H, s), t("ecs", H, s)), (t("od", 0, s), t("cs", H, s), t("ocs", H, s))):
            p.emit("tensor_tensor", engine="DVE", op="multiply", a=a_, b=b_, out=o_)
        p.emit("tensor_tensor", engine="DVE", op="subtract", a=t("ecs", 0, s), b=t("ocs", H, s), out=t("ot", 0, s))
        p.emit("tensor_tensor", engine="DVE", op="add", a=t("ocs", 0, s), b=t("ecs", H, s), out=t("ot", H, s))
        dma(p, "i", src=sb("ot", f"({s}) * {T}", T), dst=hb("y", f"i * {T}", D, S, T))
    return p



def gen_nki_bmm_softmax(B=16, M=4096, K=64, N=4096):
    """softmax(bmm(a, b)) over the last axis, fp32, in the compiler's two passes: (1) the bmm of
    nki_bmm, each [128, 512] score tile copied out of PSUM, its row maximum taken on DVE and the
    tile written to HBM scratch: the listing keeps every score of a batch (64 MiB) as one on-chip
    array, which cannot fit SBUF, so it spills; (2) per 128 rows, the maximum of the eight partial
    maxima, the scores reloaded, exp(s - max) on ACT with DVE row sums, the reciprocal of the sum
    on ACT, the scaling on ACT, and [128, 1024] stores."""
    p = Prog("nki_bmm_softmax", "replica of the Neuron compiler's NKIBench bmm_softmax baseline (fp32 B16 M4096 K64 N4096)")
    p.tensor("a", "f32", [B, M, K], "input")
    p.tensor("b", "f32", [B, K, N], "input")
    p.tensor("s", "f32", [B, M, N], "scratch")
    p.tensor("y", "f32", [B, M, N], "output")
    NB, MB, C = N // 1024, M // 1024, N // 512
    p.buffer("zero", "SBUF", "f32", 1)
    p.buffer("bt", "SBUF", "f32", 2 * 1024, partitions=K)
    p.buffer("at", "SBUF", "f32", 8 * K)
    p.buffer("aT", "SBUF", "f32", 2 * 1024, partitions=K)
    p.buffer("st", "SBUF", "f32", 2 * 512)
    p.buffer("mx", "SBUF", "f32", (M // 128) * C)      # partial maxima of one batch's row tiles
    p.buffer("nm", "SBUF", "f32", 2)
    p.buffer("e", "SBUF", "f32", 2 * N)
    p.buffer("part", "SBUF", "f32", C)
    p.buffer("sm", "SBUF", "f32", 1)
    p.buffer("rc", "SBUF", "f32", 2)
    p.buffer("ot", "SBUF", "f32", 2 * 1024)
    p.buffer("pt", "PSUM", "f32", 2 * 512, partitions=K)
    p.buffer("py", "PSUM", "f32", 4 * 512)
    p.emit("memset", engine="POOL", out=sb("zero", 0, 1), value=0.0)
    with p.loop("bi", B):
        with p.loop("nb", NB):
            bs = mod(f"bi * {NB} + nb", 2)
            dma(p, f"bi * {NB} + nb", src=hb("b", f"bi * {K * N} + nb * 1024", K, N, 1024), dst=sb("bt", f"({bs}) * 1024", 1024))
            with p.loop("mb", MB):
                it = f"(bi * {NB} + nb) * {MB} + mb"
                asl = mod(it, 2)
                with p.loop("j", 8):
                    dma(p, f"({it}) * 8 + j + 4", src=hb("a", f"bi * {M * K} + (mb * 1024 + j * 128) * {K}", 128, K, K),
                        dst=sb("at", f"j * {K}", K))
                    pt = f"({mod('j', 2)}) * 512"
                    p.emit("transpose_pe", a=sb("at", f"j * {K}", K), out=sb("pt", pt, 128))
                    p.emit("tensor_copy", engine="DVE", a=sb("pt", pt, 128), out=sb("aT", f"({asl}) * 1024 + j * 128", 128))
                with p.loop("j", 8), p.loop("h", 2):
                    ps = f"(2 * ({mod('j', 2)}) + h) * 512"
                    ss = mod("h", 2)
                    p.emit("matmul", st=sb("aT", f"({asl}) * 1024 + j * 128", 128), mv=sb("bt", f"({bs}) * 1024 + h * 512", 512),
                           out=sb("py", ps, 512))
                    p.emit("tensor_copy", engine="DVE", a=sb("py", ps, 512), out=sb("st", f"({ss}) * 512", 512))
                    p.emit("tensor_reduce", op="max", a=sb("st", f"({ss}) * 512", 512), out=sb("mx", f"(mb * 8 + j) * {C} + nb * 2 + h", 1))
                    dma(p, f"(({it}) * 8 + j) * 2 + h", src=sb("st", f"({ss}) * 512", 512),
                        dst=hb("s", f"bi * {M * N} + (mb * 1024 + j * 128) * {N} + nb * 1024 + h * 512", 128, N, 512))
        with p.loop("rt", M // 128):
            r2 = mod("rt", 2)
            p.emit("tensor_reduce", op="max", a=sb("mx", f"rt * {C}", C), out=sb("nm", r2, 1))
            p.emit("tensor_scalar", engine="ACT", **{"in": sb("nm", r2, 1)}, out=sb("nm", r2, 1), op0="max", s0=-3.4028235e38,
                   op1="multiply", s1=-1.0)
            with p.loop("c", C):
                piece = sb("e", f"({r2}) * {N} + c * 512", 512)
                dma(p, f"(bi * {M // 128} + rt) * {C} + c + 2", src=hb("s", f"bi * {M * N} + rt * 128 * {N} + c * 512", 128, N, 512),
                    dst=piece)
                p.emit("activation", func="exp", **{"in": piece}, out=piece, scale=1.0, bias=sb("nm", r2, 1))
                p.emit("tensor_reduce", op="add", a=piece, out=sb("part", "c", 1))
            p.emit("tensor_reduce", op="add", a=sb("part", 0, C), out=sb("sm", 0, 1))
            p.emit("activation", func="reciprocal", **{"in": sb("sm", 0, 1)}, out=sb("rc", r2, 1), scale=1.0, bias=sb("zero", 0, 1))
            with p.loop("nb", NB):
                os_ = mod(f"rt * {NB} + nb", 2)
                with p.loop("h", 2):
                    p.emit("tensor_scalar", engine="ACT", **{"in": sb("e", f"({r2}) * {N} + nb * 1024 + h * 512", 512)},
                           out=sb("ot", f"({os_}) * 1024 + h * 512", 512), op0="multiply", s0=sb("rc", r2, 1), op1="bypass", s1=0.0)
                dma(p, f"(bi * {M // 128} + rt) * {NB} + nb", src=sb("ot", f"({os_}) * 1024", 1024),
                    dst=hb("y", f"bi * {M * N} + rt * 128 * {N} + nb * 1024", 128, N, 1024))
    return p



def gen_nki_gqa(S=4096, QH=16, KH=8, D=128):
    """gqa_nkibench.tp, fp32, in the compiler's three passes: (1) q [S, QH, D] loaded 8 heads at a
    time as [128 positions, 1024] and PE-transposed per head; the listing keeps all of q^T on chip
    (256 KiB per partition), which cannot fit, so the replica spills it to HBM scratch; (2) per half
    of the key positions, k loaded as [128, 1024] and PE-transposed into [D, 512] blocks per kv head,
    then per query head and 128 query rows one fp32 matmul per 512 keys, scaled by 1/sqrt(D) on
    ACT, its row maximum on DVE, the scores spilled to HBM scratch (1 GiB); (3) v loaded whole
    ([128 positions, KH * D] tiles), per query head and 128 rows: the maximum, exp(s - max) on ACT
    with DVE sums, the reciprocal and scaling on ACT, the probabilities PE-transposed in [128, 128]
    blocks and S/128 accumulating matmuls against v, one [128, D] store."""
    p = Prog("nki_gqa", "replica of the Neuron compiler's NKIBench gqa baseline (fp32 S4096, 16 query heads, 8 kv heads, D128)")
    p.tensor("q", "f32", [S, QH, D], "input")
    p.tensor("k", "f32", [S, KH, D], "input")
    p.tensor("v", "f32", [S, KH, D], "input")
    p.tensor("qT", "f32", [QH, D, S], "scratch")
    p.tensor("s", "f32", [QH, S, S], "scratch")
    p.tensor("o", "f32", [QH, S, D], "output")
    IT, JB, HALF = S // 128, S // 512, S // 1024  # 128-row tiles, 512-key chunks, 512-key blocks per half
    p.buffer("zero", "SBUF", "f32", 1)
    p.buffer("big", "SBUF", "f32", max(HALF * KH * 512, IT * KH * D))  # k^T of a half; then v
    p.buffer("ld", "SBUF", "f32", 2 * 1024)
    p.buffer("tq", "SBUF", "f32", 2 * 128)
    p.buffer("qs", "SBUF", "f32", 2 * 128)
    p.buffer("sc", "SBUF", "f32", 2 * 512)
    p.buffer("mx", "SBUF", "f32", QH * IT * JB)
    p.buffer("nm", "SBUF", "f32", 2)
    p.buffer("e", "SBUF", "f32", S)
    p.buffer("part", "SBUF", "f32", JB)
    p.buffer("sm", "SBUF", "f32", 1)
    p.buffer("rc", "SBUF", "f32", 1)
    p.buffer("pT", "SBUF", "f32", IT * 128)
    p.buffer("ob", "SBUF", "f32", 2 * D)
    p.buffer("pt", "PSUM", "f32", 2 * 512)
    p.buffer("py", "PSUM", "f32", 2 * 512)
    p.emit("memset", engine="POOL", out=sb("zero", 0, 1), value=0.0)
    # (1) q^T per head, spilled.
    with p.loop("it", IT), p.loop("hh", QH // 8):
        s_ = mod("it * 2 + hh", 2)
        dma(p, "it * 2 + hh", src=hb("q", f"it * 128 * {QH * D} + hh * 8 * {D}", 128, QH * D, 8 * D), dst=sb("ld", f"({s_}) * 1024", 1024))
        with p.loop("j", 8):
            pt = f"({mod('j', 2)}) * 512"
            p.emit("transpose_pe", a=sb("ld", f"({s_}) * 1024 + j * 128", 128), out=sb("pt", pt, 128))
            p.emit("tensor_copy", engine="DVE", a=sb("pt", pt, 128), out=sb("tq", f"({mod('j', 2)}) * 128", 128))
            dma(p, "(it * 2 + hh) * 8 + j", src=sb("tq", f"({mod('j', 2)}) * 128", 128),
                dst=hb("qT", f"(hh * 8 + j) * {D * S} + it * 128", D, S, 128))
    # (2) scores per half of the keys.
    with p.loop("kh", 2):
        with p.loop("b", HALF), p.loop("t", 4):
            s_ = mod("t", 2)
            pos = f"(kh * {HALF} + b) * 512 + t * 128"
            dma(p, f"(kh * {HALF} + b) * 4 + t", src=hb("k", f"({pos}) * {KH * D}", 128, KH * D, KH * D), dst=sb("ld", f"({s_}) * 1024", 1024))
            with p.loop("j", KH):
                pt = f"({mod('j', 2)}) * 512"
                p.emit("transpose_pe", a=sb("ld", f"({s_}) * 1024 + j * 128", 128), out=sb("pt", pt, 128))
                p.emit("tensor_copy", engine="DVE", a=sb("pt", pt, 128), out=sb("big", f"(j * {HALF} + b) * 512 + t * 128", 128))
        with p.loop("h", QH), p.loop("it", IT):
            qs = mod("it", 2)
            dma(p, f"(kh * {QH} + h) * {IT} + it + 3", src=hb("qT", f"h * {D * S} + it * 128", D, S, 128), dst=sb("qs", f"({qs}) * 128", 128))
            with p.loop("b", HALF):
                ps = f"({mod('b', 2)}) * 512"
                cs = mod("b", 2)
                p.emit("matmul", st=sb("qs", f"({qs}) * 128", 128), mv=sb("big", f"(floor(h / 2) * {HALF} + b) * 512", 512),
                       out=sb("py", ps, 512))
                p.emit("tensor_scalar", engine="ACT", **{"in": sb("py", ps, 512)}, out=sb("sc", f"({cs}) * 512", 512),
                       op0="multiply", s0=1.0 / D ** 0.5, op1="bypass", s1=0.0)
                p.emit("tensor_reduce", op="max", a=sb("sc", f"({cs}) * 512", 512), out=sb("mx", f"(h * {IT} + it) * {JB} + kh * {HALF} + b", 1))
                dma(p, f"((kh * {QH} + h) * {IT} + it) * {HALF} + b",
                    src=sb("sc", f"({cs}) * 512", 512), dst=hb("s", f"(h * {S} + it * 128) * {S} + (kh * {HALF} + b) * 512", 128, S, 512))
    # (3) v whole, then per query head and 128 rows the softmax and P @ v.
    with p.loop("t", IT):
        dma(p, "t", src=hb("v", f"t * 128 * {KH * D}", 128, KH * D, KH * D), dst=sb("big", f"t * {KH * D}", KH * D))
    with p.loop("h", QH), p.loop("it", IT):
        p.emit("tensor_reduce", op="max", a=sb("mx", f"(h * {IT} + it) * {JB}", JB), out=sb("nm", 0, 1))
        p.emit("tensor_scalar", engine="ACT", **{"in": sb("nm", 0, 1)}, out=sb("nm", 1, 1), op0="max", s0=-3.4028235e38,
               op1="multiply", s1=-1.0)
        with p.loop("c", JB):
            piece = sb("e", "c * 512", 512)
            dma(p, f"(h * {IT} + it) * {JB} + c + 5", src=hb("s", f"(h * {S} + it * 128) * {S} + c * 512", 128, S, 512), dst=piece)
            p.emit("activation", func="exp", **{"in": piece}, out=piece, scale=1.0, bias=sb("nm", 1, 1))
            p.emit("tensor_reduce", op="add", a=piece, out=sb("part", "c", 1))
        p.emit("tensor_reduce", op="add", a=sb("part", 0, JB), out=sb("sm", 0, 1))
        p.emit("activation", func="reciprocal", **{"in": sb("sm", 0, 1)}, out=sb("rc", 0, 1), scale=1.0, bias=sb("zero", 0, 1))
        with p.loop("c", JB):
            piece = sb("e", "c * 512", 512)
            p.emit("tensor_scalar", engine="ACT", **{"in": piece}, out=piece, op0="multiply", s0=sb("rc", 0, 1), op1="bypass", s1=0.0)
            with p.loop("j", 4):
                pt = f"({mod('j', 2)}) * 512"
                p.emit("transpose_pe", a=sb("e", "c * 512 + j * 128", 128), out=sb("pt", pt, 128))
                p.emit("tensor_copy", engine="DVE", a=sb("pt", pt, 128), out=sb("pT", "(c * 4 + j) * 128", 128))
        po = f"({mod('it', 2)}) * 512"
        for first in (True, False):
            with p.loop("kk", 1 if first else IT - 1):
                jt = "kk" if first else "kk + 1"
                p.emit("matmul", st=sb("pT", f"({jt}) * 128", 128), mv=sb("big", f"({jt}) * {KH * D} + floor(h / 2) * {D}", D),
                       out=sb("py", po, D), accumulate=not first)
        ob = f"({mod('it', 2)}) * {D}"
        p.emit("tensor_copy", engine="DVE", a=sb("py", po, D), out=sb("ob", ob, D))
        dma(p, f"h * {IT} + it", src=sb("ob", ob, D), dst=hb("o", f"(h * {S} + it * 128) * {D}", 128, D, D))
    return p


def gen_dma_patterns(T=32, P=128, F=2048):
    """Three programs that move the same bytes into SBUF (T transfers of [P, F] fp32, round-robin
    over the 16 queues, into 16 rotating slots) with three access patterns: whole contiguous rows,
    a transposing load whose every element is its own 4-byte run, and a partition broadcast of one
    row per transfer (docs/npu-calibration.md, "Three access patterns")."""
    out = []
    for name, what in (("dma_rows", "contiguous rows"), ("dma_transposed", "a transposing load (4-byte runs)"),
                       ("dma_broadcast", "a partition broadcast of one row per transfer")):
        p = Prog(name, f"{T} transfers of [{P}, {F}] fp32 into SBUF: {what}")
        if name == "dma_rows":
            p.tensor("x", "f32", [T * P, F], "input")
        elif name == "dma_transposed":
            p.tensor("x", "f32", [F, T * P], "input")
        else:
            p.tensor("x", "f32", [T, F], "input")
        p.buffer("slots", "SBUF", "f32", 16 * F, partitions=P)
        with p.loop("t", T):
            dst = sb("slots", f"({mod('t', 16)}) * {F}", F)
            if name == "dma_rows":
                p.emit("dma_copy", queue=q("t"), src=hb("x", f"t * {P * F}", P, F, F), dst=dst)
            elif name == "dma_transposed":
                p.emit("dma_copy", queue=q("t"), src=hb("x", f"t * {P}", P, 1, F, T * P), dst=dst)
            else:
                p.emit("dma_broadcast", queue=q("t"), src={"tensor": "x", "offset": f"t * {F}", "ap": [[1, F], [1, 1]]}, dst=dst)
        out.append(p)
    return out


NKI_REPLICAS = {
    "nki_matmul": gen_nki_matmul,
    "nki_transpose_matmul": gen_nki_transpose_matmul,
    "nki_bmm": gen_nki_bmm,
    "nki_silu": gen_nki_silu,
    "nki_adamw": gen_nki_adamw,
    "nki_rmsnorm_matmul": gen_nki_rmsnorm_matmul,
    "nki_swiglu": gen_nki_swiglu,
    "nki_lora": gen_nki_lora,
    "nki_add_rmsnorm_matmul": gen_nki_add_rmsnorm_matmul,
    "nki_matmul_add_rmsnorm": gen_nki_matmul_add_rmsnorm,
    "nki_rope": gen_nki_rope,
    "nki_bmm_softmax": gen_nki_bmm_softmax,
    "nki_gqa": gen_nki_gqa,
}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument("--M", type=int, default=4096)
    ap.add_argument("--N", type=int, default=8192)
    ap.add_argument("--K", type=int, default=8192)
    ap.add_argument("--rms-M", type=int, default=4096)
    ap.add_argument("--rms-N", type=int, default=2048)
    ap.add_argument("--rms-K", type=int, default=1024)
    ap.add_argument("--block-all", default="16,2,8", help="TILES_IN_BLOCK_M,N,K of matmul_block_all")
    ap.add_argument("--suffix", default="", help="appended to every file name (small variants for tests)")
    ap.add_argument("--replicas-small", action="store_true",
                    help="write only the small replicas tests/sim checks functionally (nki_*_small.json)")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    if a.replicas_small:
        for p in (gen_nki_silu(256, 2048), gen_nki_adamw(192, 1024), gen_nki_rope(128, 1024), gen_nki_bmm(1, 1024, 64, 1024),
                  gen_nki_matmul(128, 1024, 1024)):
            p.write(os.path.join(a.out, p.doc["name"] + "_small.json"))
        return
    tm, tn, tk = (int(v) for v in a.block_all.split(","))
    progs = [gen_tiled(a.M, a.N, a.K), gen_hoisted(a.M, a.N, a.K), gen_block_free(a.M, a.N, a.K),
             gen_block_all(a.M, a.N, a.K, tm, tn, tk), gen_rmsnorm_qkv(a.rms_M, a.rms_N, a.rms_K)]
    if not a.suffix:
        progs += [gen_rmsnorm_qkv(m, n, k, name=rmsnorm_qkv_name(m, k, n)) for m, k, n in RMSNORM_QKV_TEST_SHAPES]
        progs += [g() for g in NKI_REPLICAS.values()] + gen_dma_patterns()
    for p in progs:
        p.write(os.path.join(a.out, p.doc["name"] + a.suffix + ".json"))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Writes the NPU programs of sim/programs/ (docs/npu-program.md, docs/npu-calibration.md).

The four matmul schedules of the NKI matrix-multiplication tutorial (bf16 lhsT[K,M] x rhs[K,N],
one NeuronCore), written tile by tile as the tutorial's kernels issue them:
  matmul_tiled        loads of both operands inside the k loop
  matmul_hoisted      lhsT column loaded once per m, rhs column once per (m, n)
  matmul_block_free   2 x 2 blocks of [128, 512] output tiles share their loads
  matmul_block_all    blocks of 16 x 2 output tiles and 8 k tiles, partial sums kept in SBUF
and the expert RMSNorm+QKV schedule of NPU.md (fp32, y = rmsnorm(x, g) @ w).

Loops stay loops in the JSON (integer fields are formulas of the loop variables), so the files
are small and read like the kernels. A tile allocated inside a loop of the tutorial becomes a
buffer with several slots used in rotation, as the NKI compiler allocates it. DMA transfers are
spread round-robin over the 16 queues.

usage: gen_programs.py [--out DIR] [--M 4096 --N 8192 --K 8192] [--block-all 16,2,8]
                       [--rms-M 4096 --rms-N 2048 --rms-K 1024] [--suffix S]
The small variants checked by tests/sim (functional results against the reference interpreter):
  gen_programs.py --out tests/sim/programs --M 256 --N 1024 --K 256 --block-all 2,2,2 \
      --rms-M 256 --rms-N 512 --rms-K 256 --suffix _small
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

    def write(self, path):
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


def gen_rmsnorm_qkv(M, N, K, eps=1e-6):
    """NPU.md's expert RMSNorm+QKV kernel; the gain g is folded into the preloaded weight rows."""
    p = Prog("rmsnorm_qkv", "expert RMSNorm+QKV (NPU.md): y = rmsnorm(x, g) @ w, fp32")
    p.tensor("x", "f32", [M, K], "input")
    p.tensor("g", "f32", [K], "input")
    p.tensor("w", "f32", [K, N], "input")
    p.tensor("y", "f32", [M, N], "output")
    KT, NT, MT = K // 128, N // 512, M // 128
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
        with p.loop("c", NT):
            p.emit("dma_copy", queue=mod(f"kt * {NT} + c + 4", QUEUES), src=hbm("w", f"kt * 128 * {N} + c * 512", 128, N, 512),
                   dst=sb("wt", f"kt * {N} + c * 512", 512))
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
        with p.loop("c", NT):
            for first in (True, False):
                with p.loop("kk", 1 if first else KT - 1):
                    kt = "kk" if first else "kk + 1"
                    p.emit("matmul", st=sb("xT", f"({s}) * {K} + ({kt}) * 128", 128), mv=sb("wt", f"({kt}) * {N} + c * 512", 512),
                           out=sb("py", "c * 512", 512), accumulate=not first)
            # On DVE: ACT's in-order stream holds only the normalisation, so it runs a tile ahead.
            p.emit("tensor_copy", engine="DVE", a=sb("py", "c * 512", 512), out=sb("yt", f"({s}) * {N} + c * 512", 512))
            # One store per 512 columns (2 KiB per partition), each on its own queue.
            p.emit("dma_copy", queue=mod(f"({mt}) * 8 + 2 + c", QUEUES), src=sb("yt", f"({s}) * {N} + c * 512", 512),
                   dst=hbm("y", f"({mt}) * 128 * {N} + c * 512", 128, N, 512))

    # Software-pipelined by one tile: the PE stream transposes tile mt + 1 before it multiplies
    # tile mt, so the normalisation of the next tile overlaps the matmuls of this one.
    front("0")
    with p.loop("mt", MT - 1):
        front("mt + 1")
        back("mt")
    back(str(MT - 1))
    return p


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
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    tm, tn, tk = (int(v) for v in a.block_all.split(","))
    progs = [gen_tiled(a.M, a.N, a.K), gen_hoisted(a.M, a.N, a.K), gen_block_free(a.M, a.N, a.K),
             gen_block_all(a.M, a.N, a.K, tm, tn, tk), gen_rmsnorm_qkv(a.rms_M, a.rms_N, a.rms_K)]
    for p in progs:
        p.write(os.path.join(a.out, p.doc["name"] + a.suffix + ".json"))


if __name__ == "__main__":
    main()

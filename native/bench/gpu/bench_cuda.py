"""GPU benchmark of libttc_cuda against eager PyTorch Riccati with autograd (DESIGN.md §7), on one GPU in one run.

    python3 native/bench/gpu/bench_cuda.py --lib build/gpu/native/libttc_cuda.so --out bench/results/<device>-<date>

Times forward (u_1) and forward+backward with CUDA events, f32, TF32 off, on discounted inputs: n = m = 64, H = 1,
log gamma = -softplus(N(0,1)) - 1.328, plus a gamma -> 1 case, and the TTC regime n = m = 16, N = 65536, T in {8, 32};
sweeps N = 1024 with T from 16 to 2048 and N from 16 to 8192 at T = 64.

Reports time, speedup, FLOP/s (4 N n^3 T useful FLOPs, for forward and for forward+backward alike), bytes/s, the
fraction of the roofline (FP32 CUDA-core peak and HBM bandwidth) and memory beyond the inputs. Every native u_1 is
checked against an f64 Riccati at DESIGN.md §0's 1e-4, and the device status word must be clear; a case that fails
either is marked FAIL and the exit status is 1. --team-sizes times each case with several TTC_CUDA_TEAM_SIZE values
in one run (the baseline is timed once per case). results.json is rewritten after every case, so a run cut short
keeps what it measured.
"""
import argparse
import ctypes
import json
import os
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ttc_abi  # noqa: E402

F32_U_TOLERANCE = 1e-4  # DESIGN.md §0, f32 against f64

# FP32 CUDA-core peak (TFLOP/s) and HBM bandwidth (TB/s) from the vendor data sheets, by device name.
ROOFLINES = {"H100 80GB HBM3": (66.9, 3.35), "H100 PCIe": (51.2, 2.0), "H100 NVL": (60.0, 3.9), "H200": (66.9, 4.8),
             "A100": (19.5, 2.0)}


def roofline(name):
    for key, value in ROOFLINES.items():
        if key in name:
            return value
    return (float("nan"), float("nan"))


def make_inputs(N, n, m, gamma_to_one, seed):
    g = torch.Generator(device="cuda").manual_seed(seed)
    dev = dict(device="cuda", dtype=torch.float32)

    def log_gamma(*shape):
        return -F.softplus(torch.randn(*shape, generator=g, **dev)) - 1.328

    a = F.normalize(torch.randn(N, 1, n, generator=g, **dev), dim=-1)
    lga = log_gamma(N, 1)
    if gamma_to_one:
        a = torch.zeros(N, 1, n, **dev)
        a[:, :, 0] = -1.0
        lga = torch.full((N, 1), -1e-3, **dev)
    M = torch.randn(N, 1, n, n, generator=g, **dev)
    Mf = torch.randn(N, 1, n, n, generator=g, **dev)
    return dict(a=a, log_gamma_a=lga, B=torch.randn(N, 1, n, m, generator=g, **dev) / n ** 0.5,
                log_gamma_b=log_gamma(N, 1, m), Q=M @ M.transpose(-1, -2) / n + 0.05 * torch.eye(n, **dev),
                log_gamma_q=log_gamma(N, 1, n), Qf=Mf @ Mf.transpose(-1, -2) / n + 0.05 * torch.eye(n, **dev),
                rho=1 + 3 * torch.rand(N, 1, m, generator=g, **dev), h0=torch.randn(N, 1, n, generator=g, **dev))


def riccati_u1(x, T):
    """Eager PyTorch Riccati (E3 + E4) for u_1, differentiable by autograd: the baseline a user would write."""
    a, B, Q, Qf, rho, h0 = (x[k][:, 0] for k in ("a", "B", "Q", "Qf", "rho", "h0"))
    lga, lgb, lgq = x["log_gamma_a"][:, 0], x["log_gamma_b"][:, 0], x["log_gamma_q"][:, 0]
    Qs = 0.5 * (Q + Q.transpose(-1, -2))
    P = 0.5 * (Qf + Qf.transpose(-1, -2))
    K = None
    for t in range(T, 0, -1):
        At = 1 + torch.exp(t * lga)[:, None] * a
        Bt = B * torch.exp(t * lgb)[:, None, :]
        PB = P @ Bt
        S = torch.diag_embed(rho) + Bt.transpose(-1, -2) @ PB
        L = torch.linalg.cholesky(S)
        K = torch.cholesky_solve(PB.transpose(-1, -2) * At[:, None, :], L)
        P = At[:, :, None] * (P - PB @ K) * At[:, None, :]
        if t > 1:
            gq = torch.exp((t - 1) * lgq)
            P = P + gq[:, :, None] * Qs * gq[:, None, :]
        P = 0.5 * (P + P.transpose(-1, -2))
    return -(K @ h0[:, :, None])[:, :, 0]


def error(x, y):
    """DESIGN.md §0: max|x - y| / (1 + max|y|), of tensors of one shape (broadcasting would compare across problems)."""
    if x.shape != y.shape:
        raise ValueError(f"error() of shapes {tuple(x.shape)} and {tuple(y.shape)}")
    return float((x.double() - y).abs().max() / (1 + y.abs().max()))


SLOW_CALL_S = 2.0  # a call at least this slow is timed by its warm-up alone, so the whole table fits in one run


def cuda_time(fn, reps):
    """Seconds per call, by CUDA events: a warm-up, then the mean of reps calls (of none when the warm-up was slow)."""
    start, stop = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    torch.cuda.synchronize()
    start.record()
    fn()  # warm-up
    stop.record()
    torch.cuda.synchronize()
    warm_up_s = start.elapsed_time(stop) / 1e3
    if warm_up_s >= SLOW_CALL_S:
        return warm_up_s
    start.record()
    for _ in range(reps):
        fn()
    stop.record()
    torch.cuda.synchronize()
    return start.elapsed_time(stop) / reps / 1e3


def extra_peak_bytes(fn):
    """Device memory fn allocates through torch beyond what is live before it."""
    torch.cuda.synchronize()
    before = torch.cuda.memory_allocated()
    torch.cuda.reset_peak_memory_stats()
    fn()
    torch.cuda.synchronize()
    return torch.cuda.max_memory_allocated() - before


class Native:
    """One discounted-form batch bound to libttc_cuda: forward writes u_1, backward every input's gradient."""

    def __init__(self, lib, x, T):
        self.lib, self.x, self.T = lib, x, T
        abi = ttc_abi.ttc_native
        N = x["a"].shape[0]
        m = x["rho"].shape[-1]
        self.u1 = torch.zeros(N, 1, m, device="cuda")
        self.grads = {k: torch.zeros_like(v) for k, v in x.items()}
        self.grad_u = torch.randn(N, 1, 1, m, device="cuda")
        self.word = torch.zeros(1, dtype=torch.int64, device="cuda")
        self.problem = abi.ttc_discounted_problem(T=T, **{k: ttc_abi.describe(x[k]) for k in ttc_abi.DISCOUNTED_FIELDS})
        self.solution = abi.ttc_solution(u1=ttc_abi.describe(self.u1))
        self.upstream = abi.ttc_upstream(grad_u=ttc_abi.describe(self.grad_u))
        self.grad_struct = abi.ttc_discounted_grads(**{k: ttc_abi.describe(self.grads[k])
                                                       for k in ttc_abi.DISCOUNTED_FIELDS})
        self.stream = torch.cuda.current_stream().cuda_stream
        self.word_ptr = ctypes.cast(self.word.data_ptr(), ctypes.POINTER(ctypes.c_uint64))

    def forward(self):
        ttc_abi.check(self.lib, self.lib.ttc_cuda_discounted_forward_f32(self.problem, None, self.solution, self.stream,
                                                                         self.word_ptr), "forward")

    def forward_backward(self):
        self.forward()
        ttc_abi.check(self.lib, self.lib.ttc_cuda_discounted_backward_f32(self.problem, None, self.upstream,
                                                                          self.grad_struct, self.stream, self.word_ptr),
                      "backward")

    def status(self):
        torch.cuda.synchronize()
        return ttc_abi.decode(self.lib, int(self.word.item()))

    def workspace_bytes(self, work):
        N, _, n = self.x["a"].shape
        m = self.x["rho"].shape[-1]
        bytes_ = ctypes.c_int64(0)
        ttc_abi.check(self.lib, self.lib.ttc_cuda_workspace_size(ttc_abi.ttc_native.TTC_DTYPE_F32, work, N, n, m,
                                                                 self.T, None, ctypes.byref(bytes_)),
                      "workspace size")
        return bytes_.value


def time_baseline(x, T, grad_u, reps):
    """Eager PyTorch forward and forward+backward seconds and their extra memory; None where the GPU ran out."""
    xs = {k: v.detach().clone().requires_grad_(True) for k, v in x.items()}

    def forward():
        with torch.no_grad():
            riccati_u1(xs, T)

    def forward_backward():
        torch.autograd.grad((riccati_u1(xs, T) * grad_u[:, 0, 0]).sum(), list(xs.values()), allow_unused=True)

    out = {}
    for name, fn in (("fwd", forward), ("fwd_bwd", forward_backward)):
        try:
            out[name + "_s"] = cuda_time(fn, reps)
            out[name + "_extra_bytes"] = extra_peak_bytes(fn)
        except torch.cuda.OutOfMemoryError:
            out[name + "_s"] = out[name + "_extra_bytes"] = None
    # Outside the handler: its traceback holds the failed graph's tensors until it ends, so torch's cache would keep
    # them, and the native solver (cudaMallocAsync) would find the GPU full.
    torch.cuda.empty_cache()
    return out


def run_case(lib, label, N, n, m, T, gamma_to_one, team_sizes, reps, peak):
    """The rows of one case: the baseline and the f64 reference once, then the native solver per team size."""
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    x = make_inputs(N, n, m, gamma_to_one, seed=N * 7919 + T)
    with torch.no_grad():
        u_ref = riccati_u1({k: v.double() for k, v in x.items()}, T)
        u_torch = riccati_u1(x, T)
    grad_u = torch.randn(N, 1, 1, m, device="cuda")
    base = time_baseline(x, T, grad_u, reps)
    flops = 4 * N * n ** 3 * T
    inputs = sum(v.numel() * 4 for v in x.values())
    io_fwd = inputs + N * m * 4
    io_fwd_bwd = 2 * inputs + 2 * N * m * 4 + inputs  # inputs read twice, u_1 and dL/du_1, every gradient written
    tflops, tbs = peak

    def roof_fraction(seconds, io):
        return flops / seconds / min(tflops * 1e12, flops / io * tbs * 1e12)

    rows = []
    for team in team_sizes:
        if team is None:
            os.environ.pop("TTC_CUDA_TEAM_SIZE", None)
        else:
            os.environ["TTC_CUDA_TEAM_SIZE"] = str(team)
        row = dict(case=label, N=N, n=n, m=m, T=T, team_size=team or "by n", torch_fwd_s=base["fwd_s"],
                   torch_fwd_bwd_s=base["fwd_bwd_s"], torch_fwd_extra_bytes=base["fwd_extra_bytes"],
                   torch_fwd_bwd_extra_bytes=base["fwd_bwd_extra_bytes"], u1_error_torch_vs_f64=error(u_torch, u_ref))
        try:
            native = Native(lib, x, T)
            native.grad_u.copy_(grad_u)
            row.update(native_fwd_workspace_bytes=native.workspace_bytes(ttc_abi.ttc_native.TTC_WORK_FORWARD),
                       native_bwd_workspace_bytes=native.workspace_bytes(ttc_abi.ttc_native.TTC_WORK_BACKWARD))
            row.update(fwd_s=cuda_time(native.forward, reps), fwd_bwd_s=cuda_time(native.forward_backward, reps))
            status, batch_index = native.status()
            row.update(status=status, batch_index=batch_index, u1_error_vs_f64=error(native.u1[:, 0], u_ref))
        except RuntimeError as e:  # a refused call (the library's message) or a CUDA failure
            row.update(error=str(e))
            print(f"{label:>10} N={N:6d} T={T:5d} team {row['team_size']}: FAIL {e}", flush=True)
            rows.append(dict(row, ok=False))
            continue
        row["ok"] = status == 0 and row["u1_error_vs_f64"] <= F32_U_TOLERANCE
        row.update(gflops_fwd=flops / row["fwd_s"] / 1e9, gflops_fwd_bwd=flops / row["fwd_bwd_s"] / 1e9,
                   gbytes_per_s_fwd=io_fwd / row["fwd_s"] / 1e9,
                   gbytes_per_s_fwd_bwd=io_fwd_bwd / row["fwd_bwd_s"] / 1e9,
                   roofline_fraction_fwd=roof_fraction(row["fwd_s"], io_fwd),
                   roofline_fraction_fwd_bwd=roof_fraction(row["fwd_bwd_s"], io_fwd_bwd))
        for kind in ("fwd", "fwd_bwd"):
            baseline = row[f"torch_{kind}_s"]
            row[f"speedup_{kind}"] = baseline / row[f"{kind}_s"] if baseline is not None else None
        print(describe_row(row), flush=True)
        rows.append(row)
    return rows


def describe_row(row):
    def speedup(kind):
        value = row[f"speedup_{kind}"]
        return " base OOM" if value is None else f"{value:8.2f}x"

    verdict = "ok" if row["ok"] else "FAIL"
    return (f"{row['case']:>10} N={row['N']:6d} n={row['n']:3d} T={row['T']:5d} team {row['team_size']!s:>4}  "
            f"fwd {row['fwd_s'] * 1e3:9.3f} ms ({speedup('fwd')})  fwd+bwd {row['fwd_bwd_s'] * 1e3:9.3f} ms "
            f"({speedup('fwd_bwd')})  {row['gflops_fwd']:8.1f} / {row['gflops_fwd_bwd']:8.1f} GFLOP/s  roofline "
            f"{100 * row['roofline_fraction_fwd']:5.1f}% / {100 * row['roofline_fraction_fwd_bwd']:5.1f}%  "
            f"e(u1) {row['u1_error_vs_f64']:.1e}  status {row['status']}  {verdict}")


def parse_team_sizes(text):
    """'by-n' (the library's choice) and team sizes, comma-separated: 'by-n,1,32,64,128'."""
    return [None if part == "by-n" else int(part) for part in text.split(",")]


def parse_case(text):
    """'N:n:T' -> a case row of N problems with n = m and horizon T."""
    try:
        N, n, T = (int(part) for part in text.split(":"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"a case is N:n:T, three integers, not '{text}'")
    if min(N, n, T) < 1:
        raise argparse.ArgumentTypeError(f"N, n and T of a case must be positive, not '{text}'")
    return ("case", N, n, n, T, False)


def write_results(path, header, rows):
    if path is None:
        return
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path + ".tmp", "w") as f:
        json.dump(dict(header, rows=rows), f, indent=1)
    os.replace(path + ".tmp", path)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--lib", required=True)
    p.add_argument("--out", default=None, help="folder for the results file")
    p.add_argument("--results-name", default="results.json")
    p.add_argument("--reps", type=int, default=3)
    p.add_argument("--quick", action="store_true", help="a few small cases only")
    p.add_argument("--case", action="append", type=parse_case, default=[], metavar="N:n:T",
                   help="this case (N problems, n = m, horizon T), repeatable: in place of the default list, or after "
                        "--quick's")
    p.add_argument("--budget-s", type=float, default=480, help="stop starting new cases after this many seconds")
    p.add_argument("--team-sizes", type=parse_team_sizes, default=[None],
                   help="comma-separated TTC_CUDA_TEAM_SIZE values (1, or a multiple of 32 up to 256) and 'by-n', "
                        "the library's own choice (default)")
    args = p.parse_args()
    lib = ttc_abi.load(args.lib)
    name = torch.cuda.get_device_name()
    peak = roofline(name)
    header = dict(device=name, torch=torch.__version__, roofline_tflops_tbs=peak, command=" ".join(sys.argv))
    print(f"device {name}; roofline FP32 {peak[0]} TFLOP/s, HBM {peak[1]} TB/s; torch {torch.__version__}; team sizes "
          f"{['by n' if t is None else t for t in args.team_sizes]}", flush=True)
    cases = [("ttc", 65536, 16, 16, 8, False), ("ttc", 65536, 16, 16, 32, False), ("gamma->1", 1024, 64, 64, 64, True)]
    # The sweep over N before the two longest T, so that a run short of time loses those first.
    cases += [("sweep-T", 1024, 64, 64, T, False) for T in (16, 32, 64, 128, 256, 512)]
    cases += [("sweep-N", N, 64, 64, 64, False) for N in (16, 64, 256, 1024, 4096, 8192)]
    cases += [("sweep-T", 1024, 64, 64, T, False) for T in (1024, 2048)]
    if args.quick:
        cases = [("quick", 256, 16, 16, 8, False), ("quick", 64, 64, 64, 16, True)]
    if args.case:
        cases = (cases if args.quick else []) + args.case
    results = None if args.out is None else os.path.join(args.out, args.results_name)
    rows, started = [], time.time()
    for label, N, n, m, T, g1 in cases:
        if time.time() - started > args.budget_s:
            print(f"budget of {args.budget_s} s spent: skipped {label} N={N} T={T}", flush=True)
            continue
        rows += run_case(lib, label, N, n, m, T, g1, args.team_sizes, args.reps, peak)
        write_results(results, header, rows)
    failed = [r for r in rows if not r["ok"]]
    print(f"{len(rows)} rows, {len(failed)} failed", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""GPU benchmark of libttc_cuda against eager PyTorch Riccati with autograd (DESIGN.md §7), on one GPU in one run.

    python3 native/bench/gpu/bench_cuda.py --lib build/gpu/native/libttc_cuda.so --out bench/results/<device>-<date>

Times forward (u_1) and forward+backward with CUDA events, f32, TF32 off, on discounted inputs: n = m = 64, H = 1,
log gamma = -softplus(N(0,1)) - 1.328, plus a gamma -> 1 case, and the TTC regime n = m = 16, N = 65536, T in {8, 32};
sweeps N = 1024 with T from 16 to 2048 and N from 16 to 8192 at T = 64. Reports time, speedup, FLOP/s (4 N n^3 T
useful FLOPs), bytes/s, the fraction of the roofline (FP32 CUDA-core peak and HBM bandwidth) and peak memory.
"""
import argparse
import ctypes
import json
import os
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(__file__))
import ttc_abi  # noqa: E402

# FP32 CUDA-core peak (TFLOP/s) and HBM bandwidth (TB/s) from the vendor data sheets, by device name.
ROOFLINES = {"H100 80GB HBM3": (66.9, 3.35), "H100 PCIe": (51.2, 2.0), "H200": (66.9, 4.8), "A100": (19.5, 2.0)}


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


def cuda_time(fn, reps):
    fn()  # warm-up
    torch.cuda.synchronize()
    start, stop = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    start.record()
    for _ in range(reps):
        fn()
    stop.record()
    torch.cuda.synchronize()
    return start.elapsed_time(stop) / reps / 1e3


class Native:
    def __init__(self, lib, x, T):
        self.lib, self.x, self.T = lib, x, T
        N, _, n = x["a"].shape
        m = x["rho"].shape[-1]
        self.u1 = torch.zeros(N, 1, m, device="cuda")
        self.grads = {k: torch.zeros_like(v) for k, v in x.items()}
        self.grad_u = torch.randn(N, 1, 1, m, device="cuda")
        self.word = torch.zeros(1, dtype=torch.int64, device="cuda")
        self.problem = ttc_abi.DiscountedProblem(T, *[ttc_abi.describe(x[k]) for k in ttc_abi.DISCOUNTED_FIELDS])
        self.solution = ttc_abi.Solution(ttc_abi.describe(self.u1))
        self.upstream = ttc_abi.Upstream(ttc_abi.describe(self.grad_u), ttc_abi.describe())
        self.grad_struct = ttc_abi.DiscountedGrads(*[ttc_abi.describe(self.grads[k]) for k in ttc_abi.DISCOUNTED_FIELDS])
        self.stream = ctypes.c_void_p(torch.cuda.current_stream().cuda_stream)
        self.word_ptr = ctypes.c_void_p(self.word.data_ptr())

    def forward(self):
        ttc_abi.check(self.lib, self.lib.ttc_cuda_discounted_forward_f32(
            ctypes.byref(self.problem), None, ctypes.byref(self.solution), self.stream, self.word_ptr), "forward")

    def forward_backward(self):
        self.forward()
        ttc_abi.check(self.lib, self.lib.ttc_cuda_discounted_backward_f32(
            ctypes.byref(self.problem), None, ctypes.byref(self.upstream), ctypes.byref(self.grad_struct), self.stream,
            self.word_ptr), "backward")

    def status(self):
        torch.cuda.synchronize()
        return int(self.word.item())


def run_case(lib, label, N, n, m, T, gamma_to_one, reps, peak):
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    x = make_inputs(N, n, m, gamma_to_one, seed=N * 7919 + T)
    native = Native(lib, x, T)
    t_fwd = cuda_time(native.forward, reps)
    t_fb = cuda_time(native.forward_backward, reps)
    word = native.status()
    ws = ctypes.c_int64(0)
    lib.ttc_cuda_workspace_size(0, 2, N, n, m, T, None, ctypes.byref(ws))
    xs = {k: v.detach().clone().requires_grad_(True) for k, v in x.items()}
    torch.cuda.reset_peak_memory_stats()
    b_fwd = cuda_time(lambda: riccati_u1(xs, T), reps)
    b_fb = cuda_time(lambda: torch.autograd.grad((riccati_u1(xs, T) * native.grad_u[:, 0, 0]).sum(), list(xs.values())), reps)
    base_mem = torch.cuda.max_memory_allocated()
    with torch.no_grad():
        u_ref = riccati_u1(x, T)
    err = float((native.u1[:, 0] - u_ref).abs().max() / (1 + u_ref.abs().max()))
    flops = 4 * N * n ** 3 * T
    io_bytes = sum(v.numel() * 4 for v in x.values()) * 2 + native.u1.numel() * 4
    tflops, tbs = peak
    ai = flops / io_bytes
    roof = min(tflops * 1e12, ai * tbs * 1e12)
    row = dict(case=label, N=N, n=n, m=m, T=T, fwd_s=t_fwd, fwd_bwd_s=t_fb, torch_fwd_s=b_fwd, torch_fwd_bwd_s=b_fb,
               speedup_fwd=b_fwd / t_fwd, speedup_fwd_bwd=b_fb / t_fb, gflops_fwd=flops / t_fwd / 1e9,
               gbytes_per_s_fwd=io_bytes / t_fwd / 1e9, roofline_fraction_fwd=flops / t_fwd / roof,
               native_workspace_bytes=ws.value, torch_peak_bytes=base_mem, status_word=word, u1_error_vs_torch=err)
    print(f"{label:>10} N={N:6d} n={n:3d} m={m:3d} T={T:5d}  fwd {t_fwd*1e3:9.3f} ms ({row['speedup_fwd']:7.2f}x)  "
          f"fwd+bwd {t_fb*1e3:9.3f} ms ({row['speedup_fwd_bwd']:7.2f}x)  {row['gflops_fwd']:9.1f} GFLOP/s  "
          f"roofline {100*row['roofline_fraction_fwd']:6.2f}%  e(u1) {err:.1e}  word {word}", flush=True)
    return row


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--lib", required=True)
    p.add_argument("--out", default=None, help="folder for results.json")
    p.add_argument("--reps", type=int, default=3)
    p.add_argument("--quick", action="store_true", help="a few small cases only")
    p.add_argument("--budget-s", type=float, default=480, help="stop starting new cases after this many seconds")
    p.add_argument("--team-size", default=None,
                   help="threads per problem (TTC_CUDA_TEAM_SIZE: 1, or a multiple of 32 up to 256); default: by n")
    args = p.parse_args()
    if args.team_size is not None:
        os.environ["TTC_CUDA_TEAM_SIZE"] = args.team_size
    team = os.environ.get("TTC_CUDA_TEAM_SIZE", "by n")
    lib = ttc_abi.load(args.lib)
    name = torch.cuda.get_device_name()
    peak = roofline(name)
    print(f"device {name}; roofline FP32 {peak[0]} TFLOP/s, HBM {peak[1]} TB/s; torch {torch.__version__}; "
          f"team size {team}", flush=True)
    cases = [("ttc", 65536, 16, 16, 8, False), ("ttc", 65536, 16, 16, 32, False), ("gamma->1", 1024, 64, 64, 64, True)]
    cases += [("sweep-T", 1024, 64, 64, T, False) for T in (16, 32, 64, 128, 256, 512, 1024, 2048)]
    cases += [("sweep-N", N, 64, 64, 64, False) for N in (16, 64, 256, 1024, 4096, 8192)]
    if args.quick:
        cases = [("quick", 256, 16, 16, 8, False), ("quick", 64, 64, 64, 16, True)]
    rows, started = [], time.time()
    for label, N, n, m, T, g1 in cases:
        if time.time() - started > args.budget_s:
            print(f"budget of {args.budget_s} s spent: skipped {label} N={N} T={T}", flush=True)
            continue
        rows.append(run_case(lib, label, N, n, m, T, g1, args.reps, peak))
    if args.out:
        os.makedirs(args.out, exist_ok=True)
        with open(os.path.join(args.out, "results.json"), "w") as f:
            json.dump(dict(device=name, torch=torch.__version__, roofline=peak, team_size=team, rows=rows), f, indent=1)


if __name__ == "__main__":
    main()

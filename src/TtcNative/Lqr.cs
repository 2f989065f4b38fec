using TorchSharp;
using TtcNative.Interop;
using static TorchSharp.torch;

namespace TtcNative;

/// <summary>
/// The native solver on TorchSharp CPU tensors, without autograd: forward solves and the adjoint backward (DESIGN.md §4)
/// for both input forms. <see cref="LqrFunction"/> wraps these for autograd.
/// </summary>
public static unsafe class Lqr
{
    /// <remarks>
    /// <c>saved</c>, optional: a buffer from <see cref="SavedStates"/> for these problems, horizon and options, into which
    /// the forward writes its sweep states for <see cref="Backward(DiscountedLqr, long, Tensor?, Tensor?, LqrOptions?, Tensor?)"/>.
    /// </remarks>
    public static LqrSolution Solve(DiscountedLqr p, long T, LqrOptions? options = null, bool trajectory = false,
        bool p0 = false, Tensor? saved = null)
    {
        TtcLibrary.EnsureLoaded();
        var dtype = p.Validate(T);
        var outputs = Outputs(p.Tokens, p.Heads, T, p.N, p.M, dtype, trajectory, p0);
        var problem = p.Describe(T);
        var solution = outputs.Describe();
        var native = WithSaved((options ?? LqrOptions.Default).Native, saved);
        var status = dtype == ScalarType.Float64
            ? TtcNativeMethods.ttc_discounted_forward_f64(&problem, &native, &solution)
            : TtcNativeMethods.ttc_discounted_forward_f32(&problem, &native, &solution);
        GC.KeepAlive(p);
        GC.KeepAlive(saved);
        TtcLibrary.Check(status, "discounted LQR forward");
        return outputs.Result;
    }

    /// <summary>
    /// A buffer (uint8, CPU) for the sweep states a discounted forward saves for its backward (ttc_options.saved,
    /// DESIGN.md §4), sized by ttc_saved_size for these problems, horizon, dtype and storage. It is left uninitialised:
    /// the forward seals each region it writes and the backward recomputes any region it cannot match, and zeroing it
    /// cost more than the saved sweeps gained at T = 8 (docs/BENCHMARKS.md, "Saved sweep states").
    /// </summary>
    public static Tensor SavedStates(DiscountedLqr p, long T, LqrOptions? options = null)
    {
        TtcLibrary.EnsureLoaded();
        var dtype = p.Validate(T);
        var native = (options ?? LqrOptions.Default).Native;
        long bytes;
        var status = TtcNativeMethods.ttc_saved_size(dtype == ScalarType.Float64 ? (int)TtcDtype.F64 : (int)TtcDtype.F32,
            p.Tokens * p.Heads, p.N, p.M, T, &native, &bytes);
        TtcLibrary.Check(status, "saved-state size");
        return empty(bytes, ScalarType.Byte);
    }

    static TtcOptions WithSaved(TtcOptions native, Tensor? saved)
    {
        if (saved is null) return native;
        if (saved.dtype != ScalarType.Byte || saved.device_type != DeviceType.CPU || !saved.is_contiguous())
            throw new ArgumentException(
                $"tensor 'saved' is {saved.dtype} on {saved.device}; expected a contiguous CPU uint8 buffer from Lqr.SavedStates", nameof(saved));
        using var storage = saved.storage<byte>();
        native.saved = (byte*)storage.data_ptr() + saved.storage_offset();
        native.saved_bytes = saved.numel();
        return native;
    }

    public static LqrSolution Solve(ExplicitLqr p, LqrOptions? options = null, bool trajectory = true, bool p0 = false)
    {
        TtcLibrary.EnsureLoaded();
        var dtype = p.Validate();
        var outputs = Outputs(p.Tokens, p.Heads, p.Horizon, p.N, p.M, dtype, trajectory, p0);
        var problem = p.Describe();
        var solution = outputs.Describe();
        var native = (options ?? LqrOptions.Default).Native;
        var status = dtype == ScalarType.Float64
            ? TtcNativeMethods.ttc_explicit_forward_f64(&problem, &native, &solution)
            : TtcNativeMethods.ttc_explicit_forward_f32(&problem, &native, &solution);
        GC.KeepAlive(p);
        TtcLibrary.Check(status, "explicit LQR forward");
        return outputs.Result;
    }

    /// <summary>
    /// Gradients of L for the discounted form, given dL/du_t for t = 1..Tu ([N,H,Tu,m], Tu &lt;= T) and dL/dh_t for
    /// t = 1..Th ([N,H,Th,n]); either may be null. Gradients have the inputs' shapes (shared B and Q summed over heads).
    /// </summary>
    /// <remarks><c>saved</c>, optional: the buffer a <see cref="Solve(DiscountedLqr, long, LqrOptions?, bool, bool, Tensor?)"/> of the same problems wrote.</remarks>
    public static DiscountedLqr Backward(DiscountedLqr p, long T, Tensor? gradU, Tensor? gradH, LqrOptions? options = null,
        Tensor? saved = null)
    {
        TtcLibrary.EnsureLoaded();
        var dtype = p.Validate(T);
        CheckUpstream(gradU, gradH, p.Tokens, p.Heads, T, p.N, p.M, dtype);
        var g = new DiscountedLqr(Zeros(p.A), Zeros(p.LogGammaA), Zeros(p.B), Zeros(p.LogGammaB), Zeros(p.Q),
            Zeros(p.LogGammaQ), Zeros(p.Qf), Zeros(p.Rho), Zeros(p.H0));
        var problem = p.Describe(T);
        var upstream = Upstream(gradU, gradH);
        var grads = new TtcDiscountedGrads
        {
            a = NativeTensors.Describe(g.A),
            log_gamma_a = NativeTensors.Describe(g.LogGammaA),
            B = p.SharedB ? NativeTensors.Describe(g.B.unsqueeze(1)) : NativeTensors.Describe(g.B),
            log_gamma_b = NativeTensors.Describe(g.LogGammaB),
            Q = p.SharedQ ? NativeTensors.Describe(g.Q.unsqueeze(1)) : NativeTensors.Describe(g.Q),
            log_gamma_q = NativeTensors.Describe(g.LogGammaQ),
            Qf = NativeTensors.Describe(g.Qf),
            rho = NativeTensors.Describe(g.Rho),
            h0 = NativeTensors.Describe(g.H0),
        };
        var native = WithSaved((options ?? LqrOptions.Default).Native, saved);
        var status = dtype == ScalarType.Float64
            ? TtcNativeMethods.ttc_discounted_backward_f64(&problem, &native, &upstream, &grads)
            : TtcNativeMethods.ttc_discounted_backward_f32(&problem, &native, &upstream, &grads);
        GC.KeepAlive(p);
        GC.KeepAlive(saved);
        GC.KeepAlive(gradU);
        GC.KeepAlive(gradH);
        GC.KeepAlive(g);
        TtcLibrary.Check(status, "discounted LQR backward");
        return g;
    }

    /// <summary>Gradients of L for the explicit form; see the discounted overload. QLinear and RLinear are always returned.</summary>
    public static ExplicitLqr Backward(ExplicitLqr p, Tensor? gradU, Tensor? gradH, LqrOptions? options = null)
    {
        TtcLibrary.EnsureLoaded();
        var dtype = p.Validate();
        long T = p.Horizon, n = p.N, m = p.M;
        CheckUpstream(gradU, gradH, p.Tokens, p.Heads, T, n, m, dtype);
        var opts = new TensorOptionsLite(dtype);
        var g = new ExplicitLqr(Zeros(p.A), Zeros(p.B), Zeros(p.Q), Zeros(p.Rho), Zeros(p.H0),
            opts.Zeros(p.Tokens, p.Heads, T, n), opts.Zeros(p.Tokens, p.Heads, T, m));
        var problem = p.Describe();
        var upstream = Upstream(gradU, gradH);
        var grads = new TtcExplicitGrads
        {
            a = NativeTensors.Describe(g.A),
            B = p.SharedB ? NativeTensors.Describe(g.B.unsqueeze(1)) : NativeTensors.Describe(g.B),
            Q = p.SharedQ ? NativeTensors.Describe(g.Q.unsqueeze(1)) : NativeTensors.Describe(g.Q),
            rho = NativeTensors.Describe(g.Rho),
            h0 = NativeTensors.Describe(g.H0),
            q = NativeTensors.Describe(g.QLinear!),
            r = NativeTensors.Describe(g.RLinear!),
        };
        var native = (options ?? LqrOptions.Default).Native;
        var status = dtype == ScalarType.Float64
            ? TtcNativeMethods.ttc_explicit_backward_f64(&problem, &native, &upstream, &grads)
            : TtcNativeMethods.ttc_explicit_backward_f32(&problem, &native, &upstream, &grads);
        GC.KeepAlive(p);
        GC.KeepAlive(gradU);
        GC.KeepAlive(gradH);
        GC.KeepAlive(g);
        TtcLibrary.Check(status, "explicit LQR backward");
        return g;
    }

    static Tensor Zeros(Tensor like) => zeros(like.shape, like.dtype);

    readonly record struct TensorOptionsLite(ScalarType Dtype)
    {
        public Tensor Zeros(params long[] shape) => zeros(shape, Dtype);
    }

    static void CheckUpstream(Tensor? gradU, Tensor? gradH, long tokens, long heads, long T, long n, long m, ScalarType dtype)
    {
        if (gradU is not null)
        {
            TensorArguments.Check(gradU, "grad_u", dtype, [tokens, heads, -1, m], "[N, H, Tu, m]");
            if (gradU.shape[2] > T) throw new ArgumentException($"tensor 'grad_u' covers {gradU.shape[2]} steps; expected Tu <= T = {T}", nameof(gradU));
        }
        if (gradH is not null)
        {
            TensorArguments.Check(gradH, "grad_h", dtype, [tokens, heads, -1, n], "[N, H, Th, n]");
            if (gradH.shape[2] > T) throw new ArgumentException($"tensor 'grad_h' covers {gradH.shape[2]} steps; expected Th <= T = {T}", nameof(gradH));
        }
    }

    static TtcUpstream Upstream(Tensor? gradU, Tensor? gradH) => new()
    {
        grad_u = gradU is null ? default : NativeTensors.Describe(gradU),
        grad_h = gradH is null ? default : NativeTensors.Describe(gradH),
    };

    sealed class OutputTensors(Tensor u1, Tensor? u, Tensor? h, Tensor? lambda, Tensor? p0)
    {
        public LqrSolution Result => new(u1, u, h, lambda, p0);

        public TtcSolution Describe() => new()
        {
            u1 = NativeTensors.Describe(u1),
            u = u is null ? default : NativeTensors.Describe(u),
            h = h is null ? default : NativeTensors.Describe(h),
            lambda = lambda is null ? default : NativeTensors.Describe(lambda),
            P0 = p0 is null ? default : NativeTensors.Describe(p0),
        };
    }

    static OutputTensors Outputs(long tokens, long heads, long T, long n, long m, ScalarType dtype, bool trajectory, bool p0) =>
        new(empty([tokens, heads, m], dtype),
            trajectory ? empty([tokens, heads, T, m], dtype) : null,
            trajectory ? empty([tokens, heads, T + 1, n], dtype) : null,
            trajectory ? empty([tokens, heads, T + 1, n], dtype) : null,
            p0 ? empty([tokens, heads, n, n], dtype) : null);
}

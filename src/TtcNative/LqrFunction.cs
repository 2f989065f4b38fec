using TorchSharp;
using TtcNative.Interop;
using static TorchSharp.torch;

namespace TtcNative;

/// <summary>
/// The native LQR solver as a TorchSharp autograd function over CPU tensors (f32/f64).
/// <list type="bullet">
/// <item>Discounted form: <see cref="FirstControl"/> returns u_1 [N,H,m] (the TTC output).</item>
/// <item>Explicit form: <see cref="Trajectory"/> returns u [N,H,T,m] and h [N,H,T+1,n].</item>
/// </list>
/// Backward runs the adjoint LQR (DESIGN.md §4) and gives gradients to every tensor input. A failure in backward gives
/// zero gradients and is rethrown by <see cref="TtcAutograd.Backward"/> or the next apply; create_graph is refused.
/// </summary>
public sealed class LqrFunction : autograd.MultiTensorFunction<LqrFunction>
{
    public override string Name => "TtcNative.LqrFunction";

    // Differentiable: a backward can follow (grad mode on and an input requiring grad), decided before apply, in the
    // caller's grad mode.
    sealed record Call(bool Discounted, long T, LqrOptions Options, bool SharedB, bool SharedQ, bool HasQ, bool HasR,
        bool Differentiable = true);

    public static Tensor FirstControl(DiscountedLqr problem, long T, LqrOptions? options = null)
    {
        TtcAutograd.ThrowIfPending();
        problem.Validate(T);
        var differentiable = is_grad_enabled() && problem.Tensors.Any(t => t.requires_grad);
        var call = new Call(true, T, options ?? LqrOptions.Default, problem.SharedB, problem.SharedQ, false, false,
            differentiable);
        return apply([call, .. problem.Tensors])[0];
    }

    public static (Tensor U, Tensor H) Trajectory(ExplicitLqr problem, LqrOptions? options = null)
    {
        TtcAutograd.ThrowIfPending();
        problem.Validate();
        var call = new Call(false, problem.Horizon, options ?? LqrOptions.Default, problem.SharedB, problem.SharedQ,
            problem.QLinear is not null, problem.RLinear is not null);
        var outputs = apply([call, problem.A, problem.B, problem.Q, problem.Rho, problem.H0,
            problem.QLinear, problem.RLinear]);
        return (outputs[0], outputs[1]);
    }

    // Saved for backward: the inputs (an empty tensor for an absent one), then the forward's sweep states
    // (LqrOptions.SaveStates; empty when not kept).
    public override List<Tensor> forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var call = (Call)vars[0];
        var tensors = vars.Skip(1).Select(v => v as Tensor).ToList();
        ctx.save_data("call", call);
        var inputs = tensors.Select(t => t ?? empty(0)).ToList();
        if (call.Discounted)
        {
            var p = DiscountedLqr.From(tensors!);
            var states = KeepsStates(call) ? Lqr.SavedStates(p, call.T, call.Options) : empty(0, ScalarType.Byte);
            var u1 = Lqr.Solve(p, call.T, call.Options, saved: states.numel() == 0 ? null : states).U1;
            ctx.save_for_backward([.. inputs, states]);
            return [u1];
        }
        ctx.save_for_backward([.. inputs, empty(0, ScalarType.Byte)]);
        var solution = Lqr.Solve(Explicit(tensors!, call), call.Options, trajectory: true);
        return [solution.U!, solution.H!];
    }

    // Saved sweep states only where a backward can use them: not in inference (no_grad, or no input requiring grad).
    static bool KeepsStates(Call call) => call.Differentiable && call.Options.SaveStates &&
        call.Options.Solver == TtcSolver.Symplectic && call.Options.Storage == TtcStorage.Checkpoints && call.T > 0;

    public override List<Tensor> backward(autograd.AutogradContext ctx, List<Tensor> gradOutputs)
    {
        var call = (Call)ctx.get_data("call");
        var saved = ctx.get_saved_variables();
        var inputs = saved.Take(saved.Count - 1).ToList();
        var states = saved[^1];
        try
        {
            if (is_grad_enabled())
                throw new NotSupportedException("create_graph (double backward) is not supported through LqrFunction");
            return call.Discounted ? DiscountedBackward(call, inputs, states, gradOutputs) : ExplicitBackward(call, inputs, gradOutputs);
        }
        catch (Exception e)
        {
            TtcAutograd.Record(e);
            return [null!, .. inputs.Select(t => t.numel() == 0 ? null! : zeros_like(t))];
        }
    }

    static List<Tensor> DiscountedBackward(Call call, List<Tensor> saved, Tensor states, List<Tensor> gradOutputs)
    {
        var p = DiscountedLqr.From(saved);
        var gradU = gradOutputs[0].to_type(p.A.dtype).unsqueeze(2).contiguous();  // dL/du_1 as Tu = 1
        var g = Lqr.Backward(p, call.T, call.T == 0 ? null : gradU, null, call.Options,
            states.numel() == 0 ? null : states);
        return [null!, .. g.Tensors];
    }

    static List<Tensor> ExplicitBackward(Call call, List<Tensor> saved, List<Tensor> gradOutputs)
    {
        var p = Explicit(saved!, call);
        var gradU = gradOutputs[0].to_type(p.A.dtype).contiguous();
        var gradHAll = gradOutputs[1].to_type(p.A.dtype);
        var gradH = gradHAll.narrow(2, 1, call.T).contiguous();
        var g = Lqr.Backward(p, gradU, gradH, call.Options);
        // h_0 is also returned as h[:, :, 0]: its upstream gradient flows straight to h0.
        var gradH0 = g.H0 + gradHAll.select(2, 0);
        return [null!, g.A, g.B, g.Q, g.Rho, gradH0, call.HasQ ? g.QLinear! : null!, call.HasR ? g.RLinear! : null!];
    }

    static ExplicitLqr Explicit(IReadOnlyList<Tensor?> t, Call call) =>
        new(t[0]!, t[1]!, t[2]!, t[3]!, t[4]!, call.HasQ ? t[5] : null, call.HasR ? t[6] : null);
}

using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace TtcNative.Tests;

public class MemoryTests
{
    /// <summary>
    /// DESIGN.md §8: after `warmup` calls of step, `calls` more leave at most 16 more live tensors, and the process's
    /// resident set grows by less than 5%.
    /// </summary>
    static void ExpectLiveTensorsFlat(Action step, int warmup, int calls)
    {
        for (var i = 0; i < warmup; ++i) step();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var (before, rssBefore) = (Tensor.TotalCount, Environment.WorkingSet);
        for (var i = 0; i < calls; ++i) step();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var (after, rssAfter) = (Tensor.TotalCount, Environment.WorkingSet);
        Assert.True(after - before <= 16, $"live tensors grew from {before} to {after}");
        Assert.True(rssAfter < 1.05 * rssBefore, $"resident set grew from {rssBefore >> 20} MiB to {rssAfter >> 20} MiB");
    }

    [Fact]
    public void TenThousandForwardBackwardCallsKeepLiveTensorsFlat()
    {
        var p = RandomLqr.Discounted(9, 4, 2, 4, 3, true);
        var a = p.A.detach().clone().requires_grad_(true);
        void Step()
        {
            using var scope = NewDisposeScope();
            var u1 = LqrFunction.FirstControl(p with { A = a }, 6);
            TtcAutograd.Backward(u1.square().sum());
            a.grad!.zero_();
        }
        ExpectLiveTensorsFlat(Step, warmup: 200, calls: 10_000);
    }

    /// <summary>Training steps of a TtcNet (forward, TtcAutograd.Backward, an optimizer step) in a DisposeScope each.</summary>
    [Fact]
    public void TtcNetTrainingStepsKeepLiveTensorsFlat()
    {
        manual_seed(2);
        var net = new TtcNet(new TtcNetOptions
        {
            Width = 8, Blocks = 2, TtcEvery = 2, AttentionHeads = 2, N = 4, M = 3, TtcHeads = 2, BRank = 2, QRank = 2, MaxLength = 6,
        });
        var optimizer = optim.AdamW(net.parameters(), lr: 1e-3);
        var horizons = new HorizonSampler(seed: 3);
        void Step()
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            TtcAutograd.Backward(net.forward(randn(3, 6, 8), horizons.Next()).square().mean());
            optimizer.step();
        }
        ExpectLiveTensorsFlat(Step, warmup: 50, calls: 1_000);
    }

    /// <summary>
    /// The reasoning attention block (Sudoku), iterated as the engine does: TorchSharp 0.107's MultiheadAttention with
    /// need_weights: false returns a weights tensor that no dispose scope releases, one live tensor a call.
    /// </summary>
    [Fact]
    public void ReasoningAttentionStepsKeepLiveTensorsFlat()
    {
        manual_seed(4);
        var block = new global::TtcNative.Reasoning.AttentionBlock(8, 6);
        var z = randn(3, 8, 6);
        void Step()
        {
            using var scope = NewDisposeScope();
            block.forward(z, z).square().mean().backward();
        }
        ExpectLiveTensorsFlat(Step, warmup: 20, calls: 500);
    }

    /// <summary>The group mixer (Sudoku's default block) reads its averaging operators each call: nothing may pile up.</summary>
    [Fact]
    public void GroupMixerStepsKeepLiveTensorsFlat()
    {
        manual_seed(5);
        var block = new global::TtcNative.Reasoning.GroupMixerBlock(8, global::TtcNative.Reasoning.Tasks.Sudoku.ConstraintGroups);
        var z = randn(2, 8, 81);
        void Step()
        {
            using var scope = NewDisposeScope();
            block.forward(z, z).square().mean().backward();
        }
        ExpectLiveTensorsFlat(Step, warmup: 20, calls: 500);
    }
}

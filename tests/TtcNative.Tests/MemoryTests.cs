using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace TtcNative.Tests;

public class MemoryTests
{
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
        for (var i = 0; i < 200; ++i) Step();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var before = Tensor.TotalCount;
        for (var i = 0; i < 10_000; ++i) Step();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var after = Tensor.TotalCount;
        Assert.True(after - before <= 16, $"live tensors grew from {before} to {after}");
    }
}

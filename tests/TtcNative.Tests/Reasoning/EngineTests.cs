using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using TorchSharp;
using TtcNative.Reasoning;
using TtcNative.Reasoning.Tasks;
using Xunit;
using static TorchSharp.torch;

namespace TtcNative.Tests.Reasoning;

public class AggregationTests
{
    [Fact]
    public void VoteTakesThePluralityAndBreaksTiesByResidual()
    {
        Assert.Equal(2, Aggregation.Vote(["a", "b", "b", "c"], [0.1, 0.5, 0.3, 0.01]));  // "b" wins; its lowest-residual holder
        Assert.Equal(2, Aggregation.Vote(["a", "b", "a", "b"], [0.4, 0.3, 0.2, 0.5]));    // tie a/b: a holds the lowest residual
        Assert.Equal(0, Aggregation.Vote(["x"], [1.0]));
        Assert.Throws<ArgumentException>(() => Aggregation.Vote(["a"], []));
    }

    [Fact]
    public void ConvergedTakesTheLowestRecentResidual()
    {
        Assert.Equal(2, Aggregation.Converged([0.3, 0.2, 0.01, 0.5]));
        Assert.Equal(0, Aggregation.Converged([0.1]));
    }
}

public class EngineTests
{
    static IterativeReasoner Parity(int seed, ReasonerConfig? config = null)
    {
        manual_seed(seed);
        var task = new ParityTask();
        return new IterativeReasoner(new ReasonerSpec("parity", BlockKind.Conv1d, config ?? new ReasonerConfig { Width = 16 },
            task.InputChannels, task.Classes, 0));
    }

    [Fact]
    public void HaltingHeadStopsEarlyOnATriviallyConvergedModel()
    {
        var model = Parity(1);
        using (no_grad())
        {
            foreach (var p in model.parameters()) p.zero_();
            var halt = model.named_parameters().First(p => p.name.StartsWith("halt.weight")).parameter;
            halt[0, 1] = tensor(-1.0f);                                             // logit = -log(peak r) + log 1e-3
            model.named_parameters().First(p => p.name.StartsWith("halt.bias")).parameter.fill_(Math.Log(1e-3));
        }
        var task = new ParityTask();
        var report = ReasonerEvaluator.Evaluate(model, task, task.TestBatch(8, 20, new Random(1)), [64], [1]);
        Assert.InRange(report.Halting.MeanSteps, 1, 8);
        Assert.All(report.Records, r => Assert.True(r.StepsUsed < 10, $"example {r.Index} used {r.StepsUsed} steps"));
        Assert.InRange(report.HaltingOnResidual.MeanSteps, 1, 8);
    }

    [Fact]
    public void CheckpointsRoundTripAndCorruptionIsDetected()
    {
        var dir = Directory.CreateTempSubdirectory("ttc-ckpt-").FullName;
        try
        {
            var model = Parity(2);
            var task = new ParityTask();
            var trainer = new ReasonerTrainer(model, task, new TrainingConfig { BatchSize = 4 }, seed: 3);
            trainer.Train(2, null, null, CancellationToken.None);
            var header = new CheckpointHeader(1, new TaskSpec("parity", []), model.Spec, trainer.Config, 3, 1, trainer.Step, 1.0, 0.5, 0.5);
            var path = Path.Combine(dir, "m.bin");
            Checkpoint.Save(path, header, model, trainer);
            var loaded = Checkpoint.Load(path);
            Assert.Equal(2, loaded.Header.Step);
            var batch = task.TestBatch(3, 24, new Random(1));
            model.eval();
            loaded.Model.eval();
            using (no_grad())
            {
                var x = model.Embed(batch.Inputs);
                var a = model.Logits(model.Step(x, x, 0, false).Next);
                var y = loaded.Model.Embed(batch.Inputs);
                var b = loaded.Model.Logits(loaded.Model.Step(y, y, 0, false).Next);
                Assert.True((a == b).all().item<bool>());
            }
            var bytes = File.ReadAllBytes(path);
            bytes[bytes.Length / 2] ^= 0x5A;
            File.WriteAllBytes(path, bytes);
            Assert.Contains("corrupt", Assert.Throws<CheckpointException>(() => Checkpoint.Load(path)).Message);
            File.WriteAllBytes(path, bytes[..20]);
            Assert.Throws<CheckpointException>(() => Checkpoint.Load(path));
            File.WriteAllText(path, "not a checkpoint at all, just some text that is long enough");
            Assert.Contains("bad magic", Assert.Throws<CheckpointException>(() => Checkpoint.Load(path)).Message);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void AResumedRunContinuesExactlyAsAnUninterruptedOne()
    {
        var dir = Directory.CreateTempSubdirectory("ttc-resume-").FullName;
        try
        {
            var task = new ParityTask();
            var config = new TrainingConfig { BatchSize = 4, SegmentSteps = 6 };
            var straight = Parity(5);
            new ReasonerTrainer(straight, task, config, seed: 9).Train(6, null, null, CancellationToken.None);

            var first = Parity(5);
            var trainer = new ReasonerTrainer(first, task, config, seed: 9);
            trainer.Train(3, null, null, CancellationToken.None);
            var path = Path.Combine(dir, "half.bin");
            Checkpoint.Save(path, new CheckpointHeader(1, new TaskSpec("parity", []), first.Spec, config, 9, 1, trainer.Step, 0, 0, 0), first, trainer);
            var loaded = Checkpoint.Load(path);
            var resumed = new ReasonerTrainer(loaded.Model, task, config, seed: 9) { Step = loaded.Header.Step };
            Checkpoint.RestoreOptimizer(resumed, loaded.OptimizerState);
            resumed.Train(6, null, null, CancellationToken.None);

            foreach (var (a, b) in straight.parameters().Zip(loaded.Model.parameters()))
                Assert.True((a == b).all().item<bool>(), "a resumed run must match the uninterrupted run bitwise");
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void TwentySecondSmokeRunReducesTheLoss()
    {
        // Short strings (4-8) leave the parity plateau within seconds, even on a slow, busy machine.
        var model = Parity(7, new ReasonerConfig { Width = 24 });
        var trainer = new ReasonerTrainer(model, new ParityTask(4, 8), new TrainingConfig { BatchSize = 32, SegmentSteps = 12 }, seed: 1);
        trainer.Train(400, TimeSpan.FromSeconds(20), null, CancellationToken.None);
        var h = trainer.History;
        Assert.True(h.Count >= 40, $"only {h.Count} steps in 20 s");
        var early = h.Take(10).Average(p => p.Loss);
        var late = h.TakeLast(10).Average(p => p.Loss);
        Assert.True(late < 0.5 * early, $"loss fell from {early:F3} to {late:F3} only");
    }

    [Fact]
    public void FixedArmStartsAtZeroWithoutNoiseAndFeedforwardHasItsDepth()
    {
        var task = new ParityTask();
        var fixedArm = Parity(1, ReasonerConfig.FixedNoNoise(new ReasonerConfig { Width = 8 }));
        var x = fixedArm.Embed(task.TestBatch(2, 10, new Random(1)).Inputs);
        Assert.Equal(0.0, fixedArm.InitialState(x).abs().sum().ToDouble());
        var ff = new IterativeReasoner(new ReasonerSpec("parity", BlockKind.Conv1d, new ReasonerConfig { Width = 8 }, 2, 2, 0, FeedforwardDepth: 5));
        Assert.Equal(5, ff.FixedDepth);
        var report = ReasonerEvaluator.Evaluate(ff, task, task.TestBatch(4, 12, new Random(2)), [1, 2, 100], [1, 4]);
        Assert.Equal([5], report.Curve.Select(p => p.Depth).Distinct());
    }
}

public class BlockTests
{
    [Theory]
    [InlineData(BlockKind.Mixer)]
    [InlineData(BlockKind.Attention)]
    [InlineData(BlockKind.TtcNet)]
    [InlineData(BlockKind.GroupMixer)]
    public void TokenBlocksIterateAndPassGradientsToEveryParameter(BlockKind kind)
    {
        manual_seed(3);
        var task = new SudokuTask();
        var model = new IterativeReasoner(new ReasonerSpec("sudoku", kind, new ReasonerConfig { Width = 16 }, task.InputChannels,
            task.Classes, task.Tokens));
        var batch = SudokuTask.FromPuzzles([Sudoku.Generate(new Random(1), 40), Sudoku.Generate(new Random(2), 40)]);
        var x = model.Embed(batch.Inputs);
        var z = model.InitialState(x, new Generator(seed: 1));
        for (var k = 0; k < 3; ++k) z = model.Step(z, x, k, noise: true).Next;
        Assert.Equal(new long[] { 2, 16, 81 }, z.shape);
        nn.functional.cross_entropy(model.Logits(z), batch.Targets).backward();
        TtcAutograd.ThrowIfPending();
        var missing = model.named_parameters().Where(p => !p.name.StartsWith("halt") && (p.parameter.grad is null ||
            p.parameter.grad.abs().sum().ToDouble() == 0)).Select(p => p.name).ToList();
        // A zero-initialised TTC output projection passes gradient to itself only; everything else must get some.
        Assert.All(missing, name => Assert.Contains("ttc", name));
    }
}

public class GroupMixerTests
{
    /// <summary>One block application on a random state, and the same with cell j changed, in f64.</summary>
    static (Tensor Before, Tensor After) Perturbed(GroupMixerBlock block, int j, int seed)
    {
        var g = new Generator(seed: (ulong)seed);
        var z = randn([2, 12, 81], float64, generator: g);
        var x = randn([2, 12, 81], float64, generator: g);
        var changed = z.clone();
        changed[.., .., j] = randn([2, 12], float64, generator: g);
        using var _ = no_grad();
        return (block.forward(z, x), block.forward(changed, x));
    }

    /// <summary>
    /// Changing one cell's state moves, after one step, every cell that shares its row, column or box (itself too),
    /// and leaves every other cell bitwise alone: the block mixes tokens only within the rules' groups.
    /// </summary>
    [Property(MaxTest = 20)]
    public Property ACellReachesExactlyItsRowColumnAndBoxInOneStep() => Prop.ForAll(Gen.Choose(0, 80).ToArbitrary(), j =>
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        var block = new GroupMixerBlock(12, Sudoku.ConstraintGroups);
        block.to(float64);
        var (before, after) = Perturbed(block, j, seed: j + 1);
        var moved = (after - before).abs().amax([0, 1]).data<double>().ToArray();   // per cell
        var peers = Enumerable.Range(0, 81).Where(i => Sudoku.ConstraintGroups.Any(p => p[i] == p[j])).ToHashSet();
        var others = Enumerable.Range(0, 81).Where(i => !peers.Contains(i)).ToList();
        var seenLeast = peers.Min(i => moved[i]);
        var otherMost = others.Max(i => moved[i]);
        return (peers.Count == 21 && seenLeast > 1e-6 && otherMost == 0)
            .Label($"cell {j}: its {peers.Count} peers moved by at least {seenLeast:E2}, the other cells by up to {otherMost:E2}");
    });

    [Fact]
    public void BadPartitionsAndTasksWithoutGroupsAreRefused()
    {
        Assert.Throws<ArgumentException>(() => new GroupMixerBlock(8, []));
        Assert.Throws<ArgumentException>(() => new GroupMixerBlock(8, [new int[81], new int[80]]));
        Assert.Throws<ArgumentException>(() => new GroupMixerBlock(8, [Enumerable.Repeat(-1, 4).ToArray()]));
        var e = Assert.Throws<ArgumentException>(() =>
            new IterativeReasoner(new ReasonerSpec("maze", BlockKind.GroupMixer, new ReasonerConfig { Width = 8 }, 4, 2, 0)));
        Assert.Contains("'maze'", e.Message);
    }

    [Fact]
    public void AGroupMixerReasonerSurvivesACheckpoint()
    {
        var dir = Directory.CreateTempSubdirectory("ttc-groups-").FullName;
        try
        {
            manual_seed(6);
            var task = new SudokuTask(minTrainGivens: 30);
            var model = new IterativeReasoner(new ReasonerSpec("sudoku", BlockKind.GroupMixer, new ReasonerConfig { Width = 8 },
                task.InputChannels, task.Classes, task.Tokens));
            var trainer = new ReasonerTrainer(model, task, new TrainingConfig { BatchSize = 2, SegmentSteps = 2 }, seed: 1);
            trainer.Train(2, null, null, CancellationToken.None);
            var spec = new TaskSpec("sudoku", new() { ["min_train_givens"] = 30 });
            var path = Path.Combine(dir, "g.bin");
            Checkpoint.Save(path, new CheckpointHeader(1, spec, model.Spec, trainer.Config, 1, 1, trainer.Step, 0, 0, 0), model, trainer);
            var loaded = Checkpoint.Load(path);
            Assert.Equal(BlockKind.GroupMixer, loaded.Model.Spec.Block);
            Assert.Equal(30, loaded.Header.Task.Get("min_train_givens", 0));
            var batch = task.TestBatch(2, 30, new Random(2));
            model.eval();
            loaded.Model.eval();
            using var _ = no_grad();
            var x = model.Embed(batch.Inputs);
            var y = loaded.Model.Embed(batch.Inputs);
            Assert.True((model.Logits(model.Step(x, x, 0, false).Next) == loaded.Model.Logits(loaded.Model.Step(y, y, 0, false).Next))
                .all().item<bool>());
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}

public class InterruptionTests
{
    [Fact]
    public void ACancelledTrainingRunSavesAResumableCheckpoint()
    {
        var dir = Directory.CreateTempSubdirectory("ttc-int-").FullName;
        try
        {
            var path = Path.Combine(dir, "m.bin");
            using var cancel = new CancellationTokenSource();
            cancel.Cancel();
            var request = new TtcNative.Cli.Reasoning.TrainRequest(new TaskSpec("parity", []), TtcNative.Cli.Reasoning.Arm.Reasoner,
                null, 8, new TrainingConfig { BatchSize = 4 }, 1, 1, 10, 60, path, false, null);
            var result = TtcNative.Cli.Reasoning.Training.Run(request, cancel.Token, new StringWriter());
            Assert.True(result.Interrupted);
            Assert.Equal(0, Checkpoint.Load(path).Header.Step);
            var resumed = TtcNative.Cli.Reasoning.Training.Run(request with { Resume = true, MaxSteps = 2 }, CancellationToken.None, new StringWriter());
            Assert.False(resumed.Interrupted);
            Assert.Equal(2, Checkpoint.Load(path).Header.Step);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}

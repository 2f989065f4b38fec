using TtcNative.Reasoning;
using TtcNative.Reasoning.Tasks;
using Xunit;

namespace TtcNative.Tests.Reasoning;

/// <summary>Settings the engine cannot use throw an ArgumentOutOfRangeException that names the setting.</summary>
public class SettingsTests
{
    static ReasonerSpec ParitySpec(ReasonerConfig config)
    {
        var task = new ParityTask();
        return new ReasonerSpec("parity", BlockKind.Conv1d, config, task.InputChannels, task.Classes, 0);
    }

    static void ThrowsNaming(string name, Action action) =>
        Assert.Equal(name, Assert.Throws<ArgumentOutOfRangeException>(action).ParamName);

    public static TheoryData<string, ReasonerConfig> BadReasonerConfigs => new()
    {
        { "spec.Config.Alpha", new ReasonerConfig { Alpha = 1 } },
        { "spec.Config.Alpha", new ReasonerConfig { Alpha = -0.1 } },
        { "spec.Config.Alpha", new ReasonerConfig { Alpha = double.NaN } },
        { "spec.Config.Beta", new ReasonerConfig { Beta = -1e-3 } },
        { "spec.Config.Sigma0", new ReasonerConfig { Sigma0 = double.PositiveInfinity } },
        { "spec.Config.Width", new ReasonerConfig { Width = 0 } },
    };

    [Theory]
    [MemberData(nameof(BadReasonerConfigs))]
    public void ReasonerRefusesAnUpdateItCannotRun(string name, ReasonerConfig config) =>
        ThrowsNaming(name, () => new IterativeReasoner(ParitySpec(config)));

    public static TheoryData<string, TrainingConfig> BadTrainingConfigs => new()
    {
        { "config.SegmentSteps", new TrainingConfig { SegmentSteps = 0 } },
        { "config.Segments", new TrainingConfig { Segments = -1 } },
        { "config.BatchSize", new TrainingConfig { BatchSize = 0 } },
        { "config.LearningRate", new TrainingConfig { LearningRate = 0 } },
        { "config.LearningRate", new TrainingConfig { LearningRate = double.NaN } },
        { "config.WeightDecay", new TrainingConfig { WeightDecay = -0.01 } },
        { "config.HaltingWeight", new TrainingConfig { HaltingWeight = double.NaN } },
        { "config.GradClip", new TrainingConfig { GradClip = -1 } },
    };

    [Theory]
    [MemberData(nameof(BadTrainingConfigs))]
    public void TrainerRefusesSettingsItCannotTrainWith(string name, TrainingConfig config)
    {
        using var model = new IterativeReasoner(ParitySpec(new ReasonerConfig { Width = 8 }));
        ThrowsNaming(name, () => new ReasonerTrainer(model, new ParityTask(), config, seed: 1));
    }

    [Fact]
    public void TrainingRefusesANegativeStepCountOrBudget()
    {
        using var model = new IterativeReasoner(ParitySpec(new ReasonerConfig { Width = 8 }));
        var trainer = new ReasonerTrainer(model, new ParityTask(), new TrainingConfig { BatchSize = 2 }, seed: 1);
        ThrowsNaming("maxSteps", () => trainer.Train(-1, null, null, CancellationToken.None));
        ThrowsNaming("budget", () => trainer.Train(1, TimeSpan.FromSeconds(-1), null, CancellationToken.None));
        Assert.Equal(0, trainer.Step);
        trainer.Train(0, null, null, CancellationToken.None);
        Assert.Equal(0, trainer.Step);
    }

    [Fact]
    public void GeneratorsRefuseSizesWithoutAnExample()
    {
        var rng = new Random(1);
        ThrowsNaming("length", () => ParityTask.RandomBits(0, rng));
        ThrowsNaming("cells", () => Maze.Generate(1, rng));
        ThrowsNaming("targetGivens", () => Sudoku.Generate(rng, Sudoku.MinGivens - 1));
        ThrowsNaming("targetGivens", () => Sudoku.Generate(rng, 82));
        Assert.Equal(81, Sudoku.Generate(rng, 81).Question.Count(v => v != 0));
    }

    [Fact]
    public void EvaluationRefusesEmptyGridsAndBadOptions()
    {
        using var model = new IterativeReasoner(ParitySpec(new ReasonerConfig { Width = 8 }));
        var task = new ParityTask();
        var batch = task.TestBatch(2, 8, new Random(1));
        ThrowsNaming("depths", () => ReasonerEvaluator.Evaluate(model, task, batch, [], [1]));
        ThrowsNaming("depths", () => ReasonerEvaluator.Evaluate(model, task, batch, [4, 0], [1]));
        ThrowsNaming("breadths", () => ReasonerEvaluator.Evaluate(model, task, batch, [4], []));
        ThrowsNaming("options.ResidualThreshold", () => ReasonerEvaluator.Evaluate(model, task, batch, [4], [1],
            new EvaluationOptions { ResidualThreshold = -1 }));
        ThrowsNaming("options.ChunkSize", () => ReasonerEvaluator.Evaluate(model, task, batch, [4], [1],
            new EvaluationOptions { ChunkSize = 0 }));
        var report = ReasonerEvaluator.Evaluate(model, task, batch, [4], [1], new EvaluationOptions { ResidualThreshold = 0 });
        Assert.Equal(2, report.Records.Count);
    }
}

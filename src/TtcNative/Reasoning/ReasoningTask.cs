using static TorchSharp.torch;

namespace TtcNative.Reasoning;

/// <summary>
/// A batch in tensor form: Inputs [B, Cin, ...] (one-hot floats), Targets [B, ...] class indices, and the examples'
/// own size (sequence length, maze size) for reporting.
/// </summary>
public sealed record TaskBatch(Tensor Inputs, Tensor Targets, int Size);

/// <summary>A training curriculum's draw of one size or difficulty.</summary>
public static class Curriculum
{
    /// <summary>A value from smallest to largest, both included; just largest, with no draw, when they are equal.</summary>
    public static int Draw(Random rng, int smallest, int largest) =>
        smallest < largest ? rng.Next(smallest, largest + 1) : largest;
}

/// <summary>Which update block a reasoner iterates.</summary>
public enum BlockKind { Conv1d, Conv2d, Mixer, Attention, TtcNet, GroupMixer }

/// <summary>
/// A reasoning task: a generator of training and test batches, an exact verifier, and the block that suits it.
/// Tasks also have a file format (see each task's Format class); batches here are generated from a seed.
/// </summary>
public interface IReasoningTask
{
    string Name { get; }
    int InputChannels { get; }
    int Classes { get; }
    BlockKind DefaultBlock { get; }

    /// <summary>A training batch from the training distribution (e.g. parity lengths 16-32, mazes k = 9).</summary>
    TaskBatch TrainingBatch(int batchSize, Random rng);

    /// <summary>A test batch at a given size (parity length, maze k); null means the task's default test size.</summary>
    TaskBatch TestBatch(int count, int? size, Random rng);

    /// <summary>Whole-answer exact match of predictions [B, ...] against the batch: bool [B].</summary>
    Tensor Correct(Tensor predictions, TaskBatch batch) => (predictions == batch.Targets).flatten(1).all(1);

    /// <summary>The spatial extent the block is built for (token count for mixers and attention), or 0 if any.</summary>
    int Tokens => 0;
}

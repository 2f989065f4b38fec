using System.Text;
using static TorchSharp.torch;

namespace TtcNative.Reasoning.Tasks;

/// <summary>
/// Prefix parity (DESIGN.md §6): output bit i = x_1 xor ... xor x_i, scored by whole-string exact match. Training
/// lengths are drawn from [MinLength, MaxLength]; the default test length is 256. A 1-D conv block of radius r needs
/// at least ceil((L - 1) / r) steps.
/// </summary>
public sealed class ParityTask(int minLength = 16, int maxLength = 32, int testLength = 256) : IReasoningTask
{
    public string Name => "parity";
    public int InputChannels => 2;
    public int Classes => 2;
    public BlockKind DefaultBlock => BlockKind.Conv1d;
    public int MinLength => minLength;
    public int MaxLength => maxLength;
    public int TestLength => testLength;

    public static bool[] PrefixParity(IReadOnlyList<bool> bits)
    {
        var answer = new bool[bits.Count];
        var acc = false;
        for (var i = 0; i < bits.Count; ++i) answer[i] = acc ^= bits[i];
        return answer;
    }

    /// <summary>The exact verifier: is `answer` the prefix parity of `bits`?</summary>
    public static bool Verify(IReadOnlyList<bool> bits, IReadOnlyList<bool> answer) =>
        answer.Count == bits.Count && PrefixParity(bits).SequenceEqual(answer);

    public static bool[] RandomBits(int length, Random rng)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        return Enumerable.Range(0, length).Select(_ => rng.Next(2) == 1).ToArray();
    }

    public TaskBatch TrainingBatch(int batchSize, Random rng) => Batch(batchSize, rng.Next(minLength, maxLength + 1), rng);

    public TaskBatch TestBatch(int count, int? size, Random rng) => Batch(count, size ?? testLength, rng);

    static TaskBatch Batch(int count, int length, Random rng) =>
        FromExamples(Enumerable.Range(0, count).Select(_ => RandomBits(length, rng)).ToList());

    /// <summary>Tensors for sequences of one length: inputs [B, 2, L], targets [B, L].</summary>
    public static TaskBatch FromExamples(IReadOnlyList<bool[]> sequences)
    {
        var length = sequences[0].Length;
        if (sequences.Any(s => s.Length != length))
            throw new ArgumentException("all sequences of a batch must have the same length", nameof(sequences));
        var bits = sequences.SelectMany(s => s.Select(b => b ? 1 : 0)).ToArray();
        var parity = sequences.SelectMany(s => PrefixParity(s).Select(b => b ? 1L : 0L)).ToArray();
        return new TaskBatch(OneHot.ChannelsFirst(bits, [sequences.Count, length], 2),
            tensor(parity, dtype: ScalarType.Int64).reshape(sequences.Count, length), length);
    }

    /// <summary>The file format: CSV with a header "input,target", one sequence of 0/1 characters per line.</summary>
    public static void Write(TextWriter writer, IEnumerable<bool[]> sequences)
    {
        writer.WriteLine("input,target");
        foreach (var s in sequences) writer.WriteLine($"{Bits(s)},{Bits(PrefixParity(s))}");
    }

    /// <summary>Reads the CSV and verifies every target; errors name the line.</summary>
    public static List<bool[]> Read(TextReader reader, string source)
    {
        var header = reader.ReadLine();
        if (header?.Trim() != "input,target") throw new InvalidDataException($"{source}: line 1 must be the header 'input,target'");
        var result = new List<bool[]>();
        var lineNumber = 1;
        for (var line = reader.ReadLine(); line != null; line = reader.ReadLine())
        {
            ++lineNumber;
            if (line.Length == 0) continue;
            var parts = line.Split(',');
            if (parts.Length != 2 || parts[0].Length == 0 || parts[0].Any(c => c is not ('0' or '1')) || parts[1].Any(c => c is not ('0' or '1')))
                throw new InvalidDataException($"{source}: line {lineNumber} must be two strings of 0/1 separated by a comma");
            var bits = parts[0].Select(c => c == '1').ToArray();
            if (!Verify(bits, parts[1].Select(c => c == '1').ToArray()))
                throw new InvalidDataException($"{source}: line {lineNumber}: the target is not the prefix parity of the input");
            result.Add(bits);
        }
        return result;
    }

    static string Bits(IEnumerable<bool> bits) => string.Concat(bits.Select(b => b ? '1' : '0'));
}

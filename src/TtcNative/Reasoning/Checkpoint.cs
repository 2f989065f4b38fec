using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace TtcNative.Reasoning;

/// <summary>A checkpoint that cannot be read: wrong magic, truncated, hash mismatch, or an unusable header.</summary>
public sealed class CheckpointException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Everything besides the weights that a checkpoint stores, so that training can resume where it stopped.</summary>
public sealed record CheckpointHeader(
    int Version, TaskSpec Task, ReasonerSpec Reasoner, TrainingConfig Training, int Seed, int Threads, long Step,
    double ElapsedSeconds, double LastLoss, double LastAccuracy);

/// <summary>
/// The checkpoint file: "TTCEQR01", a JSON header, the model weights and the optimizer state, and a SHA-256 over all of
/// it. Written to a temporary file and renamed, so a crash never leaves a half-written checkpoint behind.
/// </summary>
public static class Checkpoint
{
    static readonly byte[] Magic = "TTCEQR01"u8.ToArray();
    const int CurrentVersion = 1;
    static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = false,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static void Save(string path, CheckpointHeader header, IterativeReasoner model, ReasonerTrainer? trainer)
    {
        using var body = new MemoryStream();
        using (var w = new BinaryWriter(body, Encoding.UTF8, leaveOpen: true))
        {
            var json = JsonSerializer.SerializeToUtf8Bytes(header with { Version = CurrentVersion }, Json);
            w.Write(json.Length);
            w.Write(json);
            WriteBlock(w, s => model.save(s));
            WriteBlock(w, s =>
            {
                if (trainer is null) return;
                using var bw = new BinaryWriter(s, Encoding.UTF8, leaveOpen: true);
                trainer.Optimizer.save_state_dict(bw);
            });
        }
        var bytes = body.ToArray();
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + $".{Environment.ProcessId}.tmp";
        try
        {
            using (var f = File.Create(temp))
            {
                f.Write(Magic);
                f.Write(bytes);
                f.Write(SHA256.HashData(bytes));
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    static void WriteBlock(BinaryWriter w, Action<Stream> write)
    {
        var block = new MemoryStream();
        write(block);  // may close the stream (Module.save does); ToArray still works then
        var bytes = block.ToArray();
        w.Write((long)bytes.Length);
        w.Write(bytes);
    }

    public sealed record Loaded(CheckpointHeader Header, IterativeReasoner Model, byte[] OptimizerState);

    public static Loaded Load(string path)
    {
        byte[] file;
        try
        {
            file = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointException($"cannot read checkpoint '{path}': {e.Message}", e);
        }
        if (file.Length < Magic.Length + 32 || !file.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw new CheckpointException($"'{path}' is not a TtcNative checkpoint (bad magic)");
        var body = file.AsSpan(Magic.Length, file.Length - Magic.Length - 32).ToArray();
        if (!SHA256.HashData(body).AsSpan().SequenceEqual(file.AsSpan(file.Length - 32)))
            throw new CheckpointException($"checkpoint '{path}' is corrupt (hash mismatch)");
        try
        {
            using var r = new BinaryReader(new MemoryStream(body));
            var header = JsonSerializer.Deserialize<CheckpointHeader>(r.ReadBytes(r.ReadInt32()), Json)
                         ?? throw new CheckpointException($"checkpoint '{path}' has an empty header");
            if (header.Version != CurrentVersion)
                throw new CheckpointException($"checkpoint '{path}' has version {header.Version}; this build reads {CurrentVersion}");
            var weights = r.ReadBytes(checked((int)r.ReadInt64()));
            var optimizer = r.ReadBytes(checked((int)r.ReadInt64()));
            var model = new IterativeReasoner(header.Reasoner);
            model.load(new MemoryStream(weights));
            return new Loaded(header, model, optimizer);
        }
        catch (Exception e) when (e is not CheckpointException)
        {
            throw new CheckpointException($"checkpoint '{path}' cannot be loaded: {e.Message}", e);
        }
    }

    /// <summary>Restores the optimizer state saved with a checkpoint (no-op when none was saved).</summary>
    public static void RestoreOptimizer(ReasonerTrainer trainer, byte[] state)
    {
        if (state.Length == 0) return;
        using var r = new BinaryReader(new MemoryStream(state));
        trainer.Optimizer.load_state_dict(r);
    }
}

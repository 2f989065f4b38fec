namespace TtcNative.Reasoning;

/// <summary>
/// The iterative update z_{k+1} = z_k + (1 - Alpha) (f(z_k; x) - z_k) + Beta * eps (DESIGN.md §6), and how z_0 is drawn.
/// FixedInitialState with Beta = 0 is the "fixed z_0, no noise" control arm.
/// </summary>
public sealed record ReasonerConfig
{
    public double Alpha { get; init; } = 0.05;
    public double Beta { get; init; } = 0.01;
    /// <summary>z_0 ~ N(0, Sigma0^2 I), independent per trajectory, position and channel.</summary>
    public double Sigma0 { get; init; } = 1.0;
    /// <summary>z_0 = 0 instead of random (the control arm).</summary>
    public bool FixedInitialState { get; init; }
    /// <summary>Channels of the latent state.</summary>
    public int Width { get; init; } = 48;

    public static ReasonerConfig FixedNoNoise(ReasonerConfig c) => c with { FixedInitialState = true, Beta = 0 };
}

/// <summary>Segment training (DESIGN.md §6): k steps per segment, up to DTrain segments; depth k * DTrain.</summary>
public sealed record TrainingConfig
{
    public int SegmentSteps { get; init; } = 40;
    public int Segments { get; init; } = 1;
    /// <summary>Run a random number (&lt; SegmentSteps) of the first segment's steps without gradient.</summary>
    public bool RandomNoGradPrefix { get; init; } = true;
    public int BatchSize { get; init; } = 64;
    public double LearningRate { get; init; } = 1e-3;
    public double WeightDecay { get; init; } = 0.01;
    /// <summary>Weight of the halting head's BCE next to the answer's cross-entropy.</summary>
    public double HaltingWeight { get; init; } = 0.1;
    public double GradClip { get; init; } = 1.0;

    public int TrainingDepth => SegmentSteps * Segments;
}

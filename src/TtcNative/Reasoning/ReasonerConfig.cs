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

    /// <summary>Throws an ArgumentOutOfRangeException that names the first setting the update cannot use.</summary>
    public void Validate(string name = "config")
    {
        SettingChecks.Require(Alpha >= 0 && Alpha < 1, Alpha, $"{name}.Alpha", "in [0, 1): the damping of the update");
        SettingChecks.NonNegative(Beta, $"{name}.Beta");
        SettingChecks.NonNegative(Sigma0, $"{name}.Sigma0");
        SettingChecks.AtLeastOne(Width, $"{name}.Width");
    }
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
    /// <summary>Largest gradient norm; 0 turns clipping off.</summary>
    public double GradClip { get; init; } = 1.0;

    public int TrainingDepth => SegmentSteps * Segments;

    /// <summary>Throws an ArgumentOutOfRangeException that names the first setting training cannot use.</summary>
    public void Validate(string name = "config")
    {
        SettingChecks.AtLeastOne(SegmentSteps, $"{name}.SegmentSteps");
        SettingChecks.AtLeastOne(Segments, $"{name}.Segments");
        SettingChecks.AtLeastOne(BatchSize, $"{name}.BatchSize");
        SettingChecks.Positive(LearningRate, $"{name}.LearningRate");
        SettingChecks.NonNegative(WeightDecay, $"{name}.WeightDecay");
        SettingChecks.NonNegative(HaltingWeight, $"{name}.HaltingWeight");
        SettingChecks.NonNegative(GradClip, $"{name}.GradClip");
    }
}

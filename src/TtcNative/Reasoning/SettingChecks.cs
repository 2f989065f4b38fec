namespace TtcNative.Reasoning;

/// <summary>The range checks of the engine's settings: an ArgumentOutOfRangeException that names the setting.</summary>
static class SettingChecks
{
    public static void Require(bool valid, object value, string name, string rule)
    {
        if (!valid) throw new ArgumentOutOfRangeException(name, value, $"{name} must be {rule}");
    }

    public static void AtLeastOne(int value, string name) => Require(value >= 1, value, name, ">= 1");

    public static void Positive(double value, string name) =>
        Require(double.IsFinite(value) && value > 0, value, name, "finite and > 0");

    public static void NonNegative(double value, string name) =>
        Require(double.IsFinite(value) && value >= 0, value, name, "finite and >= 0");
}

namespace TtcNative.Cli;

/// <summary>Bad input to a command: reported as one line on stderr, exit code 2, and no output written.</summary>
public sealed class InputError(string message) : Exception(message);

namespace ProbeBench.Core;

/// <summary>
/// An error the user can act on: one sentence naming the file, key or option at fault.
/// The CLI prints the message (no stack trace) and exits with <see cref="ExitCode"/>.
/// </summary>
public class ProbeBenchException : Exception
{
    public ProbeBenchException(string message, int exitCode = 2, Exception? inner = null) : base(message, inner)
    {
        ExitCode = exitCode;
    }

    public int ExitCode { get; }
}

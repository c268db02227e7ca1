using ProbeBench.Core;

namespace ProbeBench.Cli;

/// <summary>Turns <see cref="ProbeBenchException"/> into one line on stderr and its exit code.</summary>
internal static class CliErrors
{
    public static async Task<int> RunAsync(Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (ProbeBenchException e)
        {
            // Plain stderr: never wrapped or coloured, so logs and scripts see the whole sentence.
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return e.ExitCode;
        }
    }
}

using ProbeBench.Core;
using Spectre.Console;

namespace ProbeBench.Cli;

/// <summary>Turns <see cref="ProbeBenchException"/> into one red line and its exit code.</summary>
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
            AnsiConsole.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
            return e.ExitCode;
        }
    }
}

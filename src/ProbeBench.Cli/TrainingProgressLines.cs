using Spectre.Console;

namespace ProbeBench.Cli;

/// <summary>Progress of a long head training as a line every tenth of the way (plain lines survive logs and pipes).</summary>
internal static class TrainingProgressLines
{
    public static void Report(int done, int total)
    {
        var every = Math.Max(1, total / 10);
        if (done == total || done % every == 0) AnsiConsole.MarkupLine($"[grey]  training step {done}/{total}[/]");
    }
}

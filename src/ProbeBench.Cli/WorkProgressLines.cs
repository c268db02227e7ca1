using Spectre.Console;

namespace ProbeBench.Cli;

/// <summary>Progress of long work (dense labels cached, head training steps, C values of a logistic-regression sweep) as a line every tenth of the way (plain lines survive logs and pipes).</summary>
internal static class WorkProgressLines
{
    public static void Report(string what, int done, int total)
    {
        var every = Math.Max(1, total / 10);
        if (done == total || done % every == 0) AnsiConsole.MarkupLine($"[grey]  {Markup.Escape(what)} {done}/{total}[/]");
    }
}

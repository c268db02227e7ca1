using ProbeBench.Core.IO;
using ProbeBench.Cli;
using Spectre.Console;

namespace ProbeBench.Tests.Cli;

public sealed class DownloadProgressDisplayTests
{
    [Fact]
    public async Task Progress_display_runs_the_work_and_returns_its_result()
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Interactive = InteractionSupport.Yes, Ansi = AnsiSupport.Yes });
        var result = await DownloadProgressDisplay.RunAsync(async progress =>
        {
            progress.Report(new DownloadProgress("w.pth", 0, 100));
            await Task.Yield();
            progress.Report(new DownloadProgress("w.pth", 100, 100));
            return 42;
        }, console);
        Assert.Equal(42, result);
        Assert.Contains("w.pth", output.ToString());
    }
}

using ProbeBench.Core.Results;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Results;

public class ResultsCommandTests
{
    [Fact]
    public void List_and_show_read_past_runs_and_bad_input_exits_2()
    {
        using var dir = new TempDirectory();
        new RunFolderWriter(dir.Path).Write(ResultsTestData.Manifest("run-listed"), ResultsTestData.Rows(), []);
        Directory.CreateDirectory(dir.File("run-half.partial"));
        File.WriteAllText(dir.File("broken.csv"), "Kind,Model,Top1\naccuracy,tiny,not-a-number\n");

        var list = CliProcess.Run(["results", "list", "--root", dir.Path]);
        Assert.Equal(0, list.ExitCode);
        Assert.Contains("run-listed", list.StdOut);
        Assert.Contains("complete", list.StdOut);
        Assert.DoesNotContain("run-half", list.StdOut);

        var show = CliProcess.Run(["results", "show", dir.File("run-listed")]);
        Assert.Equal(0, show.ExitCode);
        Assert.Contains("cls@3", show.StdOut);
        Assert.Contains("Speed", show.StdOut);
        Assert.Contains("extraction", show.StdOut);
        Assert.DoesNotContain("no completion marker", show.StdOut);

        var malformed = CliProcess.Run(["compare", dir.File("broken.csv"), dir.File("run-listed")]);
        Assert.Equal(2, malformed.ExitCode);
        Assert.Contains("broken.csv", malformed.StdErr);
    }
}

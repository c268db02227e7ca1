using ProbeBench.Core.Results;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Results;

public class ResultsCommandTests
{
    [Fact]
    public void List_and_show_read_past_runs_by_name_and_bad_input_exits_2()
    {
        using var dir = new TempDirectory();
        new RunFolderWriter(dir.Path).Write(ResultsTestData.Manifest("run-listed"), ResultsTestData.Rows());
        Directory.CreateDirectory(dir.File("run-half.partial"));
        Directory.CreateDirectory(dir.File("broken"));
        File.WriteAllText(dir.File("broken", ResultColumns.AccuracyFile), "schema_version,model\n2,tiny\n");

        var list = CliProcess.Run(["results", "list", "--out", dir.Path]);
        Assert.Equal(0, list.ExitCode);
        Assert.Contains("run-listed", list.StdOut);
        Assert.Contains("complete", list.StdOut);
        Assert.Contains("logreg: cls@3", list.StdOut); // the layer verdict
        Assert.DoesNotContain("run-half", list.StdOut);

        // By name under --out, as list prints it; piped output is Markdown whose numbers never wrap.
        var show = CliProcess.Run(["results", "show", "run-listed", "--out", dir.Path]);
        Assert.Equal(0, show.ExitCode);
        Assert.Contains("| tiny | cifar10 | logreg | best of 4: cls@3 (C=1): 79.00 % [75.00, 83.00]; cls@last itself is best |", show.StdOut);
        Assert.Contains("## Extraction", show.StdOut);
        Assert.DoesNotContain("may be incomplete", show.StdOut);
        Assert.Contains("rows", CliProcess.Run(["results", "show", "run-listed", "--out", dir.Path, "--format", "json"]).StdOut);

        var missing = CliProcess.Run(["results", "show", "nope", "--out", dir.Path]);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("is neither a folder nor a run under", missing.StdErr);
        var malformed = CliProcess.Run(["compare", dir.File("broken"), dir.File("run-listed")]);
        Assert.Equal(2, malformed.ExitCode);
        Assert.Contains("broken", malformed.StdErr);
    }
}

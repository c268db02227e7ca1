using System.Diagnostics;
using ProbeBench.Core.Evaluation.Units;
using ProbeBench.Core.Results;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Evaluation.Sweeps;

/// <summary>Issue 9 item 8: probebench runs sharing one cache root all succeed, and no entry is extracted twice.</summary>
public sealed class ConcurrentRunTests
{
    [SharedFact]
    public void Two_runs_at_once_and_a_third_staggered_on_one_cache_root_all_succeed_with_each_entry_extracted_once()
    {
        using var dir = new TempDirectory();
        SweepFixture.Data(dir, trainPerFile: 40, test: 40);
        var planFile = SweepFixture.WritePlan(dir, SweepFixture.Plan(dir));
        Process Start(string name) => Process.Start(CliProcess.StartInfo(["run", "--config", planFile, "--name", name]))!;
        var runs = new List<(string Name, Process Process, Task<string> Out, Task<string> Err)>();
        foreach (var name in new[] { "a", "b", "c" })
        {
            if (name == "c") Thread.Sleep(2500);
            var process = Start(name);
            runs.Add((name, process, process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync()));
        }
        foreach (var run in runs)
        {
            Assert.True(run.Process.WaitForExit(TimeSpan.FromMinutes(5)), $"run {run.Name} hung");
            Assert.True(run.Process.ExitCode == 0, $"run {run.Name}: {run.Out.Result}{run.Err.Result}");
            run.Process.Dispose();
        }
        var results = runs.Select(r => RunFolderReader.Read(dir.File("results", r.Name)).Rows).ToList();
        Assert.All(results, rows => Assert.Equal(SweepFixture.Accuracies(results[0]), SweepFixture.Accuracies(rows)));
        var extracted = runs.SelectMany(r => Directory.GetFiles(dir.File("results", r.Name, "units"), "extract-*.json"))
            .Select(f => System.Text.Json.JsonSerializer.Deserialize<UnitRecord>(File.ReadAllText(f))!)
            .SelectMany(r => r.Extracted.Select(choice => (r.Split, choice))).ToList();
        Assert.Equal(2 * 3, extracted.Count);
        Assert.Equal(extracted.Count, extracted.Distinct().Count());
    }
}

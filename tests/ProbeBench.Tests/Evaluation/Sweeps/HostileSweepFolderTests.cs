using System.Text.Json.Nodes;
using ProbeBench.Core;
using ProbeBench.Core.Evaluation.Sweeps;
using ProbeBench.Core.Evaluation.Sweeps.Slurm;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Evaluation.Sweeps;

/// <summary>
/// A sweep folder's files are shared by every worker and anyone on the cluster can put something odd there: a FIFO in
/// place of sweep.json, an attempt record, the Slurm submissions or a --list file is one sentence naming it, never a hang.
/// </summary>
public sealed class HostileSweepFolderTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static SweepFolder Sweep(TempDirectory dir)
    {
        SweepFixture.Data(dir, trainPerFile: 4, test: 8);
        return SweepPlanner.Plan(SweepFixture.Plan(dir), dir.File("sweep"), deviceGflops: 10);
    }

    private static void Replace(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.Delete(path);
        Fifo.Make(path);
    }

    private const string NotRegular = "is not a regular file (a FIFO, device or socket), so it is not read.";

    [SharedFact]
    public async Task A_fifo_in_place_of_sweep_json_is_refused_by_every_command_that_opens_the_sweep()
    {
        using var dir = new TempDirectory();
        var sweep = Sweep(dir);
        var manifest = sweep.Sub(SweepFolder.ManifestFile);
        Replace(manifest);

        var error = await Task.Run(() => Assert.Throws<ProbeBenchException>(() => SweepFolder.Open(sweep.Path))).WaitAsync(Patience);
        Assert.Equal($"The sweep manifest {manifest} {NotRegular}", error.Message);
        foreach (var command in new[] { "status", "merge" })
        {
            var outcome = CliProcess.Run(["sweep", command, sweep.Path], timeoutSeconds: 60);
            Assert.True(outcome.ExitCode == 2, outcome.All);
            Assert.Equal($"error: The sweep manifest {manifest} {NotRegular}", outcome.StdErr.Trim());
        }
    }

    [SharedFact]
    public void A_sweep_json_with_a_null_unit_is_unreadable_not_a_crash()
    {
        using var dir = new TempDirectory();
        var sweep = Sweep(dir);
        var manifest = sweep.Sub(SweepFolder.ManifestFile);
        var json = JsonNode.Parse(File.ReadAllText(manifest))!;
        json["Units"]!.AsArray().Add(null);
        File.WriteAllText(manifest, json.ToJsonString());

        Assert.Equal($"The sweep manifest {manifest} is unreadable (a unit lacks its Id or DependsOn).",
            Assert.Throws<ProbeBenchException>(() => SweepFolder.Open(sweep.Path)).Message);
    }

    [SharedTheory]
    [InlineData("attempts")]
    [InlineData("failures")]
    public async Task A_fifo_in_place_of_a_unit_attempt_record_is_named_by_sweep_status(string folder)
    {
        using var dir = new TempDirectory();
        var sweep = Sweep(dir);
        var record = sweep.Sub(folder, sweep.Manifest.Units[0].Id + ".json");
        Replace(record);

        var error = await Task.Run(() => Assert.Throws<ProbeBenchException>(() => SweepStatus.Of(sweep))).WaitAsync(Patience);
        Assert.Equal($"The unit attempt record {record} {NotRegular}", error.Message);
        var status = CliProcess.Run(["sweep", "status", sweep.Path], timeoutSeconds: 60);
        Assert.True(status.ExitCode == 2, status.All);
        Assert.Equal($"error: The unit attempt record {record} {NotRegular}", status.StdErr.Trim());
    }

    [SharedFact]
    public async Task A_fifo_in_place_of_the_slurm_submissions_is_named()
    {
        using var dir = new TempDirectory();
        var sweep = Sweep(dir);
        var submissions = SlurmSubmissions.PathOf(sweep);
        Replace(submissions);

        var error = await Task.Run(() => Assert.Throws<ProbeBenchException>(() => SlurmSubmissions.Read(sweep))).WaitAsync(Patience);
        Assert.Equal($"The Slurm submissions record {submissions} {NotRegular}", error.Message);
    }

    [SharedFact]
    public void A_list_file_that_is_a_fifo_is_one_line_and_work_never_blocks()
    {
        using var dir = new TempDirectory();
        var sweep = Sweep(dir);
        var fifo = Fifo.Make(dir.File("units.fifo"));

        var outcome = CliProcess.Run(["sweep", "work", sweep.Path, "--list", fifo], timeoutSeconds: 60);

        Assert.True(outcome.ExitCode == 2, outcome.All);
        Assert.Equal($"error: --list: the unit list {fifo} {NotRegular}", outcome.StdErr.Trim());
    }
}

using ProbeBench.Core;
using ProbeBench.Core.Evaluation.Sweeps;
using ProbeBench.Core.Evaluation.Sweeps.Kubernetes;
using ProbeBench.Core.Evaluation.Sweeps.Slurm;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Evaluation.Sweeps;

/// <summary>What the Slurm and Kubernetes backends write, without a cluster (CI's .ci/slurm-sweep runs a real Slurm).</summary>
public sealed class BackendTests
{
    private static readonly SlurmOptions Options = new() { Command = ["/opt/pb/probebench"], Partition = "gpu", Gres = "gpu:1", Time = "01:00:00", MaxParallel = 4 };

    private static void Has(string problem, IReadOnlyList<string> problems) =>
        Assert.True(problems.Any(p => p.Contains(problem)), $"'{problem}' not among: {string.Join(" | ", problems)}");

    [Fact]
    public void Squeue_lines_map_to_array_tasks_pending_ranges_included()
    {
        var tasks = SlurmQueue.Parse("12_0|RUNNING|None\n12_[1-3,7%2]|PENDING|Resources\n13_0|PENDING|DependencyNeverSatisfied\n14|PENDING|Priority\n").ToList();
        Assert.Equal([("12", (int?)0, "RUNNING"), ("12", 1, "PENDING"), ("12", 2, "PENDING"), ("12", 3, "PENDING"), ("12", 7, "PENDING"), ("13", 0, "PENDING"), ("14", null, "PENDING")],
            tasks.Select(t => (t.JobId, t.Index, t.State)));
        Assert.Equal("DependencyNeverSatisfied", tasks[5].Reason);
        // A range no Slurm array has (to int.MaxValue, the loop would never end) is skipped, not walked.
        Assert.Equal([("15", (int?)0)], SlurmQueue.Parse("15_[0]|PENDING|None\n15_[1-2147483647]|PENDING|None\n").Select(t => (t.JobId, t.Index)));
        Assert.Equal([2147483646, 2147483647], SlurmQueue.Parse("16_[2147483646-2147483647]|PENDING|None\n").Select(t => t.Index!.Value));
    }

    [Fact]
    public async Task A_submission_or_unit_list_that_is_a_fifo_or_folder_is_refused_instead_of_read()
    {
        using var dir = new ProbeBench.Tests.TestSupport.TempDirectory();
        var fifo = ProbeBench.Tests.TestSupport.Fifo.Make(dir.File("list.fifo"));
        var error = await Assert.ThrowsAsync<ProbeBenchException>(() => Task.Run(() => SlurmQueue.ReadList(fifo)).WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("The Slurm unit list", error.Message);
        Directory.CreateDirectory(dir.File("folder"));
        Assert.Contains("is a folder", Assert.Throws<ProbeBenchException>(() => SlurmQueue.ReadList(dir.File("folder"))).Message);
        Assert.Empty(SlurmQueue.ReadList(dir.File("missing")));
    }

    [Theory]
    [InlineData("gpu\n#SBATCH --wrap=rm")]
    [InlineData("gpu part")]
    [InlineData("$(id)")]
    public void An_option_that_would_break_out_of_its_sbatch_line_is_refused(string partition)
    {
        var e = Assert.Throws<ProbeBenchException>(() => SlurmBackend.Check(Options with { Partition = partition }));
        Assert.StartsWith("--partition:", e.Message);
        Assert.Throws<ProbeBenchException>(() => SlurmBackend.Check(Options with { ExtraArguments = ["qos=long"] }));
    }

    [SharedFact]
    public void A_dry_run_writes_an_extraction_array_and_a_heads_array_with_the_options()
    {
        using var dir = new TempDirectory();
        SweepFixture.Data(dir);
        var sweep = SweepPlanner.Plan(SweepFixture.Plan(dir), dir.File("sweep"), deviceGflops: 10);
        var outcome = SlurmBackend.Submit(sweep, Options with { DryRun = true, UnitsPerTask = 4 }, retryFailed: false);
        Assert.Equal(["extract", "heads"], outcome.Submitted.Select(s => s.Phase));
        Assert.Equal([1, 2], outcome.Submitted.Select(s => s.Tasks));
        var heads = File.ReadAllText(outcome.Submitted[1].Script);
        Assert.Contains("#SBATCH --array=0-1%4", heads);
        Assert.Contains("#SBATCH --partition=gpu", heads);
        Assert.DoesNotContain("--gres", heads); // heads ask for no GPU unless --heads-gres says so
        Assert.Contains("#SBATCH --gres=gpu:1", File.ReadAllText(outcome.Submitted[0].Script));
        Assert.Contains($"exec '/opt/pb/probebench' 'sweep' 'work' '{sweep.Path}' '--list'", heads);
        Assert.Equal(6, SlurmQueue.ReadList(outcome.Submitted[1].UnitList).Count);
        Assert.Empty(SlurmSubmissions.Read(sweep)); // nothing was submitted
    }

    [SharedFact]
    public void The_indexed_job_is_valid_and_the_validator_finds_what_the_api_server_would_refuse()
    {
        using var dir = new TempDirectory();
        SweepFixture.Data(dir);
        var fixtureRoot = Path.GetDirectoryName(SharedFixtures.Path("fixtures"))!;
        var sweep = SweepPlanner.Plan(SweepFixture.Plan(dir), dir.File("sweep"), deviceGflops: 10);
        var options = new IndexedJobOptions { Image = "registry.example/probebench:1", VolumeClaim = "sweeps", MountPath = "/", Gpus = 1, Memory = "16Gi", Parallelism = 3 };
        var yaml = IndexedJobManifest.Emit(sweep, options);
        Assert.Empty(IndexedJobValidator.Problems(yaml));
        Assert.Contains("completionMode: Indexed", yaml);
        Assert.Contains("completions: 8", yaml);
        Assert.Contains("nvidia.com/gpu: 1", yaml);
        Assert.Contains("claimName: sweeps", yaml);

        Has("spec.completionMode must be Indexed", IndexedJobValidator.Problems(yaml.Replace("completionMode: Indexed", "completionMode: NonIndexed")));
        Has("spec.parallelism 30 exceeds spec.completions 8", IndexedJobValidator.Problems(yaml.Replace("parallelism: 3", "parallelism: 30")));
        Has("volumeMount 'data' names no volume of the pod", IndexedJobValidator.Problems(yaml.Replace("- name: sweep\n          mountPath", "- name: data\n          mountPath")));
        Has("not a Kubernetes quantity", IndexedJobValidator.Problems(yaml.Replace("memory: 16Gi", "memory: 16 GB")));
        Assert.Contains("metadata.name 'PB_Sweep' is not a DNS-1123 label (a-z, 0-9, '-', at most 63)",
            IndexedJobValidator.Problems(IndexedJobManifest.Emit(sweep, options with { Name = "pb-x" }).Replace("name: pb-x", "name: PB_Sweep")));
        var outside = Assert.Throws<ProbeBenchException>(() => IndexedJobManifest.Emit(sweep, options with { MountPath = fixtureRoot }));
        Assert.Contains("does not contain the sweep folder", outside.Message);
    }
}

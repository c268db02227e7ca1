using System.Diagnostics;
using ProbeBench.Core;
using ProbeBench.Core.Cache;
using ProbeBench.Core.Evaluation;
using ProbeBench.Core.Evaluation.Sweeps;
using ProbeBench.Core.Evaluation.Units;
using ProbeBench.Core.Results;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Evaluation.Sweeps;

/// <summary>sweep plan, work, submit --backend local, status and merge against real worker processes.</summary>
public sealed class SweepTests
{
    [SharedFact]
    public void A_plan_becomes_a_sweep_folder_that_reopens_to_the_same_units_with_estimates()
    {
        using var dir = new TempDirectory();
        SweepFixture.Data(dir);
        var plan = SweepFixture.Plan(dir);
        var sweep = SweepPlanner.Plan(plan, dir.File("sweep"), deviceGflops: 10);

        Assert.Equal(PlanExpander.Expand(plan).Units.Select(u => u.Id), sweep.Manifest.Units.Select(u => u.Id));
        Assert.Equal(2 + 3 * 2, sweep.Manifest.Units.Count);
        var train = sweep.Manifest.Units.First(u => u.Kind == "extract");
        Assert.Equal(60, train.Estimate.Images);
        Assert.True(train.Estimate.Gflop > 0 && train.Estimate.Seconds > 0 && train.Estimate.PeakMemoryBytes > 0);
        Assert.All(sweep.Manifest.Units.Where(u => u.Kind == "head"), u => Assert.Equal(2, u.DependsOn.Count));
        // The folder is self-contained: its plan has absolute paths and reads back as a plan file.
        var reread = RunPlanReader.Read(dir.File("sweep", SweepFolder.PlanFile));
        Assert.Equal(Path.GetFullPath(dir.File("cache")), reread.CacheRoot);
        Assert.Equal(sweep.Graph.Units.Select(u => u.Id), SweepFolder.Open(dir.File("sweep")).Graph.Units.Select(u => u.Id));
        // Planning the same plan again is a no-op; another plan into the same folder is refused.
        Assert.Equal(sweep.Path, SweepPlanner.Plan(plan, dir.File("sweep"), deviceGflops: 10).Path);
        var e = Assert.Throws<ProbeBenchException>(() => SweepPlanner.Plan(plan with { Seed = 3 }, dir.File("sweep"), deviceGflops: 10));
        Assert.Contains("already holds another sweep", e.Message);
        Assert.Contains("not a sweep folder", Assert.Throws<ProbeBenchException>(() => SweepFolder.Open(dir.File("data"))).Message);
    }

    [SharedFact]
    public async Task Two_local_workers_share_the_units_and_the_merge_equals_a_run_of_the_same_plan()
    {
        using var dir = new TempDirectory();
        SweepFixture.Data(dir);
        var plan = SweepFixture.Plan(dir);
        var sweep = SweepPlanner.Plan(plan, dir.File("sweep"), deviceGflops: 10);

        var submit = CliProcess.Run(["sweep", "submit", sweep.Path, "--backend", "local", "--workers", "2", "--devices", "cpu,cpu"]);
        Assert.True(submit.ExitCode == 0, submit.All);
        Assert.Contains("8 units: 8 done", submit.StdOut);
        var merged = CliProcess.Run(["sweep", "merge", sweep.Path, "--name", "merged"]);
        Assert.True(merged.ExitCode == 0, merged.All);

        var records = sweep.Graph.Units.Select(u => sweep.Records.TryGet(u.Id)!).ToList();
        Assert.All(records, r => Assert.Equal((Environment.MachineName, "cpu"), (r.Host, r.Device)));
        Assert.Equal(2, records.Select(r => r.Worker).Distinct().Count());
        var extracted = records.SelectMany(r => r.Extracted.Select(c => (r.Split, c))).ToList();
        Assert.Equal(extracted.Count, extracted.Distinct().Count());

        var folder = dir.File("results", "merged");
        var manifest = System.Text.Json.JsonSerializer.Deserialize<RunManifest>(File.ReadAllText(Path.Combine(folder, "manifest.json")))!;
        Assert.Equal(sweep.Graph.Units.Select(u => u.Id), manifest.Units.Select(u => u.Id));
        Assert.All(manifest.Units, u => Assert.True(u.Host != "" && u.Worker.StartsWith("local worker") && u.FinishedUtc >= u.StartedUtc));
        Assert.True(File.Exists(Path.Combine(folder, RunFolderWriter.CompleteMarker)));

        var run = await RunExecutor.RunAsync(plan with { CacheRoot = dir.File("fresh-cache") }, runName: "direct");
        Assert.Equal(SweepFixture.Accuracies(RunFolderReader.Read(run.Folder).Rows), SweepFixture.Accuracies(RunFolderReader.Read(folder).Rows));

        // Everything is done: work is a no-op and status says so.
        var again = CliProcess.Run(["sweep", "work", sweep.Path]);
        Assert.Contains("0 ran, 8 already done", again.StdOut);
        Assert.Contains("8 units: 8 done", CliProcess.Run(["sweep", "status", sweep.Path]).StdOut);
    }

    [SharedFact]
    public void A_worker_killed_mid_extraction_is_taken_over_and_its_unit_resumes_from_the_cache()
    {
        using var dir = new TempDirectory();
        SweepFixture.Data(dir, trainPerFile: 120, test: 20);
        var sweep = SweepPlanner.Plan(SweepFixture.Plan(dir) with { Layers = ["cls@last"], Heads = ["knn"] }, dir.File("sweep"), deviceGflops: 10);
        var train = sweep.Graph.Units.OfType<ExtractUnit>().First();

        using (var worker = Process.Start(CliProcess.StartInfo(["sweep", "work", sweep.Path, "--unit", train.Id]))!)
        {
            var cache = new FeatureCache(sweep.Plan.CacheRoot!);
            var clock = Stopwatch.StartNew();
            while (!worker.HasExited && clock.Elapsed < TimeSpan.FromMinutes(3)
                   && !(Directory.Exists(cache.FeaturesFolder) && Directory.EnumerateFiles(cache.FeaturesFolder, "chunk-00000.bin", SearchOption.AllDirectories).Any()))
                Thread.Sleep(20);
            Assert.False(worker.HasExited, "the worker finished before it could be killed");
            worker.Kill(entireProcessTree: true); // SIGKILL: no cleanup runs
            worker.WaitForExit();
        }
        var status = CliProcess.Run(["sweep", "status", sweep.Path]);
        Assert.Contains("interrupted", status.StdOut);

        var resumed = CliProcess.Run(["sweep", "work", sweep.Path, "--unit", train.Id]);
        Assert.True(resumed.ExitCode == 0, resumed.All);
        Assert.Contains("taking over from", resumed.StdOut);
        Assert.Contains("Took over the feature-cache entry", resumed.StdOut);
        var record = sweep.Records.TryGet(train.Id)!;
        Assert.Equal(600, record.SplitRows);
        Assert.True(record.Stats!.Images < 600, $"the resumed pass should extract only the rows after the first chunk, did {record.Stats.Images}");
        Assert.Null(new FeatureCache(sweep.Plan.CacheRoot!).Verify(record.CacheKeys["cls@last"]));
    }

    [SharedFact]
    public void Work_finds_its_slice_from_the_array_index_and_refuses_one_outside_the_list()
    {
        using var dir = new TempDirectory();
        SweepFixture.Data(dir);
        var sweep = SweepPlanner.Plan(SweepFixture.Plan(dir), dir.File("sweep"), deviceGflops: 10);
        var outside = CliProcess.Run(["sweep", "work", sweep.Path, "--phase", "extract", "--units-per-task", "1"],
            new Dictionary<string, string?> { ["SLURM_ARRAY_TASK_ID"] = "2", ["SLURM_ARRAY_JOB_ID"] = "77" });
        Assert.Equal(2, outside.ExitCode);
        Assert.Contains("Array index 2 is outside the 2 tasks", outside.StdErr);
        var cpuOnly = CliProcess.Run(["sweep", "work", sweep.Path, "--device", "cuda:1"]);
        Assert.Contains("is not a cpu device", cpuOnly.StdErr);

        var task = CliProcess.Run(["sweep", "work", sweep.Path, "--phase", "extract"],
            new Dictionary<string, string?> { ["JOB_COMPLETION_INDEX"] = "1", ["SLURM_ARRAY_TASK_ID"] = null });
        Assert.True(task.ExitCode == 0, task.All);
        var test = sweep.Graph.Units.OfType<ExtractUnit>().Single(u => u.Split == "test");
        Assert.Equal("k8s index 1", sweep.Records.TryGet(test.Id)!.Worker);
        Assert.Null(sweep.Records.TryGet(sweep.Graph.Units[0].Id));
        // A head whose extraction has not run names it; --with-dependencies runs it first.
        var head = sweep.Graph.Units.OfType<HeadUnit>().First();
        Assert.Contains("has not finished", CliProcess.Run(["sweep", "work", sweep.Path, "--unit", head.Id]).StdErr);
        Assert.Equal(0, CliProcess.Run(["sweep", "work", sweep.Path, "--unit", head.Id, "--with-dependencies"]).ExitCode);
        Assert.NotNull(sweep.Records.TryGet(head.Id));
    }
}

using ProbeBench.Core;
using ProbeBench.Core.Data;
using ProbeBench.Core.Evaluation;
using ProbeBench.Core.Evaluation.Units;
using ProbeBench.Core.Results;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Evaluation;

/// <summary>A plan expands into cells and content-addressed work units that any process can run given the plan and a unit id.</summary>
public sealed class WorkUnitTests
{
    private static RunPlan Plan(TempDirectory dir) => new()
    {
        Models = [new ModelSpec("tiny", SharedFixtures.Path("fixtures", "dinov2", "vit_tiny_p14", "weights.pth"),
            SharedFixtures.Path("fixtures", "dinov2", "vit_tiny_p14", "hf", "config.json"))],
        Datasets = [new DatasetSpec("cifar10")],
        Layers = ["cls@last", "cls@1"],
        Heads = ["knn", "logreg", "linear"],
        BatchSize = 16,
        LimitTrain = 60,
        LimitTest = 30,
        LogRegGrid = "0.1,1",
        KnnK = [5],
        BootstrapSamples = 50,
        DataRoot = dir.File("data"),
        CacheRoot = dir.File("cache"),
        Out = dir.File("results"),
    };

    [SharedFact]
    public void A_plan_expands_to_extract_units_then_head_units_that_depend_on_them()
    {
        using var dir = new TempDirectory();
        var graph = PlanExpander.Expand(Plan(dir));

        var cell = Assert.Single(graph.Cells);
        Assert.Equal(["cls@last", "cls@1"], cell.Choices.Select(c => c.Name));
        Assert.Equal([3], cell.Choices[0].Blocks); // the last block of the 4-block fixture
        Assert.Equal(4, cell.Architecture.Depth);
        var extracts = graph.Units.OfType<ExtractUnit>().ToList();
        Assert.Equal(["train", "test"], extracts.Select(u => u.Split));
        Assert.Equal([60, 30], extracts.Select(u => u.Limit!.Value));
        // Per layer choice: each per-choice head in plan order; then the head that trains across choices.
        Assert.Equal(["knn cls@last", "logreg cls@last", "knn cls@1", "logreg cls@1", "linear cls@last+cls@1"],
            graph.Units.OfType<HeadUnit>().Select(u => $"{u.Head} {string.Join('+', u.Choices)}"));
        var seen = new HashSet<string>();
        foreach (var unit in graph.Units)
        {
            Assert.All(unit.DependsOn, d => Assert.Contains(d, seen));
            Assert.True(seen.Add(unit.Id), $"unit id {unit.Id} repeats");
        }
        Assert.All(graph.Units, u => Assert.Matches("^(extract|head)-[0-9a-f]{16}$", u.Id));
    }

    [SharedFact]
    public void Unit_ids_are_content_hashes_of_what_defines_the_unit()
    {
        using var dir = new TempDirectory();
        var plan = Plan(dir);
        var ids = PlanExpander.Expand(plan).Units.Select(u => u.Id).ToList();
        Assert.Equal(ids, PlanExpander.Expand(plan with { }).Units.Select(u => u.Id));
        // Where results go and where the cache lives do not change what a unit computes.
        Assert.Equal(ids, PlanExpander.Expand(plan with { Out = dir.File("elsewhere"), CacheRoot = dir.File("other-cache") }).Units.Select(u => u.Id));

        var reseeded = PlanExpander.Expand(plan with { Seed = 1 }).Units.Select(u => u.Id).ToList();
        Assert.Empty(ids.Intersect(reseeded));
        var otherK = PlanExpander.Expand(plan with { KnnK = [7] }).Units;
        Assert.Equal(ids.Where(i => i.StartsWith("extract-")), otherK.OfType<ExtractUnit>().Select(u => u.Id));
        // A head's id covers its settings, so every head unit changes, and the extract units stay.
        Assert.Empty(ids.Intersect(otherK.OfType<HeadUnit>().Select(u => u.Id)));
        // Classification heads read no dense setting: changing one keeps their ids (the ids they had before dense heads).
        Assert.Equal(ids, PlanExpander.Expand(plan with { DenseSteps = 17 }).Units.Select(u => u.Id));
    }

    [SharedFact]
    public async Task Each_unit_runs_alone_given_only_the_plan_and_its_id_and_the_run_assembles_from_the_records()
    {
        using var dir = new TempDirectory();
        SyntheticCifarWriter.Write(dir.File("data"), CifarLayout.Cifar10, trainPerFile: 20, testCount: 40, seed: 4);
        var plan = Plan(dir);
        var store = new UnitStore(dir.File("units"));
        var ids = PlanExpander.Expand(plan).Units.Select(u => u.Id).ToList();

        // A head unit whose extract units have not run names the missing one.
        var early = await Assert.ThrowsAsync<ProbeBenchException>(async () =>
        {
            using var runner = UnitRunner.For(plan);
            await runner.RunAsync(PlanExpander.Expand(plan), ids[^1], store);
        });
        Assert.Contains($"needs unit {ids[0]}", early.Message);

        // As separate processes would: a fresh expansion and a fresh runner for every unit.
        foreach (var id in ids)
        {
            using var runner = UnitRunner.For(plan);
            await runner.RunAsync(PlanExpander.Expand(plan), id, store);
            Assert.True(File.Exists(store.PathOf(id)));
        }
        var records = ids.Select(id => store.TryGet(id)!).ToList();
        var (_, rows) = RunAssembly.Assemble(PlanExpander.Expand(plan), records, "units", DateTimeOffset.UtcNow);

        var whole = await RunExecutor.RunAsync(plan, runName: "whole");
        Assert.Equal(Accuracies(whole.Rows), Accuracies(rows));
        Assert.True(File.Exists(Path.Combine(whole.Folder, "units", ids[^1] + ".json")));
        // A finished unit is not run again: its record is the answer.
        var before = File.GetLastWriteTimeUtc(store.PathOf(ids[2]));
        using (var again = UnitRunner.For(plan)) await again.RunAsync(PlanExpander.Expand(plan), ids[2], store);
        Assert.Equal(before, File.GetLastWriteTimeUtc(store.PathOf(ids[2])));
    }

    private static List<(string, string, string, double?)> Accuracies(IEnumerable<ResultRow> rows) =>
        rows.Where(r => r.IsAccuracy).Select(r => (r.LayerChoice, r.Head, r.Setting + " " + r.Chosen, r.Top1)).ToList();

    [Fact]
    public void An_unknown_unit_id_is_one_clear_error()
    {
        var graph = new RunGraph(new RunPlan(), [], [], []);
        var e = Assert.Throws<ProbeBenchException>(() => graph.Get("head-0000"));
        Assert.Contains("no work unit 'head-0000'", e.Message);
    }
}

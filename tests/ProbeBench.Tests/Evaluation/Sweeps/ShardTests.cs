using ProbeBench.Core;
using ProbeBench.Core.Evaluation;
using ProbeBench.Core.Evaluation.Units;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Evaluation.Sweeps;

/// <summary>shardRows: a split becomes several extract units whose joined features give the unsharded run's results.</summary>
public sealed class ShardTests
{
    [SharedFact]
    public async Task A_sharded_split_gives_the_same_accuracy_rows_as_the_whole_split()
    {
        using var dir = new TempDirectory();
        SweepFixture.Data(dir); // 60 train, 30 test images
        var plan = SweepFixture.Plan(dir) with { ShardRows = 20 };
        var graph = PlanExpander.Expand(plan);

        var extracts = graph.Units.OfType<ExtractUnit>().ToList();
        // 20 rounds up to 32 (two batches of 16): the 60 train images are two shards, the 30 test images fit in one unit.
        Assert.Equal([("train", (int?)0, (int?)32), ("train", 1, 32), ("test", null, null)], extracts.Select(u => (u.Split, u.Shard, u.ShardRows)));
        Assert.All(graph.Units.OfType<HeadUnit>(), h => Assert.Equal(extracts.Take(2).Select(u => u.Id), h.TrainUnits));
        // Whole-split units keep their ids; shard ids are content hashes of their own.
        Assert.Equal(PlanExpander.Expand(plan with { ShardRows = null }).Units.OfType<ExtractUnit>().Single(u => u.Split == "test").Id, extracts[2].Id);
        Assert.Equal(3, extracts.Select(u => u.Id).Distinct().Count());

        var sharded = await RunExecutor.RunAsync(plan, runName: "sharded");
        var whole = await RunExecutor.RunAsync(plan with { ShardRows = null, CacheRoot = dir.File("cache-whole") }, runName: "whole");
        Assert.Equal(SweepFixture.Accuracies(whole.Rows), SweepFixture.Accuracies(sharded.Rows));
        Assert.Equal(["train shard 1/2", "train shard 2/2", "test"], sharded.Rows.Where(r => r.Kind == "extraction").Select(r => r.Split));
        Assert.All(sharded.Rows.Where(r => r.Kind == "accuracy"), r => Assert.Equal((60, 30), (r.TrainRows, r.TestRows)));
    }

    [Fact]
    public void ShardRows_must_be_positive_in_files_and_flags()
    {
        var e = Assert.Throws<ProbeBenchException>(() => RunPlanRules.Validate(new RunPlan { ShardRows = 0 }));
        Assert.Contains("plan.shardRows: expected a positive integer", e.Message);
    }
}

using ProbeBench.Core;
using ProbeBench.Core.Data.Dense;
using ProbeBench.Core.Evaluation;
using ProbeBench.Core.Evaluation.Dense;
using ProbeBench.Core.Extraction;
using ProbeBench.Core.Preprocessing;
using ProbeBench.Core.Results;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Dense;

/// <summary>DINOv2's dense block sets, the dense layer choices, the cache-or-online decision, label geometry, chunk sizes and the gate on RMSE.</summary>
public sealed class DensePlanningTests
{
    [Theory]
    [InlineData(12, new[] { 2, 5, 8, 11 })]
    [InlineData(24, new[] { 4, 11, 17, 23 })]
    [InlineData(40, new[] { 9, 19, 29, 39 })]
    [InlineData(4, new[] { 0, 1, 2, 3 })]
    [InlineData(6, new[] { 1, 2, 4, 5 })]
    [InlineData(2, new[] { 0, 1 })]
    public void Lin4_is_the_papers_block_set_and_the_same_spread_for_other_depths(int depth, int[] blocks)
    {
        Assert.Equal(blocks, DenseBlocks.Lin4(depth));
        var choice = Assert.Single(LayerChoiceParser.Parse("patch@lin4", depth));
        Assert.Equal((LayerReadout.Patch, "patch@lin4"), (choice.Readout, choice.Name));
        Assert.Equal(blocks, choice.Blocks);
    }

    [Fact]
    public void Every_block_patch_gives_one_single_block_choice_per_block_and_lin1_the_last()
    {
        var choices = LayerChoiceParser.Parse("every-block-patch", 3);
        Assert.Equal(["patch@0", "patch@1", "patch@2"], choices.Select(c => c.Name));
        Assert.Equal([0, 1, 2], choices.Select(c => c.BlockIndex!.Value));
        Assert.Equal([11], Assert.Single(LayerChoiceParser.Parse("patch@lin1", 12)).Blocks);
        Assert.Null(LayerChoiceParser.Parse("cls+avgpool@last", 12)[0].BlockIndex);
    }

    [Theory]
    [InlineData("dense: fast", "$.dense: 'fast' is not one of auto, cache, online")]
    [InlineData("denseSteps: 0", "$.denseSteps: expected a positive integer, got 0")]
    [InlineData("denseBatchSize: 5000", "$.denseBatchSize: expected at most 4096 images per step, got 5000")]
    [InlineData("denseLearningRate: -0.1", "$.denseLearningRate: expected a learning rate in (0, 10], got -0.1")]
    [InlineData("denseLearningRate: fast", "$.denseLearningRate: expected a number")]
    [InlineData("denseUpsample: 32", "$.denseUpsample: expected an up-sampling factor from 1 to 16, got 32")]
    [InlineData("segClassToken: maybe", "$.segClassToken: expected true or false")]
    public void Dense_plan_fields_go_through_their_rules(string yaml, string expected)
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("plan.yaml"), yaml);
        var error = Assert.Throws<ProbeBenchException>(() => RunPlanReader.Read(dir.File("plan.yaml")));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Dense_plan_fields_bind_from_a_file()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("plan.yaml"), "dense: online\ndenseSteps: 40\ndenseBatchSize: 2\ndenseLearningRate: 0.02\ndenseUpsample: 1\nsegClassToken: true\n");
        var plan = RunPlanReader.Read(dir.File("plan.yaml"));
        Assert.Equal(("online", 40, 2, 0.02, 1, true), (plan.Dense, plan.DenseSteps, plan.DenseBatchSize, plan.DenseLearningRate!.Value, plan.DenseUpsample, plan.SegClassToken));
    }

    private static DenseEstimate Estimate(long cache, long online, long? disk, long? memory) =>
        new(cache, 1, 1, online, disk, memory, 10, 2, 3, [0, 3]);

    [Fact]
    public async Task A_dense_folder_s_sizes_count_what_its_splits_open_and_a_fifo_in_it_fails_in_one_sentence()
    {
        using var dir = new TempDirectory();
        var seg = SyntheticDenseWriter.Write(dir.File("data"), DenseTask.Segmentation, 3, 2, 28, seed: 1);
        File.WriteAllText(Path.Combine(seg, "train", "rgb", "notes.txt"), "not an image");
        var sizes = DenseSizes.Of(new DatasetSpec(seg), PreprocessRecipe.Dinov2Eval);
        Assert.Equal((3, 2, 4, (224, 224)), (sizes.Train, sizes.Test, sizes.Classes, sizes.Input));

        // Opening a FIFO for reading blocks until a writer comes: the estimate must refuse it, not wait for one.
        var image = Path.Combine(seg, "train", "rgb", "00000.png");
        File.Delete(image);
        Fifo.Make(image);
        var error = await Assert.ThrowsAsync<ProbeBenchException>(
            () => Task.Run(() => DenseSizes.Of(new DatasetSpec(seg), PreprocessRecipe.Dinov2Eval)).WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("00000.png", error.Message);

        File.Delete(image);
        var classes = Path.Combine(seg, DenseFolders.ClassesFile);
        File.Delete(classes);
        Fifo.Make(classes);
        error = await Assert.ThrowsAsync<ProbeBenchException>(
            () => Task.Run(() => DenseSizes.Of(new DatasetSpec(seg), PreprocessRecipe.Dinov2Eval)).WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains(DenseFolders.ClassesFile, error.Message);
    }

    [Fact]
    public void Auto_caches_when_the_disk_has_room_else_runs_online_when_memory_has_and_refuses_otherwise()
    {
        Assert.Equal("cache", DensePlanning.Decide("auto", Estimate(1_000, 10, disk: 2_000, memory: 1), "m on d").Mode);
        var (mode, note) = DensePlanning.Decide("auto", Estimate(5_000, 10, disk: 2_000, memory: 100), "m on d");
        Assert.Equal("online", mode);
        Assert.Contains("does not fit on disk", note);
        var none = Assert.Throws<ProbeBenchException>(() => DensePlanning.Decide("auto", Estimate(5_000, 500, disk: 2_000, memory: 100), "m on d"));
        Assert.Contains("m on d", none.Message);
        Assert.Throws<ProbeBenchException>(() => DensePlanning.Decide("cache", Estimate(5_000, 10, disk: 2_000, memory: 100), "m on d"));
        Assert.Equal("online", DensePlanning.Decide("online", Estimate(5_000, 500, disk: 1, memory: 1), "m on d").Mode);
    }

    [Fact]
    public void The_estimate_counts_fp16_patch_grids_of_every_stored_block_and_the_labels()
    {
        // ViT-g lin. 4 on NYU's 795 training images at 480 × 640 (34 × 45 patches): the issue's ~15 GB.
        var architecture = new Core.Models.DinoV2.DinoV2Config(EmbedDim: 1536, Depth: 40, NumHeads: 24, PatchSize: 14, ImageSize: 518);
        var choices = LayerChoiceParser.Parse("patch@lin4", 40);
        var e = DensePlanning.Estimate(architecture, 1_100_000_000, "fp16", (480, 640), 795, choices, 8, 256, 4, Path.GetTempPath());
        var features = e.CacheBytes - e.LabelBytes;
        Assert.Equal(795L * 4 * (1 + 34 * 45) * 1536 * 2, features);
        Assert.InRange(features / 1e9, 14.9, 15.0);
        Assert.Equal(795L * 480 * 640 * 4, e.LabelBytes);
    }

    [Fact]
    public void Labels_follow_the_images_resize_and_crop_with_nearest_neighbour_unless_kept_native()
    {
        var recipe = PreprocessRecipes.Parse("custom:size=2,short,crop=2");
        var labels = new DenseLabelMap(Enumerable.Range(0, 4 * 8).Select(i => (float)i).ToArray(), 4, 8);
        var geometry = new DenseLabelGeometry(2, 2, Native: false);
        // Resized to 2 × 4 (source rows 0, 2; columns 0, 2, 4, 6), then the center 2 × 2 (offset 1).
        Assert.Equal([2f, 4f, 18f, 20f], geometry.Apply(recipe, labels, 4, 8, "test").Values);
        var native = new DenseLabelGeometry(4, 8, Native: true);
        Assert.Same(labels, native.Apply(recipe, labels, 4, 8, "test"));
        Assert.Throws<ProbeBenchException>(() => geometry.Apply(recipe, labels, 4, 9, "test"));
    }

    [Fact]
    public void Prediction_batches_of_zero_images_are_refused_instead_of_never_advancing()
    {
        Assert.Equal([[0L, 1, 2], [3L, 4]], Core.Probes.Dense.DenseBatchOrder.InOrder(5, 3).ToList());
        Assert.Throws<ProbeBenchException>(() => Core.Probes.Dense.DenseBatchOrder.InOrder(5, 0).ToList());
    }

    [Fact]
    public void Patch_grid_chunks_stay_bounded_and_narrow_entries_keep_a_few_batches()
    {
        var vitg = (1 + 34 * 45) * 1536;
        Assert.Equal(28, ExtractionMemory.CacheChunkRows(64, vitg));
        Assert.True(ExtractionMemory.CacheChunkRows(64, vitg) * (long)vitg <= ExtractionMemory.MaxChunkValues);
        Assert.Equal(256, ExtractionMemory.CacheChunkRows(8, 384));
        Assert.Equal(1, ExtractionMemory.CacheChunkRows(8, 40_000_000));
    }

    private static ResultRow Depth(double rmse, double low, double high) => new()
    {
        Model = "m", Dataset = "nyu-depth-v2", LayerChoice = "patch@lin4", Head = "depth", Setting = "s", Primary = true,
        Metric = "rmse", MetricValue = rmse, MetricCiLow = low, MetricCiHigh = high, TrainRows = 795, TestRows = 654,
    };

    [Theory]
    [InlineData(0.70, Verdict.Regressed)]
    [InlineData(0.52, Verdict.Ok)]
    [InlineData(0.40, Verdict.Improved)]
    public void The_gate_takes_a_rise_in_rmse_as_the_regression(double candidate, Verdict expected)
    {
        var comparison = ResultsComparer.Compare([Depth(0.50, 0.46, 0.54)], [Depth(candidate, candidate - 0.04, candidate + 0.04)]);
        var change = Assert.Single(comparison.Changes);
        Assert.Equal(expected, change.Verdict);
        Assert.StartsWith("rmse m", change.Metric);
    }

    [Fact]
    public void Rmse_rows_survive_the_csv_in_metres_and_an_older_accuracy_csv_without_dense_columns_still_reads()
    {
        using var dir = new TempDirectory();
        var row = Depth(0.4123456789, 0.4, 0.43) with { AbsRel = 0.11, Delta1 = 0.9, TrainSet = "795 images" };
        ResultsCsv.Write(dir.Path, [row]);
        var read = Assert.Single(ResultsCsv.Read(dir.Path));
        Assert.Equal((0.4123456789, 0.4, 0.43, 0.11, 0.9), (read.MetricValue!.Value, read.MetricCiLow!.Value, read.MetricCiHigh!.Value, read.AbsRel!.Value, read.Delta1!.Value));
        Assert.Equal("795 images", read.TrainSet);
        var csv = File.ReadAllLines(dir.File(ResultColumns.AccuracyFile));
        Assert.Contains("rmse_m", csv[0]);

        var columns = csv[0].Split(',').ToList();
        var keep = columns.Select((c, i) => (c, i)).Where(p => !ResultColumns.Accuracy.Single(c => c.Name == p.c).Optional).Select(p => p.i).ToList();
        string Strip(string line) => string.Join(',', keep.Select(i => line.Split(',')[i]));
        File.WriteAllLines(dir.File(ResultColumns.AccuracyFile), csv.Select(Strip));
        Assert.Single(ResultsCsv.Read(dir.Path));
    }
}

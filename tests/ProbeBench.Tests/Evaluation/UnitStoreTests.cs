using ProbeBench.Core;
using ProbeBench.Core.Evaluation.Units;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Evaluation;

/// <summary>Unit records on disk are hostile input too: their ids and cache keys never become paths outside their folders.</summary>
public sealed class UnitStoreTests
{
    private const string Key = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Fact]
    public void A_record_holding_another_unit_s_id_is_refused_and_nothing_is_written_outside_the_folder()
    {
        using var dir = new TempDirectory();
        var store = new UnitStore(dir.File("sweep", "records"));
        store.Save(new UnitRecord { Id = "head-0123abcd", Description = "a head" });
        var path = store.PathOf("head-0123abcd");
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"head-0123abcd\"", "\"../../escaped/pwned\""));

        var error = Assert.Throws<ProbeBenchException>(() => store.TryGet("head-0123abcd"));
        Assert.Equal($"The unit record {path} holds unit '../../escaped/pwned', not head-0123abcd; remove it to run the unit again.", error.Message);

        var merged = new UnitStore(dir.File("run", "units"));
        Assert.Throws<ProbeBenchException>(() => merged.Save(new UnitRecord { Id = "../../escaped/pwned", Description = "x" }));
        Assert.False(Directory.Exists(dir.File("escaped")));
        foreach (var id in new[] { "", ".hidden", "a/b", "a\\\\b", "..", "a\u0000b", new string('a', 201) })
            Assert.Throws<ProbeBenchException>(() => store.PathOf(id));
    }

    [Fact]
    public void A_record_naming_a_cache_entry_that_is_not_a_key_is_refused_in_one_sentence()
    {
        using var dir = new TempDirectory();
        var store = new UnitStore(dir.File("units"));
        store.Save(new UnitRecord { Id = "extract-good", Description = "x", CacheKeys = new Dictionary<string, string> { ["cls@last"] = Key + "+" + Key } });
        Assert.NotNull(store.TryGet("extract-good"));

        foreach (var bad in new[] { "../outside/" + Key, "a", Key.ToUpperInvariant(), Key + "+" })
        {
            store.Save(new UnitRecord { Id = "extract-bad", Description = "x", CacheKeys = new Dictionary<string, string> { ["cls@last"] = bad } });
            var error = Assert.Throws<ProbeBenchException>(() => store.TryGet("extract-bad"));
            Assert.Contains($"{store.PathOf("extract-bad")} names the feature-cache entry", error.Message);
        }
    }

    [Theory]
    [InlineData("\"CacheKeys\": {}", "\"CacheKeys\": null")]
    [InlineData("\"CacheKeys\": {}", "\"CacheKeys\": {\"cls@last\": null}")]
    [InlineData("\"Rows\": []", "\"Rows\": null")]
    [InlineData("\"Rows\": []", "\"Rows\": [null]")]
    [InlineData("\"Log\": []", "\"Log\": null")]
    public void A_record_with_a_null_where_its_types_allow_none_is_refused_in_one_sentence(string field, string nulled)
    {
        using var dir = new TempDirectory();
        var store = new UnitStore(dir.File("units"));
        store.Save(new UnitRecord { Id = "extract-x", Description = "x" });
        var path = store.PathOf("extract-x");
        var json = File.ReadAllText(path);
        Assert.Contains(field, json);
        File.WriteAllText(path, json.Replace(field, nulled));

        var error = Assert.Throws<ProbeBenchException>(() => store.TryGet("extract-x"));
        Assert.StartsWith($"The unit record {path} ", error.Message);
    }

    [Fact]
    public async Task A_record_that_is_a_fifo_or_a_folder_is_refused_instead_of_read()
    {
        using var dir = new TempDirectory();
        var store = new UnitStore(dir.File("units"));
        Directory.CreateDirectory(store.Folder);
        Fifo.Make(store.PathOf("head-fifo"));
        Directory.CreateDirectory(store.PathOf("head-folder"));

        var fifo = await Assert.ThrowsAsync<ProbeBenchException>(() => Task.Run(() => store.TryGet("head-fifo")).WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("not a regular file", fifo.Message);
        Assert.Contains("is a folder", Assert.Throws<ProbeBenchException>(() => store.TryGet("head-folder")).Message);
        Assert.Null(store.TryGet("head-missing"));
    }

}

/// <summary>How array tasks slice a unit list.</summary>
public sealed class SweepSliceTests
{
    [Fact]
    public void Slices_cover_the_list_and_a_huge_units_per_task_is_one_slice_not_an_overflow()
    {
        var ids = Enumerable.Range(0, 7).Select(i => $"u{i}").ToList();
        Assert.Equal(["u6"], ProbeBench.Core.Evaluation.Sweeps.SweepWorker.Slice(ids, 2, 3));
        Assert.Equal(ids, ProbeBench.Core.Evaluation.Sweeps.SweepWorker.Slice(ids, 0, int.MaxValue));
        Assert.Contains("outside the 1 tasks", Assert.Throws<ProbeBenchException>(() => ProbeBench.Core.Evaluation.Sweeps.SweepWorker.Slice(ids, 1, int.MaxValue)).Message);
        Assert.Contains("--units-per-task", Assert.Throws<ProbeBenchException>(() => ProbeBench.Core.Evaluation.Sweeps.SweepWorker.Slice(ids, 0, 0)).Message);
    }

    [Theory]
    [InlineData("--poll", "5000000", "--poll: expected 1 to 86400 seconds, got 5000000.")]
    [InlineData("--poll", "0", "--poll: expected 1 to 86400 seconds, got 0.")]
    [InlineData("--timeout", "-1", "--timeout: expected a positive number of seconds, got -1.")]
    public void Sweep_status_polling_options_are_bounded(string option, string value, string expected)
    {
        using var dir = new TempDirectory();
        var run = CliProcess.Run(["sweep", "status", dir.Path, "--wait", option, value]);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, run.StdErr);
    }

    [Fact]
    public void Sweep_work_refuses_a_units_per_task_below_one_even_without_an_array_index()
    {
        using var dir = new TempDirectory();
        var run = CliProcess.Run(["sweep", "work", dir.Path, "--units-per-task", "0"]);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--units-per-task: expected a positive integer, got 0.", run.StdErr);
    }
}

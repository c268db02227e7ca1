using ProbeBench.Core;
using ProbeBench.Core.Results;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Results;

/// <summary>--overwrite: the old run leaves only once the new one is in place, and what a failed removal leaves never reads as a run.</summary>
public sealed class RunFolderReplaceTests
{
    [Fact]
    public void Overwrite_puts_the_new_run_in_place_of_the_old_one_and_leaves_nothing_beside_it()
    {
        using var dir = new TempDirectory();
        new RunFolderWriter(dir.Path).Write(ResultsTestData.Manifest("same"), ResultsTestData.Rows());
        var manifest = ResultsTestData.Manifest("same") with { Notes = ["the second run"] };
        var folder = new RunFolderWriter(dir.Path).Begin("same", overwrite: true).Complete(manifest, ResultsTestData.Rows());

        Assert.Contains("the second run", File.ReadAllText(Path.Combine(folder, RunFolderWriter.ManifestFile)));
        Assert.Equal(["same"], Directory.GetDirectories(dir.Path).Select(Path.GetFileName));
    }

    [SkippableFact]
    public void A_replaced_run_that_cannot_be_removed_is_named_and_no_longer_reads_as_complete()
    {
        using var dir = new TempDirectory();
        var first = new RunFolderWriter(dir.Path).Write(ResultsTestData.Manifest("same"), ResultsTestData.Rows());
        // An immutable file (chattr +i, which even root cannot delete) makes the removal of the old run fail.
        var pinned = Path.Combine(first, "pinned.txt");
        File.WriteAllText(pinned, "cannot be deleted");
        Skip.IfNot(Immutable.Chattr("+i", pinned), "chattr +i is not available here, and nothing else makes this removal fail for root");
        try
        {
            var manifest = ResultsTestData.Manifest("same") with { Notes = ["the second run"] };
            var error = Assert.Throws<ProbeBenchException>(() => new RunFolderWriter(dir.Path).Begin("same", overwrite: true).Complete(manifest, ResultsTestData.Rows()));

            var aside = Assert.Single(Directory.GetDirectories(dir.Path, "same.replaced-*"));
            Assert.StartsWith($"The new run is complete in {first}, but the run it replaced, moved aside to {aside}, could not be removed", error.Message);
            Assert.Contains("the second run", File.ReadAllText(Path.Combine(first, RunFolderWriter.ManifestFile)));
            Assert.True(File.Exists(Path.Combine(first, RunFolderWriter.CompleteMarker)));
            Assert.False(File.Exists(Path.Combine(aside, RunFolderWriter.CompleteMarker)));
        }
        finally
        {
            foreach (var file in Directory.GetFiles(dir.Path, "pinned.txt", SearchOption.AllDirectories)) Immutable.Chattr("-i", file);
        }
    }
}

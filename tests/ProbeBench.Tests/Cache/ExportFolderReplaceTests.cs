using ProbeBench.Core;
using ProbeBench.Core.Cache.Export;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Cache;

/// <summary>export --overwrite: the files an export replaces come back when it fails part-way.</summary>
public sealed class ExportFolderReplaceTests
{
    [SkippableFact]
    public void Files_an_export_replaces_are_restored_when_a_later_one_cannot_be_moved()
    {
        using var dir = new TempDirectory();
        var to = Directory.CreateDirectory(dir.File("to")).FullName;
        File.WriteAllText(Path.Combine(to, "a.npy"), "last week's a");
        File.WriteAllText(Path.Combine(to, "b.npy"), "last week's b");
        // An immutable file (chattr +i, which even root cannot move) makes the second move fail.
        Skip.IfNot(Immutable.Chattr("+i", Path.Combine(to, "b.npy")), "chattr +i is not available here, and nothing else makes this move fail for root");
        try
        {
            using var export = ExportFolder.Open(to, ["a.npy", "b.npy"], overwrite: true);
            var staged = new[] { "a.npy", "b.npy" }.Select(name => Path.Combine(export.Staging, name)).ToList();
            foreach (var file in staged) File.WriteAllText(file, "new");

            Assert.Throws<ProbeBenchException>(() => export.Publish(staged));
            Assert.Equal("last week's a", File.ReadAllText(Path.Combine(to, "a.npy")));
            Assert.Equal("last week's b", File.ReadAllText(Path.Combine(to, "b.npy")));
        }
        finally
        {
            Immutable.Chattr("-i", Path.Combine(to, "b.npy"));
        }
    }
}

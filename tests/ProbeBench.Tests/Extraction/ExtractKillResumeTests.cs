using System.Diagnostics;
using ProbeBench.Core.Cache;
using ProbeBench.Core.Data;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Extraction;

/// <summary>The real program, killed with SIGKILL mid-extraction, resumes and ends with features identical to an uninterrupted run.</summary>
public class ExtractKillResumeTests
{
    private static string[] Args(string dataRoot, string cacheRoot)
    {
        var fixture = SharedFixtures.Path("fixtures", "dinov2", "vit_tiny_p14");
        return ["extract", "--model", "tiny", "--weights", Path.Combine(fixture, "weights.pth"), "--model-config", Path.Combine(fixture, "hf", "config.json"),
            "--dataset", "cifar10", "--data-root", dataRoot, "--cache-root", cacheRoot, "--splits", "train",
            "--layers", "cls@last,cls+avgpool@last4", "--batch-size", "16", "--storage", "fp32"];
    }

    private static Dictionary<string, (float[] Values, int[] Labels)> Features(string cacheRoot)
    {
        var cache = new FeatureCache(cacheRoot);
        return cache.List().ToDictionary(e => e.Manifest!.Parts.LayerChoice, e =>
        {
            var set = cache.Read(e.Key);
            return (set.Values, set.Labels);
        });
    }

    [SharedFact]
    public void Sigkill_then_rerun_gives_the_uninterrupted_features()
    {
        using var dir = new TempDirectory();
        var data = dir.File("data");
        SyntheticCifarWriter.Write(data, CifarLayout.Cifar10, trainPerFile: 300, testCount: 10, seed: 5);

        var reference = CliProcess.Run(Args(data, dir.File("reference")));
        Assert.True(reference.ExitCode == 0, reference.All);

        var cacheRoot = dir.File("killed");
        using (var victim = Process.Start(CliProcess.StartInfo(Args(data, cacheRoot)))!)
        {
            var deadline = DateTime.UtcNow.AddMinutes(3);
            while (!victim.HasExited && DateTime.UtcNow < deadline
                   && !(Directory.Exists(cacheRoot) && Directory.EnumerateFiles(cacheRoot, "chunk-*.bin", SearchOption.AllDirectories).Any()))
                Thread.Sleep(20);
            Assert.False(victim.HasExited, "the extraction finished before it could be killed; give it more rows");
            victim.Kill(entireProcessTree: true); // SIGKILL on Linux
            victim.WaitForExit();
        }
        var partial = new FeatureCache(cacheRoot).List();
        Assert.Contains(partial, e => e.State == FeatureCacheState.Partial);
        // Chunks the killed run finished (listed in a manifest) must be kept, not recomputed.
        var kept = partial.Where(e => e.Manifest is not null).SelectMany(e => e.Manifest!.Chunks.Select(c => Path.Combine(e.Folder, c.File))).ToList();
        Assert.NotEmpty(kept);
        var stamps = kept.ToDictionary(f => f, File.GetLastWriteTimeUtc);

        var resumed = CliProcess.Run(Args(data, cacheRoot));
        Assert.True(resumed.ExitCode == 0, resumed.All);
        Assert.All(stamps, s => Assert.Equal(s.Value, File.GetLastWriteTimeUtc(s.Key)));

        var expected = Features(dir.File("reference"));
        var actual = Features(cacheRoot);
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (choice, (values, labels)) in expected)
        {
            Assert.Equal(labels, actual[choice].Labels);
            Assert.True(values.AsSpan().SequenceEqual(actual[choice].Values), $"{choice}: resumed features differ from the uninterrupted run");
        }
    }
}

using ProbeBench.Core.Evaluation.Sweeps;
using ProbeBench.Core.IO;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Evaluation.Sweeps;

/// <summary>
/// <c>sweep submit --backend k8s --emit FILE</c> claims its file as every other output does (before any work: never a folder,
/// a device or one of the sweep's files) and writes it atomically.
/// </summary>
public sealed class KubernetesEmitTests
{
    private static string[] Submit(SweepFolder sweep, string emit) =>
        ["sweep", "submit", sweep.Path, "--backend", "k8s", "--emit", emit, "--image", "registry.example/probebench:1", "--pvc", "sweeps", "--mount-path", "/"];

    private static string OneErrorLine(CliProcess.Outcome outcome)
    {
        Assert.Equal(2, outcome.ExitCode);
        Assert.DoesNotContain("   at ", outcome.All);
        var line = Assert.Single(outcome.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: --emit ", line);
        return line;
    }

    [SharedFact]
    public void The_manifest_never_replaces_a_folder_a_device_or_a_file_of_the_sweep_and_replaces_an_earlier_manifest()
    {
        using var dir = new TempDirectory();
        SweepFixture.Data(dir);
        var sweep = SweepPlanner.Plan(SweepFixture.Plan(dir), dir.File("sweep"), deviceGflops: 10);
        var plan = File.ReadAllText(sweep.Sub(SweepFolder.PlanFile));
        var manifest = File.ReadAllText(sweep.Sub(SweepFolder.ManifestFile));
        var fifo = Fifo.Make(dir.File("job.fifo"));
        Directory.CreateDirectory(dir.File("a-folder"));

        Assert.Contains("is a folder; give a file name", OneErrorLine(CliProcess.Run(Submit(sweep, dir.File("a-folder")))));
        Assert.Contains("is not a regular file (a FIFO, device or socket)", OneErrorLine(CliProcess.Run(Submit(sweep, fifo))));
        foreach (var input in new[]
                 {
                     sweep.Sub(SweepFolder.PlanFile), sweep.Sub(SweepFolder.ManifestFile), Path.Combine(sweep.Path, ".", SweepFolder.PlanFile),
                     Path.Combine(sweep.Records.Folder, "job.yaml"), Path.Combine(sweep.Plan.CacheRoot!, "job.yaml"), sweep.Plan.Models[0].Weights!,
                 })
            Assert.Contains("would overwrite the input", OneErrorLine(CliProcess.Run(Submit(sweep, input))));
        Assert.Equal(FileKind.Special, FileKinds.Of(fifo));
        Assert.Equal(plan, File.ReadAllText(sweep.Sub(SweepFolder.PlanFile)));
        Assert.Equal(manifest, File.ReadAllText(sweep.Sub(SweepFolder.ManifestFile)));
        Assert.False(Directory.Exists(sweep.Records.Folder) && Directory.EnumerateFileSystemEntries(sweep.Records.Folder).Any());
        Assert.False(Directory.Exists(sweep.Plan.CacheRoot!));

        // A file of its own beside (or inside) the sweep folder is fine, and an earlier manifest there is replaced, as --json does.
        var job = dir.File("sweep", "job.yaml");
        File.WriteAllText(job, "an earlier manifest");
        var wrote = CliProcess.Run(Submit(sweep, job));
        Assert.True(wrote.ExitCode == 0, wrote.All);
        Assert.Contains("completionMode: Indexed", File.ReadAllText(job));
        Assert.Contains($"wrote {job}", wrote.StdOut);
        Assert.DoesNotContain(Directory.EnumerateFiles(dir.File("sweep")), f => Path.GetFileName(f).StartsWith('.') || f.EndsWith(".tmp", StringComparison.Ordinal));
    }
}

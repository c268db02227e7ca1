using ProbeBench.Core.Data;
using ProbeBench.Tests.TestSupport;
using ProbeBench.Tests.Weights;

namespace ProbeBench.Tests.Evaluation;

/// <summary>
/// Issue 9, item 6, through the real CLI: inputs that cannot be read are one line naming the file (never a stack trace,
/// never a hang). Unreadable cases run with file modes binding even for root (<see cref="FilePermissions"/>).
/// </summary>
public class UnreadableInputTests
{
    private sealed class Inputs : IDisposable
    {
        public TempDirectory Dir { get; } = new();

        public Inputs()
        {
            HostileCheckpoints.WriteSafetensors(Weights, HostileCheckpoints.TinyShapes());
            File.WriteAllText(Config, HostileCheckpoints.TinyConfigJson);
            Directory.CreateDirectory(Dir.File("locked"));
        }

        public string Weights => Dir.File("tiny.safetensors");
        public string Config => Dir.File("config.json");

        public string[] Run(string weights, string config, params string[] extra) =>
        [
            "run", "--model", "tiny", "--weights", weights, "--model-config", config, "--cache-root", Dir.File("cache"),
            "--data-root", Dir.File("data"), "--out", Dir.File("out"), .. extra,
        ];

        public void Dispose()
        {
            foreach (var path in Directory.EnumerateFileSystemEntries(Dir.Path, "*", SearchOption.TopDirectoryOnly)) FilePermissions.Restore(path);
            Dir.Dispose();
        }
    }

    private static string OneErrorLine(CliProcess.Outcome outcome)
    {
        Assert.Equal(2, outcome.ExitCode);
        Assert.DoesNotContain("   at ", outcome.All);
        return Assert.Single(outcome.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [PermissionsFact]
    public void A_chmod_000_config_or_checkpoint_is_one_line_naming_it()
    {
        using var inputs = new Inputs();
        var config = inputs.Dir.File("c000.json");
        File.Copy(inputs.Config, config);
        FilePermissions.Deny(config);
        var weights = inputs.Dir.File("w000.safetensors");
        File.Copy(inputs.Weights, weights);
        FilePermissions.Deny(weights);

        Assert.Equal($"error: The model config {config} could not be read (Access to the path '{config}' is denied.).",
            OneErrorLine(CliProcess.Run(inputs.Run(inputs.Weights, config), honourPermissions: true)));
        Assert.Equal($"error: Could not read the checkpoint {weights} (Access to the path '{weights}' is denied.).",
            OneErrorLine(CliProcess.Run(inputs.Run(weights, inputs.Config), honourPermissions: true)));
    }

    [PermissionsFact]
    public void Inputs_inside_a_chmod_000_folder_are_named_as_unreachable_not_missing()
    {
        using var inputs = new Inputs();
        var folder = inputs.Dir.File("locked");
        File.WriteAllText(Path.Combine(folder, "plan.json"), "{}");
        File.Copy(inputs.Config, Path.Combine(folder, "config.json"));
        File.Copy(inputs.Weights, Path.Combine(folder, "tiny.safetensors"));
        FilePermissions.Deny(folder);

        var denied = $"cannot be reached: permission to open the folder {folder} is denied.";
        Assert.Equal($"error: Run config {Path.Combine(folder, "plan.json")} {denied}",
            OneErrorLine(CliProcess.Run(["run", "--config", Path.Combine(folder, "plan.json")], honourPermissions: true)));
        Assert.Equal($"error: The model config {Path.Combine(folder, "config.json")} {denied}",
            OneErrorLine(CliProcess.Run(inputs.Run(inputs.Weights, Path.Combine(folder, "config.json")), honourPermissions: true)));
        Assert.Equal($"error: The checkpoint {Path.Combine(folder, "tiny.safetensors")} {denied}",
            OneErrorLine(CliProcess.Run(inputs.Run(Path.Combine(folder, "tiny.safetensors"), inputs.Config), honourPermissions: true)));
    }

    [Fact]
    public void A_config_that_is_a_folder_or_a_fifo_is_one_line_and_never_blocks()
    {
        using var inputs = new Inputs();
        var fifo = Fifo.Make(inputs.Dir.File("fifo.json"));
        Assert.Equal($"error: The model config {inputs.Dir.File("locked")} is a folder, not a file.",
            OneErrorLine(CliProcess.Run(inputs.Run(inputs.Weights, inputs.Dir.File("locked")))));
        Assert.Equal($"error: The model config {fifo} is not a regular file (a FIFO, device or socket), so it is not read.",
            OneErrorLine(CliProcess.Run(inputs.Run(inputs.Weights, fifo), timeoutSeconds: 60)));
        Assert.Equal($"error: Run config {fifo} is not a regular file (a FIFO, device or socket), so it is not read.",
            OneErrorLine(CliProcess.Run(["run", "--config", fifo], timeoutSeconds: 60)));
    }

    [SharedPermissionsFact]
    public void A_read_only_cache_root_is_one_line_naming_it()
    {
        using var inputs = new Inputs();
        SyntheticCifarWriter.Write(inputs.Dir.File("data"), CifarLayout.Cifar10, trainPerFile: 4, testCount: 8, seed: 1);
        var cache = inputs.Dir.File("cache");
        Directory.CreateDirectory(cache);
        FilePermissions.ReadOnly(cache);
        var fixture = SharedFixtures.Path("fixtures", "dinov2", "vit_tiny_p14");

        var line = OneErrorLine(CliProcess.Run(inputs.Run(Path.Combine(fixture, "weights.pth"), Path.Combine(fixture, "hf", "config.json"),
            "--layers", "cls@last", "--heads", "knn", "--knn-k", "2"), honourPermissions: true));
        Assert.StartsWith($"error: The feature cache under {cache} cannot be written (", line);
        Assert.EndsWith("); give a writable --cache-root.", line);
        Assert.False(Directory.Exists(inputs.Dir.File("out")) && Directory.EnumerateFileSystemEntries(inputs.Dir.File("out")).Any());
    }
}

using System.Text.Json;
using ProbeBench.Core.Results;

namespace ProbeBench.Core.Evaluation;

/// <summary>
/// A <c>probebench bench</c> grid as a run folder (speed.csv, report, figures) for <c>probebench compare</c>. The folder is
/// claimed by <see cref="Begin"/> before the first measurement, so a bad or taken name is found before any work.
/// </summary>
public sealed class BenchRunFolder
{
    private readonly RunFolderDraft _draft;
    private readonly string _name;
    private readonly DateTimeOffset _started;

    private BenchRunFolder(RunFolderDraft draft, string name, DateTimeOffset started)
    {
        _draft = draft;
        _name = name;
        _started = started;
    }

    /// <summary>Claims <c>&lt;resultsRoot&gt;/&lt;name&gt;.partial</c>; the name defaults to <c>bench-&lt;start time&gt;</c>.</summary>
    public static BenchRunFolder Begin(string resultsRoot, string? name, DateTimeOffset started, bool overwrite = false)
    {
        var runName = name ?? $"bench-{started:yyyyMMdd-HHmmss}";
        return new BenchRunFolder(new RunFolderWriter(resultsRoot).Begin(runName, overwrite), runName, started);
    }

    /// <summary>Writes the grid's rows and renames the folder to its final name; returns that path.</summary>
    public string Complete(BenchOptions options, IReadOnlyList<BenchResult> results)
    {
        var manifest = new RunManifest
        {
            RunName = _name,
            Config = JsonSerializer.SerializeToNode(options)!,
            Environment = RunEnvironment.Capture(),
            Seeds = new Dictionary<string, int> { ["random weights and input"] = (int)options.Seed },
            StartedUtc = _started,
            FinishedUtc = DateTimeOffset.UtcNow,
        };
        return _draft.Complete(manifest, results.Select(r => r.ToRow()).ToList());
    }

    /// <summary>Removes the claimed folder after a failed or cancelled grid.</summary>
    public void Abandon() => _draft.Abandon();
}

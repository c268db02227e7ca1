using System.Text;
using ProbeBench.Core.Evaluation.Sweeps;

namespace ProbeBench.Core.Evaluation.Sweeps.Slurm;

/// <summary>The sbatch script of one array: its #SBATCH lines, then one <c>probebench sweep work</c> per task.</summary>
public static class SlurmScript
{
    public static string Render(SweepFolder sweep, string phase, int round, string unitList, int tasks, int unitsPerTask, SlurmOptions options)
    {
        var text = new StringBuilder();
        text.Append("#!/bin/bash\n");
        text.Append($"# ProbeBench sweep {sweep.Path}: {phase}, round {round}, {tasks} task(s) of {unitsPerTask} unit(s).\n");
        void Line(string option) => text.Append("#SBATCH ").Append(option).Append('\n');
        Line($"--job-name=pb-{phase}-{Slug(sweep.Name)}");
        Line($"--array=0-{tasks - 1}{(options.MaxParallel is { } max ? $"%{max}" : "")}");
        Line($"--output={Path.Combine(sweep.LogsFolder, $"{phase}-%A_%a.out")}");
        Line("--open-mode=append");
        if (options.Partition is { } partition) Line($"--partition={partition}");
        if (options.Account is { } account) Line($"--account={account}");
        if ((phase == "heads" ? options.HeadsGres : options.Gres) is { } gres) Line($"--gres={gres}");
        if (options.Time is { } time) Line($"--time={time}");
        if (options.Memory is { } memory) Line($"--mem={memory}");
        if (options.CpusPerTask is { } cpus) Line($"--cpus-per-task={cpus}");
        foreach (var extra in options.ExtraArguments) Line(extra);
        text.Append("set -euo pipefail\n");
        var command = options.Command.Concat(["sweep", "work", sweep.Path, "--list", unitList, "--units-per-task", unitsPerTask.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        text.Append("exec ").Append(string.Join(' ', command.Select(ExternalCommand.ShellQuote))).Append('\n');
        return text.ToString();
    }

    private static string Slug(string name)
    {
        var slug = new string(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_').ToArray());
        return slug.Length > 40 ? slug[..40] : slug;
    }
}

using System.ComponentModel;
using System.Diagnostics;

namespace ProbeBench.Core.Evaluation.Sweeps;

/// <summary>Runs a scheduler's command (sbatch, squeue, scancel) and returns what it said.</summary>
public static class ExternalCommand
{
    public sealed record Result(int ExitCode, string StdOut, string StdErr);

    public static Result Run(string program, IEnumerable<string> args, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new ProbeBenchException($"{program} did not start.");
        }
        catch (Win32Exception e)
        {
            throw new ProbeBenchException($"{program} was not found on PATH ({e.Message}); run this where the scheduler's commands are installed.", inner: e);
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(2)))
            {
                process.Kill(entireProcessTree: true);
                throw new ProbeBenchException($"{program} {string.Join(' ', info.ArgumentList)} did not answer within {(timeout ?? TimeSpan.FromMinutes(2)).TotalSeconds:F0} s.");
            }
            return new Result(process.ExitCode, stdout.Result, stderr.Result);
        }
    }

    /// <summary>One word for a POSIX shell: single-quoted, with embedded quotes closed and reopened.</summary>
    public static string ShellQuote(string word) => "'" + word.Replace("'", "'\\''") + "'";
}

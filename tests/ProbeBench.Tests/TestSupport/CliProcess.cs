using System.Diagnostics;

namespace ProbeBench.Tests.TestSupport;

/// <summary>Runs the real <c>probebench</c> program (built next to the tests) in a fresh process.</summary>
public static class CliProcess
{
    public sealed record Outcome(int ExitCode, string StdOut, string StdErr)
    {
        public string All => StdOut + StdErr;
    }

    public static string ProgramPath => Path.Combine(AppContext.BaseDirectory, "probebench.dll");

    public static ProcessStartInfo StartInfo(IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment = null,
        bool honourPermissions = false)
    {
        var wrap = honourPermissions && FilePermissions.RunningAsRoot;
        var info = new ProcessStartInfo(wrap ? FilePermissions.SetPriv! : "dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (wrap)
        {
            foreach (var a in FilePermissions.DropOverrideArguments) info.ArgumentList.Add(a);
            info.ArgumentList.Add("dotnet");
        }
        info.ArgumentList.Add(ProgramPath);
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["COLUMNS"] = "200";
        info.Environment["NO_COLOR"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
            if (value is null) info.Environment.Remove(key); else info.Environment[key] = value;
        return info;
    }

    /// <param name="honourPermissions">
    /// Run so that file modes bind even for root (see <see cref="FilePermissions"/>): for tests of unreadable inputs.
    /// </param>
    public static Outcome Run(IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment = null, int timeoutSeconds = 300,
        bool honourPermissions = false)
    {
        using var process = Process.Start(StartInfo(args, environment, honourPermissions)) ?? throw new InvalidOperationException("dotnet did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeoutSeconds * 1000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"probebench {string.Join(' ', args)} did not finish in {timeoutSeconds} s");
        }
        return new Outcome(process.ExitCode, stdout.Result, stderr.Result);
    }
}

using System.Reflection;

namespace ProbeBench.Cli.Commands;

/// <summary>How workers start this same probebench: the published binary, or <c>dotnet probebench.dll</c>.</summary>
internal static class ProbeBenchInvocation
{
    public static IReadOnlyList<string> Current()
    {
        var process = Environment.ProcessPath ?? "dotnet";
        var dll = Assembly.GetEntryAssembly()?.Location;
        return Path.GetFileNameWithoutExtension(process) == "dotnet" && !string.IsNullOrEmpty(dll) ? [process, dll] : [process];
    }

    /// <summary>The --probebench value as words (split on spaces), or the current invocation.</summary>
    public static IReadOnlyList<string> From(string? given) =>
        given is null ? Current() : given.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

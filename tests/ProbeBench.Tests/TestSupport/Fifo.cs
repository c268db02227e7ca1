using System.Diagnostics;

namespace ProbeBench.Tests.TestSupport;

/// <summary>Named pipes for tests: opening one for reading blocks until a writer comes, so a reader must never open it.</summary>
public static class Fifo
{
    /// <summary>Creates a FIFO at <paramref name="path"/> with mkfifo (coreutils) and returns the path.</summary>
    public static string Make(string path)
    {
        using var mkfifo = Process.Start("mkfifo", [path]);
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
        return path;
    }
}

using System.Diagnostics;

namespace ProbeBench.Tests.TestSupport;

/// <summary>chattr +i / -i: a file even root cannot move, replace or delete, to make a removal or rename fail for real.</summary>
public static class Immutable
{
    /// <summary>Sets (<c>+i</c>) or clears (<c>-i</c>) the flag; false where chattr or the file system does not support it.</summary>
    public static bool Chattr(string flag, string path)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("chattr", [flag, path]) { RedirectStandardError = true })!;
            process.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}

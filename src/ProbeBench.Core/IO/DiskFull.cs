namespace ProbeBench.Core.IO;

/// <summary>Whether a write failed because the disk (or the user's quota) is full: worth its own advice, since a retry fails the same way.</summary>
public static class DiskFull
{
    // .NET puts the errno (Unix) or the Win32 error as an HRESULT into IOException.HResult.
    private const int Enospc = 28, Edquot = 122;
    private const int ErrorHandleDiskFull = unchecked((int)0x80070027), ErrorDiskFull = unchecked((int)0x80070070);

    public static bool Is(Exception e) => e is IOException { HResult: Enospc or Edquot or ErrorHandleDiskFull or ErrorDiskFull };
}

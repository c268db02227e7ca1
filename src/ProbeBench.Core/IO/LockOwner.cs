using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace ProbeBench.Core.IO;

/// <summary>
/// Who holds a <see cref="FileLock"/>: written beside the lock file while it is held, so a waiting process can say whom it
/// waits for, and a lock whose holder died without releasing it can be recognised as stale.
/// </summary>
/// <param name="Host">The holder's host name.</param>
/// <param name="Pid">Its process id on that host.</param>
/// <param name="ProcessStart">Its start time as the kernel counts it (tells a reused pid from the holder).</param>
/// <param name="Purpose">What it is doing, in words.</param>
/// <param name="AcquiredUtc">When it took the lock.</param>
/// <param name="HeartbeatUtc">Refreshed while the lock is held.</param>
/// <param name="Token">Unique per acquisition.</param>
public sealed record LockOwner(string Host, int Pid, string ProcessStart, string Purpose, DateTimeOffset AcquiredUtc, DateTimeOffset HeartbeatUtc, string Token)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static LockOwner ForThisProcess(string purpose)
    {
        var now = DateTimeOffset.UtcNow;
        return new LockOwner(ThisHost, Environment.ProcessId, ProcessIdentity.StartOf(Environment.ProcessId) ?? "", purpose, now, now, Guid.NewGuid().ToString("N"));
    }

    public static string ThisHost { get; } = Environment.MachineName;

    /// <summary>True when the holder is a process of this host that is no longer running (or whose pid now names another process).</summary>
    public bool IsDeadOnThisHost =>
        string.Equals(Host, ThisHost, StringComparison.OrdinalIgnoreCase) && ProcessIdentity.StartOf(Pid) is var start && (start is null || start != ProcessStart);

    public override string ToString() =>
        $"{Host} pid {Pid} ({Purpose}, since {AcquiredUtc.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC)";

    internal string Serialize() => JsonSerializer.Serialize(this, Json);

    private const long MaxRecordBytes = 64 << 10;

    /// <summary>The record at <paramref name="path"/>; null when missing; <paramref name="unreadable"/> when it exists but does not parse.</summary>
    internal static LockOwner? Read(string path, out bool unreadable)
    {
        unreadable = false;
        try
        {
            if (!File.Exists(path)) return null;
            // An owner record is a few hundred bytes in a regular file; anything else (a FIFO, a huge file) is unreadable, not read.
            if (InputFiles.Problem(path) is not null || new FileInfo(path).Length > MaxRecordBytes)
            {
                unreadable = true;
                return null;
            }
            var owner = JsonSerializer.Deserialize<LockOwner>(File.ReadAllText(path), Json);
            if (owner is { Host: not null, Token: not null, ProcessStart: not null, Purpose: not null }) return owner;
        }
        catch (FileNotFoundException) { return null; }
        catch (DirectoryNotFoundException) { return null; }
        catch (JsonException) { }
        catch (IOException) { return null; }
        unreadable = true;
        return null;
    }
}

/// <summary>A process's identity beyond its pid: the kernel's start time, and whether it still runs (zombies do not count).</summary>
internal static class ProcessIdentity
{
    /// <summary>The start time of process <paramref name="pid"/> as text, or null when no such live process exists.</summary>
    public static string? StartOf(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        if (Directory.Exists("/proc/self"))
        {
            try
            {
                var text = File.ReadAllText(stat);
                // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so fields count from the last ')'.
                var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
                if (fields[0] is "Z" or "X" or "x") return null;
                return "ticks:" + fields[19];
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or IndexOutOfRangeException or ArgumentOutOfRangeException)
            {
                return null;
            }
        }
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited ? null : "utc:" + process.StartTime.ToUniversalTime().Ticks.ToString(CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}

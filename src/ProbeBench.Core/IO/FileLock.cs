using System.Diagnostics;

namespace ProbeBench.Core.IO;

/// <summary>
/// An exclusive lock between processes, on one host or many sharing a file system: an OS lock (flock) on
/// <c>&lt;path&gt;</c>, held for as long as this object lives, plus an owner record <c>&lt;path&gt;.owner</c> naming the
/// holder. The OS drops the lock when its holder dies; the record it leaves then shows the lock as stale, and the next
/// process takes it over (<see cref="Recovered"/>). Where the OS lock is not enforced (a file system mounted without
/// flock), the record arbitrates: a holder that still runs, or whose heartbeat is fresh, keeps its lock.
/// </summary>
public sealed class FileLock : IDisposable
{
    /// <summary>How often a held lock refreshes its owner record.</summary>
    public static readonly TimeSpan HeartbeatPeriod = TimeSpan.FromSeconds(10);

    /// <summary>A record from another host whose heartbeat is older than this belongs to a dead holder.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(60);

    private readonly FileStream _stream;
    private readonly Timer _heartbeat;
    private readonly object _gate = new();
    private bool _released;

    private FileLock(string path, FileStream stream, LockOwner owner, LockOwner? recovered)
    {
        Path = path;
        _stream = stream;
        Owner = owner;
        Recovered = recovered;
        _heartbeat = new Timer(_ => Beat(), null, HeartbeatPeriod, HeartbeatPeriod);
    }

    public string Path { get; }

    public string OwnerPath => OwnerPathOf(Path);

    public LockOwner Owner { get; private set; }

    /// <summary>The stale owner record this acquisition took over (a holder that died without releasing), or null.</summary>
    public LockOwner? Recovered { get; }

    public static string OwnerPathOf(string path) => path + ".owner";

    /// <summary>The current holder of the lock at <paramref name="path"/> as its record says, or null.</summary>
    public static LockOwner? HolderOf(string path) => LockOwner.Read(OwnerPathOf(path), out _);

    /// <summary>
    /// Whether a live process holds the lock, found without taking it over: the owner record of a dead holder stays where
    /// it is, for the next real acquisition to report, and nothing is created.
    /// </summary>
    /// <remarks>
    /// flock(2) has no test that leaves the lock alone: the only way to ask is to take it. fcntl's F_GETLK and F_OFD_GETLK
    /// test without taking, but see only POSIX record locks, never flock's; /proc/locks lists flocks without taking them,
    /// but only this host's, and names the file by a device and inode that overlay file systems report differently from
    /// stat. So a lock this process holds is answered from memory, and any other is probed: without waiting (LOCK_NB),
    /// let go at once. An acquirer that meets the probe is not turned away (see <see cref="TryAcquire"/>).
    /// </remarks>
    public static bool IsHeld(string path, out LockOwner? holder)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (HeldHere.TryGetValue(full, out var token) && Held.ContainsKey(token))
        {
            holder = HolderOf(full) is { } record && record.Token == token ? record : null;
            return true;
        }
        holder = HolderOf(full);
        if (!File.Exists(full)) return false;
        var started = Stopwatch.GetTimestamp();
        for (var pause = 1; ; pause = Math.Min(2 * pause, 16))
        {
            try
            {
                using var probe = new FileStream(full, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException e) when (IsHeldElsewhere(e))
            {
                // Held, unless what holds it is another probe (or a holder yet to write its record): then ask again shortly.
                holder = HolderOf(full);
                if (!MayBeAProbe(holder) || Stopwatch.GetElapsedTime(started) > RecordGrace) return true;
                Thread.Sleep(pause);
                continue;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return false;
            }
            return holder is not null && !IsStale(holder);
        }
    }

    /// <summary>
    /// How long a refused OS lock without a live holder on record is asked again. Whatever refuses it then is a probe
    /// (<see cref="IsHeld"/>, here or in another process, holds it for one open and close) or a new holder that has not
    /// written its record yet (one atomic write); either is over well within this.
    /// </summary>
    internal static readonly TimeSpan RecordGrace = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Takes the lock when it is free or stale; else returns null and the holder (null when its record is not written yet).
    /// A refusal by the OS lock while no live holder is on record is asked again for up to <see cref="RecordGrace"/>, so
    /// a status probe that holds the lock for an instant never makes a free lock look taken.
    /// </summary>
    public static FileLock? TryAcquire(string path, string purpose, out LockOwner? holder)
    {
        var full = System.IO.Path.GetFullPath(path);
        var folder = System.IO.Path.GetDirectoryName(full)!;
        FileStream stream;
        var started = Stopwatch.GetTimestamp();
        for (var pause = 1; ; pause = Math.Min(2 * pause, 16))
        {
            try
            {
                Directory.CreateDirectory(folder);
                stream = new FileStream(full, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                break;
            }
            catch (UnauthorizedAccessException e)
            {
                throw new ProbeBenchException($"Cannot take the lock {full}: {folder} is not writable ({e.Message}).", inner: e);
            }
            catch (IOException e) when (IsHeldElsewhere(e))
            {
                // Another process (or thread) holds the OS lock: a holder with a live record keeps it.
                holder = HolderOf(full);
                if (!MayBeAProbe(holder) || Stopwatch.GetElapsedTime(started) > RecordGrace) return null;
                Thread.Sleep(pause);
            }
            catch (IOException e)
            {
                throw new ProbeBenchException($"Cannot take the lock {full} ({e.Message}).", inner: e);
            }
        }

        var ownerPath = OwnerPathOf(full);
        var previous = LockOwner.Read(ownerPath, out var unreadable);
        if (previous is not null && !IsStale(previous))
        {
            // The OS lock was free, yet the holder lives: this file system does not enforce it, and the record decides.
            stream.Dispose();
            holder = previous;
            return null;
        }
        var owner = LockOwner.ForThisProcess(purpose);
        try
        {
            AtomicFile.WriteAllText(ownerPath, owner.Serialize());
        }
        catch
        {
            stream.Dispose();
            throw;
        }
        if (LockOwner.Read(ownerPath, out _) is { } written && written.Token != owner.Token)
        {
            stream.Dispose();
            holder = written;
            return null;
        }
        holder = null;
        Held[owner.Token] = 0;
        HeldHere[full] = owner.Token;
        var recovered = previous ?? (unreadable ? new LockOwner("?", 0, "", "an unreadable owner record", DateTimeOffset.MinValue, DateTimeOffset.MinValue, "") : null);
        return new FileLock(full, stream, owner, recovered);
    }

    /// <summary>
    /// Takes the lock, waiting while another live process holds it; <paramref name="waiting"/> hears about each holder once
    /// (null when its record is not written yet).
    /// </summary>
    public static async Task<FileLock> AcquireAsync(string path, string purpose, Action<LockOwner?>? waiting = null, CancellationToken cancellation = default)
    {
        var delay = TimeSpan.FromMilliseconds(50);
        var announced = false;
        string? told = null;
        while (true)
        {
            if (TryAcquire(path, purpose, out var holder) is { } taken) return taken;
            if (!announced || holder is not null && holder.Token != told)
            {
                announced = true;
                told = holder?.Token;
                waiting?.Invoke(holder);
            }
            await Task.Delay(delay, cancellation);
            delay = TimeSpan.FromMilliseconds(Math.Min(2000, delay.TotalMilliseconds * 1.5));
        }
    }

    // The OS answers EWOULDBLOCK (11) to a held flock; .NET reports it as a sharing violation.
    private static bool IsHeldElsewhere(IOException e) => e.HResult is 11 or 32 or unchecked((int)0x80070020);

    // The tokens of the locks this process holds now: a record of this process with another token was left by a lock it
    // never released (a writer dropped without Dispose), and is as stale as a dead process's.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> Held = new();

    // The locks this process holds now, by full path: IsHeld answers them without probing.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> HeldHere = new();

    // Whether a refused OS lock may be held only for an instant (a probe, or a holder yet to write its record): no record,
    // or one this host can prove dead. A record from another host counts as a holder even when its heartbeat looks old
    // (clocks differ), so a status query never waits on it.
    private static bool MayBeAProbe(LockOwner? holder) =>
        holder is null || string.Equals(holder.Host, LockOwner.ThisHost, StringComparison.OrdinalIgnoreCase) && IsStale(holder);

    private static bool IsStale(LockOwner owner) =>
        string.Equals(owner.Host, LockOwner.ThisHost, StringComparison.OrdinalIgnoreCase)
            ? owner.IsDeadOnThisHost || owner.Pid == Environment.ProcessId && !Held.ContainsKey(owner.Token)
            : DateTimeOffset.UtcNow - owner.HeartbeatUtc > StaleAfter;

    private void Beat()
    {
        lock (_gate)
        {
            if (_released) return;
            try
            {
                Owner = Owner with { HeartbeatUtc = DateTimeOffset.UtcNow };
                AtomicFile.WriteAllText(OwnerPath, Owner.Serialize());
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ProbeBenchException)
            {
                // A missed beat only matters after StaleAfter; the next one retries.
            }
        }
    }

    /// <summary>Releases the lock: the owner record goes first, then the OS lock.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_released) return;
            _released = true;
        }
        _heartbeat.Dispose();
        HeldHere.TryRemove(new KeyValuePair<string, string>(Path, Owner.Token));
        Held.TryRemove(Owner.Token, out _);
        try
        {
            if (LockOwner.Read(OwnerPath, out _) is { } current && current.Token == Owner.Token) File.Delete(OwnerPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        _stream.Dispose();
    }
}

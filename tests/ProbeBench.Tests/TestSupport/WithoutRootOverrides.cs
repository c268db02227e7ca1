using System.Runtime.InteropServices;

namespace ProbeBench.Tests.TestSupport;

/// <summary>
/// Runs code on a thread that has dropped CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH (Linux capabilities are per
/// thread), so that a chmod-000 file is unreadable there even when the tests run as root, as CI does. The rest of the
/// process keeps its rights; the thread ends with the call.
/// </summary>
internal static class WithoutRootOverrides
{
    private const uint CapabilityVersion3 = 0x20080522;
    private const int DacOverride = 1, DacReadSearch = 2;

    [StructLayout(LayoutKind.Sequential)]
    private struct Header { public uint Version; public int Pid; }

    [StructLayout(LayoutKind.Sequential)]
    private struct Data { public uint Effective, Permitted, Inheritable; }

    [DllImport("libc", SetLastError = true)]
    private static extern int capget(ref Header header, [Out] Data[] data);

    [DllImport("libc", SetLastError = true)]
    private static extern int capset(ref Header header, Data[] data);

    public static void Run(Action action)
    {
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                var header = new Header { Version = CapabilityVersion3, Pid = 0 };
                var data = new Data[2];
                if (capget(ref header, data) != 0) throw new InvalidOperationException("capget failed");
                data[0].Effective &= ~((1u << DacOverride) | (1u << DacReadSearch));
                if (capset(ref header, data) != 0) throw new InvalidOperationException("capset failed");
                action();
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        thread.Start();
        thread.Join();
        if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
    }
}

using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace ProbeBench.Tests.IO;

/// <summary>A tiny HTTP server on 127.0.0.1 serving one byte array, with optional Range support and faults.</summary>
internal sealed class HttpDownloaderTestServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly byte[] _content;
    private readonly Task _loop;
    private readonly CancellationTokenSource _stopping = new();

    public HttpDownloaderTestServer(byte[] content)
    {
        _content = content;
        Port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public Uri Url(string path = "file.bin") => new($"http://127.0.0.1:{Port}/{path}");

    /// <summary>When true, Range headers are ignored and the whole content is sent with 200.</summary>
    public bool IgnoreRange { get; set; }

    /// <summary>When set, the next response announces the full length but the connection drops after this many body bytes.</summary>
    public int? DropAfterBytes { get; set; }

    /// <summary>When set, the next response sends this many body bytes and then nothing until the server stops.</summary>
    public int? StallAfterBytes { get; set; }

    public HttpStatusCode? ForcedStatus { get; set; }

    /// <summary>When set, every response sends its body a few bytes at a time: <see cref="DripBytes"/> bytes, then this pause.</summary>
    public TimeSpan? DripInterval { get; set; }

    public int DripBytes { get; set; } = 1;

    /// <summary>The Range header of every request ("" when none), in arrival order.</summary>
    public ConcurrentQueue<string> RangeHeaders { get; } = new();

    /// <summary>Send the body chunked, with no Content-Length (as a server streaming without a known size does).</summary>
    public bool Chunked { get; set; }

    public static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            _ = Task.Run(async () =>
            {
                try { await HandleAsync(context); }
                catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException) { }
            });
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var response = context.Response;
        var range = context.Request.Headers["Range"] ?? "";
        RangeHeaders.Enqueue(range);
        if (ForcedStatus is { } status)
        {
            response.StatusCode = (int)status;
            response.Close();
            return;
        }

        var start = 0L;
        if (!IgnoreRange && range.StartsWith("bytes=", StringComparison.Ordinal) && range.EndsWith('-'))
        {
            start = long.Parse(range["bytes=".Length..^1]);
            if (start >= _content.Length)
            {
                response.StatusCode = 416;
                response.AddHeader("Content-Range", $"bytes */{_content.Length}");
                response.Close();
                return;
            }
            response.StatusCode = 206;
            response.AddHeader("Content-Range", $"bytes {start}-{_content.Length - 1}/{_content.Length}");
        }

        if (Chunked) response.SendChunked = true;
        else response.ContentLength64 = _content.Length - start;
        var body = _content.AsMemory((int)start);
        if (DropAfterBytes is { } drop)
        {
            DropAfterBytes = null;
            await response.OutputStream.WriteAsync(body[..drop]);
            await response.OutputStream.FlushAsync();
            await Task.Delay(100);
            response.Abort();
            return;
        }
        if (StallAfterBytes is { } stall)
        {
            StallAfterBytes = null;
            await response.OutputStream.WriteAsync(body[..stall]);
            await response.OutputStream.FlushAsync();
            await Task.Delay(TimeSpan.FromSeconds(10), _stopping.Token).ContinueWith(_ => { });
            response.Abort();
            return;
        }
        if (DripInterval is { } interval)
        {
            for (var at = 0; at < body.Length && !_stopping.IsCancellationRequested; at += DripBytes)
            {
                await response.OutputStream.WriteAsync(body.Slice(at, Math.Min(DripBytes, body.Length - at)));
                await response.OutputStream.FlushAsync();
                await Task.Delay(interval, _stopping.Token).ContinueWith(_ => { });
            }
            if (_stopping.IsCancellationRequested) { response.Abort(); return; }
        }
        else await response.OutputStream.WriteAsync(body);
        response.Close();
    }

    public void Dispose()
    {
        _stopping.Cancel();
        // Close alone (not Stop, then Close): see LocalHttpServer.Dispose.
        _listener.Close();
        try { _loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
    }
}

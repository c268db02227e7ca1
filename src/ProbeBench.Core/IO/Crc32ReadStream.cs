using System.IO.Hashing;

namespace ProbeBench.Core.IO;

/// <summary>A read-only stream that hashes (CRC-32, as zip and gzip record it) and counts what is read through it.</summary>
public class Crc32ReadStream(Stream inner) : Stream
{
    private readonly Crc32 _crc = new();

    /// <summary>The CRC-32 of everything read so far.</summary>
    public uint Crc => _crc.GetCurrentHashAsUInt32();

    public long BytesRead { get; private set; }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        _crc.Append(buffer[..read]);
        BytesRead += read;
        return read;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}

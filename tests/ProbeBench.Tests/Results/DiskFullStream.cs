namespace ProbeBench.Tests.Results;

/// <summary>A file stream that fails like a full disk once more than <c>capacity</c> bytes were written to it.</summary>
internal sealed class DiskFullStream(string path, long capacity) : Stream
{
    private readonly FileStream _inner = new(path, FileMode.CreateNew, FileAccess.Write);

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (_inner.Length + buffer.Length > capacity) throw new IOException("No space left on device");
        _inner.Write(buffer);
    }

    public override void Flush() => _inner.Flush();
    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => _inner.Length;
    public override long Position { get => _inner.Position; set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _inner.Dispose();
        base.Dispose(disposing);
    }
}

namespace Netralitas.Gateway.Rest;

/// <summary>
/// The response body of a REST download (a server stream of <c>google.api.HttpBody</c> chunks,
/// e.g. ExportStatistics). The transcoder follows every message of a server stream with a newline
/// — the separator of streamed JSON messages — and does so after each chunk of a file too, so that
/// a newline would land inside the file every 64 KiB (breaking a CSV row or an XLSX archive) and at
/// its end. This drops that newline: the write of exactly one <c>\n</c> that follows a chunk's
/// write. The file's own bytes are written as they come, whatever they hold.
/// </summary>
internal sealed class DownloadBody(Stream inner) : Stream
{
    private bool _afterChunk;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        IsSeparator(buffer.Span) ? ValueTask.CompletedTask : inner.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count)
    {
        if (!IsSeparator(buffer.AsSpan(offset, count)))
        {
            inner.Write(buffer, offset, count);
        }
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Flush() => inner.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>Whether this write is the separator after a chunk (and so the next write is a chunk again).</summary>
    private bool IsSeparator(ReadOnlySpan<byte> bytes)
    {
        var separator = _afterChunk && bytes.Length == 1 && bytes[0] == (byte)'\n';
        _afterChunk = !separator;
        return separator;
    }
}

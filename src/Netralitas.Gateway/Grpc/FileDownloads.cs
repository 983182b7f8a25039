using System.IO.Pipelines;
using Google.Api;
using Google.Protobuf;
using Grpc.Core;

namespace Netralitas.Gateway.Grpc;

/// <summary>
/// Streams a file as <c>google.api.HttpBody</c> chunks while it is written: the writer runs on its
/// own thread into a pipe that holds at most a few chunks, so memory stays bounded whatever the size.
/// The writer (MiniExcel, and rows read page by page) blocks that thread while the caller reads, so
/// only a few exports run at once on a replica; the others wait their turn, holding no thread.
/// </summary>
public static class FileDownloads
{
    public const int ChunkSize = 64 * 1024;
    public const int MaxConcurrentExports = 4;

    private static readonly SemaphoreSlim Turns = new(MaxConcurrentExports, MaxConcurrentExports);

    public static async Task StreamAsync(IServerStreamWriter<HttpBody> responses, string contentType, Action<Stream> write, CancellationToken cancellationToken)
    {
        await Turns.WaitAsync(cancellationToken);
        try
        {
            await SendAsync(responses, contentType, write, cancellationToken);
        }
        finally
        {
            Turns.Release();
        }
    }

    private static async Task SendAsync(IServerStreamWriter<HttpBody> responses, string contentType, Action<Stream> write, CancellationToken cancellationToken)
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 4 * ChunkSize, resumeWriterThreshold: 2 * ChunkSize, useSynchronizationContext: false));
        var producer = Task.Run(async () =>
        {
            try
            {
                await using (var stream = pipe.Writer.AsStream(leaveOpen: true))
                {
                    write(stream);
                }
                await pipe.Writer.CompleteAsync();
            }
            catch (Exception e)
            {
                await pipe.Writer.CompleteAsync(e);
            }
        }, CancellationToken.None);
        try
        {
            while (true)
            {
                var read = await pipe.Reader.ReadAsync(cancellationToken);
                var buffer = read.Buffer;
                while (buffer.Length >= ChunkSize || (read.IsCompleted && buffer.Length > 0))
                {
                    var chunk = buffer.Slice(0, Math.Min(ChunkSize, buffer.Length));
                    await responses.WriteAsync(new HttpBody { ContentType = contentType, Data = UnsafeByteOperations.UnsafeWrap(System.Buffers.BuffersExtensions.ToArray(chunk)) }, cancellationToken);
                    buffer = buffer.Slice(chunk.End);
                }
                pipe.Reader.AdvanceTo(buffer.Start, buffer.End);
                if (read.IsCompleted)
                {
                    break;
                }
            }
            await pipe.Reader.CompleteAsync();
        }
        catch (Exception e)
        {
            // The caller went away or the write failed: the writer's next write fails and it stops.
            await pipe.Reader.CompleteAsync(e);
            pipe.Writer.CancelPendingFlush();
            throw;
        }
        finally
        {
            await producer;
        }
    }
}

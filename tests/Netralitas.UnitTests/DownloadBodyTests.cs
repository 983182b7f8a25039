using System.Text;
using Netralitas.Gateway.Rest;

namespace Netralitas.UnitTests;

public sealed class DownloadBodyTests
{
    /// <summary>The transcoder's writes for a streamed file: each chunk, then a newline of its own.</summary>
    [Fact]
    public async Task The_newline_after_each_chunk_is_dropped_and_the_files_own_bytes_are_kept()
    {
        var sink = new MemoryStream();
        var body = new DownloadBody(sink);
        foreach (var chunk in new[] { "a,b\r\n1,", "\n", "\n", "\n", "", "\n", "2\n", "\n" })
        {
            await body.WriteAsync(Encoding.UTF8.GetBytes(chunk));
        }
        // Chunks "a,b\r\n1,", "\n" (a chunk that is one newline), "" and "2\n", each followed by the separator.
        Assert.Equal("a,b\r\n1,\n2\n", Encoding.UTF8.GetString(sink.ToArray()));
    }

    [Fact]
    public void Synchronous_writes_are_treated_alike()
    {
        var sink = new MemoryStream();
        var body = new DownloadBody(sink);
        body.Write("PK\u0003\u0004"u8.ToArray(), 0, 4);
        body.Write("\n"u8.ToArray(), 0, 1);
        body.Write("xy"u8.ToArray(), 0, 2);
        body.Write("\n"u8.ToArray(), 0, 1);
        Assert.Equal("PK\u0003\u0004xy"u8.ToArray(), sink.ToArray());
    }
}

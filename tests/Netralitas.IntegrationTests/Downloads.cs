using ExcelDataReader;
using Google.Api;
using Grpc.Core;

namespace Netralitas.IntegrationTests;

/// <summary>Reads a streamed file download (HttpBody chunks) whole.</summary>
internal static class Downloads
{
    public static async Task<(byte[] Content, string ContentType)> ReadAsync(AsyncServerStreamingCall<HttpBody> call)
    {
        using var _ = call;
        using var content = new MemoryStream();
        var contentType = "";
        await foreach (var chunk in call.ResponseStream.ReadAllAsync())
        {
            contentType = contentType.Length == 0 ? chunk.ContentType : contentType;
            chunk.Data.WriteTo(content);
        }
        return (content.ToArray(), contentType);
    }
}

/// <summary>Reads an XLSX workbook with ExcelDataReader, a library independent of the one that wrote it.</summary>
internal static class Workbooks
{
    // ExcelDataReader's configuration names code page 1252 (for old .xls files) even when reading .xlsx.
    static Workbooks() => System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);

    public static IReadOnlyDictionary<string, List<object?[]>> Read(byte[] xlsx)
    {
        using var reader = ExcelReaderFactory.CreateOpenXmlReader(new MemoryStream(xlsx));
        var sheets = new Dictionary<string, List<object?[]>>(StringComparer.Ordinal);
        do
        {
            var rows = new List<object?[]>();
            while (reader.Read())
            {
                var row = new object?[reader.FieldCount];
                for (var i = 0; i < row.Length; i++)
                {
                    row[i] = reader.GetValue(i);
                }
                rows.Add(row);
            }
            sheets[reader.Name] = rows;
        }
        while (reader.NextResult());
        return sheets;
    }
}

using System.Buffers;
using System.Text;
using System.Text.Unicode;
using Google.Api;
using Netralitas.Adapters.Exports;
using Netralitas.Domain;
using Netralitas.Domain.Personnel;

namespace Netralitas.Gateway.Grpc;

/// <summary>
/// Reads an uploaded SIASN/SAPK export (UploadPersonnelExport) to its end before anything is
/// stored: a file that is not readable CSV in UTF-8 is refused with the line at fault, so that a
/// broken file never leaves an import half done. Its rows then go through the same import as
/// streamed rows.
/// </summary>
internal static class PersonnelExportUpload
{
    public static IReadOnlyList<(long Line, PersonnelRow Row)> Read(HttpBody? file, long maxBytes)
    {
        if (file is null || file.Data.IsEmpty)
        {
            throw new InvalidRequestException("file", "is empty: send the export file as the request body");
        }
        if (file.Data.Length > maxBytes)
        {
            throw new InvalidRequestException("file", $"is {file.Data.Length:N0} bytes; at most {maxBytes:N0} may be uploaded in one call");
        }
        if (!IsUtf8Csv(file.ContentType))
        {
            throw new InvalidRequestException("file.content_type", $"is \"{file.ContentType}\"; send the export as text/csv in UTF-8");
        }
        var bytes = file.Data.Span;
        if (!Utf8.IsValid(bytes))
        {
            var offset = FirstInvalidByte(bytes);
            throw new InvalidRequestException("file",
                $"line {bytes[..offset].Count((byte)'\n') + 1}: byte 0x{bytes[offset]:X2} (offset {offset:N0}) is not UTF-8; save the export as UTF-8 CSV; nothing was imported");
        }
        var reader = new SiasnExportReader(new StringReader(Encoding.UTF8.GetString(bytes)));
        try
        {
            reader.ReadHeader(SiasnExportColumns.Nip);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidRequestException("file", e.Message);
        }
        var columns = new SiasnExportColumns(reader);
        var rows = new List<(long, PersonnelRow)>();
        foreach (var record in reader.Records())
        {
            if (record.Error is { } error)
            {
                throw new InvalidRequestException("file", $"line {record.Line}: {error}; nothing was imported");
            }
            rows.Add((record.Line, columns.RowOf(record.Fields!)));
        }
        return rows;
    }

    /// <summary><c>text/csv</c>, with no charset or UTF-8.</summary>
    private static bool IsUtf8Csv(string contentType)
    {
        var parts = contentType.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return parts.Length > 0
            && string.Equals(parts[0], "text/csv", StringComparison.OrdinalIgnoreCase)
            && parts.Skip(1).All(p => !p.StartsWith("charset=", StringComparison.OrdinalIgnoreCase)
                || p[8..].Trim('"') is var charset && (charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || charset.Equals("utf8", StringComparison.OrdinalIgnoreCase)));
    }

    private static int FirstInvalidByte(ReadOnlySpan<byte> bytes)
    {
        var chars = ArrayPool<char>.Shared.Rent(4096);
        try
        {
            var offset = 0;
            while (true)
            {
                var status = Utf8.ToUtf16(bytes[offset..], chars, out var read, out _, replaceInvalidSequences: false);
                offset += read;
                if (status != OperationStatus.DestinationTooSmall)
                {
                    return offset;
                }
            }
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }
}

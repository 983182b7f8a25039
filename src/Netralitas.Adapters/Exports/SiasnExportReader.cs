using System.Text;

namespace Netralitas.Adapters.Exports;

/// <summary>One record of an export: its first line number and its fields in column order (see <see cref="SiasnExportReader.IndexOf"/>), or why it could not be read.</summary>
public readonly record struct ExportRecord(long Line, string[]? Fields, string? Error);

/// <summary>
/// Reads a SIASN/SAPK export (CSV under SIASN's field names) one record at a time, so that memory
/// stays bounded whatever the file's size. The header names the columns (any order, unknown ones
/// ignored, names case-insensitive); the separator is the header's: comma or semicolon (Excel in an
/// Indonesian locale writes semicolons). Fields follow RFC 4180: quoted with "", quotes doubled,
/// line breaks allowed inside quotes.
/// </summary>
public sealed class SiasnExportReader(TextReader reader)
{
    private long _line;
    private ColumnValues[] _values = [];

    public IReadOnlyList<string> Columns { get; private set; } = [];

    public char Separator { get; private set; } = ',';

    /// <summary>Reads the header; throws <see cref="InvalidDataException"/> when the file has none or lacks <paramref name="requiredColumn"/>.</summary>
    public void ReadHeader(string requiredColumn)
    {
        var header = reader.ReadLine() ?? throw new InvalidDataException("The export is empty: no header line.");
        _line = 1;
        header = header.TrimStart('\uFEFF');
        Separator = header.Count(c => c == ';') > header.Count(c => c == ',') ? ';' : ',';
        var columns = new List<string>();
        if (Split(header, columns) is { } error)
        {
            throw new InvalidDataException($"Line 1 (header): {error}");
        }
        Columns = columns.Select(c => c.Trim()).ToArray();
        _values = Columns.Select(_ => new ColumnValues()).ToArray();
        if (!Columns.Contains(requiredColumn, StringComparer.OrdinalIgnoreCase))
        {
            throw new InvalidDataException($"Line 1 (header): no column {requiredColumn}; found {Describe(Columns)}");
        }
    }

    /// <summary>The header's names as an error shows them: at most 20, each cut at 40 characters.</summary>
    private static string Describe(IReadOnlyList<string> columns) =>
        string.Join(", ", columns.Take(20).Select(c => c.Length > 40 ? c[..40] + "…" : c)) + (columns.Count > 20 ? $" and {columns.Count - 20} more" : "");

    /// <summary>The position of a column in every record's fields, or -1 (names are case-insensitive).</summary>
    public int IndexOf(string column)
    {
        for (var i = 0; i < Columns.Count; i++)
        {
            if (string.Equals(Columns[i], column, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }
        return -1;
    }

    public IEnumerable<ExportRecord> Records()
    {
        var fields = new List<string>(Columns.Count);
        var text = new StringBuilder();
        while (reader.ReadLine() is { } line)
        {
            var first = ++_line;
            if (line.Length == 0)
            {
                continue;
            }
            // A quoted field may hold line breaks: gather lines until the quotes balance.
            var record = line;
            if (OddQuotes(line))
            {
                text.Clear().Append(line);
                var balanced = false;
                while (reader.ReadLine() is { } more)
                {
                    _line++;
                    text.Append('\n').Append(more);
                    if (OddQuotes(more))
                    {
                        balanced = true;
                        break;
                    }
                }
                if (!balanced)
                {
                    yield return new ExportRecord(first, null, "a quoted field is never closed");
                    yield break;
                }
                record = text.ToString();
            }
            fields.Clear();
            if (Split(record, fields) is { } error)
            {
                yield return new ExportRecord(first, null, error);
            }
            else if (fields.Count != Columns.Count)
            {
                yield return new ExportRecord(first, null, $"has {fields.Count} fields, the header has {Columns.Count}");
            }
            else
            {
                yield return new ExportRecord(first, fields.ToArray(), null);
            }
        }
    }

    private static bool OddQuotes(string line)
    {
        var odd = false;
        foreach (var c in line)
        {
            if (c == '"')
            {
                odd = !odd;
            }
        }
        return odd;
    }

    /// <summary>Splits one record into fields; answers why it cannot, or null.</summary>
    private string? Split(string record, List<string> fields)
    {
        var i = 0;
        while (true)
        {
            if (i < record.Length && record[i] == '"')
            {
                var start = ++i;
                StringBuilder? unquoted = null; // only for a value with doubled quotes in it
                while (true)
                {
                    var quote = record.IndexOf('"', i);
                    if (quote < 0)
                    {
                        return "a quoted field is never closed";
                    }
                    if (quote + 1 < record.Length && record[quote + 1] == '"')
                    {
                        (unquoted ??= new StringBuilder()).Append(record, i, quote + 1 - i);
                        i = quote + 2;
                        continue;
                    }
                    unquoted?.Append(record, i, quote - i);
                    fields.Add(unquoted is null ? Value(fields.Count, record.AsSpan(start, quote - start)) : Value(fields.Count, unquoted.ToString()));
                    i = quote + 1;
                    break;
                }
                if (i == record.Length)
                {
                    return null;
                }
                if (record[i] != Separator)
                {
                    return $"field {fields.Count}: text after its closing quote";
                }
                i++;
            }
            else
            {
                var end = record.IndexOf(Separator, i);
                var field = end < 0 ? record.AsSpan(i) : record.AsSpan(i, end - i);
                if (field.Contains('"'))
                {
                    return $"field {fields.Count + 1}: a quote inside an unquoted field";
                }
                fields.Add(Value(fields.Count, field));
                if (end < 0)
                {
                    return null;
                }
                i = end + 1;
            }
        }
    }

    private string Value(int column, ReadOnlySpan<char> text) =>
        column < _values.Length ? _values[column].Get(text) : text.ToString();

    /// <summary>
    /// One string per distinct value of a column: exports repeat the same instansi, unit, position and
    /// rank on thousands of rows, and an import holds two batches of rows in memory, so each repeated
    /// value is kept once instead of once per row. A column whose first values are mostly distinct
    /// (NIP, name, id) stops being pooled; a pool holds at most <see cref="MaxValues"/> values and
    /// <see cref="MaxCharacters"/> characters (2 MB), whatever the export holds.
    /// </summary>
    private sealed class ColumnValues
    {
        private const int Sample = 1024;
        private const int MaxValues = 65_536;
        private const int MaxCharacters = 1 << 20;
        private HashSet<string>? _values = new(StringComparer.Ordinal);
        private int _seen, _characters;

        public string Get(ReadOnlySpan<char> text)
        {
            if (_values is null || text.IsEmpty)
            {
                return text.ToString();
            }
            if (++_seen == Sample && _values.Count > Sample / 2)
            {
                _values = null;
                return text.ToString();
            }
            var lookup = _values.GetAlternateLookup<ReadOnlySpan<char>>();
            if (lookup.TryGetValue(text, out var known))
            {
                return known;
            }
            var value = text.ToString();
            if (_values.Count < MaxValues && _characters + value.Length <= MaxCharacters)
            {
                _values.Add(value);
                _characters += value.Length;
            }
            return value;
        }
    }
}

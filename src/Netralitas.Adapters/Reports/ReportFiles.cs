using MiniExcelLibs;

namespace Netralitas.Adapters.Reports;

public enum ReportFormat { Unspecified = 0, Xlsx = 1, Csv = 2 }

/// <summary>One table of a report: a sheet of the workbook, or the whole of a CSV file. Rows may be produced lazily.</summary>
public sealed record ReportTable(string Name, IReadOnlyList<string> Columns, IEnumerable<object?[]> Rows);

/// <summary>Writes report tables as an XLSX workbook (one sheet per table) or one table as CSV, with MiniExcel.</summary>
public static class ReportFiles
{
    public const string XlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public const string CsvContentType = "text/csv; charset=utf-8";

    public static string ContentTypeOf(ReportFormat format) => format == ReportFormat.Csv ? CsvContentType : XlsxContentType;

    /// <summary>
    /// Writes to <paramref name="output"/>, which need not be seekable (a pipe to the caller): rows are
    /// read one at a time as they are written, so memory does not grow with the table.
    /// </summary>
    public static void Write(Stream output, ReportFormat format, IReadOnlyList<ReportTable> tables)
    {
        var opened = new List<IDisposable>();
        try
        {
            if (format == ReportFormat.Csv)
            {
                MiniExcel.SaveAs(output, Sheet(tables.Single(), opened), printHeader: true, excelType: ExcelType.CSV);
                return;
            }
            var sheets = new Dictionary<string, object>(StringComparer.Ordinal);
            foreach (var table in tables)
            {
                sheets[table.Name] = Sheet(table, opened);
            }
            MiniExcel.SaveAs(output, sheets, printHeader: true, excelType: ExcelType.XLSX);
        }
        finally
        {
            // A sheet not reached (an earlier one failed) still lets go of its rows' source.
            opened.ForEach(rows => rows.Dispose());
        }
    }

    /// <summary>The tables to write: all of them in a workbook; for CSV the one named, or the default.</summary>
    public static IReadOnlyList<ReportTable> Choose(IReadOnlyList<ReportTable> tables, ReportFormat format, string table, string defaultTable) =>
        format == ReportFormat.Xlsx ? tables : [tables.Single(t => t.Name == (table.Length == 0 ? defaultTable : table))];

    /// <summary>The rows as MiniExcel reads them; an empty table as an empty DataTable, so that it keeps its header.</summary>
    private static object Sheet(ReportTable table, List<IDisposable> opened)
    {
        var rows = table.Rows.GetEnumerator();
        opened.Add(rows);
        if (rows.MoveNext())
        {
            return Rows(table.Columns, rows);
        }
        var empty = new System.Data.DataTable(table.Name);
        foreach (var column in table.Columns)
        {
            empty.Columns.Add(column);
        }
        return empty;
    }

    private static IEnumerable<IDictionary<string, object?>> Rows(IReadOnlyList<string> columns, IEnumerator<object?[]> rows)
    {
        do
        {
            var values = rows.Current;
            var row = new Dictionary<string, object?>(columns.Count, StringComparer.Ordinal);
            for (var i = 0; i < columns.Count; i++)
            {
                row[columns[i]] = i < values.Length ? values[i] : null;
            }
            yield return row;
        }
        while (rows.MoveNext());
    }
}

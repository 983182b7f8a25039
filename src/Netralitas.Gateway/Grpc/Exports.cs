using Netralitas.Adapters.Reports;
using Netralitas.Domain;
using Netralitas.V1;

namespace Netralitas.Gateway.Grpc;

/// <summary>The request checks every export shares, made before any work.</summary>
public static class Exports
{
    /// <summary>The format, and for CSV a table of the report's (empty: the default one); else INVALID_ARGUMENT naming the field.</summary>
    public static ReportFormat Require(ExportFormat format, string table, IReadOnlyList<string> tables)
    {
        var errors = new ValidationErrors();
        if (format is not (ExportFormat.Xlsx or ExportFormat.Csv))
        {
            errors.Add("format", "is required: XLSX or CSV");
        }
        if (table.Length > 0 && !tables.Contains(table))
        {
            errors.Add("table", $"'{Text.Shorten(table)}' is not a table of this report; one of {string.Join(", ", tables)}");
        }
        errors.ThrowIfAny();
        return StatisticsMapping.ToFormat(format);
    }
}

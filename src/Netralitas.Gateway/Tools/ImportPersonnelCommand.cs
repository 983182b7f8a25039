using System.Diagnostics;
using System.Text.Json;
using Netralitas.Adapters.Exports;
using Netralitas.Data;
using Netralitas.Domain.Personnel;
using Netralitas.Gateway.Workers;

namespace Netralitas.Gateway.Tools;

/// <summary>
/// <c>import-personnel FILE.csv [--Netralitas:…=…]</c>: upserts a SIASN/SAPK export into the
/// configured database (the same one the gateway uses) and prints the report as JSON. Exit code 0
/// when the file was read to the end (rejected rows are listed in the report), 2 when it could not
/// be read at all.
/// </summary>
public static class ImportPersonnelCommand
{
    public const string Verb = "import-personnel";

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        if (args.Length == 0 || args[0].StartsWith("--", StringComparison.Ordinal))
        {
            await error.WriteLineAsync($"usage: {Verb} FILE.csv [--Netralitas:Database:…=…]");
            return 2;
        }
        var path = args[0];
        if (!File.Exists(path))
        {
            await error.WriteLineAsync($"{Verb}: no file {Path.GetFullPath(path)}");
            return 2;
        }
        await using var app = GatewayApplication.Build(args[1..]);
        await using var scope = app.Services.CreateAsyncScope();
        await DatabaseInitializer.MigrateAsync(scope.ServiceProvider.GetRequiredService<NetralitasDbContext>(), cancellationToken);

        var started = Stopwatch.StartNew();
        using var file = new StreamReader(path, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true, new FileStreamOptions { BufferSize = 1 << 16 });
        var reader = new SiasnExportReader(file);
        try
        {
            reader.ReadHeader(SiasnExportColumns.Nip);
        }
        catch (InvalidDataException e)
        {
            await error.WriteLineAsync($"{Verb}: {path}: {e.Message}");
            return 2;
        }
        await using var import = new PersonnelImport(scope.ServiceProvider.GetRequiredService<IPersonnelStore>(), TimeProvider.System);
        var columns = new SiasnExportColumns(reader);
        foreach (var record in reader.Records())
        {
            if (record.Fields is { } fields)
            {
                await import.AddAsync(record.Line, columns.RowOf(fields), cancellationToken);
            }
            else
            {
                import.Reject(record.Line, "", record.Error!);
            }
        }
        var report = await import.CompleteAsync(cancellationToken);
        started.Stop();
        await output.WriteLineAsync(JsonSerializer.Serialize(new
        {
            file = path,
            report.Received, report.Inserted, report.Updated, report.Unchanged, report.Rejected,
            seconds = Math.Round(started.Elapsed.TotalSeconds, 2),
            rowsPerSecond = Math.Round(report.Received / Math.Max(started.Elapsed.TotalSeconds, 1e-6)),
            report.Rejections,
        }, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
        return 0;
    }
}

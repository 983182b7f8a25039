using Netralitas.Adapters.ReferenceData;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Netralitas.Data;
using Netralitas.Domain.Statistics;
using Netralitas.Domain;
using Netralitas.Domain.Calendar;
using Netralitas.Domain.Cases;
using Netralitas.Gateway.Health;

namespace Netralitas.Gateway.Workers;

/// <summary>
/// Brings the database up before the server listens: waits for it, applies the migrations, puts the
/// working-day calendar in force, loads the demo data if asked, builds the open-case index and catches it up with the change log, then marks
/// the gateway ready. The host starts its hosted services in order and the web server after them,
/// so the port opens only once this replica's answers are fresh: a load balancer sees a starting
/// replica as one that refuses connections and sends the call elsewhere, which it can do for any
/// call, writes included, because nothing reached the replica (see docs/design.md, "Readiness").
/// </summary>
public sealed partial class DatabaseInitializer(
    IServiceScopeFactory scopes,
    OpenCaseIndex index,
    OpenCaseIndexSync indexSync,
    StatisticsIndex statistics,
    GatewayReadiness readiness,
    IOptions<DemoDataOptions> demo,
    DemoDataLoader demoData,
    IOptions<ReferenceDataOptions> referenceData,
    BusinessClock clock,
    ILogger<DatabaseInitializer> logger) : IHostedService
{
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Returns once the gateway is ready; retries while the database does not answer. A stop asked for
    /// meanwhile (SIGTERM) ends the wait without an error: the host then stops without having listened.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(250);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await InitializeAsync(cancellationToken);
                return;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                LogStoppedBeforeReady();
                return;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                LogNotReady(attempt, delay.TotalSeconds, e.Message);
                try
                {
                    await Task.Delay(delay, clock.Time, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    LogStoppedBeforeReady();
                    return;
                }
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<NetralitasDbContext>();
            await MigrateAsync(db, cancellationToken);
            LogMigrated(db.Database.ProviderName ?? "?");
            if (await scope.ServiceProvider.GetRequiredService<IStatisticsStore>().BackfillAsync(cancellationToken) is > 0 and var backfilled)
            {
                LogStatisticsBackfilled(backfilled);
            }

            await LoadCalendarAsync(scope.ServiceProvider.GetRequiredService<CalendarDesk>(), cancellationToken);
        }

        // After the calendar: the demo's due dates in 2024 and 2025 are counted on the official lists.
        if (demo.Value.Enabled)
        {
            await demoData.LoadAsync(cancellationToken);
        }

        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        await indexSync.RebuildAsync(cancellationToken);
        var indexBytes = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;
        LogIndexBuilt(index.NipCount, statistics.CaseCount, Math.Max(0, indexBytes) / (1024.0 * 1024.0));

        // Ready means fresh: the writes other replicas committed while this one was down or building
        // are applied before the port opens, not after.
        var catchUp = System.Diagnostics.Stopwatch.StartNew();
        var applied = await indexSync.CatchUpAsync(cancellationToken);
        LogCaughtUp(applied, catchUp.Elapsed.TotalMilliseconds);
        readiness.MarkReady();
        LogReady((DateTime.Now - System.Diagnostics.Process.GetCurrentProcess().StartTime).TotalMilliseconds);
    }

    /// <summary>Applies the migrations (also used by the import command, which runs without the host).</summary>
    public static async Task MigrateAsync(NetralitasDbContext db, CancellationToken cancellationToken)
    {
        await db.Database.MigrateAsync(cancellationToken);
        if (db.Database.IsSqlite())
        {
            // Readers do not block the writer, and a crash cannot leave a half-written page.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
    }

    /// <summary>
    /// Stores the files' calendar years the database has never had (a new or amended file), then puts
    /// the database's calendar in force; the due dates they move are recomputed by the calendar follower.
    /// </summary>
    private async Task LoadCalendarAsync(CalendarDesk calendars, CancellationToken cancellationToken)
    {
        foreach (var year in ReferenceDataLoader.LoadCalendarYears(referenceData.Value))
        {
            var (stored, refusal) = await calendars.ImportAsync(year, cancellationToken);
            if (stored)
            {
                LogCalendarImported(year.Year, year.Origin);
            }
            else if (refusal is not null)
            {
                LogCalendarRefused(year.Year, year.Origin, refusal);
            }
        }
        await calendars.RefreshAsync(everyYear: false, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database not ready (attempt {Attempt}); retrying in {DelaySeconds}s: {Reason}")]
    private partial void LogNotReady(int attempt, double delaySeconds, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopped before the gateway was ready; it never listened")]
    private partial void LogStoppedBeforeReady();

    [LoggerMessage(Level = LogLevel.Information, Message = "Statistics: facts written for {CaseCount} cases filed before they existed")]
    private partial void LogStatisticsBackfilled(int caseCount);

    [LoggerMessage(Level = LogLevel.Information, Message = "Database migrated ({Provider})")]
    private partial void LogMigrated(string provider);

    [LoggerMessage(Level = LogLevel.Information, Message = "Open-case index built: {NipCount} NIPs with open cases; statistics index: {CaseCount} cases; {IndexMegabytes:F1} MB together")]
    private partial void LogIndexBuilt(int nipCount, int caseCount, double indexMegabytes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Open-case index caught up with {Entries} change-log entries in {ElapsedMilliseconds:F0} ms")]
    private partial void LogCaughtUp(int entries, double elapsedMilliseconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Gateway ready {ElapsedMilliseconds:F0} ms after the process started")]
    private partial void LogReady(double elapsedMilliseconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Working-day calendar {Year} stored from the {Origin}")]
    private partial void LogCalendarImported(int year, string origin);

    [LoggerMessage(Level = LogLevel.Error, Message = "Working-day calendar {Year} from the {Origin} is NOT used; the database's stays in force: {Refusal}")]
    private partial void LogCalendarRefused(int year, string origin, string refusal);
}

using Microsoft.EntityFrameworkCore;
using Netralitas.Domain.Audit;
using Netralitas.Domain.Cases;
using Netralitas.Domain.Escalation;
using Netralitas.Domain.Personnel;
using Netralitas.Domain.Recommendations;

namespace Netralitas.Data;

/// <summary>
/// The gateway's database. Each provider has its own subclass so that each keeps its own
/// migrations (Data/Migrations/&lt;Provider&gt;); the model is the same.
/// </summary>
public abstract class NetralitasDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<NeutralityCase> Cases => Set<NeutralityCase>();

    /// <summary>One row per case write, so that every replica can refresh its open-case index.</summary>
    public DbSet<CaseChange> CaseChanges => Set<CaseChange>();

    public DbSet<Recommendation> Recommendations => Set<Recommendation>();

    public DbSet<FollowUpEvent> FollowUpEvents => Set<FollowUpEvent>();

    public DbSet<EnforcementAction> EnforcementActions => Set<EnforcementAction>();

    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    public DbSet<PersonnelRecord> Personnel => Set<PersonnelRecord>();

    /// <summary>The official working-day calendar years, every version kept; each year's newest is in force.</summary>
    public DbSet<CalendarYearRevision> CalendarYearRevisions => Set<CalendarYearRevision>();

    /// <summary>The audit trail: append-only, hash-chained (Audit/AuditEncoding).</summary>
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    internal DbSet<AuditEntryNipRow> AuditEntryNips => Set<AuditEntryNipRow>();

    internal DbSet<AuditBulkNipsRow> AuditBulkNips => Set<AuditBulkNipsRow>();

    internal DbSet<AuditChainHeadRow> AuditChainHead => Set<AuditChainHeadRow>();

    /// <summary>Appends to the change log; saved with, hence in the same transaction as, the case.</summary>
    internal void LogCaseChange(NeutralityCase written) => LogNipChange(written.Nip, written.UpdatedAt);

    /// <summary>Appends to the change log for a write that changes what the open-case index holds for a NIP (a block).</summary>
    internal void LogNipChange(string nip, DateTime changedAt) =>
        CaseChanges.Add(new CaseChange { Nip = nip, ChangedAt = changedAt });

    /// <summary>Adds what a recommendation's change produced (events, enforcement actions, outbox commands), to be saved with it.</summary>
    internal void AddNewRecords(Recommendation recommendation, bool caseChangeLogged)
    {
        FollowUpEvents.AddRange(recommendation.NewEvents);
        EnforcementActions.AddRange(recommendation.NewActions);
        OutboxMessages.AddRange(recommendation.NewOutboxMessages);
        if (recommendation.ChangesBlock && !caseChangeLogged)
        {
            LogNipChange(recommendation.Nip, recommendation.UpdatedAt);
        }
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every timestamp is UTC; SQLite forgets the kind, so it is restored on the way out.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(NetralitasDbContext).Assembly);
}

public sealed class SqliteNetralitasDbContext(DbContextOptions<SqliteNetralitasDbContext> options)
    : NetralitasDbContext(options);

public sealed class PostgresNetralitasDbContext(DbContextOptions<PostgresNetralitasDbContext> options)
    : NetralitasDbContext(options);

public sealed class SqlServerNetralitasDbContext(DbContextOptions<SqlServerNetralitasDbContext> options)
    : NetralitasDbContext(options);

internal sealed class UtcDateTimeConverter() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTime, DateTime>(
    value => value.ToUniversalTime(),
    value => DateTime.SpecifyKind(value, DateTimeKind.Utc));

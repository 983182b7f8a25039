using Microsoft.EntityFrameworkCore;
using Netralitas.Domain.Audit;
using Netralitas.Domain.Cases;
using Netralitas.Domain.Escalation;
using Netralitas.Domain.Monev;
using Netralitas.Domain.Personnel;
using Netralitas.Domain.Recommendations;
using Netralitas.Domain.Statistics;

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

    /// <summary>The statistics' row per case, kept in step with the case and its recommendation by <see cref="SaveChangesAsync(bool, CancellationToken)"/>.</summary>
    public DbSet<CaseFacts> CaseFacts => Set<CaseFacts>();

    public DbSet<IntegrityPact> IntegrityPacts => Set<IntegrityPact>();

    public DbSet<SupervisionTeam> SupervisionTeams => Set<SupervisionTeam>();

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

    /// <summary>
    /// Adds what a recommendation's change produced (events, enforcement actions, outbox commands), to
    /// be saved with it, and logs its NIP unless the case's change already did: every replica's
    /// open-case index recounts the NIP (a block) and its statistics index reloads the NIP's facts.
    /// </summary>
    internal void AddNewRecords(Recommendation recommendation, bool caseChangeLogged)
    {
        FollowUpEvents.AddRange(recommendation.NewEvents);
        EnforcementActions.AddRange(recommendation.NewActions);
        OutboxMessages.AddRange(recommendation.NewOutboxMessages);
        if (!caseChangeLogged)
        {
            LogNipChange(recommendation.Nip, recommendation.UpdatedAt);
        }
    }

    /// <summary>
    /// Saves, after bringing the statistics' facts of every case or recommendation written here in
    /// step with it: one place, so that no write path can forget them, and one transaction with the write.
    /// </summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        await ProjectCaseFactsAsync(cancellationToken);
        return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    /// <summary>Every write goes through <see cref="SaveChangesAsync(bool, CancellationToken)"/>, which keeps the statistics in step.</summary>
    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        throw new NotSupportedException("Use SaveChangesAsync: it keeps the statistics' facts in step with the cases.");

    private async Task ProjectCaseFactsAsync(CancellationToken cancellationToken)
    {
        ChangeTracker.DetectChanges();
        var cases = new List<NeutralityCase>();
        var addedCases = new HashSet<string>(StringComparer.Ordinal);
        var recommendations = new List<Recommendation>();
        foreach (var entry in ChangeTracker.Entries())
        {
            switch (entry)
            {
                case { Entity: NeutralityCase written, State: EntityState.Added or EntityState.Modified }:
                    cases.Add(written);
                    if (entry.State == EntityState.Added)
                    {
                        addedCases.Add(written.Id);
                    }
                    break;
                case { Entity: Recommendation written, State: EntityState.Added or EntityState.Modified }:
                    recommendations.Add(written);
                    break;
            }
        }
        foreach (var written in cases)
        {
            if (!addedCases.Contains(written.Id) && await CaseFacts.FindAsync([written.Id], cancellationToken) is { } facts)
            {
                facts.Apply(written);
            }
            else
            {
                CaseFacts.Add(Domain.Statistics.CaseFacts.Of(written));
            }
        }
        foreach (var recommendation in recommendations)
        {
            if (await CaseFacts.FindAsync([recommendation.CaseId], cancellationToken) is { } facts)
            {
                facts.Apply(recommendation);
            }
            else if (await Cases.FindAsync([recommendation.CaseId], cancellationToken) is { } ofCase)
            {
                // A case written before the facts existed and not backfilled yet (an older replica's).
                var created = Domain.Statistics.CaseFacts.Of(ofCase);
                created.Apply(recommendation);
                CaseFacts.Add(created);
            }
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

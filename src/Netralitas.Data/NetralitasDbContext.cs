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

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        var cases = modelBuilder.Entity<NeutralityCase>();
        cases.ToTable("cases");
        cases.HasKey(c => c.Id);
        cases.Property(c => c.Id).HasMaxLength(36);
        cases.Property(c => c.Nip).HasMaxLength(18);
        cases.Property(c => c.ReportedName).HasMaxLength(200);
        cases.Property(c => c.InstansiCode).HasMaxLength(64);
        cases.Property(c => c.InstansiName).HasMaxLength(200);
        cases.Property(c => c.PositionTitle).HasMaxLength(200);
        cases.Property(c => c.ElectionId).HasMaxLength(64);
        cases.Property(c => c.ViolationCode).HasMaxLength(64);
        cases.Property(c => c.ProvinceCode).HasMaxLength(2);
        cases.Property(c => c.Regency).HasMaxLength(100);
        cases.Property(c => c.SourceReference).HasMaxLength(200);
        cases.Property(c => c.DecisionReference).HasMaxLength(200);
        cases.Property(c => c.DecisionNote).HasMaxLength(4000);
        cases.Property(c => c.FileRequestId).HasMaxLength(36);
        cases.Property(c => c.FileRequestFingerprint).HasMaxLength(64);
        cases.PrimitiveCollection(c => c.EvidenceReferences);

        // Enums are stored by name, so that the tables read well without the code.
        cases.Property(c => c.PositionKind).HasConversion<string>().HasMaxLength(32);
        cases.Property(c => c.Source).HasConversion<string>().HasMaxLength(32);
        cases.Property(c => c.Status).HasConversion<string>().HasMaxLength(32);
        cases.Property(c => c.Period).HasConversion<string>().HasMaxLength(32);
        cases.Property(c => c.Track).HasConversion<string>().HasMaxLength(32);
        cases.Property(c => c.CatalogSanction).HasConversion<string>().HasMaxLength(32);
        cases.Property(c => c.DecisionOutcome).HasConversion<string>().HasMaxLength(32);

        cases.Property(c => c.Version).IsConcurrencyToken();
        cases.Ignore(c => c.ResourceName);
        cases.Ignore(c => c.Etag);
        cases.Ignore(c => c.IsOpen);
        cases.Ignore(c => c.ParsedNip);

        cases.HasIndex(c => c.FileRequestId).IsUnique();
        cases.HasIndex(c => new { c.Nip, c.Status });
        cases.HasIndex(c => new { c.InstansiCode, c.Id });
        cases.HasIndex(c => new { c.ProvinceCode, c.Id });

        var recommendations = modelBuilder.Entity<Recommendation>();
        recommendations.ToTable("recommendations");
        recommendations.HasKey(r => r.Id);
        recommendations.Property(r => r.Id).HasMaxLength(36);
        recommendations.Property(r => r.CaseId).HasMaxLength(36);
        recommendations.HasOne<NeutralityCase>().WithMany().HasForeignKey(r => r.CaseId).OnDelete(DeleteBehavior.Restrict);
        recommendations.Property(r => r.Nip).HasMaxLength(18);
        recommendations.Property(r => r.AuthorityCode).HasMaxLength(64);
        recommendations.Property(r => r.LetterNumber).HasMaxLength(200);
        recommendations.Property(r => r.PpkInstansiCode).HasMaxLength(64);
        recommendations.Property(r => r.PpkInstansiName).HasMaxLength(200);
        recommendations.Property(r => r.SanctionLevel).HasConversion<string>().HasMaxLength(32);
        recommendations.Property(r => r.SanctionForm).HasMaxLength(500);
        recommendations.Property(r => r.Status).HasConversion<string>().HasMaxLength(32);
        recommendations.Property(r => r.IssueRequestId).HasMaxLength(36);
        recommendations.Property(r => r.IssueRequestFingerprint).HasMaxLength(64);
        recommendations.Property(r => r.Version).IsConcurrencyToken();
        recommendations.Ignore(r => r.ResourceName);
        recommendations.Ignore(r => r.CaseName);
        recommendations.Ignore(r => r.Etag);
        recommendations.Ignore(r => r.IsOpen);
        recommendations.HasIndex(r => r.IssueRequestId).IsUnique();
        recommendations.HasIndex(r => new { r.CaseId, r.Id });
        recommendations.HasIndex(r => new { r.PpkInstansiCode, r.Id });
        recommendations.HasIndex(r => new { r.Status, r.DueOn });
        recommendations.OwnsMany(r => r.FollowUps, followUps =>
        {
            followUps.ToTable("recommendation_follow_ups");
            followUps.WithOwner().HasForeignKey("RecommendationId");
            followUps.Property<int>("Id");
            followUps.HasKey("Id");
            followUps.Property(f => f.DecreeNumber).HasMaxLength(200);
            followUps.Property(f => f.ImposedLevel).HasConversion<string>().HasMaxLength(32);
            followUps.Property(f => f.ImposedForm).HasMaxLength(500);
            followUps.Property(f => f.RequestId).HasMaxLength(36);
            followUps.Property(f => f.RequestFingerprint).HasMaxLength(64);
            followUps.HasIndex(f => f.RequestId).IsUnique();
        });
        recommendations.Navigation(r => r.FollowUps).AutoInclude();
        recommendations.Property(r => r.EscalationStage).HasConversion<string>().HasMaxLength(32);
        recommendations.Ignore(r => r.NewEvents);
        recommendations.Ignore(r => r.NewActions);
        recommendations.Ignore(r => r.NewOutboxMessages);
        recommendations.Ignore(r => r.ChangesBlock);
        recommendations.Ignore(r => r.IsBlocking);
        recommendations.HasIndex(r => new { r.Nip, r.EscalationStage });

        var events = modelBuilder.Entity<FollowUpEvent>();
        events.ToTable("follow_up_events");
        events.HasKey(e => e.Id);
        events.Property(e => e.Id).ValueGeneratedOnAdd();
        events.Property(e => e.RecommendationId).HasMaxLength(36);
        events.HasOne<Recommendation>().WithMany().HasForeignKey(e => e.RecommendationId).OnDelete(DeleteBehavior.Restrict);
        events.Property(e => e.CaseId).HasMaxLength(36);
        events.Property(e => e.Nip).HasMaxLength(18);
        events.Property(e => e.PpkInstansiCode).HasMaxLength(64);
        events.Property(e => e.Kind).HasConversion<string>().HasMaxLength(32);
        events.Property(e => e.Detail).HasMaxLength(FollowUpEvent.MaxDetailLength);
        events.Property(e => e.Status).HasConversion<string>().HasMaxLength(32);
        events.Property(e => e.EscalationStage).HasConversion<string>().HasMaxLength(32);
        events.HasIndex(e => new { e.RecommendationId, e.Id });
        events.HasIndex(e => e.OccurredAt);

        var actions = modelBuilder.Entity<EnforcementAction>();
        actions.ToTable("enforcement_actions");
        actions.HasKey(a => a.Id);
        actions.Property(a => a.Id).HasMaxLength(36);
        actions.Property(a => a.Kind).HasConversion<string>().HasMaxLength(32);
        actions.Property(a => a.RecommendationId).HasMaxLength(36);
        actions.HasOne<Recommendation>().WithMany().HasForeignKey(a => a.RecommendationId).OnDelete(DeleteBehavior.Restrict);
        actions.Property(a => a.CaseId).HasMaxLength(36);
        actions.Property(a => a.Nip).HasMaxLength(18);
        actions.Property(a => a.PpkInstansiCode).HasMaxLength(64);
        actions.Property(a => a.PpkInstansiName).HasMaxLength(200);
        actions.Property(a => a.OutboxMessageId).HasMaxLength(36);
        actions.Property(a => a.Detail).HasMaxLength(1000);
        actions.Ignore(a => a.ResourceName);
        actions.Ignore(a => a.RecommendationName);
        // Each step at most once per recommendation, whatever number of sweeps race for it.
        actions.HasIndex(a => new { a.RecommendationId, a.Kind }).IsUnique();
        actions.HasIndex(a => new { a.Nip, a.Id });
        actions.HasIndex(a => new { a.PpkInstansiCode, a.Id });

        var outbox = modelBuilder.Entity<OutboxMessage>();
        outbox.ToTable("outbox_messages");
        outbox.HasKey(m => m.Id);
        outbox.Property(m => m.Id).HasMaxLength(36);
        outbox.Property(m => m.Kind).HasConversion<string>().HasMaxLength(32);
        outbox.Property(m => m.State).HasConversion<string>().HasMaxLength(32);
        outbox.Property(m => m.Nip).HasMaxLength(18);
        outbox.Property(m => m.RecommendationId).HasMaxLength(36);
        outbox.HasOne<Recommendation>().WithMany().HasForeignKey(m => m.RecommendationId).OnDelete(DeleteBehavior.Restrict);
        outbox.Property(m => m.EnforcementActionId).HasMaxLength(36);
        outbox.Property(m => m.IdempotencyKey).HasMaxLength(64);
        outbox.Property(m => m.LastError).HasMaxLength(2000);
        outbox.Property(m => m.Receipt).HasMaxLength(2000);
        outbox.Property(m => m.LeaseToken).HasMaxLength(36);
        outbox.Ignore(m => m.ResourceName);
        outbox.Ignore(m => m.RecommendationName);
        outbox.HasIndex(m => m.IdempotencyKey).IsUnique();
        outbox.HasIndex(m => new { m.State, m.NextAttemptAt });
        outbox.HasIndex(m => new { m.Nip, m.Id });

        var personnel = modelBuilder.Entity<PersonnelRecord>();
        personnel.ToTable("personnel");
        personnel.HasKey(p => p.Nip);
        personnel.Property(p => p.Nip).HasMaxLength(18);
        foreach (var column in PersonnelColumns.Facts.Where(c => c != nameof(PersonnelRecord.BirthDate)))
        {
            personnel.Property(column).HasMaxLength(PersonnelFacts.MaxTextLength);
        }
        personnel.Property(p => p.Source).HasConversion<string>().HasMaxLength(32);
        personnel.Property(p => p.SyncState).HasConversion<string>().HasMaxLength(32);
        personnel.Property(p => p.SyncError).HasMaxLength(2000);
        personnel.Ignore(p => p.Facts);
        personnel.Ignore(p => p.ResourceName);
        personnel.HasIndex(p => p.NextSyncAt);

        var changes = modelBuilder.Entity<CaseChange>();
        changes.ToTable("case_changes");
        changes.HasKey(c => c.Id);
        changes.Property(c => c.Id).ValueGeneratedOnAdd();
        changes.Property(c => c.Nip).HasMaxLength(18);
        changes.HasIndex(c => c.ChangedAt);

        var calendar = modelBuilder.Entity<CalendarYearRevision>();
        calendar.ToTable("calendar_year_revisions");
        calendar.HasKey(r => r.Id);
        calendar.Property(r => r.Id).ValueGeneratedOnAdd();
        calendar.Property(r => r.Digest).HasMaxLength(64);
        calendar.Property(r => r.Origin).HasMaxLength(500);
        calendar.HasIndex(r => new { r.Year, r.Version }).IsUnique();
        calendar.HasIndex(r => new { r.Year, r.Digest });

        ConfigureAuditTrail(modelBuilder);
    }

    private static void ConfigureAuditTrail(ModelBuilder modelBuilder)
    {
        var entries = modelBuilder.Entity<AuditEntry>();
        entries.ToTable("audit_entries");
        entries.HasKey(e => e.Sequence);
        entries.Property(e => e.Sequence).ValueGeneratedNever();
        entries.Property(e => e.CallerId).HasMaxLength(AuditEntry.MaxCallerIdLength);
        entries.Property(e => e.CallerProof).HasMaxLength(AuditEntry.MaxCallerProofLength);
        entries.Property(e => e.Method).HasMaxLength(AuditEntry.MaxMethodLength);
        entries.Property(e => e.Status).HasMaxLength(AuditEntry.MaxStatusLength);
        entries.Property(e => e.RequestId).HasMaxLength(AuditEntry.MaxRequestIdLength);
        entries.Property(e => e.Peer).HasMaxLength(AuditEntry.MaxPeerLength);
        entries.Property(e => e.NipDigest).HasMaxLength(AuditEncoding.HashLength);
        entries.Property(e => e.NipBlobDigest).HasMaxLength(AuditEncoding.HashLength);
        entries.Property(e => e.PreviousHash).HasMaxLength(AuditEncoding.HashLength);
        entries.Property(e => e.Hash).HasMaxLength(AuditEncoding.HashLength);
        entries.Ignore(e => e.CaseIdList);
        entries.HasIndex(e => e.Time);
        entries.HasIndex(e => new { e.CallerId, e.Sequence });

        // No foreign keys to the entries: the trail is only ever appended to, in one transaction per
        // batch, and verification (not the schema) is what notices rows removed or added afterwards.
        var nips = modelBuilder.Entity<AuditEntryNipRow>();
        nips.ToTable("audit_entry_nips");
        nips.HasKey(n => new { n.EntrySequence, n.Position });
        nips.Property(n => n.Nip).HasMaxLength(AuditEntry.MaxNipLength);
        nips.HasIndex(n => new { n.Nip, n.EntrySequence });

        var bulk = modelBuilder.Entity<AuditBulkNipsRow>();
        bulk.ToTable("audit_bulk_nips");
        bulk.HasKey(b => b.EntrySequence);
        bulk.Property(b => b.EntrySequence).ValueGeneratedNever();

        var head = modelBuilder.Entity<AuditChainHeadRow>();
        head.ToTable("audit_chain_head");
        head.HasKey(h => h.Id);
        head.Property(h => h.Id).ValueGeneratedNever();
        head.Property(h => h.Hash).HasMaxLength(AuditEncoding.HashLength);
        head.HasData(new AuditChainHeadRow { Id = AuditChainHeadRow.SingleId, Sequence = 0, Hash = new byte[AuditEncoding.HashLength] });
    }
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

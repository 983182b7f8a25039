using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Netralitas.Domain;
using Netralitas.Domain.Audit;
using Netralitas.Domain.Calendar;
using Netralitas.Domain.Cases;
using Netralitas.Domain.Escalation;
using Netralitas.Domain.Monev;
using Netralitas.Domain.Personnel;
using Netralitas.Domain.Recommendations;
using Netralitas.Domain.Statistics;

namespace Netralitas.Data;

// One configuration per entity; column lengths from FieldLengths, which the request checks use too.

internal sealed class NeutralityCaseConfiguration : IEntityTypeConfiguration<NeutralityCase>
{
    public void Configure(EntityTypeBuilder<NeutralityCase> cases)
    {
        cases.ToTable("cases");
        cases.HasKey(c => c.Id);
        cases.Property(c => c.Id).HasMaxLength(FieldLengths.Id);
        cases.Property(c => c.Nip).HasMaxLength(FieldLengths.Nip);
        cases.Property(c => c.ReportedName).HasMaxLength(FieldLengths.Name);
        cases.Property(c => c.InstansiCode).HasMaxLength(FieldLengths.Code);
        cases.Property(c => c.InstansiName).HasMaxLength(FieldLengths.Name);
        cases.Property(c => c.PositionTitle).HasMaxLength(FieldLengths.Name);
        cases.Property(c => c.ElectionId).HasMaxLength(FieldLengths.Code);
        cases.Property(c => c.ViolationCode).HasMaxLength(FieldLengths.Code);
        cases.Property(c => c.ProvinceCode).HasMaxLength(FieldLengths.ProvinceCode);
        cases.Property(c => c.Regency).HasMaxLength(FieldLengths.Regency);
        cases.Property(c => c.SourceReference).HasMaxLength(FieldLengths.Reference);
        cases.Property(c => c.DecisionReference).HasMaxLength(FieldLengths.Reference);
        cases.Property(c => c.DecisionNote).HasMaxLength(FieldLengths.DecisionNote);
        cases.Property(c => c.FileRequestId).HasMaxLength(FieldLengths.Id);
        cases.Property(c => c.FileRequestFingerprint).HasMaxLength(FieldLengths.Fingerprint);
        cases.PrimitiveCollection(c => c.EvidenceReferences);

        // Enums are stored by name, so that the tables read well without the code.
        cases.Property(c => c.PositionKind).HasConversion<string>().HasMaxLength(FieldLengths.EnumName);
        cases.Property(c => c.Source).HasConversion<string>().HasMaxLength(FieldLengths.EnumName);
        cases.Property(c => c.Status).HasConversion<string>().HasMaxLength(FieldLengths.EnumName);
        cases.Property(c => c.Period).HasConversion<string>().HasMaxLength(FieldLengths.EnumName);
        cases.Property(c => c.Track).HasConversion<string>().HasMaxLength(FieldLengths.EnumName);
        cases.Property(c => c.CatalogSanction).HasConversion<string>().HasMaxLength(FieldLengths.EnumName);
        cases.Property(c => c.DecisionOutcome).HasConversion<string>().HasMaxLength(FieldLengths.EnumName);

        cases.Property(c => c.Version).IsConcurrencyToken();
        cases.Ignore(c => c.ResourceName);
        cases.Ignore(c => c.Etag);
        cases.Ignore(c => c.IsOpen);
        cases.Ignore(c => c.ParsedNip);

        cases.HasIndex(c => c.FileRequestId).IsUnique();
        cases.HasIndex(c => new { c.Nip, c.Status });
        cases.HasIndex(c => new { c.InstansiCode, c.Id });
        cases.HasIndex(c => new { c.ProvinceCode, c.Id });
    }
}

internal sealed class RecommendationConfiguration : IEntityTypeConfiguration<Recommendation>
{
    public void Configure(EntityTypeBuilder<Recommendation> recommendations)
    {
        recommendations.ToTable("recommendations");
        recommendations.HasKey(r => r.Id);
        recommendations.Property(r => r.Id).HasMaxLength(FieldLengths.Id);
        recommendations.Property(r => r.CaseId).HasMaxLength(FieldLengths.Id);
        recommendations.HasOne<NeutralityCase>().WithMany().HasForeignKey(r => r.CaseId).OnDelete(DeleteBehavior.Restrict);
        recommendations.Property(r => r.Nip).HasMaxLength(FieldLengths.Nip);
        recommendations.Property(r => r.AuthorityCode).HasMaxLength(FieldLengths.Code);
        recommendations.Property(r => r.LetterNumber).HasMaxLength(FieldLengths.Reference);
        recommendations.Property(r => r.PpkInstansiCode).HasMaxLength(FieldLengths.Code);
        recommendations.Property(r => r.PpkInstansiName).HasMaxLength(FieldLengths.Name);
        recommendations.Property(r => r.SanctionLevel).HasConversion<string>().HasMaxLength(FieldLengths.EnumName);
        recommendations.Property(r => r.SanctionForm).HasMaxLength(FieldLengths.SanctionForm);
        recommendations.Property(r => r.Status).HasConversion<string>().HasMaxLength(FieldLengths.EnumName);
        recommendations.Property(r => r.IssueRequestId).HasMaxLength(FieldLengths.Id);
        recommendations.Property(r => r.IssueRequestFingerprint).HasMaxLength(FieldLengths.Fingerprint);
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
            followUps.Property(f => f.DecreeNumber).HasMaxLength(FieldLengths.Reference);
            followUps.Property(f => f.ImposedLevel).HasConversion<string>().HasMaxLength(FieldLengths.EnumName);
            followUps.Property(f => f.ImposedForm).HasMaxLength(FieldLengths.SanctionForm);
            followUps.Property(f => f.RequestId).HasMaxLength(FieldLengths.Id);
            followUps.Property(f => f.RequestFingerprint).HasMaxLength(FieldLengths.Fingerprint);
            followUps.HasIndex(f => f.RequestId).IsUnique();
        });
        recommendations.Navigation(r => r.FollowUps).AutoInclude();
        recommendations.Property(r => r.EscalationStage).HasConversion<string>().HasMaxLength(FieldLengths.EnumName);
        recommendations.Ignore(r => r.NewEvents);
        recommendations.Ignore(r => r.NewActions);
        recommendations.Ignore(r => r.NewOutboxMessages);
        recommendations.Ignore(r => r.ChangesBlock);
        recommendations.Ignore(r => r.IsBlocking);
        recommendations.HasIndex(r => new { r.Nip, r.EscalationStage });
    }
}

internal sealed class FollowUpEventConfiguration : IEntityTypeConfiguration<FollowUpEvent>
{
    public void Configure(EntityTypeBuilder<FollowUpEvent> events)
    {
        events.ToTable("follow_up_events");
        events.HasKey(e => e.Id);
        events.Property(e => e.Id).ValueGeneratedOnAdd();
        events.Property(e => e.RecommendationId).HasMaxLength(FieldLengths.Id);
        events.HasOne<Recommendation>().WithMany().HasForeignKey(e => e.RecommendationId).OnDelete(DeleteBehavior.Restrict);
        events.Property(e => e.CaseId).HasMaxLength(FieldLengths.Id);
        events.Property(e => e.Nip).HasMaxLength(FieldLengths.Nip);
        events.Property(e => e.PpkInstansiCode).HasMaxLength(FieldLengths.Code);
        events.Property(e => e.Kind).HasConversion<string>().HasMaxLength(FieldLengths.EnumName);
        events.Property(e => e.Detail).HasMaxLength(FollowUpEvent.MaxDetailLength);
        events.Property(e => e.Status).HasConversion<string>().HasMaxLength(FieldLengths.EnumName);
        events.Property(e => e.EscalationStage).HasConversion<string>().HasMaxLength(FieldLengths.EnumName);
        events.HasIndex(e => new { e.RecommendationId, e.Id });
        events.HasIndex(e => e.OccurredAt);
    }
}

internal sealed class EnforcementActionConfiguration : IEntityTypeConfiguration<EnforcementAction>
{
    public void Configure(EntityTypeBuilder<EnforcementAction> actions)
    {
        actions.ToTable("enforcement_actions");
        actions.HasKey(a => a.Id);
        actions.Property(a => a.Id).HasMaxLength(FieldLengths.Id);
        actions.Property(a => a.Kind).HasConversion<string>().HasMaxLength(FieldLengths.EnumName);
        actions.Property(a => a.RecommendationId).HasMaxLength(FieldLengths.Id);
        actions.HasOne<Recommendation>().WithMany().HasForeignKey(a => a.RecommendationId).OnDelete(DeleteBehavior.Restrict);
        actions.Property(a => a.CaseId).HasMaxLength(FieldLengths.Id);
        actions.Property(a => a.Nip).HasMaxLength(FieldLengths.Nip);
        actions.Property(a => a.PpkInstansiCode).HasMaxLength(FieldLengths.Code);
        actions.Property(a => a.PpkInstansiName).HasMaxLength(FieldLengths.Name);
        actions.Property(a => a.OutboxMessageId).HasMaxLength(FieldLengths.Id);
        actions.Property(a => a.Detail).HasMaxLength(FieldLengths.ActionDetail);
        actions.Ignore(a => a.ResourceName);
        actions.Ignore(a => a.RecommendationName);
        // Each step at most once per recommendation, whatever number of sweeps race for it.
        actions.HasIndex(a => new { a.RecommendationId, a.Kind }).IsUnique();
        actions.HasIndex(a => new { a.Nip, a.Id });
        actions.HasIndex(a => new { a.PpkInstansiCode, a.Id });
    }
}

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    /// <summary>A W3C traceparent: version, trace id, span id and flags, 55 characters.</summary>
    public const int TraceParentLength = 55;

    public void Configure(EntityTypeBuilder<OutboxMessage> outbox)
    {
        outbox.ToTable("outbox_messages");
        outbox.HasKey(m => m.Id);
        outbox.Property(m => m.Id).HasMaxLength(FieldLengths.Id);
        outbox.Property(m => m.Kind).HasConversion<string>().HasMaxLength(FieldLengths.EnumName);
        outbox.Property(m => m.State).HasConversion<string>().HasMaxLength(FieldLengths.EnumName);
        outbox.Property(m => m.Nip).HasMaxLength(FieldLengths.Nip);
        outbox.Property(m => m.RecommendationId).HasMaxLength(FieldLengths.Id);
        outbox.HasOne<Recommendation>().WithMany().HasForeignKey(m => m.RecommendationId).OnDelete(DeleteBehavior.Restrict);
        outbox.Property(m => m.EnforcementActionId).HasMaxLength(FieldLengths.Id);
        outbox.Property(m => m.IdempotencyKey).HasMaxLength(FieldLengths.Fingerprint);
        outbox.Property(m => m.LastError).HasMaxLength(FieldLengths.ErrorText);
        outbox.Property(m => m.Receipt).HasMaxLength(FieldLengths.ErrorText);
        outbox.Property(m => m.LeaseToken).HasMaxLength(FieldLengths.Id);
        outbox.Property(m => m.TraceParent).HasMaxLength(OutboxMessageConfiguration.TraceParentLength);
        outbox.Ignore(m => m.ResourceName);
        outbox.Ignore(m => m.RecommendationName);
        outbox.HasIndex(m => m.IdempotencyKey).IsUnique();
        outbox.HasIndex(m => new { m.State, m.NextAttemptAt });
        outbox.HasIndex(m => new { m.Nip, m.Id });
    }
}

internal sealed class PersonnelRecordConfiguration : IEntityTypeConfiguration<PersonnelRecord>
{
    public void Configure(EntityTypeBuilder<PersonnelRecord> personnel)
    {
        personnel.ToTable("personnel");
        personnel.HasKey(p => p.Nip);
        personnel.Property(p => p.Nip).HasMaxLength(FieldLengths.Nip);
        foreach (var column in PersonnelColumns.Facts.Where(c => c != nameof(PersonnelRecord.BirthDate)))
        {
            personnel.Property(column).HasMaxLength(PersonnelFacts.MaxTextLength);
    }
    personnel.Property(p => p.Source).HasConversion<string>().HasMaxLength(FieldLengths.EnumName);
    personnel.Property(p => p.SyncState).HasConversion<string>().HasMaxLength(FieldLengths.EnumName);
    personnel.Property(p => p.SyncError).HasMaxLength(FieldLengths.ErrorText);
    personnel.Ignore(p => p.Facts);
    personnel.Ignore(p => p.ResourceName);
    personnel.HasIndex(p => p.NextSyncAt);
    }
}

internal sealed class CaseChangeConfiguration : IEntityTypeConfiguration<CaseChange>
{
    public void Configure(EntityTypeBuilder<CaseChange> changes)
    {
        changes.ToTable("case_changes");
        changes.HasKey(c => c.Id);
        changes.Property(c => c.Id).ValueGeneratedOnAdd();
        changes.Property(c => c.Nip).HasMaxLength(FieldLengths.Nip);
        changes.HasIndex(c => c.ChangedAt);
    }
}

internal sealed class CalendarYearRevisionConfiguration : IEntityTypeConfiguration<CalendarYearRevision>
{
    public void Configure(EntityTypeBuilder<CalendarYearRevision> calendar)
    {
        calendar.ToTable("calendar_year_revisions");
        calendar.HasKey(r => r.Id);
        calendar.Property(r => r.Id).ValueGeneratedOnAdd();
        calendar.Property(r => r.Digest).HasMaxLength(FieldLengths.Fingerprint);
        calendar.Property(r => r.Origin).HasMaxLength(FieldLengths.Origin);
        calendar.HasIndex(r => new { r.Year, r.Version }).IsUnique();
        calendar.HasIndex(r => new { r.Year, r.Digest });
    }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> entries)
    {
        entries.ToTable("audit_entries");
        entries.HasKey(e => e.Sequence);
        entries.Property(e => e.Sequence).ValueGeneratedNever();
        entries.Property(e => e.CallerId).HasMaxLength(AuditEntry.MaxCallerIdLength);
        entries.Property(e => e.CallerProof).HasMaxLength(AuditEntry.MaxCallerProofLength);
        entries.Property(e => e.Method).HasMaxLength(AuditEntry.MaxMethodLength);
        entries.Property(e => e.Status).HasMaxLength(AuditEntry.MaxStatusLength);
        entries.Property(e => e.RequestId).HasMaxLength(AuditEntry.MaxRequestIdLength);
        entries.Property(e => e.Peer).HasMaxLength(AuditEntry.MaxPeerLength);
        entries.Property(e => e.Protocol).HasMaxLength(AuditEntry.MaxProtocolLength);
        entries.Property(e => e.NipDigest).HasMaxLength(AuditEncoding.HashLength);
        entries.Property(e => e.NipBlobDigest).HasMaxLength(AuditEncoding.HashLength);
        entries.Property(e => e.PreviousHash).HasMaxLength(AuditEncoding.HashLength);
        entries.Property(e => e.Hash).HasMaxLength(AuditEncoding.HashLength);
        entries.Ignore(e => e.CaseIdList);
        entries.HasIndex(e => e.Time);
        entries.HasIndex(e => new { e.CallerId, e.Sequence });
    }
}

// No foreign keys to the entries: the trail is only ever appended to, in one transaction per
// batch, and verification (not the schema) is what notices rows removed or added afterwards.
internal sealed class AuditEntryNipRowConfiguration : IEntityTypeConfiguration<AuditEntryNipRow>
{
    public void Configure(EntityTypeBuilder<AuditEntryNipRow> nips)
    {
        nips.ToTable("audit_entry_nips");
        nips.HasKey(n => new { n.EntrySequence, n.Position });
        nips.Property(n => n.Nip).HasMaxLength(AuditEntry.MaxNipLength);
        nips.HasIndex(n => new { n.Nip, n.EntrySequence });
    }
}

internal sealed class AuditBulkNipsRowConfiguration : IEntityTypeConfiguration<AuditBulkNipsRow>
{
    public void Configure(EntityTypeBuilder<AuditBulkNipsRow> bulk)
    {
        bulk.ToTable("audit_bulk_nips");
        bulk.HasKey(b => b.EntrySequence);
        bulk.Property(b => b.EntrySequence).ValueGeneratedNever();
    }
}

internal sealed class AuditChainHeadRowConfiguration : IEntityTypeConfiguration<AuditChainHeadRow>
{
    public void Configure(EntityTypeBuilder<AuditChainHeadRow> head)
    {
        head.ToTable("audit_chain_head");
        head.HasKey(h => h.Id);
        head.Property(h => h.Id).ValueGeneratedNever();
        head.Property(h => h.Hash).HasMaxLength(AuditEncoding.HashLength);
        head.HasData(new AuditChainHeadRow { Id = AuditChainHeadRow.SingleId, Sequence = 0, Hash = new byte[AuditEncoding.HashLength] });
    }
}

// The statistics' row per case: enums as numbers and dates as day numbers. Read whole at start
// and by NIP when the change log names one; the counting happens in memory (StatisticsIndex).
internal sealed class CaseFactsConfiguration : IEntityTypeConfiguration<CaseFacts>
{
    public void Configure(EntityTypeBuilder<CaseFacts> facts)
    {
        facts.ToTable("case_facts");
        facts.HasKey(f => f.CaseId);
        facts.Property(f => f.CaseId).HasMaxLength(FieldLengths.Id);
        facts.Property(f => f.Nip).HasMaxLength(FieldLengths.Nip);
        facts.Property(f => f.PpkInstansiCode).HasMaxLength(FieldLengths.Code);
        facts.HasOne<NeutralityCase>().WithOne().HasForeignKey<CaseFacts>(f => f.CaseId).OnDelete(DeleteBehavior.Restrict);
        facts.Property(f => f.ElectionId).HasMaxLength(FieldLengths.Code);
        facts.Property(f => f.ProvinceCode).HasMaxLength(FieldLengths.ProvinceCode);
        facts.Property(f => f.InstansiCode).HasMaxLength(FieldLengths.Code);
        facts.Property(f => f.InstansiName).HasMaxLength(FieldLengths.Name);
        facts.Property(f => f.ViolationCode).HasMaxLength(FieldLengths.Code);
        facts.HasIndex(f => f.Nip);
    }
}

internal sealed class IntegrityPactConfiguration : IEntityTypeConfiguration<IntegrityPact>
{
    public void Configure(EntityTypeBuilder<IntegrityPact> pacts)
    {
        pacts.ToTable("integrity_pacts");
        pacts.HasKey(p => new { p.InstansiCode, p.ElectionId });
        pacts.Property(p => p.InstansiCode).HasMaxLength(FieldLengths.Code);
        pacts.Property(p => p.ElectionId).HasMaxLength(FieldLengths.Code);
        pacts.Property(p => p.DocumentReference).HasMaxLength(FieldLengths.Reference);
        pacts.Property(p => p.RecordedBy).HasMaxLength(AuditEntry.MaxCallerIdLength);
        pacts.Ignore(p => p.ResourceName);
        pacts.Ignore(p => p.SignedByAll);
        pacts.HasIndex(p => p.ElectionId);
    }
}

internal sealed class SupervisionTeamConfiguration : IEntityTypeConfiguration<SupervisionTeam>
{
    public void Configure(EntityTypeBuilder<SupervisionTeam> teams)
    {
        teams.ToTable("supervision_teams");
        teams.HasKey(t => new { t.InstansiCode, t.ElectionId });
        teams.Property(t => t.InstansiCode).HasMaxLength(FieldLengths.Code);
        teams.Property(t => t.ElectionId).HasMaxLength(FieldLengths.Code);
        teams.Property(t => t.DecreeNumber).HasMaxLength(FieldLengths.Reference);
        teams.Property(t => t.RecordedBy).HasMaxLength(AuditEntry.MaxCallerIdLength);
        teams.Ignore(t => t.ResourceName);
        teams.HasIndex(t => t.ElectionId);
        teams.OwnsMany(t => t.Members, members =>
        {
            members.ToTable("supervision_team_members");
            members.WithOwner().HasForeignKey("InstansiCode", "ElectionId");
            members.Property<int>("Id");
            members.HasKey("Id");
            members.Property(m => m.Nip).HasMaxLength(FieldLengths.Nip);
            members.Property(m => m.Role).HasConversion<string>().HasMaxLength(FieldLengths.EnumName);
        });
        teams.Navigation(t => t.Members).AutoInclude();
    }
}

using Microsoft.EntityFrameworkCore;
using Netralitas.Gateway.Domain.Cases;
using Netralitas.Gateway.Domain.Recommendations;

namespace Netralitas.Gateway.Data;

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

    /// <summary>Appends to the change log; saved with, hence in the same transaction as, the case.</summary>
    internal void LogCaseChange(NeutralityCase written) =>
        CaseChanges.Add(new CaseChange { Nip = written.Nip, ChangedAt = written.UpdatedAt });

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

        var changes = modelBuilder.Entity<CaseChange>();
        changes.ToTable("case_changes");
        changes.HasKey(c => c.Id);
        changes.Property(c => c.Id).ValueGeneratedOnAdd();
        changes.Property(c => c.Nip).HasMaxLength(18);
        changes.HasIndex(c => c.ChangedAt);
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

using Netralitas.Adapters.ReferenceData;
using Netralitas.Data;
using Netralitas.Domain;
using Netralitas.Domain.Cases;

namespace Netralitas.UnitTests;

public sealed class CaseIntakeTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 3, 0, 0, TimeSpan.Zero);
    private static readonly ReferenceCatalog Shipped = ReferenceDataLoader.Load(new ReferenceDataOptions());

    // The shipped calendars plus one whose window holds "today" (22 Nov 2026).
    private static readonly ReferenceCatalog Catalog = new(
        Shipped.CatalogVersion, Shipped.Violations,
        Shipped.Elections.Append(new Election("pilkada-2026", "Pilkada 2026 (test)", ElectionKind.Pilkada,
            new DateOnly(2026, 9, 20), new DateOnly(2026, 9, 24), new DateOnly(2026, 11, 21), new DateOnly(2026, 11, 25), "test")),
        Shipped.Provinces);

    private readonly CaseIntake _intake = new(Catalog, new BusinessClock(new FixedTime(Now), BusinessClock.ResolveZone("Asia/Jakarta")));

    internal static FileCaseCommand ValidReport(string requestId = "") => new(
        Nip: "198609262015051001",
        ReportedName: "Budi Santoso",
        InstansiCode: "3303",
        InstansiName: "Kabupaten Purbalingga",
        PositionKind: PositionKind.Fungsional,
        PositionTitle: "Guru Ahli Muda",
        ElectionId: "pilkada-2024",
        ViolationCode: "FOTO_SIMBOL",
        ActDate: new DateParts(2024, 10, 3),
        ProvinceCode: "33",
        Regency: "Kabupaten Purbalingga",
        Source: ReportSource.Bawaslu,
        SourceReference: "001/PM.00.02/K.JT-18/10/2024",
        EvidenceReferences: ["https://example.invalid/post/1"],
        RequestId: requestId);

    [Fact]
    public void A_valid_report_becomes_an_open_case_with_derived_period_track_and_sanction()
    {
        var admitted = _intake.Admit(ValidReport());
        Assert.Equal(CaseStatus.UnderExamination, admitted.Status);
        Assert.True(admitted.IsOpen);
        Assert.Equal(Period.DuringCampaign, admitted.Period);
        Assert.Equal(Track.Discipline, admitted.Track);
        Assert.Equal(SanctionLevel.HdBerat, admitted.CatalogSanction);
        Assert.Equal(new DateOnly(2024, 10, 3), admitted.ActDate);
        Assert.Null(admitted.FileRequestId);
    }

    [Fact]
    public void Every_bad_field_is_named_at_once()
    {
        var report = ValidReport() with
        {
            Nip = "198602302010011001",
            ReportedName = "  ",
            ElectionId = "pilkada-2099",
            ViolationCode = "NOT_A_CODE",
            ProvinceCode = "99",
            ActDate = new DateParts(2024, 2, 30),
            Source = ReportSource.Unspecified,
            EvidenceReferences = ["ok", ""],
            RequestId = "not-a-uuid",
        };
        var error = Assert.Throws<InvalidRequestException>(() => _intake.Admit(report));
        Assert.Equal(
            new[]
            {
                "case.nip", "case.reported_name", "case.election_id", "case.violation_code", "case.place.province_code",
                "case.act_date", "case.source", "case.evidence_references[1]", "request_id",
            },
            error.Violations.Select(v => v.Field));
    }

    [Fact]
    public void An_act_date_after_today_in_Jakarta_is_refused()
    {
        // 03:00 UTC on 22 Nov is 10:00 WIB: the 22nd is today, the 23rd the future.
        Assert.Equal(new DateOnly(2026, 11, 22), _intake.Admit(ValidReport() with { ElectionId = "pilkada-2026", ActDate = new DateParts(2026, 11, 22) }).ActDate);
        var error = Assert.Throws<InvalidRequestException>(() =>
            _intake.Admit(ValidReport() with { ActDate = new DateParts(2026, 11, 23) }));
        Assert.Equal("case.act_date", Assert.Single(error.Violations).Field);
    }

    [Fact]
    public void A_bawaslu_report_needs_its_letter_number()
    {
        var error = Assert.Throws<InvalidRequestException>(() => _intake.Admit(ValidReport() with { SourceReference = "" }));
        Assert.Equal("case.source_reference", Assert.Single(error.Violations).Field);
        Assert.Null(_intake.Admit(ValidReport() with { Source = ReportSource.Public, SourceReference = "" }).SourceReference);
    }

    [Fact]
    public void The_fingerprint_ignores_the_request_id_and_surrounding_spaces_but_not_the_content()
    {
        var first = _intake.Admit(ValidReport("3f2b8c1e-6d4a-4b7e-9c1f-2a5d8e7b6c40")).FileRequestFingerprint;
        Assert.NotNull(first);
        Assert.Equal(first, _intake.Admit(ValidReport("9a9b8c1e-6d4a-4b7e-9c1f-2a5d8e7b6c40")).FileRequestFingerprint);
        Assert.Equal(first, _intake.Admit(ValidReport("9a9b8c1e-6d4a-4b7e-9c1f-2a5d8e7b6c40") with { ReportedName = "  Budi Santoso " }).FileRequestFingerprint);
        Assert.NotEqual(first, _intake.Admit(ValidReport("9a9b8c1e-6d4a-4b7e-9c1f-2a5d8e7b6c40") with { ReportedName = "Someone Else" }).FileRequestFingerprint);
    }

    [Fact]
    public void An_act_before_the_ASN_was_appointed_is_refused()
    {
        // NIP 198609262015051001: TMT CPNS May 2015.
        var error = Assert.Throws<InvalidRequestException>(() =>
            _intake.Admit(ValidReport() with { ElectionId = "pemilu-2024", ActDate = new DateParts(2015, 4, 30) }));
        Assert.Contains("before the ASN's appointment", Assert.Single(error.Violations).Description);
    }

    [Theory]
    [InlineData(2022, 11, 26)] // 24 months before Pilkada 2024's voting day, less one day
    [InlineData(2025, 11, 28)] // 12 months after it, plus one day
    public void An_act_far_from_the_election_is_refused(int year, int month, int day)
    {
        var error = Assert.Throws<InvalidRequestException>(() => _intake.Admit(ValidReport() with { ActDate = new DateParts(year, month, day) }));
        Assert.Equal("case.act_date", Assert.Single(error.Violations).Field);
        Assert.Contains("outside the window of pilkada-2024", error.Violations[0].Description);
    }

    [Fact]
    public void A_nip_born_in_the_future_is_refused()
    {
        var error = Assert.Throws<InvalidRequestException>(() => _intake.Admit(ValidReport() with { Nip = "202701012045011001" }));
        Assert.Equal("case.nip", error.Violations[0].Field);
    }

    [Theory]
    [InlineData("Budi\u202eSantoso")]
    [InlineData("Budi\u200bSantoso")]
    [InlineData("Budi\nSantoso")]
    public void Invisible_and_control_characters_are_refused(string name)
    {
        var error = Assert.Throws<InvalidRequestException>(() => _intake.Admit(ValidReport() with { ReportedName = System.Text.RegularExpressions.Regex.Unescape(name) }));
        Assert.Equal("case.reported_name", Assert.Single(error.Violations).Field);
    }

    [Fact]
    public void A_case_is_decided_once()
    {
        var admitted = _intake.Admit(ValidReport());
        var version = admitted.Version;
        admitted.Decide(Outcome.NotProven, "BA/01/2024", new DateOnly(2024, 10, 20), null, Now.UtcDateTime);
        Assert.False(admitted.IsOpen);
        Assert.Equal(version + 1, admitted.Version);
        var error = Assert.Throws<StatePreconditionException>(() =>
            admitted.Decide(Outcome.Proven, "BA/02/2024", new DateOnly(2024, 10, 21), null, Now.UtcDateTime));
        Assert.Equal("CASE_ALREADY_DECIDED", error.Reason);
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Netralitas.Domain.Cases;

/// <summary>
/// Turns a report into a case: validates every field (reporting all bad fields at once), and
/// derives the period, the track and the catalog's sanction from the act date and the calendar.
/// </summary>
public sealed class CaseIntake(ReferenceCatalog catalog, BusinessClock clock)
{
    public const int MaxEvidenceReferences = 50;
    private const string Prefix = "case.";

    public NeutralityCase Admit(FileCaseCommand command)
    {
        var errors = new ValidationErrors();

        Nip? nip = null;
        if (string.IsNullOrEmpty(command.Nip))
        {
            errors.Add(Prefix + "nip", "is required");
        }
        else if (!Domain.Nip.TryParse(command.Nip, out var parsed, out var nipError))
        {
            errors.Add(Prefix + "nip", nipError);
        }
        else if (parsed.BirthDate > clock.Today)
        {
            errors.Add(Prefix + "nip", $"birth date {parsed.BirthDate:yyyy-MM-dd} (digits 1-8) is in the future");
        }
        else
        {
            nip = parsed;
        }
        var reportedName = Text.Required(command.ReportedName, Prefix + "reported_name", FieldLengths.Name, errors);
        var instansiCode = Text.Required(command.InstansiCode, Prefix + "instansi_code", FieldLengths.Code, errors);
        var instansiName = Text.Required(command.InstansiName, Prefix + "instansi_name", FieldLengths.Name, errors);
        if (!Enum.IsDefined(command.PositionKind))
        {
            errors.Add(Prefix + "reported_position.kind", "is not a known position kind");
        }
        var positionTitle = Text.Optional(command.PositionTitle, Prefix + "reported_position.title", FieldLengths.Name, errors);

        var election = Lookup(command.ElectionId, Prefix + "election_id", catalog.FindElection, "is not a known election; see the election catalog", errors);
        var violation = Lookup(command.ViolationCode, Prefix + "violation_code", catalog.FindViolation, "is not in the violation catalog; see the violation catalog", errors);
        Lookup(command.ProvinceCode, Prefix + "place.province_code", catalog.FindProvince, "is not a known province code; see the province catalog", errors);
        var regency = Text.Optional(command.Regency, Prefix + "place.regency", FieldLengths.Regency, errors);

        var actDate = Dates.PastOrToday(command.ActDate, Prefix + "act_date", clock.Today, errors);
        if (actDate is { } act && nip is { } asn && act < asn.AppointmentMonth)
        {
            errors.Add(Prefix + "act_date", $"{act:yyyy-MM-dd} is before the ASN's appointment (TMT CPNS {asn.AppointmentMonth:yyyy-MM} in the NIP)");
        }
        else if (actDate is { } date && election is not null && (date < election.FirstActDate || date > election.LastActDate))
        {
            errors.Add(Prefix + "act_date",
                $"{date:yyyy-MM-dd} is outside the window of {election.Id} ({election.FirstActDate:yyyy-MM-dd} to {election.LastActDate:yyyy-MM-dd}); file it under the election it concerns");
        }

        if (command.Source == ReportSource.Unspecified || !Enum.IsDefined(command.Source))
        {
            errors.Add(Prefix + "source", "is required: BAWASLU, PUBLIC, MEDIA or AUTHORITY");
        }
        var sourceReference = Text.Optional(command.SourceReference, Prefix + "source_reference", FieldLengths.Reference, errors);
        if (command.Source == ReportSource.Bawaslu && sourceReference is null)
        {
            errors.Add(Prefix + "source_reference", "is required for a Bawaslu report: give the Bawaslu letter number");
        }
        var evidence = Evidence(command.EvidenceReferences, errors);
        var requestId = RequestIds.Optional(command.RequestId, errors);

        errors.ThrowIfAny();

        var now = clock.UtcNow;
        var track = election!.TrackOf(actDate!.Value);
        var admitted = new NeutralityCase
        {
            Id = Guid.CreateVersion7(clock.Time.GetUtcNow()).ToString("D"),
            Nip = command.Nip,
            ReportedName = reportedName!,
            InstansiCode = instansiCode!,
            InstansiName = instansiName!,
            PositionKind = command.PositionKind,
            PositionTitle = positionTitle,
            ElectionId = election.Id,
            ViolationCode = violation!.Code,
            ActDate = actDate.Value,
            ProvinceCode = command.ProvinceCode,
            Regency = regency,
            Source = command.Source,
            SourceReference = sourceReference,
            EvidenceReferences = evidence,
            Period = election.PeriodOf(actDate.Value),
            Track = track,
            CatalogSanction = violation.SanctionOn(track),
            FiledOn = clock.Today,
            CreatedAt = now,
            UpdatedAt = now,
            FileRequestId = requestId,
        };
        return requestId is null ? admitted : admitted.WithFileRequestFingerprint(Fingerprint(admitted));
    }

    /// <summary>
    /// A digest of the report as admitted (trimmed, validated), so that a retry differing only in
    /// surrounding spaces is the same report. The version prefix keeps old digests comparable when
    /// a later report gains fields: those are appended under a new version, never mixed into v1.
    /// </summary>
    internal static string Fingerprint(NeutralityCase c)
    {
        string[] fields =
        [
            "v1", c.Nip, c.ReportedName, c.InstansiCode, c.InstansiName, ((int)c.PositionKind).ToString(CultureInfo.InvariantCulture),
            c.PositionTitle ?? "", c.ElectionId, c.ViolationCode, c.ActDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            c.ProvinceCode, c.Regency ?? "", ((int)c.Source).ToString(CultureInfo.InvariantCulture), c.SourceReference ?? "",
            string.Join('\u001e', c.EvidenceReferences),
        ];
        return RequestIds.Fingerprint(fields);
    }

    private static T? Lookup<T>(string value, string field, Func<string, T?> find, string unknown, ValidationErrors errors)
        where T : class
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(field, "is required");
            return null;
        }
        var found = find(value);
        if (found is null)
        {
            errors.Add(field, $"'{Text.Shorten(value)}' {unknown}");
        }
        return found;
    }

    private static List<string> Evidence(IReadOnlyList<string> references, ValidationErrors errors)
    {
        if (references.Count > MaxEvidenceReferences)
        {
            errors.Add(Prefix + "evidence_references", $"at most {MaxEvidenceReferences} references, got {references.Count}");
            return [];
        }
        var kept = new List<string>(references.Count);
        for (var i = 0; i < references.Count; i++)
        {
            var reference = Text.Required(references[i], $"{Prefix}evidence_references[{i}]", FieldLengths.EvidenceReference, errors);
            if (reference is not null)
            {
                kept.Add(reference);
            }
        }
        return kept;
    }
}

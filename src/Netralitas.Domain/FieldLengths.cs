namespace Netralitas.Domain;

/// <summary>
/// The longest value each kind of field may hold: the request checks refuse longer values with
/// these numbers, and the database columns are declared with the same ones.
/// </summary>
public static class FieldLengths
{
    /// <summary>A UUID in text form: ids, request ids, lease tokens.</summary>
    public const int Id = 36;

    public const int Nip = 18;

    /// <summary>Catalog and agency codes: instansi, election, violation, authority.</summary>
    public const int Code = 64;

    /// <summary>A BPS province code.</summary>
    public const int ProvinceCode = 2;

    /// <summary>Names and titles: a person, an agency, a position.</summary>
    public const int Name = 200;

    /// <summary>Letter, decree, decision and source references.</summary>
    public const int Reference = 200;

    public const int Regency = 100;

    /// <summary>One evidence reference (a document number or a link).</summary>
    public const int EvidenceReference = 1000;

    /// <summary>The form of a sanction in words.</summary>
    public const int SanctionForm = 500;

    public const int DecisionNote = 4000;

    /// <summary>A SHA-256 digest in hex: request fingerprints, calendar digests.</summary>
    public const int Fingerprint = 64;

    /// <summary>An enum stored by name.</summary>
    public const int EnumName = 32;

    /// <summary>What a failed delivery or sync left as its reason, and SIASN's receipt.</summary>
    public const int ErrorText = 2000;

    /// <summary>Why an enforcement step was taken.</summary>
    public const int ActionDetail = 1000;

    /// <summary>Where a calendar year came from.</summary>
    public const int Origin = 500;
}

namespace Netralitas.Domain.Statistics;

/// <summary>The age groups of the national figures, at the act date.</summary>
public enum AgeBand { Unspecified = 0, UpTo30 = 1, From31To40 = 2, From41To50 = 3, From51 = 4, Unknown = 5 }

public static class AgeBands
{
    /// <summary>Younger than this at the act date, a birth date is not believed (no ASN is appointed before 18).</summary>
    public const int YoungestPlausibleAge = 18;

    /// <summary>Older than this, a birth date is a placeholder (legacy records carry 1900-01-01); no ASN serves past 65.</summary>
    public const int OldestPlausibleAge = 70;

    /// <summary>
    /// The band of an ASN born on <paramref name="birthDate"/> (the NIP's digits 1-8) at
    /// <paramref name="actDate"/>: full years, &lt;=30, 31-40, 41-50, &gt;=51; Unknown when the age
    /// is not plausible for a serving ASN.
    /// </summary>
    public static AgeBand Of(DateOnly birthDate, DateOnly actDate)
    {
        var age = actDate.Year - birthDate.Year;
        if (actDate < birthDate.AddYears(age))
        {
            age--;
        }
        return age switch
        {
            < YoungestPlausibleAge or > OldestPlausibleAge => AgeBand.Unknown,
            <= 30 => AgeBand.UpTo30,
            <= 40 => AgeBand.From31To40,
            <= 50 => AgeBand.From41To50,
            _ => AgeBand.From51,
        };
    }
}

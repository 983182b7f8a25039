using System.Globalization;

namespace Netralitas.Domain;

/// <summary>
/// An 18-digit NIP: <c>YYYYMMDD</c> birth date, <c>YYYYMM</c> TMT CPNS (appointment month),
/// gender digit <c>1</c>/<c>2</c>, 3-digit sequence. Both date parts must be real dates.
/// </summary>
public readonly record struct Nip(long Value)
{
    public const int Length = 18;

    public DateOnly BirthDate => DateOnly.ParseExact(ToString()[..8], "yyyyMMdd", CultureInfo.InvariantCulture);

    /// <summary>The first day of the TMT CPNS month: the ASN was not yet an ASN before it.</summary>
    public DateOnly AppointmentMonth => DateOnly.ParseExact(ToString()[8..14] + "01", "yyyyMMdd", CultureInfo.InvariantCulture);

    public override string ToString() => Value.ToString("D18", CultureInfo.InvariantCulture);

    /// <summary>Parses a NIP, or returns why it is not one.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out Nip nip, out string error)
    {
        nip = default;
        if (text.Length != Length)
        {
            error = $"must be {Length} digits, got {text.Length} characters";
            return false;
        }
        foreach (var c in text)
        {
            if (c is < '0' or > '9')
            {
                error = "must contain digits only";
                return false;
            }
        }
        var year = Digits(text[..4]);
        var month = Digits(text[4..6]);
        var day = Digits(text[6..8]);
        if (year < 1900 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            error = $"birth date {text[..4]}-{text[4..6]}-{text[6..8]} (digits 1-8) is not a real date";
            return false;
        }
        var tmtYear = Digits(text[8..12]);
        var tmtMonth = Digits(text[12..14]);
        if (tmtYear < 1900 || tmtMonth is < 1 or > 12)
        {
            error = $"appointment month {text[8..12]}-{text[12..14]} (digits 9-14) is not a real month";
            return false;
        }
        if (tmtYear * 100 + tmtMonth < year * 100 + month)
        {
            error = "appointment month (digits 9-14) is before the birth date (digits 1-8)";
            return false;
        }
        if (text[14] is not ('1' or '2'))
        {
            error = "gender digit (digit 15) must be 1 or 2";
            return false;
        }
        nip = new Nip(long.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture));
        error = "";
        return true;
    }

    /// <summary>Parses a NIP or throws <see cref="InvalidRequestException"/> naming <paramref name="field"/>.</summary>
    public static Nip Parse(string? text, string field)
    {
        if (string.IsNullOrEmpty(text))
        {
            throw new InvalidRequestException(field, "is required");
        }
        return TryParse(text, out var nip, out var error) ? nip : throw new InvalidRequestException(field, error);
    }

    /// <summary>A NIP the gateway itself validated and stored (a database row); not for input from callers.</summary>
    public static Nip FromValidated(string text) => new(long.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture));

    private static int Digits(ReadOnlySpan<char> digits)
    {
        var value = 0;
        foreach (var c in digits)
        {
            value = value * 10 + (c - '0');
        }
        return value;
    }
}

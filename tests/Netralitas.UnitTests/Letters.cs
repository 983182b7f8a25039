using Netralitas.Domain;
using Netralitas.Domain.Calendar;
using Netralitas.Domain.Recommendations;

namespace Netralitas.UnitTests;

/// <summary>Test recommendations: the KASN letter of Fri 5 Apr 2024, due Mon 6 May 2024 unless said otherwise.</summary>
internal static class Letters
{
    public static Recommendation Recommend(SanctionLevel level, DateTime createdAt, DateOnly? dueOn = null)
    {
        var recommendation = new Recommendation
        {
        Id = Guid.CreateVersion7().ToString("D"),
        CaseId = Guid.CreateVersion7().ToString("D"),
        Nip = "198609262015051001",
        AuthorityCode = "KASN",
        LetterNumber = "B-1234/KASN/4/2024",
        IssuedOn = new DateOnly(2024, 4, 5),
        PpkInstansiCode = "3303",
        PpkInstansiName = "Kabupaten Purbalingga",
        SanctionLevel = level,
        CreatedAt = createdAt,
        };
        recommendation.RecordIssued(new CountedDate(dueOn ?? new DateOnly(2024, 5, 6), Provisional: false), calendarRevision: 0);
        recommendation.ForgetNewRecords();
        return recommendation;
    }
}

namespace Netralitas.Domain;

/// <summary>
/// Today's business date in the configured time zone (default Asia/Jakarta, WIB). Dates such as
/// an act date are compared with this, never with the server's UTC date.
/// </summary>
public sealed class BusinessClock(TimeProvider time, TimeZoneInfo zone)
{
    public TimeProvider Time { get; } = time;

    /// <summary>Now, to the microsecond: the finest precision every supported database keeps, so that what a
    /// write returns equals what a later read returns.</summary>
    public DateTime UtcNow
    {
        get
        {
            var now = Time.GetUtcNow().UtcDateTime;
            return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond));
        }
    }

    public DateOnly Today => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(Time.GetUtcNow(), zone).DateTime);

    /// <summary>Finds the zone by IANA id; falls back to a fixed UTC+7 for Asia/Jakarta when tzdata is missing.</summary>
    public static TimeZoneInfo ResolveZone(string id)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (TimeZoneNotFoundException) when (id == "Asia/Jakarta")
        {
            return TimeZoneInfo.CreateCustomTimeZone(id, TimeSpan.FromHours(7), "WIB", "WIB");
        }
    }
}

using Netralitas.Domain;

namespace Netralitas.UnitTests;

public sealed class ElectionTests
{
    // Pilkada 2024: penetapan 22 Sep, campaign 25 Sep - 23 Nov, voting 27 Nov 2024.
    private static readonly Election Pilkada2024 = new(
        "pilkada-2024", "Pilkada 2024", ElectionKind.Pilkada,
        new DateOnly(2024, 9, 22), new DateOnly(2024, 9, 25), new DateOnly(2024, 11, 23), new DateOnly(2024, 11, 27), "test");

    [Theory]
    [InlineData("2024-05-01", Period.BeforeCampaign, Track.Ethics)]
    [InlineData("2024-09-21", Period.BeforeCampaign, Track.Ethics)]
    [InlineData("2024-09-22", Period.BeforeCampaign, Track.Discipline)]
    [InlineData("2024-09-24", Period.BeforeCampaign, Track.Discipline)]
    [InlineData("2024-09-25", Period.DuringCampaign, Track.Discipline)]
    [InlineData("2024-11-23", Period.DuringCampaign, Track.Discipline)]
    [InlineData("2024-11-24", Period.AfterCampaign, Track.Discipline)]
    public void Period_and_track_follow_from_the_act_date(string actDate, Period period, Track track)
    {
        var date = DateOnly.Parse(actDate);
        Assert.Equal(period, Pilkada2024.PeriodOf(date));
        Assert.Equal(track, Pilkada2024.TrackOf(date));
    }

    [Fact]
    public void The_catalog_sanction_depends_on_the_track()
    {
        var photo = new Violation("FOTO_SIMBOL", "", "", SanctionLevel.MoralClosed, SanctionLevel.HdBerat, false);
        Assert.Equal(SanctionLevel.MoralClosed, photo.SanctionOn(Track.Ethics));
        Assert.Equal(SanctionLevel.HdBerat, photo.SanctionOn(Track.Discipline));
    }

    [Fact]
    public void A_calendar_whose_dates_are_out_of_order_is_refused()
    {
        var broken = Pilkada2024 with { Id = "broken", CampaignEndDate = new DateOnly(2024, 9, 1) };
        Assert.Throws<InvalidDataException>(() => new ReferenceCatalog("v", [], [broken], []));
    }

    [Fact]
    public void Duplicate_election_ids_are_refused()
    {
        Assert.Throws<InvalidDataException>(() => new ReferenceCatalog("v", [], [Pilkada2024, Pilkada2024], []));
    }
}

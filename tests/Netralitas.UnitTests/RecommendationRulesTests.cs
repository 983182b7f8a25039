using Netralitas.Domain;
using Netralitas.Domain.Recommendations;

namespace Netralitas.UnitTests;

public sealed class RecommendationRulesTests
{
    private static readonly DateOnly Today = new(2024, 6, 3);
    private static readonly DateTime Now = new(2024, 6, 1, 0, 0, 0, DateTimeKind.Utc);

    private static Recommendation Recommend(SanctionLevel level) => Letters.Recommend(level, Now);

    [Theory]
    [InlineData(SanctionLevel.HdBerat, true)]
    [InlineData(SanctionLevel.Ptdh, true)]
    [InlineData(SanctionLevel.HdSedang, false)]
    [InlineData(SanctionLevel.MoralOpen, false)]
    public void A_follow_up_complies_at_or_above_the_recommended_level(SanctionLevel imposed, bool compliant)
    {
        var recommendation = Recommend(SanctionLevel.HdBerat);
        var followUp = recommendation.RecordFollowUp("SK-1", new DateOnly(2024, 4, 30), imposed, null, null, null, Now, Today);
        Assert.Equal(compliant, followUp.Compliant);
        Assert.Equal(compliant ? RecommendationStatus.Complied : RecommendationStatus.NonCompliant, recommendation.Status);
        Assert.Equal(!compliant, recommendation.IsOpen);
        Assert.False(followUp.Late);
    }

    [Fact]
    public void A_late_follow_up_still_complies_and_is_reported_late()
    {
        var recommendation = Recommend(SanctionLevel.HdSedang);
        var onTheDay = recommendation.RecordFollowUp("SK-0", new DateOnly(2024, 5, 6), SanctionLevel.HdRingan, null, null, null, Now, Today);
        Assert.False(onTheDay.Late);
        var late = recommendation.RecordFollowUp("SK-1", new DateOnly(2024, 5, 7), SanctionLevel.HdSedang, null, null, null, Now, Today);
        Assert.True(late.Compliant);
        Assert.True(late.Late);
        Assert.Equal(RecommendationStatus.Complied, recommendation.Status);
        Assert.Equal(2, recommendation.FollowUps.Count);
    }

    [Fact]
    public void Nothing_is_recorded_after_a_compliant_follow_up()
    {
        var recommendation = Recommend(SanctionLevel.HdRingan);
        recommendation.RecordFollowUp("SK-1", new DateOnly(2024, 4, 30), SanctionLevel.HdRingan, null, null, null, Now, Today);
        var error = Assert.Throws<StatePreconditionException>(() =>
            recommendation.RecordFollowUp("SK-2", new DateOnly(2024, 5, 2), SanctionLevel.Ptdh, null, null, null, Now, Today));
        Assert.Equal("RECOMMENDATION_COMPLIED", error.Reason);
    }
}

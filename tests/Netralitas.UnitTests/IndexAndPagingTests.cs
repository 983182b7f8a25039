using Netralitas.Gateway.Domain;
using Netralitas.Gateway.Domain.Cases;

namespace Netralitas.UnitTests;

public sealed class IndexAndPagingTests
{
    private static readonly Nip Someone = new(198609262015051001);

    [Fact]
    public void The_index_counts_open_cases_per_nip_and_forgets_a_nip_at_zero()
    {
        var index = new OpenCaseIndex();
        index.Adjust(Someone, +1);
        index.Adjust(Someone, +1);
        Assert.Equal(2, index.OpenCountOf(Someone));
        index.Adjust(Someone, -1);
        index.Adjust(Someone, -1);
        Assert.Equal(0, index.OpenCountOf(Someone));
        Assert.Equal(0, index.NipCount);
    }

    [Fact]
    public void A_page_token_round_trips_with_the_same_filters_only()
    {
        var filter = new CaseFilter("", "3303", CaseStatus.Unspecified, "", "");
        var id = Guid.CreateVersion7().ToString("D");
        var token = PageToken.Encode(id, filter);
        Assert.Equal(id, PageToken.Decode(token, filter));
        var error = Assert.Throws<InvalidRequestException>(() => PageToken.Decode(token, filter with { InstansiCode = "3304" }));
        Assert.Equal("page_token", Assert.Single(error.Violations).Field);
        Assert.Throws<InvalidRequestException>(() => PageToken.Decode("garbage!", filter));
        Assert.Null(PageToken.Decode("", filter));
    }
}

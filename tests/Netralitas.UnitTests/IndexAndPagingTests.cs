using Netralitas.Domain;
using Netralitas.Domain.Cases;

namespace Netralitas.UnitTests;

public sealed class IndexAndPagingTests
{
    private static readonly Nip Someone = new(198609262015051001);
    private static readonly Nip Other = new(197001012000011002);

    [Fact]
    public async Task The_index_holds_the_latest_count_and_forgets_a_nip_at_zero()
    {
        var index = new OpenCaseIndex();
        index.Load(Someone, new NipStanding(2, null));
        Assert.Equal(2, index.StandingOf(Someone).OpenCount);
        Assert.Equal(1, await index.RefreshAsync([Someone], _ => Standings(), CancellationToken.None));
        Assert.Equal(0, index.StandingOf(Someone).OpenCount);
        Assert.Equal(0, index.NipCount);
        // A refresh that finds what the index already holds says it changed nothing (reconciliation counts on it).
        Assert.Equal(0, await index.RefreshAsync([Someone], _ => Standings(), CancellationToken.None));
    }

    [Fact]
    public async Task The_index_keeps_a_block_and_its_start_until_a_refresh_lifts_it()
    {
        var index = new OpenCaseIndex();
        var since = new DateTime(2024, 5, 27, 1, 0, 0, DateTimeKind.Utc);
        index.Load(Someone, new NipStanding(1, since));
        Assert.Equal(new NipStanding(1, since), index.StandingOf(Someone));
        await index.RefreshAsync([Someone], _ => Standings(new NipStanding(1, null)), CancellationToken.None);
        Assert.Equal(new NipStanding(1, null), index.StandingOf(Someone));
        Assert.Single(index.Entries());
    }

    [Fact]
    public async Task Refreshes_of_one_nip_do_not_overlap_so_an_older_count_cannot_win()
    {
        var index = new OpenCaseIndex();
        var slowReadStarted = new TaskCompletionSource();
        var releaseSlowRead = new TaskCompletionSource();
        var slow = index.RefreshAsync([Someone], async _ =>
        {
            slowReadStarted.SetResult();
            await releaseSlowRead.Task;
            return await Standings(new NipStanding(1, null)); // read before the second write committed
        }, CancellationToken.None);
        await slowReadStarted.Task;
        // A batch that includes the NIP waits for the slower single refresh, whatever other NIPs it holds.
        var fresh = index.RefreshAsync([Other, Someone], _ => Standings(new NipStanding(2, null), new NipStanding(1, null)), CancellationToken.None);
        Assert.False(fresh.IsCompleted);
        releaseSlowRead.SetResult();
        await Task.WhenAll(slow, fresh);
        Assert.Equal(2, index.StandingOf(Someone).OpenCount);
        Assert.Equal(1, index.StandingOf(Other).OpenCount);
    }

    [Fact]
    public async Task A_batch_refresh_clears_the_nips_the_database_no_longer_names()
    {
        var index = new OpenCaseIndex();
        index.Load(Someone, new NipStanding(1, null));
        index.Load(Other, new NipStanding(1, null));
        // The reading names only Other: Someone has neither an open case nor a block any more.
        Assert.Equal(2, await index.RefreshAsync([Someone, Other], _ => Task.FromResult<IReadOnlyDictionary<Nip, NipStanding>>(
            new Dictionary<Nip, NipStanding> { [Other] = new(3, null) }), CancellationToken.None));
        Assert.Equal(NipStanding.Clear, index.StandingOf(Someone));
        Assert.Equal(3, index.StandingOf(Other).OpenCount);
    }

    /// <summary>A database reading for Someone (and Other, when given a second standing).</summary>
    private static Task<IReadOnlyDictionary<Nip, NipStanding>> Standings(NipStanding? someone = null, NipStanding? other = null)
    {
        var standings = new Dictionary<Nip, NipStanding>();
        if (someone is { } s && s != NipStanding.Clear)
        {
            standings[Someone] = s;
        }
        if (other is { } o)
        {
            standings[Other] = o;
        }
        return Task.FromResult<IReadOnlyDictionary<Nip, NipStanding>>(standings);
    }

    [Theory]
    [InlineData("\"1\"", true)]
    [InlineData("\"123456789\"", true)]
    [InlineData("1", false)]
    [InlineData("\"\"", false)]
    [InlineData("\"12a\"", false)]
    [InlineData("garbage", false)]
    public void Only_etags_of_the_issued_form_are_well_formed(string etag, bool wellFormed) =>
        Assert.Equal(wellFormed, NeutralityCase.IsWellFormedEtag(etag));

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

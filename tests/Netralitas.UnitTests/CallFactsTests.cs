using Netralitas.Gateway.Audit;
using Netralitas.Domain.Audit;
using Netralitas.V1;

namespace Netralitas.UnitTests;

/// <summary>What the audit trail records of a call, read from its messages.</summary>
public class CallFactsTests
{
    [Fact]
    public void NipsComeFromNipFieldsListsRowsAndPersonnelNamesInOrder()
    {
        var facts = new CallFacts();
        facts.ObserveRequest(new CheckOpenCasesRequest { Nips = { "198609262015051001", "not-a-nip", "012345678901234567" } });
        facts.ObserveRequest(new GetPersonnelRequest { Name = "personnel/197001012000031002" });
        facts.ObserveRequest(new ImportPersonnelRequest { Rows = { new PersonnelRow { NipBaru = "196201021994021997" } } });
        facts.ObserveAnswer(new HasOpenCaseResponse { Nip = "198609262015051001" });

        Assert.Equal(
            ["198609262015051001", "not-a-nip", "012345678901234567", "197001012000031002", "196201021994021997"],
            facts.Nips);
    }

    [Fact]
    public void ABulkStreamKeepsItsNipsAsGivenRepeatsIncluded()
    {
        var facts = new CallFacts();
        var nips = Enumerable.Range(0, 5_000).Select(i => (198609262015051001L + i).ToString()).ToArray();
        facts.ObserveRequest(new CheckOpenCasesRequest { Nips = { nips } });
        facts.ObserveRequest(new CheckOpenCasesRequest { Nips = { nips[0], nips[0] } });
        Assert.Equal([.. nips, nips[0], nips[0]], facts.Nips);
    }

    [Fact]
    public void CaseIdsComeFromCaseNamesAndIdsOnceEach()
    {
        var facts = new CallFacts();
        facts.ObserveRequest(new GetCaseRequest { Name = "cases/0190a5e6-0000-7000-8000-000000000001" });
        facts.ObserveAnswer(new Case { Name = "cases/0190a5e6-0000-7000-8000-000000000001", CaseId = "0190a5e6-0000-7000-8000-000000000001", Nip = "198609262015051001" });
        facts.ObserveAnswer(new ListRecommendationsResponse
        {
            Recommendations = { new Recommendation { Name = "recommendations/r1", Case = "cases/0190a5e6-0000-7000-8000-000000000002" } },
        });

        Assert.Equal(["0190a5e6-0000-7000-8000-000000000001", "0190a5e6-0000-7000-8000-000000000002"], facts.CaseIds);
        Assert.Equal(["198609262015051001"], facts.Nips);
    }

    [Fact]
    public void TheRequestIdIsTheCallersNotOneInAnAnswer()
    {
        var facts = new CallFacts();
        facts.ObserveRequest(new GetCaseRequest { Name = "cases/x" });
        facts.ObserveAnswer(new FileCaseRequest { RequestId = "from-an-answer" });
        Assert.Null(facts.RequestId);

        facts.ObserveRequest(new FileCaseRequest { RequestId = "3f2b8c1e-6d4a-4b7e-9c1f-2a5d8e7b6c40" });
        Assert.Equal("3f2b8c1e-6d4a-4b7e-9c1f-2a5d8e7b6c40", facts.RequestId);
    }
}

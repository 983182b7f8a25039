using Grpc.Core;
using Netralitas.V1;

namespace Netralitas.IntegrationTests;

/// <summary>
/// Calls through the secure gateway land in the audit trail as the auditor reads them: who, which
/// method, which NIPs and cases, the outcome and the request id — refused calls and bulk streams too.
/// </summary>
public sealed class AuditedCallsContract(SecureGateway gateway) : IClassFixture<SecureGateway>
{
    private AuditService.AuditServiceClient Auditor => new(gateway.AsMember("inspektorat"));

    private async Task<AuditEntry> OnlyEntryAsync(string nip, string method)
    {
        AuditEntry? found = null;
        await Poll.UntilAsync(async () =>
        {
            var entries = (await Auditor.ListAuditEntriesAsync(new ListAuditEntriesRequest { Nip = nip, Method = method })).Entries;
            found = entries.Count == 1 ? entries[0] : null;
            return found is not null;
        }, TimeSpan.FromSeconds(10));
        return found!;
    }

    [Fact]
    public async Task AnAnsweredQuestionIsRecordedWithCallerNipOutcomeAndRequestId()
    {
        var nip = Reports.NewNip();
        var cases = new CaseService.CaseServiceClient(gateway.AsMember("pemprov-33"));
        using var call = cases.HasOpenCaseAsync(new HasOpenCaseRequest { Nip = nip }, new Metadata { { "x-request-id", "provinsi-33-0001" } });
        await call.ResponseAsync;
        Assert.Equal("provinsi-33-0001", (await call.ResponseHeadersAsync).GetValue("x-request-id"));

        var entry = await OnlyEntryAsync(nip, "/netralitas.v1.CaseService/HasOpenCase");
        Assert.Equal("pemprov-33", entry.CallerId);
        Assert.Equal("ClientCertificate", entry.CallerProof);
        Assert.Equal("OK", entry.Status);
        Assert.Equal("provinsi-33-0001", entry.RequestId);
        Assert.Equal([nip], entry.Nips);
    }

    [Fact]
    public async Task RefusedCallsAreRecordedToo()
    {
        var nip = Reports.NewNip();
        var denied = await Assert.ThrowsAsync<RpcException>(() =>
            new CaseService.CaseServiceClient(gateway.AsMember("pemprov-33")).ListCasesAsync(new ListCasesRequest { Nip = nip }).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
        var entry = await OnlyEntryAsync(nip, "/netralitas.v1.CaseService/ListCases");
        Assert.Equal(("pemprov-33", "PermissionDenied"), (entry.CallerId, entry.Status));

        var other = Reports.NewNip();
        await Assert.ThrowsAsync<RpcException>(() =>
            new CaseService.CaseServiceClient(gateway.Anonymous).HasOpenCaseAsync(new HasOpenCaseRequest { Nip = other }).ResponseAsync);
        var anonymous = await OnlyEntryAsync(other, "/netralitas.v1.CaseService/HasOpenCase");
        Assert.Equal(("anonymous", "None", "Unauthenticated"), (anonymous.CallerId, anonymous.CallerProof, anonymous.Status));
    }

    [Fact]
    public async Task AFiledCaseIsRecordedWithItsCaseIdAndTheMessagesRequestId()
    {
        var nip = Reports.NewNip();
        var requestId = Guid.NewGuid().ToString();
        var filed = await new CaseService.CaseServiceClient(gateway.AsMember("bawaslu-ri"))
            .FileCaseAsync(new FileCaseRequest { Case = Reports.NewCase(nip), RequestId = requestId });
        var entry = await OnlyEntryAsync(nip, "/netralitas.v1.CaseService/FileCase");
        Assert.Equal(("bawaslu-ri", "OK", requestId), (entry.CallerId, entry.Status, entry.RequestId));
        Assert.Equal([filed.CaseId], entry.CaseIds);
    }

    [Fact]
    public async Task ABulkStreamIsOneEntryThatEachOfItsNipsFinds()
    {
        var nips = Enumerable.Range(0, 5_000).Select(_ => Reports.NewNip()).ToArray();
        using (var bulk = new CaseService.CaseServiceClient(gateway.Anonymous).CheckOpenCases(gateway.BearerFor("bkn-siasn")))
        {
            foreach (var chunk in nips.Chunk(1_000))
            {
                await bulk.RequestStream.WriteAsync(new CheckOpenCasesRequest { Nips = { chunk } });
            }
            await bulk.RequestStream.CompleteAsync();
            while (await bulk.ResponseStream.MoveNext(CancellationToken.None))
            {
            }
        }
        var first = await OnlyEntryAsync(nips[0], "/netralitas.v1.CaseService/CheckOpenCases");
        var last = await OnlyEntryAsync(nips[^1], "/netralitas.v1.CaseService/CheckOpenCases");
        Assert.Equal(first.Sequence, last.Sequence);
        Assert.Equal(("bkn-siasn", "BearerToken", 5_000L, true), (first.CallerId, first.CallerProof, first.NipCount, first.Bulk));
        Assert.Empty(first.Nips);

        var verified = await Auditor.VerifyAuditTrailAsync(new VerifyAuditTrailRequest());
        Assert.True(verified.Intact, string.Join("; ", verified.Problems.Select(p => p.Description)));
    }
}

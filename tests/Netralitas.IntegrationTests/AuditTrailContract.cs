using Netralitas.Gateway.Audit;
using System.Security.Cryptography;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Netralitas.Data;
using Netralitas.V1;
using AuditRecord = Netralitas.Domain.Audit.AuditRecord;
using IAuditTrail = Netralitas.Domain.Audit.IAuditTrail;

namespace Netralitas.IntegrationTests;

/// <summary>
/// The audit trail through AuditService over real gRPC, run once per provider on a shared gateway.
/// Entries are appended through IAuditTrail as the security interceptor will append them; other calls
/// may add entries of their own to the same trail, so every assertion picks its entries by a caller
/// id, a NIP or a time window that no other test uses.
/// </summary>
public abstract class AuditTrailContract(GatewayHost host)
{
    private readonly AuditService.AuditServiceClient _audit = new(host.Channel);

    [Fact]
    public async Task A_nip_finds_the_calls_about_it_including_a_bulk_stream_of_100000()
    {
        var caller = AuditSteps.NewCaller();
        var (asked, listed, streamedOnly) = (Reports.NewNip(), Reports.NewNip(), Reports.NewNip());
        await AuditSteps.RecordAsync(host, AuditSteps.Record(caller, nips: [asked]));
        await AuditSteps.RecordAsync(host, AuditSteps.Record(caller, nips: [listed, asked, listed]));
        var stream = Enumerable.Range(0, 100_000).Select(AuditSteps.FillerNip).ToList();
        stream.Insert(31_337, asked);
        stream.Insert(77_777, streamedOnly);
        await AuditSteps.RecordAsync(host, AuditSteps.Record(caller, nips: stream, method: "/netralitas.v1.CaseService/CheckOpenCases"));

        var byAsked = await AuditSteps.ListAllAsync(_audit, new ListAuditEntriesRequest { Nip = asked });
        Assert.Equal(new long[] { 1, 3, 100_002 }, byAsked.Select(e => e.NipCount));
        Assert.True(byAsked.Select(e => e.Sequence).SequenceEqual(byAsked.Select(e => e.Sequence).Order()));
        Assert.Equal(new[] { asked }, byAsked[0].Nips);
        Assert.Equal(new[] { listed, asked, listed }, byAsked[1].Nips);
        var bulk = byAsked[2];
        Assert.True(bulk.Bulk);
        Assert.Empty(bulk.Nips);
        Assert.Equal(32, bulk.NipBlobDigest.Length);
        Assert.Equal(Domain.Audit.AuditEncoding.NipDigest(stream), bulk.NipDigest.ToByteArray());

        Assert.Equal(new long[] { 3 }, (await AuditSteps.ListAllAsync(_audit, new ListAuditEntriesRequest { Nip = listed })).Select(e => e.NipCount));
        Assert.Equal(new[] { bulk.Sequence }, (await AuditSteps.ListAllAsync(_audit, new ListAuditEntriesRequest { Nip = streamedOnly })).Select(e => e.Sequence));
        Assert.Empty((await _audit.ListAuditEntriesAsync(new ListAuditEntriesRequest { Nip = Reports.NewNip() })).Entries);
        // Other filters narrow a NIP search, in bulk entries too.
        Assert.Single(await AuditSteps.ListAllAsync(_audit, new ListAuditEntriesRequest { Nip = asked, Method = "/netralitas.v1.CaseService/CheckOpenCases" }));
        Assert.Empty(await AuditSteps.ListAllAsync(_audit, new ListAuditEntriesRequest { Nip = streamedOnly, CallerId = AuditSteps.NewCaller() }));
    }

    [Fact]
    public async Task Entries_are_found_by_caller_by_time_window_and_by_method()
    {
        var caller = AuditSteps.NewCaller();
        var window = AuditSteps.UnusedTimeWindow();
        for (var i = 0; i < 3; i++)
        {
            await AuditSteps.RecordAsync(host, AuditSteps.Record(caller, time: window.AddSeconds(i), method: $"/netralitas.v1.AuditTest/Step{i}"));
        }
        var other = AuditSteps.NewCaller();
        await AuditSteps.RecordAsync(host, AuditSteps.Record(other, time: window.AddSeconds(1)));

        var byCaller = await AuditSteps.ListAllAsync(_audit, new ListAuditEntriesRequest { CallerId = caller });
        Assert.Equal(new[] { "/netralitas.v1.AuditTest/Step0", "/netralitas.v1.AuditTest/Step1", "/netralitas.v1.AuditTest/Step2" }, byCaller.Select(e => e.Method));

        var middle = await AuditSteps.ListAllAsync(_audit, new ListAuditEntriesRequest
        {
            StartTime = Timestamp.FromDateTime(window.AddSeconds(1)),
            EndTime = Timestamp.FromDateTime(window.AddSeconds(2)),
        });
        Assert.Equal(new[] { other, caller }.Order(), middle.Select(e => e.CallerId).Order());
        var mine = await AuditSteps.ListAllAsync(_audit, new ListAuditEntriesRequest
        {
            CallerId = caller,
            StartTime = Timestamp.FromDateTime(window.AddSeconds(1)),
        });
        Assert.Equal(new[] { "/netralitas.v1.AuditTest/Step1", "/netralitas.v1.AuditTest/Step2" }, mine.Select(e => e.Method));
        var byMethod = await AuditSteps.ListAllAsync(_audit, new ListAuditEntriesRequest { CallerId = caller, Method = "/netralitas.v1.AuditTest/Step2" });
        Assert.Equal(window.AddSeconds(2), Assert.Single(byMethod).Time.ToDateTime());
    }

    [Fact]
    public async Task An_entry_lists_every_stored_field()
    {
        var caller = AuditSteps.NewCaller();
        var nip = Reports.NewNip();
        var time = AuditSteps.UnusedTimeWindow().AddTicks(1_234_567); // 123,456.7 µs: kept to the microsecond
        await AuditSteps.RecordAsync(host, new AuditRecord(time, caller, "BearerToken", "/netralitas.v1.CaseService/DecideCase",
            [nip], ["0193a1b2-0000-7000-8000-00000000000a", "0193a1b2-0000-7000-8000-00000000000b"], nameof(StatusCode.PermissionDenied), "req-42", null));
        await AuditSteps.RecordAsync(host, AuditSteps.Record(caller, peer: "ipv6:[::1]:41000"));

        var entries = await AuditSteps.ListAllAsync(_audit, new ListAuditEntriesRequest { CallerId = caller });
        var denied = entries[0];
        Assert.Equal(time.AddTicks(-7), denied.Time.ToDateTime());
        Assert.Equal("BearerToken", denied.CallerProof);
        Assert.Equal("/netralitas.v1.CaseService/DecideCase", denied.Method);
        Assert.Equal("PermissionDenied", denied.Status);
        Assert.Equal("req-42", denied.RequestId);
        Assert.False(denied.HasPeer);
        Assert.Equal(new[] { "0193a1b2-0000-7000-8000-00000000000a", "0193a1b2-0000-7000-8000-00000000000b" }, denied.CaseIds);
        Assert.Equal(new[] { nip }, denied.Nips);
        Assert.Equal(1, denied.NipCount);
        Assert.False(denied.Bulk);
        Assert.Equal(CallProtocol.Grpc, denied.Protocol);
        Assert.True(denied.NipBlobDigest.IsEmpty);
        Assert.Equal(32, denied.Hash.Length);
        Assert.Equal("ipv6:[::1]:41000", entries[1].Peer);
        Assert.Equal("OK", entries[1].Status);

        var verified = await _audit.VerifyAuditTrailAsync(new VerifyAuditTrailRequest { FirstSequence = denied.Sequence, LastSequence = entries[1].Sequence });
        Assert.True(verified.Intact);
        Assert.Equal(entries[1].Hash, verified.LastHash);
    }

    [Fact]
    public async Task Pages_continue_after_the_last_entry_and_their_tokens_are_bound_to_the_filters()
    {
        var caller = AuditSteps.NewCaller();
        for (var i = 0; i < 7; i++)
        {
            await AuditSteps.RecordAsync(host, AuditSteps.Record(caller));
        }
        var request = new ListAuditEntriesRequest { CallerId = caller, PageSize = 3 };
        var sizes = new List<int>();
        var sequences = new List<long>();
        do
        {
            var page = await _audit.ListAuditEntriesAsync(request);
            sizes.Add(page.Entries.Count);
            sequences.AddRange(page.Entries.Select(e => e.Sequence));
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken != "");
        Assert.Equal(new[] { 3, 3, 1 }, sizes);
        Assert.Equal(sequences.Order(), sequences);
        Assert.Equal(7, sequences.Distinct().Count());

        var first = await _audit.ListAuditEntriesAsync(new ListAuditEntriesRequest { CallerId = caller, PageSize = 3 });
        await RpcAssert.InvalidArgumentAsync(() => _audit.ListAuditEntriesAsync(
            new ListAuditEntriesRequest { CallerId = AuditSteps.NewCaller(), PageSize = 3, PageToken = first.NextPageToken }).ResponseAsync, "page_token");
        await RpcAssert.InvalidArgumentAsync(() => _audit.ListAuditEntriesAsync(
            new ListAuditEntriesRequest { CallerId = caller, PageToken = "bm90LWEtdG9rZW4" }).ResponseAsync, "page_token");
    }

    [Fact]
    public async Task A_page_of_calls_with_many_nips_stops_at_the_nip_budget()
    {
        var caller = AuditSteps.NewCaller();
        var nips = Enumerable.Range(0, 1000).Select(AuditSteps.FillerNip).ToArray();
        await Task.WhenAll(Enumerable.Range(0, 101).Select(_ => AuditSteps.RecordAsync(host, AuditSteps.Record(caller, nips: nips))));

        var first = await _audit.ListAuditEntriesAsync(new ListAuditEntriesRequest { CallerId = caller, PageSize = 1000 });
        Assert.Equal(100, first.Entries.Count);
        Assert.All(first.Entries, e => Assert.Equal(1000, e.Nips.Count));
        var rest = await _audit.ListAuditEntriesAsync(new ListAuditEntriesRequest { CallerId = caller, PageSize = 1000, PageToken = first.NextPageToken });
        Assert.Single(rest.Entries);
        Assert.Equal("", rest.NextPageToken);
    }

    [Fact]
    public async Task Invalid_filters_and_ranges_are_refused_naming_each_field()
    {
        await RpcAssert.InvalidArgumentAsync(() => _audit.ListAuditEntriesAsync(new ListAuditEntriesRequest
        {
            Nip = "12345",
            CallerId = "bad\u0007caller",
            Method = new string('m', 201),
            StartTime = Timestamp.FromDateTime(new DateTime(2024, 1, 2, 0, 0, 0, DateTimeKind.Utc)),
            EndTime = Timestamp.FromDateTime(new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc)),
            PageSize = -1,
        }).ResponseAsync, "nip", "caller_id", "method", "end_time", "page_size");
        await RpcAssert.InvalidArgumentAsync(() => _audit.ListAuditEntriesAsync(new ListAuditEntriesRequest
        {
            StartTime = new Timestamp { Seconds = 0, Nanos = -1 },
            EndTime = new Timestamp { Seconds = 300_000_000_000 },
        }).ResponseAsync, "start_time", "end_time");

        await RpcAssert.InvalidArgumentAsync(() => _audit.VerifyAuditTrailAsync(
            new VerifyAuditTrailRequest { FirstSequence = -1, LastSequence = -2 }).ResponseAsync, "first_sequence", "last_sequence");
        await RpcAssert.InvalidArgumentAsync(() => _audit.VerifyAuditTrailAsync(
            new VerifyAuditTrailRequest { FirstSequence = 9, LastSequence = 3 }).ResponseAsync, "last_sequence");
        await RpcAssert.InvalidArgumentAsync(() => _audit.VerifyAuditTrailAsync(new VerifyAuditTrailRequest
        {
            FirstSequence = 1,
            StartTime = Timestamp.FromDateTime(new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc)),
        }).ResponseAsync, "start_time");
    }

    [Fact]
    public async Task Concurrent_records_form_one_contiguous_intact_chain()
    {
        var caller = AuditSteps.NewCaller();
        var nips = Enumerable.Range(0, 50).Select(_ => Reports.NewNip()).ToArray();
        await Task.WhenAll(Enumerable.Range(0, 50).Select(task => Task.Run(async () =>
        {
            for (var i = 0; i < 40; i++)
            {
                await AuditSteps.RecordAsync(host, AuditSteps.Record(caller, nips: [nips[task]]));
            }
        })));

        var mine = await AuditSteps.ListAllAsync(_audit, new ListAuditEntriesRequest { CallerId = caller, PageSize = 1000 });
        Assert.Equal(2000, mine.Select(e => e.Sequence).Distinct().Count());
        Assert.Equal(40, (await AuditSteps.ListAllAsync(_audit, new ListAuditEntriesRequest { Nip = nips[17] })).Count);

        var verified = await _audit.VerifyAuditTrailAsync(new VerifyAuditTrailRequest());
        Assert.True(verified.Intact, string.Join("; ", verified.Problems));
        Assert.Equal(1, verified.FirstSequence);
        Assert.Equal(verified.LastSequence, verified.EntriesChecked);
        Assert.InRange(mine[^1].Sequence, mine[0].Sequence, verified.LastSequence);
    }

    [Fact]
    public async Task A_time_window_verifies_the_entries_from_its_first_to_its_last()
    {
        var caller = AuditSteps.NewCaller();
        var window = AuditSteps.UnusedTimeWindow();
        for (var i = 0; i < 4; i++)
        {
            await AuditSteps.RecordAsync(host, AuditSteps.Record(caller, time: window.AddMinutes(i)));
        }
        var mine = await AuditSteps.ListAllAsync(_audit, new ListAuditEntriesRequest { CallerId = caller });

        var verified = await _audit.VerifyAuditTrailAsync(new VerifyAuditTrailRequest
        {
            StartTime = Timestamp.FromDateTime(window.AddMinutes(1)),
            EndTime = Timestamp.FromDateTime(window.AddMinutes(3)),
        });
        Assert.True(verified.Intact);
        Assert.Equal(mine[1].Sequence, verified.FirstSequence);
        Assert.Equal(mine[2].Sequence, verified.LastSequence);
        Assert.Equal(mine[2].Sequence - mine[1].Sequence + 1, verified.EntriesChecked);
        Assert.Equal(mine[2].Hash, verified.LastHash);

        var none = await _audit.VerifyAuditTrailAsync(new VerifyAuditTrailRequest { EndTime = Timestamp.FromDateTime(new DateTime(1999, 1, 1, 0, 0, 0, DateTimeKind.Utc)) });
        Assert.True(none.Intact);
        Assert.Equal(0, none.EntriesChecked);
    }
}

public sealed class AuditTrailOnSqlite(SqliteGateway gateway) : AuditTrailContract(gateway.Host), IClassFixture<SqliteGateway>;

public sealed class AuditTrailOnPostgres(PostgresGateway gateway) : AuditTrailContract(gateway.Host), IClassFixture<PostgresGateway>;

/// <summary>
/// Tampering, failures and several writers, each on a fresh database of the provider (a tampered
/// trail would fail every later verification of a shared one).
/// </summary>
public abstract class AuditTamperContract<TDatabase> where TDatabase : ITestDatabase, new()
{
    [Fact]
    public async Task Altering_one_row_is_named_altered_at_exactly_that_sequence()
    {
        await using var trail = await FreshTrail.StartAsync(new TDatabase());
        var entries = await trail.RecordFiveAsync(StatusCode.PermissionDenied);

        await trail.ExecuteSqlAsync("UPDATE audit_entries SET \"Status\" = 'OK' WHERE \"Sequence\" = {0}", entries[2].Sequence);

        var verified = await trail.VerifyAsync();
        Assert.False(verified.Intact);
        var problem = Assert.Single(verified.Problems);
        Assert.Equal((AuditProblemKind.Altered, entries[2].Sequence, entries[2].Sequence), (problem.Kind, problem.Sequence, problem.LastSequence));
        Assert.Equal(1, verified.ProblemCount);
    }

    [Fact]
    public async Task Removing_a_nip_row_of_an_entry_is_named_altered()
    {
        await using var trail = await FreshTrail.StartAsync(new TDatabase());
        var entries = await trail.RecordFiveAsync(StatusCode.OK);

        await trail.ExecuteSqlAsync("DELETE FROM audit_entry_nips WHERE \"EntrySequence\" = {0}", entries[1].Sequence);

        var problem = Assert.Single((await trail.VerifyAsync()).Problems);
        Assert.Equal((AuditProblemKind.Altered, entries[1].Sequence), (problem.Kind, problem.Sequence));
    }

    [Fact]
    public async Task Deleting_one_row_is_named_missing()
    {
        await using var trail = await FreshTrail.StartAsync(new TDatabase());
        var entries = await trail.RecordFiveAsync(StatusCode.OK);

        await trail.ExecuteSqlAsync("DELETE FROM audit_entries WHERE \"Sequence\" = {0}", entries[2].Sequence);

        var verified = await trail.VerifyAsync();
        var problem = Assert.Single(verified.Problems);
        Assert.Equal((AuditProblemKind.Missing, entries[2].Sequence, entries[2].Sequence), (problem.Kind, problem.Sequence, problem.LastSequence));
        Assert.Equal(verified.LastSequence - 1, verified.EntriesChecked);
    }

    [Fact]
    public async Task Altering_a_row_and_recomputing_its_hash_breaks_the_next_entrys_link()
    {
        await using var trail = await FreshTrail.StartAsync(new TDatabase());
        var entries = await trail.RecordFiveAsync(StatusCode.OK);

        await trail.RewriteCallerAsync(entries[2].Sequence, "someone-else");

        var problem = Assert.Single((await trail.VerifyAsync()).Problems);
        Assert.Equal((AuditProblemKind.BrokenLink, entries[3].Sequence), (problem.Kind, problem.Sequence));
    }

    [Fact]
    public async Task Rewriting_the_last_entry_with_its_hash_does_not_match_the_chain_head()
    {
        await using var trail = await FreshTrail.StartAsync(new TDatabase());
        await trail.RecordFiveAsync(StatusCode.OK);
        var last = await trail.HeadSequenceAsync();

        await trail.RewriteCallerAsync(last, "someone-else");

        var verified = await trail.VerifyAsync(new VerifyAuditTrailRequest { LastSequence = last });
        var problem = Assert.Single(verified.Problems);
        Assert.Equal((AuditProblemKind.HeadMismatch, last), (problem.Kind, problem.Sequence));
    }

    [Fact]
    public async Task Tampering_a_bulk_blob_is_named_altered()
    {
        await using var trail = await FreshTrail.StartAsync(new TDatabase());
        var caller = AuditSteps.NewCaller();
        var nip = Reports.NewNip();
        var stream = Enumerable.Range(0, 5000).Select(AuditSteps.FillerNip).Append(nip).ToArray();
        await trail.RecordAsync(AuditSteps.Record(caller, nips: stream));
        var bulk = Assert.Single(await trail.ListAsync(new ListAuditEntriesRequest { CallerId = caller }));
        Assert.True(bulk.Bulk);

        // Take the NIP out of the blob, as someone hiding that the call asked about it would.
        await trail.ExecuteSqlAsync("UPDATE audit_bulk_nips SET \"Nips\" = {0} WHERE \"EntrySequence\" = {1}",
            Domain.Audit.BulkNipSet.Pack(stream[..^1]), bulk.Sequence);

        var problem = Assert.Single((await trail.VerifyAsync()).Problems);
        Assert.Equal((AuditProblemKind.Altered, bulk.Sequence), (problem.Kind, problem.Sequence));
        Assert.Contains("blob", problem.Description);
    }

    [Fact]
    public async Task A_database_failure_fails_the_waiting_calls_and_later_records_continue_the_chain()
    {
        await using var trail = await FreshTrail.StartAsync(new TDatabase());
        var caller = AuditSteps.NewCaller();
        await trail.RecordAsync(AuditSteps.Record(caller));
        trail.Host.ExpectErrors("Audit trail: a batch");

        await trail.ExecuteSqlAsync("ALTER TABLE audit_entries RENAME TO audit_entries_away");
        var failed = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            Record.ExceptionAsync(() => trail.RecordAsync(AuditSteps.Record(caller)))));
        await trail.ExecuteSqlAsync("ALTER TABLE audit_entries_away RENAME TO audit_entries");

        Assert.All(failed, e => Assert.IsType<Domain.Audit.AuditTrailUnavailableException>(e));
        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => trail.RecordAsync(AuditSteps.Record(caller))));
        Assert.Equal(21, (await trail.ListAsync(new ListAuditEntriesRequest { CallerId = caller })).Count);
        var verified = await trail.VerifyAsync();
        Assert.True(verified.Intact, string.Join("; ", verified.Problems));
    }

    [Fact]
    public async Task A_stopping_gateway_writes_what_is_queued_and_then_takes_no_more()
    {
        await using var trail = await FreshTrail.StartAsync(new TDatabase());
        var caller = AuditSteps.NewCaller();
        var queued = Enumerable.Range(0, 3000).Select(_ => trail.RecordAsync(AuditSteps.Record(caller))).ToArray();

        await trail.Host.StopAsync();

        await Task.WhenAll(queued);
        await Assert.ThrowsAsync<Domain.Audit.AuditTrailUnavailableException>(() => trail.RecordAsync(AuditSteps.Record(caller)));
        await using var scope = trail.Host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NetralitasDbContext>();
        Assert.Equal(3000, await db.AuditEntries.CountAsync(e => e.CallerId == caller));
    }

    [Fact]
    public async Task Two_gateways_on_one_database_append_to_one_intact_chain()
    {
        await using var database = new TDatabase();
        await using var first = await GatewayHost.StartAsync(database.Settings);
        await first.WaitUntilServingAsync();
        await using var second = await GatewayHost.StartAsync(database.Settings);
        await second.WaitUntilServingAsync();
        var callers = new[] { AuditSteps.NewCaller(), AuditSteps.NewCaller() };

        await Task.WhenAll(new[] { first, second }.SelectMany((host, replica) => Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 50; i++)
            {
                await AuditSteps.RecordAsync(host, AuditSteps.Record(callers[replica], nips: [Reports.NewNip()]));
            }
        }))));

        var audit = new AuditService.AuditServiceClient(second.Channel);
        var entries = new List<V1.AuditEntry>();
        foreach (var caller in callers)
        {
            entries.AddRange(await AuditSteps.ListAllAsync(audit, new ListAuditEntriesRequest { CallerId = caller, PageSize = 1000 }));
        }
        Assert.Equal(2000, entries.Select(e => e.Sequence).Distinct().Count());
        var verified = await audit.VerifyAuditTrailAsync(new VerifyAuditTrailRequest());
        Assert.True(verified.Intact, string.Join("; ", verified.Problems));
        Assert.Equal(verified.LastSequence, verified.EntriesChecked);
        Assert.True(entries.Max(e => e.Sequence) <= verified.LastSequence);
    }

    /// <summary>A gateway on its own fresh database, for a test that tampers with its trail.</summary>
    private sealed class FreshTrail : IAsyncDisposable
    {
        private readonly ITestDatabase _database;
        private readonly AuditService.AuditServiceClient _audit;

        private FreshTrail(ITestDatabase database, GatewayHost host)
        {
            _database = database;
            Host = host;
            _audit = new AuditService.AuditServiceClient(host.Channel);
        }

        public GatewayHost Host { get; }

        public static async Task<FreshTrail> StartAsync(ITestDatabase database)
        {
            var host = await GatewayHost.StartAsync(database.Settings);
            await host.WaitUntilServingAsync();
            return new FreshTrail(database, host);
        }

        public Task RecordAsync(AuditRecord record) => AuditSteps.RecordAsync(Host, record);

        /// <summary>Five entries of one new caller, each with a NIP of its own.</summary>
        public async Task<List<V1.AuditEntry>> RecordFiveAsync(StatusCode status)
        {
            var caller = AuditSteps.NewCaller();
            for (var i = 0; i < 5; i++)
            {
                await RecordAsync(AuditSteps.Record(caller, nips: [Reports.NewNip()], status: status));
            }
            return await ListAsync(new ListAuditEntriesRequest { CallerId = caller });
        }

        public Task<List<V1.AuditEntry>> ListAsync(ListAuditEntriesRequest request) => AuditSteps.ListAllAsync(_audit, request);

        public async Task<VerifyAuditTrailResponse> VerifyAsync(VerifyAuditTrailRequest? request = null) =>
            await _audit.VerifyAuditTrailAsync(request ?? new VerifyAuditTrailRequest());

        public async Task<long> HeadSequenceAsync()
        {
            await using var scope = Host.Services.CreateAsyncScope();
            return (await scope.ServiceProvider.GetRequiredService<Domain.Audit.IAuditStore>().ReadHeadAsync(CancellationToken.None)).Sequence;
        }

        public async Task ExecuteSqlAsync(string sql, params object[] parameters)
        {
            await using var scope = Host.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<NetralitasDbContext>().Database.ExecuteSqlRawAsync(sql, parameters);
        }

        /// <summary>Changes an entry's caller and stores the hash of the changed fields, as a careful forger would.</summary>
        public async Task RewriteCallerAsync(long sequence, string callerId)
        {
            await using var scope = Host.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<NetralitasDbContext>();
            var e = await db.AuditEntries.AsNoTracking().SingleAsync(x => x.Sequence == sequence);
            var forged = new Domain.Audit.AuditEntry
            {
                Sequence = e.Sequence, Time = e.Time, CallerId = callerId, CallerProof = e.CallerProof, Method = e.Method,
                Status = e.Status, RequestId = e.RequestId, Peer = e.Peer, CaseIds = e.CaseIds, NipCount = e.NipCount,
                NipDigest = e.NipDigest, Bulk = e.Bulk, NipBlobDigest = e.NipBlobDigest, PreviousHash = e.PreviousHash, Protocol = e.Protocol,
            };
            await db.Database.ExecuteSqlRawAsync("UPDATE audit_entries SET \"CallerId\" = {0}, \"Hash\" = {1} WHERE \"Sequence\" = {2}",
                callerId, Domain.Audit.AuditEncoding.EntryHash(e.PreviousHash, forged), sequence);
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                await Host.DisposeAsync();
            }
            finally
            {
                await _database.DisposeAsync();
            }
        }
    }
}

public sealed class AuditTamperOnSqlite : AuditTamperContract<SqliteTestDatabase>;

public sealed class AuditTamperOnPostgres : AuditTamperContract<PostgresTestDatabase>;

internal static class AuditSteps
{
    private static long _windows;

    public static string NewCaller() => $"audit-test-{Guid.NewGuid():N}";

    /// <summary>18 digits that are never a valid NIP (birth year 0000), so no other test asks for them.</summary>
    public static string FillerNip(int i) => $"00000000{i:D10}";

    /// <summary>A minute-aligned hour in 2001 that no other test in this run records in.</summary>
    public static DateTime UnusedTimeWindow() =>
        new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddHours(Interlocked.Increment(ref _windows));

    public static AuditRecord Record(
        string caller, DateTime? time = null, IReadOnlyList<string>? nips = null, string method = "/netralitas.v1.CaseService/GetCase",
        StatusCode status = StatusCode.OK, string? peer = "ipv4:127.0.0.1:50000") =>
        new(time ?? DateTime.UtcNow, caller, "ClientCertificate", method, nips ?? [], [], status.ToString(), Guid.NewGuid().ToString(), peer);

    public static Task RecordAsync(GatewayHost host, AuditRecord record) =>
        host.Services.GetRequiredService<IAuditTrail>().RecordAsync(record, CancellationToken.None);

    public static async Task<List<V1.AuditEntry>> ListAllAsync(AuditService.AuditServiceClient audit, ListAuditEntriesRequest request)
    {
        var entries = new List<V1.AuditEntry>();
        var next = request.Clone();
        do
        {
            var page = await audit.ListAuditEntriesAsync(next);
            entries.AddRange(page.Entries);
            next.PageToken = page.NextPageToken;
        }
        while (next.PageToken != "");
        return entries;
    }
}

using Grpc.Core;
using Netralitas.Simulator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Netralitas.Data;
using ImportReport = Netralitas.Domain.Personnel.ImportReport;
using IPersonnelStore = Netralitas.Domain.Personnel.IPersonnelStore;
using PersonnelImport = Netralitas.Domain.Personnel.PersonnelImport;
using Netralitas.V1;

namespace Netralitas.IntegrationTests;

/// <summary>
/// The SIASN adapter against the simulator over real HTTP: tokens, retries, the circuit breaker,
/// the outbox relay's exactly-once effect, dead letters, personnel lookups and the import.
/// </summary>
public abstract class SiasnContract<TDatabase> where TDatabase : ITestDatabase, new()
{
    private static readonly DateOnly Decided = new(2024, 3, 21);
    private static readonly DateOnly[] LadderDays = [new(2024, 4, 30), new(2024, 5, 7), new(2024, 5, 16), new(2024, 5, 27)];

    [Fact]
    public async Task Reads_survive_token_expiry_revocation_and_a_burst_of_5xx()
    {
        await using var database = new TDatabase();
        await using var simulator = await SiasnSimulator.StartAsync(new SiasnSimulatorOptions { TokenLifetime = TimeSpan.FromSeconds(3) });
        await using var host = await StartGatewayAsync(database, simulator);
        var personnel = new PersonnelService.PersonnelServiceClient(host.Channel);

        // Revoked tokens: the call meets a 401, renews both tokens and succeeds.
        await personnel.GetPersonnelAsync(new GetPersonnelRequest { Name = $"personnel/{Reports.NewNip()}" });
        simulator.State.RevokeTokens();
        var afterRevocation = await personnel.GetPersonnelAsync(new GetPersonnelRequest { Name = $"personnel/{Reports.NewNip()}" });
        Assert.NotEmpty(afterRevocation.FullName);
        Assert.True(simulator.State.UnauthorizedAnswers >= 1, $"401s {simulator.State.UnauthorizedAnswers}, tokens {simulator.State.GatewayTokensIssued}/{simulator.State.SsoTokensIssued}, calls {simulator.State.ApiCalls}");

        // Tokens of 3 s, renewed 1 s before expiry: 12 lookups over ~6 s, none fails.
        for (var i = 0; i < 12; i++)
        {
            var nip = Reports.NewNip();
            var record = await personnel.GetPersonnelAsync(new GetPersonnelRequest { Name = $"personnel/{nip}" });
            Assert.Equal(SyntheticPersonnel.For(nip).Nama, record.FullName);
            Assert.Equal(PersonnelSyncState.Synced, record.SyncState);
            await Task.Delay(500);
        }
        Assert.True(simulator.State.GatewayTokensIssued >= 4, $"gateway tokens issued: {simulator.State.GatewayTokensIssued}, SSO {simulator.State.SsoTokensIssued}, 401s {simulator.State.UnauthorizedAnswers}");
        Assert.True(simulator.State.SsoTokensIssued >= 4);

        // A burst of 503s: the reads are retried (the full view makes four reads).
        var calls = simulator.State.ApiCalls;
        simulator.State.FailNext(2, 503);
        var full = await personnel.GetPersonnelAsync(new GetPersonnelRequest { Name = $"personnel/{Reports.NewNip()}", View = PersonnelView.Full });
        Assert.NotEmpty(full.PositionHistory);
        Assert.Equal(SyntheticPersonnel.For(full.Nip).JabatanNama, full.PositionHistory.Last().Title);
        Assert.True(simulator.State.ApiCalls >= calls + 4);

        // Unknown in SIASN: NOT_FOUND, and remembered as such.
        var unknown = Reports.NewNip();
        simulator.State.Faults = simulator.State.Faults with { UnknownNips = new HashSet<string> { unknown } };
        await RpcAssert.StatusAsync(StatusCode.NotFound, () => personnel.GetPersonnelAsync(new GetPersonnelRequest { Name = $"personnel/{unknown}" }).ResponseAsync);
        await RpcAssert.InvalidArgumentAsync(() => personnel.GetPersonnelAsync(new GetPersonnelRequest { Name = "personnel/123" }).ResponseAsync, "name");
        await RpcAssert.InvalidArgumentAsync(() => personnel.GetPersonnelAsync(new GetPersonnelRequest { Name = "cases/123" }).ResponseAsync, "name");
    }

    [Fact]
    public async Task Through_an_outage_every_block_release_and_write_back_lands_exactly_once()
    {
        await using var database = new TDatabase();
        await using var simulator = await SiasnSimulator.StartAsync(new SiasnSimulatorOptions());
        var clock = GatewayHost.ShiftedClock.At(Decided);
        await using var host = await StartGatewayAsync(database, simulator, clock);
        ExpectOutageErrors(host);
        var (cases, recommendations, compliance, outbox, personnel) = Clients(host);
        var instansi = $"S-{Guid.NewGuid():N}"[..20];

        var issued = new List<(string Name, string Nip)>();
        for (var i = 0; i < 6; i++)
        {
            clock.MoveTo(Decided);
            var (proven, _) = await RecommendationSteps.ProvenCaseAsync(cases, instansi: instansi);
            clock.MoveTo(new DateOnly(2024, 4, 5));
            var recommendation = await recommendations.IssueRecommendationAsync(RecommendationSteps.Issue(proven, instansi));
            issued.Add((recommendation.Name, proven.Nip));
        }
        foreach (var day in LadderDays[..^1])
        {
            clock.MoveTo(day);
            await compliance.RunEscalationAsync(new RunEscalationRequest { PpkInstansiCode = instansi });
        }

        // SIASN goes down just before the blocks are decided.
        simulator.State.Faults = simulator.State.Faults with { OutageUntil = DateTimeOffset.UtcNow.AddSeconds(5) };
        clock.MoveTo(LadderDays[^1]);
        var blocking = await compliance.RunEscalationAsync(new RunEscalationRequest { PpkInstansiCode = instansi });
        Assert.Equal(6, blocking.Steps.Count(s => s.Kind == FollowUpEventKind.Blocked));
        await Task.Delay(1000);
        var waiting = await personnel.GetBlockStatusAsync(new GetBlockStatusRequest { Nip = issued[0].Nip });
        Assert.True(waiting.Blocked);
        Assert.False(waiting.BlockedInSiasn);
        Assert.Equal(BlockReferenceState.BlockRequested, waiting.References.Single().State);

        await Poll.UntilAsync(() => issued.All(r => simulator.State.IsBlocked(r.Nip)), TimeSpan.FromSeconds(60));
        Assert.True(host.Logged("not counted as an attempt"), "the circuit breaker should have held deliveries back");
        await Poll.UntilAsync(async () => (await personnel.GetBlockStatusAsync(new GetBlockStatusRequest { Nip = issued[0].Nip })).BlockedInSiasn, TimeSpan.FromSeconds(10));

        // Compliant decrees: each releases its block and writes the sanction to SIASN's history.
        clock.MoveTo(new DateOnly(2024, 5, 28));
        foreach (var (name, _) in issued)
        {
            await recommendations.RecordFollowUpAsync(RecommendationSteps.FollowUp(name, SanctionLevel.HdBerat, 5, 28));
        }
        await Poll.UntilAsync(async () => (await outbox.ListOutboxMessagesAsync(new ListOutboxMessagesRequest
            { State = OutboxMessageState.Pending, PageSize = 1000 })).Messages.Count == 0, TimeSpan.FromSeconds(60));

        var messages = (await outbox.ListOutboxMessagesAsync(new ListOutboxMessagesRequest { PageSize = 1000 })).Messages
            .Where(m => issued.Any(r => r.Nip == m.Nip)).ToList();
        Assert.Equal(18, messages.Count);
        Assert.All(messages, m => Assert.Equal(OutboxMessageState.Delivered, m.State));
        Assert.All(messages, m => Assert.NotEmpty(m.SiasnReceipt));
        var applied = simulator.State.Deliveries.Where(d => d.Applied).ToList();
        foreach (var message in messages)
        {
            Assert.Single(applied, d => d.IdempotencyKey == message.IdempotencyKey);
        }
        foreach (var (_, nip) in issued)
        {
            Assert.False(simulator.State.IsBlocked(nip));
            var entry = Assert.Single(simulator.State.Hukdis(nip));
            Assert.Equal("800/528/2024", entry.SkNomor);
            Assert.Equal("28-05-2024", entry.SkTanggal);
            var status = await personnel.GetBlockStatusAsync(new GetBlockStatusRequest { Nip = nip });
            Assert.False(status.Blocked);
            Assert.False(status.BlockedInSiasn);
            var reference = Assert.Single(status.References);
            Assert.Equal(BlockReferenceState.Released, reference.State);
            Assert.NotNull(reference.Release.DeliverTime);
        }
    }

    [Fact]
    public async Task Killing_the_gateway_mid_delivery_loses_no_command_and_applies_none_twice()
    {
        await using var database = new TDatabase();
        await using var simulator = await SiasnSimulator.StartAsync(new SiasnSimulatorOptions());

        // Twelve blocks decided while no SIASN is configured: they wait in the outbox.
        var clock = GatewayHost.ShiftedClock.At(Decided);
        var nips = new List<string>();
        await using (var offline = await GatewayHost.StartAsync(database.Settings, clock))
        {
            await offline.WaitUntilServingAsync();
            var (cases, recommendations, compliance, _, _) = Clients(offline);
            var instansi = $"K-{Guid.NewGuid():N}"[..20];
            for (var i = 0; i < 12; i++)
            {
                clock.MoveTo(Decided);
                var (proven, _) = await RecommendationSteps.ProvenCaseAsync(cases, instansi: instansi);
                clock.MoveTo(new DateOnly(2024, 4, 5));
                await recommendations.IssueRecommendationAsync(RecommendationSteps.Issue(proven, instansi));
                nips.Add(proven.Nip);
            }
            foreach (var day in LadderDays)
            {
                clock.MoveTo(day);
                await compliance.RunEscalationAsync(new RunEscalationRequest { PpkInstansiCode = instansi });
            }
        }

        // A gateway process delivers them slowly; it is killed once SIASN has taken the first ones.
        simulator.State.Faults = simulator.State.Faults with { Latency = TimeSpan.FromMilliseconds(700) };
        var settings = new Dictionary<string, string?>(database.Settings);
        foreach (var (key, value) in SiasnSettings(simulator))
        {
            settings[key] = value;
        }
        settings["Netralitas:Siasn:Relay:LeaseDuration"] = "00:00:03";
        settings["Netralitas:Siasn:Relay:Concurrency"] = "4";
        using (var process = GatewayProcess.Start(settings))
        {
            await Poll.UntilAsync(() => simulator.State.Deliveries.Count >= 2 || process.HasExited, TimeSpan.FromSeconds(90));
            Assert.False(process.HasExited, "the gateway process ended before delivering");
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        var beforeRestart = simulator.State.Deliveries.Count;
        Assert.True(beforeRestart < 12, $"all {beforeRestart} delivered before the kill: nothing was interrupted");

        // Started again: every command lands, none twice.
        simulator.State.Faults = simulator.State.Faults with { Latency = TimeSpan.Zero };
        await using var restarted = await StartGatewayAsync(database, simulator, null, ("Netralitas:Siasn:Relay:LeaseDuration", "00:00:03"));
        var outbox = new OutboxService.OutboxServiceClient(restarted.Channel);
        await Poll.UntilAsync(async () => (await outbox.ListOutboxMessagesAsync(new ListOutboxMessagesRequest
            { State = OutboxMessageState.Pending })).Messages.Count == 0, TimeSpan.FromSeconds(60));
        var messages = (await outbox.ListOutboxMessagesAsync(new ListOutboxMessagesRequest { PageSize = 100 })).Messages;
        Assert.Equal(12, messages.Count);
        Assert.All(messages, m => Assert.Equal(OutboxMessageState.Delivered, m.State));
        foreach (var message in messages)
        {
            Assert.Single(simulator.State.Deliveries, d => d.IdempotencyKey == message.IdempotencyKey && d.Applied);
        }
        Assert.All(nips, nip => Assert.True(simulator.State.IsBlocked(nip)));
    }

    [Fact]
    public async Task A_command_SIASN_keeps_refusing_is_dead_lettered_and_can_be_retried()
    {
        await using var database = new TDatabase();
        await using var simulator = await SiasnSimulator.StartAsync(new SiasnSimulatorOptions());
        var clock = GatewayHost.ShiftedClock.At(Decided);
        await using var host = await StartGatewayAsync(database, simulator, clock, ("Netralitas:Siasn:Relay:MaxAttempts", "3"));
        host.ExpectErrors("Dead-lettered");
        var (cases, recommendations, compliance, outbox, personnel) = Clients(host);
        var instansi = $"D-{Guid.NewGuid():N}"[..20];
        var (proven, _) = await RecommendationSteps.ProvenCaseAsync(cases, instansi: instansi);
        simulator.State.Faults = simulator.State.Faults with { RejectWritesForNips = new HashSet<string> { proven.Nip } };
        clock.MoveTo(new DateOnly(2024, 4, 5));
        await recommendations.IssueRecommendationAsync(RecommendationSteps.Issue(proven, instansi));
        foreach (var day in LadderDays)
        {
            clock.MoveTo(day);
            await compliance.RunEscalationAsync(new RunEscalationRequest { PpkInstansiCode = instansi });
        }

        OutboxMessage? dead = null;
        await Poll.UntilAsync(async () => (dead = (await outbox.ListOutboxMessagesAsync(new ListOutboxMessagesRequest
            { Nip = proven.Nip, State = OutboxMessageState.DeadLettered })).Messages.SingleOrDefault()) is not null, TimeSpan.FromSeconds(30));
        Assert.Equal(3, dead!.Attempts);
        Assert.Contains("ditolak", dead.LastError);
        Assert.Equal(BlockReferenceState.DeliveryFailed,
            (await personnel.GetBlockStatusAsync(new GetBlockStatusRequest { Nip = proven.Nip })).References.Single().State);
        await RpcAssert.StatusAsync(StatusCode.NotFound, () => outbox.RetryOutboxMessageAsync(
            new RetryOutboxMessageRequest { Name = "outboxMessages/" + Guid.NewGuid() }).ResponseAsync);
        await RpcAssert.InvalidArgumentAsync(() => outbox.RetryOutboxMessageAsync(new RetryOutboxMessageRequest()).ResponseAsync, "name");

        simulator.State.Faults = simulator.State.Faults with { RejectWritesForNips = new HashSet<string>() };
        var retried = await outbox.RetryOutboxMessageAsync(new RetryOutboxMessageRequest { Name = dead.Name });
        Assert.Equal((OutboxMessageState.Pending, 0), (retried.State, retried.Attempts));
        await Poll.UntilAsync(() => simulator.State.IsBlocked(proven.Nip), TimeSpan.FromSeconds(30));
        await RpcAssert.StatusAsync(StatusCode.FailedPrecondition, () => outbox.RetryOutboxMessageAsync(new RetryOutboxMessageRequest { Name = dead.Name }).ResponseAsync);
    }

    [Fact]
    public async Task A_filed_case_is_stored_while_SIASN_is_down_and_its_record_follows()
    {
        await using var database = new TDatabase();
        await using var simulator = await SiasnSimulator.StartAsync(new SiasnSimulatorOptions());
        await using var host = await StartGatewayAsync(database, simulator);
        ExpectOutageErrors(host);
        var cases = new CaseService.CaseServiceClient(host.Channel);
        var personnel = new PersonnelService.PersonnelServiceClient(host.Channel);

        simulator.State.Faults = simulator.State.Faults with { OutageUntil = DateTimeOffset.UtcNow.AddSeconds(3) };
        var nip = Reports.NewNip();
        var filed = await cases.FileCaseAsync(new FileCaseRequest { Case = Reports.NewCase(nip) });
        Assert.Equal(nip, filed.Nip);

        Personnel? record = null;
        await Poll.UntilAsync(async () =>
        {
            try
            {
                record = await personnel.GetPersonnelAsync(new GetPersonnelRequest { Name = $"personnel/{nip}" });
                return record.SyncState == PersonnelSyncState.Synced;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(60));
        Assert.Equal(SyntheticPersonnel.For(nip).InstansiKerjaNama, record!.InstansiKerjaName);
        Assert.Equal(PersonnelSource.Siasn, record.Source);
    }

    [Fact]
    public async Task An_import_stores_the_good_rows_and_rejects_each_bad_one_with_its_row_and_reason()
    {
        await using var database = new TDatabase();
        await using var host = await GatewayHost.StartAsync(database.Settings);
        await host.WaitUntilServingAsync();
        var personnel = new PersonnelService.PersonnelServiceClient(host.Channel);

        var nips = Enumerable.Range(0, 5).Select(_ => Reports.NewNip()).ToArray();
        PersonnelRow Row(string nip) => new()
        {
            NipBaru = nip, Nama = "Sintetis Ani", TglLahir = $"{nip[6..8]}-{nip[4..6]}-{nip[..4]}", JenisKelamin = nip[14] == '1' ? "Pria" : "Wanita",
            InstansiKerjaId = "3303", InstansiKerjaNama = "Kabupaten Purbalingga", JabatanNama = "Guru Ahli Muda", GolRuangAkhir = "III/c",
        };
        var bad = Row(nips[2]);
        bad.TglLahir = "31-02-1990";
        using (var stream = personnel.ImportPersonnel())
        {
            await stream.RequestStream.WriteAsync(new ImportPersonnelRequest { Rows = { Row(nips[0]), Row(nips[1]), bad } });
            await stream.RequestStream.WriteAsync(new ImportPersonnelRequest { Rows = { Row(nips[3]), new PersonnelRow { NipBaru = "12345", Nama = "X" }, Row(nips[4]) } });
            await stream.RequestStream.CompleteAsync();
            var report = await stream;
            Assert.Equal((6L, 4L, 0L, 0L, 2L), (report.Received, report.Inserted, report.Updated, report.Unchanged, report.Rejected));
            Assert.Equal([(3L, "tglLahir"), (5L, "nipBaru")], report.Rejections.Select(r => (r.Row, r.Field)));
            Assert.Contains("not a date", report.Rejections[0].Reason);
        }
        var stored = await personnel.GetPersonnelAsync(new GetPersonnelRequest { Name = $"personnel/{nips[4]}" });
        Assert.Equal(("Sintetis Ani", PersonnelSource.Import, PersonnelSyncState.NotFetched, "III/c"),
            (stored.FullName, stored.Source, stored.SyncState, stored.Rank));
        await RpcAssert.StatusAsync(StatusCode.NotFound, () => personnel.GetPersonnelAsync(new GetPersonnelRequest { Name = $"personnel/{nips[2]}" }).ResponseAsync);

        // The same rows again: nothing changes; one changed row is an update.
        var changed = Row(nips[0]);
        changed.JabatanNama = "Guru Ahli Madya";
        using (var again = personnel.ImportPersonnel())
        {
            await again.RequestStream.WriteAsync(new ImportPersonnelRequest { Rows = { changed, Row(nips[1]), Row(nips[3]) } });
            await again.RequestStream.CompleteAsync();
            var report = await again;
            Assert.Equal((3L, 0L, 1L, 2L, 0L), (report.Received, report.Inserted, report.Updated, report.Unchanged, report.Rejected));
        }
        Assert.Equal("Guru Ahli Madya", (await personnel.GetPersonnelAsync(new GetPersonnelRequest { Name = $"personnel/{nips[0]}" })).PositionTitle);
    }

    [Fact]
    public async Task An_uploaded_export_that_is_not_readable_CSV_is_refused_naming_its_line_and_imports_nothing()
    {
        await using var database = new TDatabase();
        await using var host = await GatewayHost.StartAsync(database.Settings);
        await host.WaitUntilServingAsync();
        var personnel = new PersonnelService.PersonnelServiceClient(host.Channel);
        var (first, second) = (Reports.NewNip(), Reports.NewNip());
        Task Upload(byte[] file, string contentType = "text/csv") => personnel.UploadPersonnelExportAsync(new UploadPersonnelExportRequest
        {
            File = new Google.Api.HttpBody { ContentType = contentType, Data = Google.Protobuf.ByteString.CopyFrom(file) },
        }).ResponseAsync;
        var good = $"nipBaru,nama\n{first},Sintetis Ani\n";

        var quoting = await RpcAssert.InvalidArgumentAsync(() => Upload(System.Text.Encoding.UTF8.GetBytes(good + $"{second},\"Sintetis Budi\n")), "file");
        Assert.StartsWith("line 3: a quoted field is never closed", quoting[0].Description);
        var encoding = await RpcAssert.InvalidArgumentAsync(() => Upload([.. System.Text.Encoding.UTF8.GetBytes(good + $"{second},Sintetis B"), 0xFF, (byte)'\n']), "file");
        Assert.StartsWith("line 3: byte 0xFF", encoding[0].Description);
        await RpcAssert.InvalidArgumentAsync(() => Upload(System.Text.Encoding.UTF8.GetBytes("nama\nSintetis Ani\n")), "file");
        await RpcAssert.InvalidArgumentAsync(() => Upload(System.Text.Encoding.UTF8.GetBytes(good), "application/json"), "file.content_type");
        await RpcAssert.InvalidArgumentAsync(() => Upload([]), "file");

        foreach (var nip in new[] { first, second }) // the good first row of each refused file was not stored either
        {
            await RpcAssert.StatusAsync(StatusCode.NotFound, () => personnel.GetPersonnelAsync(new GetPersonnelRequest { Name = $"personnel/{nip}" }).ResponseAsync);
        }
    }

    [Fact]
    public async Task An_import_stream_that_pauses_has_committed_its_rows_and_holds_no_write_lock()
    {
        await using var database = new TDatabase();
        await using var host = await GatewayHost.StartAsync(database.Settings);
        await host.WaitUntilServingAsync();
        var personnel = new PersonnelService.PersonnelServiceClient(host.Channel);
        var cases = new CaseService.CaseServiceClient(host.Channel);

        // One full batch of the import, then the sender pauses with the stream still open.
        var nips = SyntheticPersonnel.Nips(PersonnelImport.DefaultBatchSize, seed: Random.Shared.Next()).ToArray();
        using var stream = personnel.ImportPersonnel();
        foreach (var chunk in nips.Chunk(1_000))
        {
            var request = new ImportPersonnelRequest();
            request.Rows.AddRange(chunk.Select(nip => ToRow(SyntheticPersonnel.For(nip))));
            await stream.RequestStream.WriteAsync(request);
        }

        // The batch is committed without waiting for more rows: its last NIP can be read.
        await Poll.UntilAsync(async () =>
        {
            try
            {
                await personnel.GetPersonnelAsync(new GetPersonnelRequest { Name = $"personnel/{nips[^1]}" });
                return true;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(30));
        // And the database takes other writes meanwhile.
        var filed = await cases.FileCaseAsync(new FileCaseRequest { Case = Reports.NewCase(Reports.NewNip()) },
            deadline: DateTime.UtcNow.AddSeconds(5));
        Assert.NotEmpty(filed.Name);

        await stream.RequestStream.CompleteAsync();
        var report = await stream;
        Assert.Equal(((long)nips.Length, (long)nips.Length, 0L), (report.Received, report.Inserted, report.Rejected));
    }

    [Fact]
    public async Task An_import_of_many_batches_counts_each_row_once_and_a_repeat_writes_only_what_changed()
    {
        await using var database = new TDatabase();
        await using var host = await GatewayHost.StartAsync(database.Settings);
        await host.WaitUntilServingAsync();
        var rows = SyntheticPersonnel.Nips(55, seed: Random.Shared.Next())
            .Select(nip => ToDomainRow(SyntheticPersonnel.For(nip))).ToList();

        var first = await ImportInBatchesOfTenAsync(host, rows);
        Assert.Equal((55L, 55L, 0L, 0L, 0L), (first.Received, first.Inserted, first.Updated, first.Unchanged, first.Rejected));

        for (var i = 0; i < rows.Count; i += 11)
        {
            rows[i] = rows[i] with { JabatanNama = $"Jabatan uji impor {i}" }; // in no synthetic record
        }
        var again = await ImportInBatchesOfTenAsync(host, rows);
        Assert.Equal((55L, 0L, 5L, 50L), (again.Received, again.Inserted, again.Updated, again.Unchanged));

        var personnel = new PersonnelService.PersonnelServiceClient(host.Channel);
        foreach (var (row, i) in rows.Select((r, i) => (r, i)))
        {
            var stored = await personnel.GetPersonnelAsync(new GetPersonnelRequest { Name = $"personnel/{row.NipBaru}" });
            Assert.Equal((row.Nama, row.JabatanNama), (stored.FullName, stored.PositionTitle));
        }
    }

    /// <summary>Through the gateway's own import and store, in batches of ten (the stream's are 20,000).</summary>
    internal static async Task<ImportReport> ImportInBatchesOfTenAsync(GatewayHost host, IEnumerable<Domain.Personnel.PersonnelRow> rows)
    {
        await using var scope = host.Services.CreateAsyncScope();
        await using var import = new PersonnelImport(scope.ServiceProvider.GetRequiredService<IPersonnelStore>(), TimeProvider.System, batchSize: 10);
        long line = 0;
        foreach (var row in rows)
        {
            await import.AddAsync(++line, row, CancellationToken.None);
        }
        return await import.CompleteAsync(CancellationToken.None);
    }

    internal static Domain.Personnel.PersonnelRow ToDomainRow(Netralitas.Adapters.Siasn.SiasnDataUtama r) => new()
    {
        NipBaru = r.NipBaru, Id = r.Id, Nama = r.Nama, TglLahir = r.TglLahir, JenisKelamin = r.JenisKelamin,
        JenisPegawaiNama = r.JenisPegawaiNama, InstansiIndukId = r.InstansiIndukId, InstansiIndukNama = r.InstansiIndukNama,
        InstansiKerjaId = r.InstansiKerjaId, InstansiKerjaNama = r.InstansiKerjaNama, UnorId = r.UnorId, UnorNama = r.UnorNama,
        JabatanNama = r.JabatanNama, JenisJabatan = r.JenisJabatan, GolRuangAkhir = r.GolRuangAkhir, KedudukanPnsNama = r.KedudukanPnsNama,
    };

    private static PersonnelRow ToRow(Netralitas.Adapters.Siasn.SiasnDataUtama r) => new()
    {
        NipBaru = r.NipBaru, Id = r.Id, Nama = r.Nama, TglLahir = r.TglLahir, JenisKelamin = r.JenisKelamin,
        JenisPegawaiNama = r.JenisPegawaiNama, InstansiIndukId = r.InstansiIndukId, InstansiIndukNama = r.InstansiIndukNama,
        InstansiKerjaId = r.InstansiKerjaId, InstansiKerjaNama = r.InstansiKerjaNama, UnorId = r.UnorId, UnorNama = r.UnorNama,
        JabatanNama = r.JabatanNama, JenisJabatan = r.JenisJabatan, GolRuangAkhir = r.GolRuangAkhir, KedudukanPnsNama = r.KedudukanPnsNama,
    };

    /// <summary>Polly logs an opening circuit, and a last retry that failed, as errors: in an outage they are expected.</summary>
    internal static void ExpectOutageErrors(GatewayHost host)
    {
        host.ExpectErrors("Resilience event occurred. EventName: 'OnCircuitOpened'");
        host.ExpectErrors("Execution attempt. Source:");
    }

    internal static async Task<GatewayHost> StartGatewayAsync(
        ITestDatabase database, RunningSiasnSimulator simulator, TimeProvider? clock = null, params (string Key, string? Value)[] extra)
    {
        var settings = new Dictionary<string, string?>(database.Settings);
        foreach (var (key, value) in SiasnSettings(simulator).Concat(extra))
        {
            settings[key] = value;
        }
        var host = await GatewayHost.StartAsync(settings, clock);
        await host.WaitUntilServingAsync();
        return host;
    }

    /// <summary>Remote mode against the simulator, with timings short enough for a test.</summary>
    internal static IEnumerable<(string, string?)> SiasnSettings(RunningSiasnSimulator simulator) =>
        simulator.ClientSettings().Select(s => (s.Key, s.Value)).Concat(
    [
        ("Netralitas:Siasn:Mode", "Remote"),
        ("Netralitas:Siasn:TokenRefreshMargin", "00:00:01"),
        ("Netralitas:Siasn:Resilience:Retry:Delay", "00:00:00.050"),
        ("Netralitas:Siasn:Resilience:AttemptTimeout:Timeout", "00:00:02"),
        ("Netralitas:Siasn:Resilience:TotalRequestTimeout:Timeout", "00:00:08"),
        ("Netralitas:Siasn:Resilience:CircuitBreaker:MinimumThroughput", "4"),
        ("Netralitas:Siasn:Resilience:CircuitBreaker:SamplingDuration", "00:00:05"),
        ("Netralitas:Siasn:Resilience:CircuitBreaker:BreakDuration", "00:00:01"),
        ("Netralitas:Siasn:Relay:PollInterval", "00:00:00.050"),
        ("Netralitas:Siasn:Relay:BaseBackoff", "00:00:00.200"),
        ("Netralitas:Siasn:Relay:MaxBackoff", "00:00:01"),
        ("Netralitas:Siasn:Relay:LeaseDuration", "00:00:10"),
        ("Netralitas:Siasn:PersonnelSync:Interval", "00:00:00.200"),
        ("Netralitas:Siasn:PersonnelSync:FailureBackoff", "00:00:00.500"),
    ]);

    private static (CaseService.CaseServiceClient, RecommendationService.RecommendationServiceClient, ComplianceService.ComplianceServiceClient,
        OutboxService.OutboxServiceClient, PersonnelService.PersonnelServiceClient) Clients(GatewayHost host) =>
        (new(host.Channel), new(host.Channel), new(host.Channel), new(host.Channel), new(host.Channel));
}

public sealed class SiasnOnSqlite : SiasnContract<SqliteTestDatabase>
{
    [Fact]
    public async Task Import_counts_do_not_depend_on_what_the_connection_inserted_before()
    {
        await using var database = new SqliteTestDatabase();
        await using var host = await GatewayHost.StartAsync(database.Settings);
        await host.WaitUntilServingAsync();
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NetralitasDbContext>();
        await db.Database.OpenConnectionAsync();
        // The connection's last insert rowid is left at the rowid the first imported record gets:
        // an import that told inserts from updates by a change of it would count that one as updated.
        await db.Database.ExecuteSqlRawAsync(
            "CREATE TEMP TABLE earlier (x); INSERT INTO temp.earlier (rowid, x) VALUES ((SELECT coalesce(max(rowid), 0) + 1 FROM personnel), 0);");

        await using var import = new PersonnelImport(scope.ServiceProvider.GetRequiredService<IPersonnelStore>(), TimeProvider.System);
        var nips = SyntheticPersonnel.Nips(3, seed: Random.Shared.Next()).ToArray();
        for (var i = 0; i < nips.Length; i++)
        {
            await import.AddAsync(i + 1, ToDomainRow(SyntheticPersonnel.For(nips[i])), CancellationToken.None);
        }
        var report = await import.CompleteAsync(CancellationToken.None);
        Assert.Equal((3L, 0L), (report.Inserted, report.Updated));
    }
}

public sealed class SiasnOnPostgres : SiasnContract<PostgresTestDatabase>;

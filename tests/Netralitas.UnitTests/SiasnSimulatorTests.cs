using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Netralitas.Adapters.Siasn;
using Netralitas.Simulator;

namespace Netralitas.UnitTests;

/// <summary>The SIASN simulator without HTTP: synthetic personnel, the CSV export, and the state's write and token logic.</summary>
public sealed class SiasnSimulatorTests
{
    private const string Nip = "198609262015051001";

    [Fact]
    public void Nips_are_distinct_valid_and_the_same_for_the_same_seed()
    {
        var nips = SyntheticPersonnel.Nips(200_000).ToList();

        Assert.Equal(nips, SyntheticPersonnel.Nips(200_000, seed: 1));
        Assert.Equal(nips.Count, nips.Distinct().Count());
        Assert.NotEqual(nips.Take(100), SyntheticPersonnel.Nips(100, seed: 2));
        foreach (var text in nips)
        {
            Assert.True(Netralitas.Domain.Nip.TryParse(text, out var nip, out var error), $"{text}: {error}");
            Assert.InRange(nip.BirthDate, new DateOnly(1960, 1, 1), new DateOnly(2000, 12, 31));
            Assert.True(nip.AppointmentMonth > nip.BirthDate.AddYears(18), $"{text}: appointed before 18");
            Assert.True(nip.AppointmentMonth <= new DateOnly(2024, 12, 1), $"{text}: appointed after 2024");
        }
    }

    [Fact]
    public void A_record_is_deterministic_synthetic_and_read_from_its_nip()
    {
        var record = SyntheticPersonnel.For(Nip);

        Assert.Equal(JsonSerializer.Serialize(record), JsonSerializer.Serialize(SyntheticPersonnel.For(Nip)));
        Assert.Equal(Nip, record.NipBaru);
        Assert.StartsWith("Sintetis ", record.Nama);
        Assert.Equal("26-09-1986", record.TglLahir);
        Assert.Equal("Pria", record.JenisKelamin);
        Assert.Equal("Wanita", SyntheticPersonnel.For("198609262015052001").JenisKelamin);
        Assert.Contains(record.JenisJabatan, new[] { "Struktural", "Fungsional Tertentu", "Fungsional Umum" });
        Assert.Contains(record.JenisPegawaiNama, new[] { "PNS Daerah", "PNS Pusat" });
        Assert.Matches("^(II|III|IV)/[a-e]$", record.GolRuangAkhir);
        Assert.Equal("Aktif", record.KedudukanPnsNama);
        Assert.True(Guid.TryParse(record.Id, out _));
        Assert.NotEqual(record.Id, SyntheticPersonnel.For("198609262015051002").Id);
    }

    [Fact]
    public void A_synthetic_id_leads_back_to_its_nip_and_nothing_else_does()
    {
        foreach (var nip in SyntheticPersonnel.Nips(1_000, seed: 7))
        {
            Assert.Equal(nip, SyntheticPersonnel.NipOfId(SyntheticPersonnel.For(nip).Id));
        }
        Assert.Null(SyntheticPersonnel.NipOfId(Guid.NewGuid().ToString()));
        Assert.Null(SyntheticPersonnel.NipOfId("not a guid"));
    }

    [Fact]
    public void Position_history_ends_at_the_current_position_in_date_order()
    {
        var record = SyntheticPersonnel.For(Nip);

        var history = SyntheticPersonnel.PositionHistory(record);

        Assert.InRange(history.Count, 2, 3);
        Assert.Equal(record.JabatanNama, history[^1].NamaJabatan);
        Assert.Equal(record.JenisJabatan, history[^1].JenisJabatan);
        Assert.Equal("01-05-2015", history[0].TmtJabatan);
        var dates = history.Select(h => SiasnDates.TryRead(h.TmtJabatan)!.Value).ToList();
        Assert.Equal(dates.Order(), dates);
    }

    [Fact]
    public void Csv_export_has_the_header_one_quoted_line_per_person_and_is_deterministic()
    {
        var csv = Csv(2_000);

        Assert.Equal(csv, Csv(2_000));
        var lines = csv.Split("\r\n");
        Assert.Equal("", lines[^1]);
        Assert.Equal(string.Join(',', SyntheticPersonnel.CsvColumns), lines[0]);
        Assert.Equal(2_001, lines.Length - 1);
        var rows = lines[1..^1].Select(ParseCsvLine).ToList();
        Assert.All(rows, row => Assert.Equal(SyntheticPersonnel.CsvColumns.Count, row.Count));
        Assert.Equal(SyntheticPersonnel.Nips(2_000), rows.Select(row => row[0]));
        Assert.Contains(rows, row => row[2].Contains(','));
        var first = SyntheticPersonnel.For(rows[0][0]);
        Assert.Equal([first.NipBaru, first.Id, first.Nama, first.TglLahir, first.JenisKelamin], rows[0].Take(5));
    }

    [Fact]
    public void A_block_is_applied_once_per_idempotency_key_and_answered_the_same_again()
    {
        var state = new SiasnSimulatorState(new SiasnSimulatorOptions());

        var first = state.Block(Command("rek-1"), "key-1");
        var again = state.Block(Command("rek-1"), "key-1");
        var otherKeySameReference = state.Block(Command("rek-1"), "key-2");

        Assert.True(first.Success);
        Assert.Equal(Json(first), Json(again));
        Assert.Equal(Json(first), Json(otherKeySameReference));
        Assert.Equal(["rek-1"], state.BlockReferences(Nip));
        Assert.Equal([true, false, true], state.Deliveries.Select(d => d.Applied));
        Assert.All(state.Deliveries, d => Assert.Equal(("block", Nip, "rek-1"), (d.Kind, d.Nip, d.Reference)));
    }

    [Fact]
    public void The_data_stays_blocked_until_every_reference_is_released()
    {
        var state = new SiasnSimulatorState(new SiasnSimulatorOptions());
        state.Block(Command("rek-1"), "b1");
        state.Block(Command("rek-2"), "b2");

        var partly = state.Release(Command("rek-1"), "r1");
        Assert.True(state.IsBlocked(Nip));
        Assert.Equal(["rek-2"], state.BlockReferences(Nip));
        Assert.True(partly.MapData!.Value.GetProperty("blocked").GetBoolean());

        var fully = state.Release(Command("rek-2"), "r2");
        Assert.False(state.IsBlocked(Nip));
        Assert.False(fully.MapData!.Value.GetProperty("blocked").GetBoolean());
    }

    [Fact]
    public void A_rejected_write_changes_nothing_and_does_not_use_up_its_key()
    {
        var state = new SiasnSimulatorState(new SiasnSimulatorOptions
        {
            Faults = new SimulatorFaults { RejectWritesForNips = new HashSet<string> { Nip } },
        });

        var rejected = state.Block(Command("rek-1"), "key-1");
        Assert.False(rejected.Success);
        Assert.Contains($"NIP {Nip} ditolak", rejected.Message);
        Assert.False(state.IsBlocked(Nip));

        state.Faults = new SimulatorFaults();
        Assert.True(state.Block(Command("rek-1"), "key-1").Success);
        Assert.True(state.IsBlocked(Nip));
        Assert.Equal([false, true], state.Deliveries.Select(d => d.Applied));
    }

    [Fact]
    public void Hukdis_is_saved_for_a_known_person_once_per_key()
    {
        var state = new SiasnSimulatorState(new SiasnSimulatorOptions());
        var entry = new SiasnHukdisCreate
        {
            PnsOrangId = SyntheticPersonnel.For(Nip).Id,
            JenisTingkatHukumanId = "B",
            SkNomor = "800/12/2024",
            HukumanTanggal = "01-07-2024",
            MasaTahun = "1",
        };

        var first = state.SaveHukdis(entry, "h1");
        var again = state.SaveHukdis(entry, "h1");

        Assert.True(first.Success);
        Assert.Equal(Json(first), Json(again));
        var saved = Assert.Single(state.Hukdis(Nip));
        Assert.Equal(first.MapData!.Value.GetProperty("rwHukdisId").GetString(), saved.Id);
        Assert.Equal(("800/12/2024", "01-07-2025"), (saved.SkNomor, saved.AkhirHukumTanggal));
        Assert.Equal("pnsOrangId tidak ditemukan", state.SaveHukdis(new SiasnHukdisCreate { PnsOrangId = Guid.NewGuid().ToString() }, null).Message);
    }

    [Fact]
    public void A_put_record_replaces_the_synthetic_one_and_its_id()
    {
        var state = new SiasnSimulatorState(new SiasnSimulatorOptions());
        var syntheticId = SyntheticPersonnel.For(Nip).Id;

        state.Put(new SiasnDataUtama { Id = "orang-1", NipBaru = Nip, Nama = "Ditulis Tes" });

        Assert.Equal("Ditulis Tes", state.Record(Nip)!.Nama);
        Assert.True(state.SaveHukdis(new SiasnHukdisCreate { PnsOrangId = "orang-1" }, null).Success);
        Assert.False(state.SaveHukdis(new SiasnHukdisCreate { PnsOrangId = syntheticId }, null).Success);
        state.Faults = new SimulatorFaults { UnknownNips = new HashSet<string> { Nip } };
        Assert.Null(state.Record(Nip));
    }

    [Fact]
    public void Fail_next_answers_the_next_calls_then_stops_and_impossible_faults_are_refused()
    {
        var state = new SiasnSimulatorState(new SiasnSimulatorOptions());

        state.FailNext(2, 429);

        Assert.Equal([429, 429, null], new[] { state.TakeFailure(), state.TakeFailure(), state.TakeFailure() });
        Assert.Throws<ArgumentException>(() => state.Faults = new SimulatorFaults { ErrorRate = 1.5 });
    }

    [Fact]
    public void A_token_is_good_until_it_expires_or_is_revoked_and_only_in_its_own_header()
    {
        var clock = new ManualClock(new DateTimeOffset(2024, 6, 3, 8, 0, 0, TimeSpan.Zero));
        var state = new SiasnSimulatorState(new SiasnSimulatorOptions { TokenLifetime = TimeSpan.FromMinutes(5) }, clock);
        var gateway = state.Tokens.Issue(TokenKind.Gateway, state.Options.TokenLifetime);
        var sso = state.Tokens.Issue(TokenKind.Sso, state.Options.TokenLifetime);

        Assert.True(state.Tokens.Authorize(Headers(gateway, sso)));
        Assert.False(state.Tokens.Authorize(Headers(sso, gateway)));
        clock.Now += TimeSpan.FromMinutes(5);
        Assert.False(state.Tokens.Authorize(Headers(gateway, sso)));

        clock.Now -= TimeSpan.FromMinutes(1);
        Assert.True(state.Tokens.Authorize(Headers(gateway, sso)));
        state.RevokeTokens();
        Assert.False(state.Tokens.Authorize(Headers(gateway, sso)));
        Assert.Equal((1, 1), (state.GatewayTokensIssued, state.SsoTokensIssued));
    }

    private static SiasnBlockCommand Command(string reference) => new() { NipBaru = Nip, Referensi = reference, Alasan = "tes" };

    private static string Json(SiasnWriteEnvelope answer) => JsonSerializer.Serialize(answer);

    private static HeaderDictionary Headers(string gateway, string sso) => new()
    {
        ["Authorization"] = "Bearer " + gateway,
        ["Auth"] = "bearer " + sso,
    };

    private static string Csv(int count)
    {
        var writer = new StringWriter();
        SyntheticPersonnel.WriteCsv(writer, count);
        return writer.ToString();
    }

    /// <summary>One RFC 4180 line (no line breaks inside fields).</summary>
    private static List<string> ParseCsvLine(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted && c == '"' && i + 1 < line.Length && line[i + 1] == '"')
            {
                field.Append('"');
                i++;
            }
            else if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ',' && !quoted)
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }
        fields.Add(field.ToString());
        return fields;
    }

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}

using Netralitas.Adapters.Siasn;
using System.Collections.Concurrent;
using System.Text.Json;

namespace Netralitas.Simulator;

/// <summary>A write the simulator received. <paramref name="Applied"/> is false for a repeated idempotency key or a rejected write.</summary>
/// <param name="Kind"><c>block</c>, <c>release</c> or <c>hukdis</c>.</param>
/// <param name="Nip">The NIP written to; empty when a hukdis <c>pnsOrangId</c> matched nobody.</param>
/// <param name="Reference">The block reference, or the decree number (<c>skNomor</c>) of a hukdis.</param>
public sealed record SimulatorDelivery(string Kind, string Nip, string? IdempotencyKey, string? Reference, bool Applied, DateTimeOffset ReceivedAt);

/// <summary>All the simulator remembers: tokens, faults, counters, personnel overrides, blocks and discipline entries. Thread-safe.</summary>
public sealed class SiasnSimulatorState
{
    public const string BlockKind = "block";
    public const string ReleaseKind = "release";
    public const string HukdisKind = "hukdis";

    private readonly Lock _sync = new();
    private readonly ConcurrentDictionary<string, SiasnDataUtama> _records = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _nipsOfPutIds = new(StringComparer.Ordinal);
    // Everything below is guarded by _sync.
    private readonly Dictionary<string, SiasnWriteEnvelope> _answersByKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedSet<string>> _blocks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<SiasnRwHukdis>> _hukdis = new(StringComparer.Ordinal);
    private readonly List<SimulatorDelivery> _deliveries = [];
    private int _failNextCalls;
    private int _failNextStatus;

    private SimulatorFaults _faults = new();
    private int _unauthorizedAnswers;
    private int _apiCalls;

    public SiasnSimulatorState(SiasnSimulatorOptions options, TimeProvider? clock = null)
    {
        Options = options;
        Clock = clock ?? TimeProvider.System;
        Tokens = new SimulatorTokens(Clock);
        Faults = options.Faults;
    }

    internal SiasnSimulatorOptions Options { get; }
    internal TimeProvider Clock { get; }
    internal SimulatorTokens Tokens { get; }

    /// <summary>The faults in force; setting replaces them at once. Throws <see cref="ArgumentException"/> for impossible faults.</summary>
    public SimulatorFaults Faults
    {
        get => Volatile.Read(ref _faults);
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            if (value.Problem() is { } problem)
            {
                throw new ArgumentException(problem, nameof(value));
            }
            Volatile.Write(ref _faults, value);
        }
    }

    public int GatewayTokensIssued => Tokens.GatewayIssued;
    public int SsoTokensIssued => Tokens.SsoIssued;
    public int UnauthorizedAnswers => Volatile.Read(ref _unauthorizedAnswers);

    /// <summary>API calls that passed authentication, on any path.</summary>
    public int ApiCalls => Volatile.Read(ref _apiCalls);

    /// <summary>The next <paramref name="calls"/> API calls (not token calls) answer <paramref name="statusCode"/>, replacing any burst still pending.</summary>
    public void FailNext(int calls, int statusCode = 503)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(calls);
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 400);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 599);
        lock (_sync)
        {
            _failNextCalls = calls;
            _failNextStatus = statusCode;
        }
    }

    /// <summary>Every token issued so far is invalid from now on.</summary>
    public void RevokeTokens() => Tokens.RevokeAll();

    /// <summary>Adds or replaces the record of <c>record.NipBaru</c>; it wins over the synthetic one.</summary>
    public void Put(SiasnDataUtama record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!SyntheticPersonnel.IsNipShaped(record.NipBaru))
        {
            throw new ArgumentException("the record's nipBaru must have 18 digits", nameof(record));
        }
        _records[record.NipBaru!] = record;
        if (record.Id is not null)
        {
            _nipsOfPutIds[record.Id] = record.NipBaru!;
        }
    }

    public IReadOnlyList<SimulatorDelivery> Deliveries
    {
        get
        {
            lock (_sync)
            {
                return [.. _deliveries];
            }
        }
    }

    public IReadOnlyCollection<string> BlockReferences(string nip)
    {
        lock (_sync)
        {
            return _blocks.TryGetValue(nip, out var references) ? [.. references] : [];
        }
    }

    public bool IsBlocked(string nip) => BlockReferences(nip).Count > 0;

    /// <summary>The discipline entries written for this NIP through hukdis/save, oldest first.</summary>
    public IReadOnlyList<SiasnRwHukdis> Hukdis(string nip)
    {
        lock (_sync)
        {
            return _hukdis.TryGetValue(nip, out var entries) ? [.. entries] : [];
        }
    }

    /// <summary>The record SIASN would answer for a NIP, or null when it has none.</summary>
    internal SiasnDataUtama? Record(string nip) =>
        Faults.UnknownNips.Contains(nip) ? null
        : _records.TryGetValue(nip, out var record) ? record
        : SyntheticPersonnel.For(nip);

    /// <summary>Takes one call of a pending <see cref="FailNext"/> burst: its status code, or null.</summary>
    internal int? TakeFailure()
    {
        lock (_sync)
        {
            if (_failNextCalls == 0)
            {
                return null;
            }
            _failNextCalls--;
            return _failNextStatus;
        }
    }

    internal void CountUnauthorized() => Interlocked.Increment(ref _unauthorizedAnswers);

    /// <summary>Counts an authenticated API call and returns its number, from 1.</summary>
    internal int CountApiCall() => Interlocked.Increment(ref _apiCalls);

    internal SiasnWriteEnvelope Block(SiasnBlockCommand command, string? idempotencyKey) =>
        Write(BlockKind, command.NipBaru, command.Referensi, idempotencyKey, () =>
        {
            if (!_blocks.TryGetValue(command.NipBaru, out var references))
            {
                _blocks[command.NipBaru] = references = new SortedSet<string>(StringComparer.Ordinal);
            }
            references.Add(command.Referensi);
            return BlockAnswer(command.NipBaru, references);
        });

    internal SiasnWriteEnvelope Release(SiasnBlockCommand command, string? idempotencyKey) =>
        Write(ReleaseKind, command.NipBaru, command.Referensi, idempotencyKey, () =>
        {
            if (_blocks.TryGetValue(command.NipBaru, out var references) && references.Remove(command.Referensi) && references.Count == 0)
            {
                _blocks.Remove(command.NipBaru);
            }
            return BlockAnswer(command.NipBaru, references ?? []);
        });

    internal SiasnWriteEnvelope SaveHukdis(SiasnHukdisCreate entry, string? idempotencyKey)
    {
        var nip = NipOfPnsOrangId(entry.PnsOrangId);
        if (nip is null)
        {
            lock (_sync)
            {
                _deliveries.Add(new SimulatorDelivery(HukdisKind, "", idempotencyKey, entry.SkNomor, false, Clock.GetUtcNow()));
            }
            return Failure("pnsOrangId tidak ditemukan");
        }
        return Write(HukdisKind, nip, entry.SkNomor, idempotencyKey, () =>
        {
            var written = HukdisEntry(entry);
            if (!_hukdis.TryGetValue(nip, out var entries))
            {
                _hukdis[nip] = entries = [];
            }
            entries.Add(written);
            return Success(new { rwHukdisId = written.Id });
        });
    }

    internal SimulatorStateSummary Summary()
    {
        lock (_sync)
        {
            return new SimulatorStateSummary(
                GatewayTokensIssued, SsoTokensIssued, UnauthorizedAnswers, ApiCalls, Faults,
                _failNextCalls == 0 ? null : new PendingFailures(_failNextCalls, _failNextStatus),
                _blocks.Select(b => new BlockedNip(b.Key, [.. b.Value])).OrderBy(b => b.NipBaru, StringComparer.Ordinal).ToList(),
                _hukdis.ToDictionary(h => h.Key, h => h.Value.Count),
                [.. _deliveries]);
        }
    }

    /// <summary>
    /// One write, atomically: a key seen before gets the first answer again; a NIP whose writes are
    /// rejected gets a refusal; anything else is applied. Every write is recorded as a delivery.
    /// </summary>
    private SiasnWriteEnvelope Write(string kind, string nip, string? reference, string? idempotencyKey, Func<SiasnWriteEnvelope> apply)
    {
        var keySlot = idempotencyKey is null ? null : kind + "\n" + idempotencyKey;
        lock (_sync)
        {
            SiasnWriteEnvelope answer;
            var applied = false;
            if (keySlot is not null && _answersByKey.TryGetValue(keySlot, out var earlier))
            {
                answer = earlier;
            }
            else if (Faults.RejectWritesForNips.Contains(nip))
            {
                answer = Failure($"NIP {nip} ditolak: data sedang dikunci untuk verifikasi (simulasi)");
            }
            else
            {
                answer = apply();
                applied = true;
                if (keySlot is not null)
                {
                    _answersByKey[keySlot] = answer;
                }
            }
            _deliveries.Add(new SimulatorDelivery(kind, nip, idempotencyKey, reference, applied, Clock.GetUtcNow()));
            return answer;
        }
    }

    /// <summary>The NIP of a known personnel record's id: one that was Put, or a synthetic one still served.</summary>
    private string? NipOfPnsOrangId(string? id)
    {
        if (id is null)
        {
            return null;
        }
        var nip = _nipsOfPutIds.TryGetValue(id, out var putNip) ? putNip : SyntheticPersonnel.NipOfId(id);
        return nip is not null && Record(nip)?.Id == id ? nip : null;
    }

    private static SiasnRwHukdis HukdisEntry(SiasnHukdisCreate entry) => new()
    {
        Id = Guid.NewGuid().ToString(),
        // The simulator has no table of SIASN's sanction types: the name repeats the type id.
        JenisHukumanNama = entry.JenisHukumanId,
        JenisTingkatHukumanId = entry.JenisTingkatHukumanId,
        SkNomor = entry.SkNomor,
        SkTanggal = entry.SkTanggal,
        HukumanTanggal = entry.HukumanTanggal,
        AkhirHukumTanggal = EndOfSanction(entry),
        Keterangan = entry.Keterangan,
    };

    /// <summary><c>hukumanTanggal</c> plus <c>masaTahun</c> years and <c>masaBulan</c> months, when there is such a term.</summary>
    private static string? EndOfSanction(SiasnHukdisCreate entry)
    {
        var years = int.TryParse(entry.MasaTahun, out var y) ? y : 0;
        var months = int.TryParse(entry.MasaBulan, out var m) ? m : 0;
        return SiasnDates.TryRead(entry.HukumanTanggal) is { } start && (years > 0 || months > 0)
            ? SiasnDates.Write(start.AddYears(years).AddMonths(months))
            : null;
    }

    private static SiasnWriteEnvelope BlockAnswer(string nip, IReadOnlyCollection<string> references) =>
        Success(new { nipBaru = nip, blocked = references.Count > 0, references });

    private static SiasnWriteEnvelope Success(object mapData) => new()
    {
        Success = true,
        Message = "success",
        MapData = JsonSerializer.SerializeToElement(mapData, SimulatorJson.Options),
    };

    internal static SiasnWriteEnvelope Failure(string message) => new() { Success = false, Message = message };
}

internal sealed record SimulatorStateSummary(
    int GatewayTokensIssued,
    int SsoTokensIssued,
    int UnauthorizedAnswers,
    int ApiCalls,
    SimulatorFaults Faults,
    PendingFailures? FailNext,
    IReadOnlyList<BlockedNip> Blocked,
    IReadOnlyDictionary<string, int> HukdisEntries,
    IReadOnlyList<SimulatorDelivery> Deliveries);

internal sealed record PendingFailures(int Calls, int StatusCode);

internal sealed record BlockedNip(string NipBaru, IReadOnlyList<string> References);

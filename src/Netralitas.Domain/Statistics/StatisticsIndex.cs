using System.Runtime.InteropServices;

namespace Netralitas.Domain.Statistics;

/// <summary>A count of the cases of one agency by status (cases are the agency's by the reported ASN).</summary>
public sealed record AgencyCaseCell(string InstansiCode, CaseStatus Status, int Count);

/// <summary>A count of the recommendations addressed to one agency's PPK by where their follow-up stands.</summary>
public sealed record AgencyFollowUpCell(string PpkInstansiCode, FollowUpOutcome FollowUp, bool DueBefore, EscalationStage Escalation, int Count);

public sealed record AgencyCells(IReadOnlyList<AgencyCaseCell> Cases, IReadOnlyList<AgencyFollowUpCell> FollowUps);

/// <summary>
/// Every case's statistics facts in memory, as small numbers in one array of structs, so that any
/// figure over a million cases is one pass of a few milliseconds instead of a grouped scan of the
/// database. Built at start from <c>case_facts</c> and refreshed by NIP from it, by the change-log
/// follower (and by a catch-up before each statistics call), so it holds what the database holds.
/// Cases are never deleted, so a refresh only adds or replaces rows.
/// </summary>
public sealed class StatisticsIndex
{
    private const int NoDay = int.MinValue;

    // Recursion: Snapshot holds a read lock around several queries, each taking it again.
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.SupportsRecursion);
    private Dictionary<Guid, int> _rowOfCase = [];
    private Dictionary<string, int> _rowOfOtherCase = new(StringComparer.Ordinal);
    private Codes _elections = new();
    private Codes _provinces = new();
    private Codes _agencies = new();
    private Codes _violations = new();
    private List<string> _agencyNames = [];
    // The funnel's slots: one per value of each enum it combines.
    private static readonly int StatusValues = Enum.GetValues<CaseStatus>().Max(v => (int)v) + 1;
    private static readonly int FollowUpValues = Enum.GetValues<FollowUpOutcome>().Max(v => (int)v) + 1;
    private static readonly int StageValues = Enum.GetValues<EscalationStage>().Max(v => (int)v) + 1;

    private FactRow[] _rows = new FactRow[1024];
    private int _count;
    private int _firstDay = int.MaxValue;
    private int _lastDay = int.MinValue;

    public int CaseCount => Read(() => _count);

    public void Clear() => Write(() =>
    {
        _rowOfCase.Clear();
        _rowOfOtherCase.Clear();
        _count = 0;
        (_firstDay, _lastDay) = (int.MaxValue, int.MinValue);
    });

    /// <summary>Takes over everything <paramref name="fresh"/> holds (a reload), at once for every reader.</summary>
    public void TakeFrom(StatisticsIndex fresh) => Write(() =>
    {
        (_rowOfCase, _rowOfOtherCase, _rows, _count) = (fresh._rowOfCase, fresh._rowOfOtherCase, fresh._rows, fresh._count);
        (_elections, _provinces, _agencies, _violations, _agencyNames) = (fresh._elections, fresh._provinces, fresh._agencies, fresh._violations, fresh._agencyNames);
        (_firstDay, _lastDay) = (fresh._firstDay, fresh._lastDay);
    });

    /// <summary>Several queries answered from one state: no write lands between them.</summary>
    public T Snapshot<T>(Func<T> queries) => Read(queries);

    /// <summary>Adds the rows of cases not seen yet and replaces those of cases seen before.</summary>
    public void Apply(IEnumerable<CaseFacts> facts)
    {
        _lock.EnterWriteLock();
        try
        {
            foreach (var row in facts)
            {
                Upsert(row);
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>The cases under the query counted by funnel position; "due before" against <paramref name="today"/>.</summary>
    public IReadOnlyList<FunnelCell> Funnel(StatisticsQuery query, DateOnly today)
    {
        _lock.EnterReadLock();
        try
        {
            var todayDay = today.DayNumber;
            // One slot per combination of status, recommended, decree outcome, past due, stage.
            var cells = new long[StatusValues * 2 * FollowUpValues * 2 * StageValues];
            if (TryResolve(query, out var filter))
            {
                foreach (ref readonly var row in _rows.AsSpan(0, _count))
                {
                    if (filter.Matches(row))
                    {
                        var dueBefore = row.Recommended && row.DueDay < todayDay;
                        cells[(((row.Status * 2 + (row.Recommended ? 1 : 0)) * FollowUpValues + row.FollowUp) * 2 + (dueBefore ? 1 : 0)) * StageValues + row.Escalation]++;
                    }
                }
            }
            var found = new List<FunnelCell>();
            for (var key = 0; key < cells.Length; key++)
            {
                if (cells[key] > 0)
                {
                    var stage = key % StageValues;
                    var dueBefore = key / StageValues % 2 == 1;
                    var followUp = key / StageValues / 2 % FollowUpValues;
                    var recommended = key / StageValues / 2 / FollowUpValues % 2 == 1;
                    var status = key / StageValues / 2 / FollowUpValues / 2;
                    found.Add(new FunnelCell((CaseStatus)status, recommended, (FollowUpOutcome)followUp, dueBefore, (EscalationStage)stage, cells[key]));
                }
            }
            return found;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>
    /// The population under the query counted by one dimension: the key is the code for the open
    /// dimensions and the enum's number for the closed ones; the label the agency name for INSTANSI.
    /// </summary>
    public IReadOnlyList<KeyCount> Breakdown(StatisticsQuery query, Dimension dimension, Population population)
    {
        _lock.EnterReadLock();
        try
        {
            if (!TryResolve(query, out var filter))
            {
                return [];
            }
            var counts = new long[ValuesOf(dimension)];
            foreach (ref readonly var row in _rows.AsSpan(0, _count))
            {
                if (filter.Matches(row) && (population != Population.Proven || row.IsProven))
                {
                    counts[ValueOf(row, dimension)]++;
                }
            }
            return counts.Select((count, value) => (Value: value, Count: count)).Where(c => c.Count > 0).Select(c => dimension switch
            {
                Dimension.Category => new KeyCount(_violations.Name(c.Value), "", c.Count),
                Dimension.Province => new KeyCount(_provinces.Name(c.Value), "", c.Count),
                Dimension.Election => new KeyCount(_elections.Name(c.Value), "", c.Count),
                Dimension.Instansi => new KeyCount(_agencies.Name(c.Value), _agencyNames[c.Value], c.Count),
                _ => new KeyCount(c.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), "", c.Count),
            }).ToArray();
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Cases under the query counted per day: acts, filings, decisions and proven decisions.</summary>
    public DailySeries Daily(StatisticsQuery query)
    {
        _lock.EnterReadLock();
        try
        {
            // Days as offsets from the earliest date held: four arrays of counts, no hashing per row.
            var span = _count == 0 ? 0 : _lastDay - _firstDay + 1;
            var (acts, filed, decided, proven) = (new long[span], new long[span], new long[span], new long[span]);
            if (TryResolve(query, out var filter))
            {
                foreach (ref readonly var row in _rows.AsSpan(0, _count))
                {
                    if (!filter.Matches(row))
                    {
                        continue;
                    }
                    if (row.ActDay != NoDay)
                    {
                        acts[row.ActDay - _firstDay]++;
                    }
                    if (row.FiledDay != NoDay)
                    {
                        filed[row.FiledDay - _firstDay]++;
                    }
                    if (row.DecidedDay != NoDay)
                    {
                        decided[row.DecidedDay - _firstDay]++;
                        if (row.IsProven)
                        {
                            proven[row.DecidedDay - _firstDay]++;
                        }
                    }
                }
            }
            DayCount[] Days(long[] counts) =>
                counts.Select((count, offset) => new DayCount(_firstDay + offset, count)).Where(d => d.Count > 0).ToArray();
            return new DailySeries(Days(acts), Days(filed), Days(decided), Days(proven));
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>
    /// The cases of an election counted per agency and status, and the recommendations on them per
    /// addressed PPK and follow-up; narrowed to one agency, or to the agencies with a case in one
    /// province. "Due before" compares the due date with <paramref name="asOf"/>.
    /// </summary>
    public AgencyCells Agencies(string electionId, string instansiCode, string provinceCode, DateOnly asOf)
    {
        _lock.EnterReadLock();
        try
        {
            if (!_elections.TryGet(electionId, out var election))
            {
                return new AgencyCells([], []);
            }
            int? agency = null, province = null;
            if (instansiCode.Length > 0)
            {
                if (!_agencies.TryGet(instansiCode, out var id))
                {
                    return new AgencyCells([], []);
                }
                agency = id;
            }
            if (provinceCode.Length > 0)
            {
                if (!_provinces.TryGet(provinceCode, out var id))
                {
                    return new AgencyCells([], []);
                }
                province = id;
            }
            var rows = _rows.AsSpan(0, _count);
            HashSet<int>? inProvince = null;
            if (province is { } p)
            {
                inProvince = [];
                foreach (ref readonly var row in rows)
                {
                    if (row.Election == election && row.Province == p)
                    {
                        inProvince.Add(row.Agency);
                    }
                }
            }
            var cases = new Dictionary<(int, byte), int>();
            var followUps = new Dictionary<(int, byte, bool, byte), int>();
            var asOfDay = asOf.DayNumber;
            foreach (ref readonly var row in rows)
            {
                if (row.Election != election)
                {
                    continue;
                }
                if ((agency is null || row.Agency == agency) && (inProvince is null || inProvince.Contains(row.Agency)))
                {
                    CollectionsMarshal.GetValueRefOrAddDefault(cases, (row.Agency, row.Status), out _)++;
                }
                if (row.Recommended && (agency is null || row.Ppk == agency) && (inProvince is null || inProvince.Contains(row.Ppk)))
                {
                    CollectionsMarshal.GetValueRefOrAddDefault(followUps, (row.Ppk, row.FollowUp, row.DueDay < asOfDay, row.Escalation), out _)++;
                }
            }
            return new AgencyCells(
                cases.Select(c => new AgencyCaseCell(_agencies.Name(c.Key.Item1), (CaseStatus)c.Key.Item2, c.Value)).ToArray(),
                followUps.Select(f => new AgencyFollowUpCell(_agencies.Name(f.Key.Item1), (FollowUpOutcome)f.Key.Item2, f.Key.Item3,
                    (EscalationStage)f.Key.Item4, f.Value)).ToArray());
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>
    /// The agency's name as its latest case gives it; empty for an agency known only as the PPK a
    /// recommendation is addressed to; null when no case or recommendation names the code.
    /// </summary>
    public string? AgencyName(string instansiCode) =>
        Read(() => _agencies.TryGet(instansiCode, out var id) ? _agencyNames[id] : null);

    private void Upsert(CaseFacts facts)
    {
        var agency = _agencies.IdOfWide(facts.InstansiCode);
        var ppk = facts.PpkInstansiCode is { } code ? _agencies.IdOfWide(code) : -1;
        while (_agencyNames.Count < _agencies.Count)
        {
            _agencyNames.Add("");
        }
        _agencyNames[agency] = facts.InstansiName;
        var row = new FactRow
        {
            Election = _elections.IdOf(facts.ElectionId),
            Province = _provinces.IdOf(facts.ProvinceCode),
            Agency = agency,
            Ppk = ppk,
            Violation = _violations.IdOf(facts.ViolationCode),
            Source = (byte)facts.Source,
            Position = (byte)facts.PositionKind,
            Period = (byte)facts.Period,
            AgeBand = (byte)facts.AgeBand,
            // A value this version does not know (a row of a newer one) counts as unspecified, not in another's slot.
            Status = Known((int)facts.Status, StatusValues),
            Recommended = facts.RecommendedDay is not null,
            FollowUp = Known((int)facts.FollowUp, FollowUpValues),
            Escalation = Known((int)facts.Escalation, StageValues),
            ActDay = Dated(facts.ActDay),
            FiledDay = Dated(facts.FiledDay),
            DecidedDay = facts.DecidedDay is { } decided ? Dated(decided) : NoDay,
            DueDay = facts.DueDay ?? NoDay,
        };
        foreach (var day in (ReadOnlySpan<int>)[row.ActDay, row.FiledDay, row.DecidedDay])
        {
            if (day != NoDay)
            {
                (_firstDay, _lastDay) = (Math.Min(_firstDay, day), Math.Max(_lastDay, day));
            }
        }
        ref var slot = ref SlotOf(facts.CaseId, out var exists);
        if (!exists)
        {
            if (_count == _rows.Length)
            {
                Array.Resize(ref _rows, _rows.Length * 2);
            }
            slot = _count++;
        }
        _rows[slot] = row;
    }

    private static byte Known(int value, int values) => (byte)(value >= 0 && value < values ? value : 0);

    /// <summary>A date before <see cref="StatisticsDesk.EarliestDate"/> is no date (an unset one reads 0001-01-01): it counts in no series.</summary>
    private static int Dated(int day) => day >= StatisticsDesk.EarliestDate.DayNumber ? day : NoDay;

    private ref int SlotOf(string caseId, out bool exists) =>
        ref Guid.TryParse(caseId, out var guid)
            ? ref CollectionsMarshal.GetValueRefOrAddDefault(_rowOfCase, guid, out exists)
            : ref CollectionsMarshal.GetValueRefOrAddDefault(_rowOfOtherCase, caseId, out exists);

    /// <summary>How many values a dimension has here: the codes seen, or the enum's size.</summary>
    private int ValuesOf(Dimension dimension) => dimension switch
    {
        Dimension.Category => _violations.Count,
        Dimension.Instansi => _agencies.Count,
        Dimension.Province => _provinces.Count,
        Dimension.Election => _elections.Count,
        _ => byte.MaxValue + 1,
    };

    private static int ValueOf(in FactRow row, Dimension dimension) => dimension switch
    {
        Dimension.Category => row.Violation,
        Dimension.PositionKind => row.Position,
        Dimension.Period => row.Period,
        Dimension.AgeBand => row.AgeBand,
        Dimension.Instansi => row.Agency,
        Dimension.Province => row.Province,
        Dimension.Election => row.Election,
        Dimension.Source => row.Source,
        _ => throw new ArgumentOutOfRangeException(nameof(dimension)),
    };

    /// <summary>The query with its codes as this index's numbers; false when a code names nothing here (nothing matches).</summary>
    private bool TryResolve(StatisticsQuery query, out RowFilter filter)
    {
        filter = new RowFilter
        {
            Election = -1, Province = -1, Agency = -1, Source = (byte)query.Source,
            ActFrom = query.ActFromDay ?? int.MinValue, ActTo = query.ActToDay ?? int.MaxValue,
            FiledFrom = query.FiledFromDay ?? int.MinValue, FiledTo = query.FiledToDay ?? int.MaxValue,
        };
        if (query.ElectionId.Length > 0)
        {
            if (!_elections.TryGet(query.ElectionId, out var election))
            {
                return false;
            }
            filter.Election = election;
        }
        if (query.ProvinceCode.Length > 0)
        {
            if (!_provinces.TryGet(query.ProvinceCode, out var province))
            {
                return false;
            }
            filter.Province = province;
        }
        if (query.InstansiCode.Length > 0)
        {
            if (!_agencies.TryGet(query.InstansiCode, out var agency))
            {
                return false;
            }
            filter.Agency = agency;
        }
        return true;
    }

    private T Read<T>(Func<T> read)
    {
        _lock.EnterReadLock();
        try
        {
            return read();
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    private void Write(Action write)
    {
        _lock.EnterWriteLock();
        try
        {
            write();
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>A case as numbers: 40 bytes.</summary>
    private struct FactRow
    {
        public int Agency;
        public int Ppk;
        public int ActDay;
        public int FiledDay;
        public int DecidedDay;
        public int DueDay;
        public short Election;
        public short Province;
        public short Violation;
        public byte Source;
        public byte Position;
        public byte Period;
        public byte AgeBand;
        public byte Status;
        public byte FollowUp;
        public byte Escalation;
        public bool Recommended;

        public readonly bool IsProven => Status is (byte)CaseStatus.Proven or (byte)CaseStatus.Sanctioned;
    }

    private struct RowFilter
    {
        public int Election;
        public int Province;
        public int Agency;
        public byte Source;
        public int ActFrom;
        public int ActTo;
        public int FiledFrom;
        public int FiledTo;

        public readonly bool Matches(in FactRow row) =>
            (Election < 0 || row.Election == Election)
            && (Province < 0 || row.Province == Province)
            && (Agency < 0 || row.Agency == Agency)
            && (Source == 0 || row.Source == Source)
            && row.ActDay >= ActFrom && row.ActDay <= ActTo
            && row.FiledDay >= FiledFrom && row.FiledDay <= FiledTo;
    }

    /// <summary>Codes as small numbers, in the order first seen.</summary>
    private sealed class Codes
    {
        private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
        private readonly List<string> _names = [];

        public int Count => _names.Count;

        public short IdOf(string code) => checked((short)IdOfWide(code));

        public int IdOfWide(string code)
        {
            ref var id = ref CollectionsMarshal.GetValueRefOrAddDefault(_ids, code, out var exists);
            if (!exists)
            {
                id = _names.Count;
                _names.Add(code);
            }
            return id;
        }

        public bool TryGet(string code, out int id) => _ids.TryGetValue(code, out id);

        public string Name(int id) => _names[id];
    }
}

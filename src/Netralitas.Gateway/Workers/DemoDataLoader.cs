using System.Diagnostics;
using Microsoft.Extensions.Options;
using Netralitas.Data;
using Netralitas.Data.Demo;
using Netralitas.Domain;
using Netralitas.Domain.Calendar;
using Netralitas.Domain.Cases;
using Netralitas.Domain.Escalation;
using Netralitas.Domain.Monev;
using Netralitas.Domain.Recommendations;

namespace Netralitas.Gateway.Workers;

/// <summary>Configuration section <c>Netralitas:DemoData</c>.</summary>
public sealed class DemoDataOptions
{
    public const string Section = "Netralitas:DemoData";

    /// <summary>Load the synthetic demo data set on start (once; a second start finds it there).</summary>
    public bool Enabled { get; set; }
}

/// <summary>
/// Loads <see cref="DemoDataSet"/> through the domain, each step on its historical business date:
/// the reports are filed by <see cref="CaseIntake"/> on their filing day (so that a case's
/// <c>CreatedAt</c> is that day) and decided; then, day by day, the escalation sweep runs, the
/// authority's letters are issued and the PPKs' decrees recorded through <see cref="RecommendationDesk"/>
/// and <see cref="EscalationSweep"/>, whose clock is a <see cref="BusinessClock"/> standing on that
/// day. The unanswered recommendations are warned, reprimanded and blocked, the late ones escalated
/// until their decree complies (releasing a block), exactly as the gateway would have done on those
/// days. The blocks, releases and sanction write-backs go to the outbox, which the relay delivers
/// (in <c>--demo</c>, to the SIASN simulator).
/// </summary>
/// <remarks>
/// Working days come from the calendar in force. 2020 and 2021 have no official list, so the Pilkada
/// 2020 deadlines and escalation steps are counted on the provisional calendar (weekends, the
/// fixed-date and Easter-based holidays; not the Islamic holidays or cuti bersama) and marked
/// provisional; Pilkada 2024's are counted on the official 2024 and 2025 lists.
/// Idempotent: every filing, letter and decree carries a fixed request id, and the sweep takes a step
/// only when it is due, so a load that stopped half-way is finished by the next start; the decree
/// dated last of all (<see cref="DemoData.LastDecree"/>) marks a complete load, and a start that finds
/// it loads nothing. (A calendar year published between a stopped load and the next start could
/// move a letter's or decree's date and make its request id a reuse the desk refuses; start on an
/// empty database then.)
/// </remarks>
public sealed partial class DemoDataLoader(
    IServiceScopeFactory scopes,
    ReferenceCatalog catalog,
    CalendarBook calendars,
    IOptions<GatewayOptions> gateway,
    ILogger<DemoDataLoader> logger)
{
    private const string DecisionNote = "Synthetic demo decision.";

    /// <summary>Who the demo's monev records say recorded them.</summary>
    private const string DemoRecorder = "demo";

    /// <summary>Days played in one transaction.</summary>
    private const int DaysPerTransaction = 15;

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var calendar = calendars.Current;
        var data = DemoDataSet.Build(catalog, calendar);
        var clock = new DemoClock(BusinessClock.ResolveZone(gateway.Value.BusinessTimeZone));
        var business = new BusinessClock(clock, clock.Zone);

        IReadOnlyDictionary<int, string> caseIds;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var cases = scope.ServiceProvider.GetRequiredService<ICaseRepository>();
            var recommendations = scope.ServiceProvider.GetRequiredService<IRecommendationRepository>();
            if (await recommendations.FindByFollowUpRequestIdAsync(data.LastDecree.RequestId, cancellationToken) is not null)
            {
                LogPresent();
                return;
            }
            if (await cases.FindByFileRequestIdAsync(DemoDataSet.RequestId(0), cancellationToken) is not null)
            {
                LogResuming();
                caseIds = await FindFiledAsync(cases, data, cancellationToken);
            }
            else if (await cases.FindByFileRequestIdAsync(DemoDataSet.EarlierSetFirstRequestId, cancellationToken) is not null)
            {
                LogEarlierSetPresent();
                return;
            }
            else
            {
                caseIds = await FileAsync(cases, data, clock, business, cancellationToken);
            }
        }

        await RecordMonevAsync(data, clock, business, cancellationToken);
        var (days, steps) = await PlayTimelineAsync(data, caseIds, calendar, clock, business, cancellationToken);
        LogLoaded(watch.Elapsed.TotalMilliseconds, (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds, data.Reports.Count, data.Reports.Count(r => r.Outcome == Outcome.Proven),
            data.Reports.Count(r => r.Recommendation is not null), data.Reports.Sum(r => r.Recommendation?.Decrees.Count ?? 0),
            steps, days);
    }

    /// <summary>Files every report on its filing day and records its decision, in one transaction.</summary>
    private async Task<IReadOnlyDictionary<int, string>> FileAsync(
        ICaseRepository cases, DemoData data, DemoClock clock, BusinessClock business, CancellationToken cancellationToken)
    {
        var intake = new CaseIntake(catalog, business);
        var filed = new List<NeutralityCase>(data.Reports.Count);
        foreach (var report in data.Reports)
        {
            clock.MoveTo(report.DecidedOn);
            var decidedAt = business.UtcNow;
            clock.MoveTo(report.FiledOn);
            var admitted = intake.Admit(report.Report);
            admitted.Decide(report.Outcome, report.DecisionReference, report.DecidedOn, DecisionNote, decidedAt);
            filed.Add(admitted);
        }
        await cases.AddManyAsync(filed, cancellationToken);
        return data.Reports.ToDictionary(r => r.Index, r => filed[r.Index].Id);
    }

    /// <summary>The agencies' integrity pacts and internal teams, each recorded on its date; a repeat replaces them with the same.</summary>
    private async Task RecordMonevAsync(DemoData data, DemoClock clock, BusinessClock business, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var monev = scope.ServiceProvider.GetRequiredService<IMonevStore>();
        foreach (var pact in data.IntegrityPacts)
        {
            clock.MoveTo(pact.SignedOn);
            await monev.SavePactAsync(new IntegrityPact
            {
                InstansiCode = pact.InstansiCode,
                ElectionId = pact.ElectionId,
                SignedOn = pact.SignedOn,
                DocumentReference = pact.DocumentReference,
                SignatoryCount = pact.SignatoryCount,
                AsnCount = pact.AsnCount,
                RecordedBy = DemoRecorder,
                RecordedAt = business.UtcNow,
            }, cancellationToken);
        }
        foreach (var team in data.SupervisionTeams)
        {
            clock.MoveTo(team.DecreeDate);
            await monev.SaveTeamAsync(new SupervisionTeam
            {
                InstansiCode = team.InstansiCode,
                ElectionId = team.ElectionId,
                DecreeNumber = team.DecreeNumber,
                DecreeDate = team.DecreeDate,
                Members = team.Members.Select(m => new TeamMember { Nip = m.Nip, Role = Enum.Parse<TeamRole>(m.Role, ignoreCase: true) }).ToList(),
                RecordedBy = DemoRecorder,
                RecordedAt = business.UtcNow,
            }, cancellationToken);
        }
    }

    private static async Task<IReadOnlyDictionary<int, string>> FindFiledAsync(ICaseRepository cases, DemoData data, CancellationToken cancellationToken)
    {
        var ids = new Dictionary<int, string>(data.Reports.Count);
        foreach (var report in data.Reports.Where(r => r.Recommendation is not null))
        {
            var filed = await cases.FindByFileRequestIdAsync(report.Report.RequestId, cancellationToken)
                ?? throw new InvalidOperationException($"Demo report {report.Index} is missing although the first one is stored.");
            ids[report.Index] = filed.Id;
        }
        return ids;
    }

    /// <summary>
    /// Every day from the first letter to the last decree on which something is open: in the morning
    /// the escalation sweep (working days), then the day's letters, then the day's decrees. One
    /// transaction holds <see cref="DaysPerTransaction"/> days (a stop in between loses only those,
    /// which the next start plays again).
    /// </summary>
    private async Task<(int Days, int Steps)> PlayTimelineAsync(
        DemoData data, IReadOnlyDictionary<int, string> caseIds, WorkingDayCalendar calendar, DemoClock clock, BusinessClock business,
        CancellationToken cancellationToken)
    {
        var recommended = data.Reports.Where(r => r.Recommendation is not null).ToArray();
        var letters = recommended.ToLookup(r => r.Recommendation!.IssuedOn);
        var decrees = recommended.SelectMany(r => r.Recommendation!.Decrees.Select(d => (Report: r, Decree: d))).ToLookup(x => x.Decree.DecreeDate);
        var days = DaysToPlay(recommended, calendar);
        LogPlaying(data.Reports.Count, days.Count, days[0], days[^1]);
        var recommendationIds = new Dictionary<int, string>(recommended.Length);
        var steps = 0;
        UnitOfWork? unit = null;
        try
        {
            for (var i = 0; i < days.Count; i++)
            {
                var day = days[i];
                clock.MoveTo(day);
                unit ??= await UnitOfWork.BeginAsync(scopes, business, cancellationToken);
                if (calendar.IsWorkingDay(day))
                {
                    steps += (await unit.Sweep.RunAsync(validateOnly: false, Parts(day), ppkInstansiCode: "", cancellationToken)).Steps
                        .Count(s => s.Kind is FollowUpEventKind.Warned or FollowUpEventKind.Reprimanded or FollowUpEventKind.Blocked);
                }
                foreach (var report in letters[day])
                {
                    var letter = report.Recommendation!;
                    var issued = await unit.Desk.IssueAsync(new IssueRecommendationCommand(
                        NeutralityCase.ResourceNameOf(caseIds[report.Index]), letter.AuthorityCode, letter.LetterNumber, Parts(letter.IssuedOn),
                        report.Report.InstansiCode, report.Report.InstansiName, letter.Level, letter.Form, letter.RequestId), cancellationToken);
                    recommendationIds[report.Index] = issued.Id;
                    unit.EndCall();
                }
                foreach (var (report, decree) in decrees[day])
                {
                    await unit.Desk.RecordFollowUpAsync(new RecordFollowUpCommand(
                        Recommendation.ResourceNameOf(recommendationIds[report.Index]), decree.DecreeNumber, Parts(decree.DecreeDate),
                        decree.Level, decree.Form, decree.RequestId), InstansiScope.All, cancellationToken);
                    unit.EndCall();
                }
                if (i % DaysPerTransaction == DaysPerTransaction - 1 || i == days.Count - 1)
                {
                    await unit.CommitAsync(cancellationToken);
                    await unit.DisposeAsync();
                    unit = null;
                }
            }
        }
        finally
        {
            if (unit is not null)
            {
                await unit.DisposeAsync();
            }
        }
        return (days.Count, steps);
    }

    /// <summary>
    /// The days with a letter or a decree, and the working days on which a recommendation is open
    /// and may still be escalated (until its last decree, or until a block has surely been taken).
    /// </summary>
    private static List<DateOnly> DaysToPlay(IReadOnlyList<DemoReport> recommended, WorkingDayCalendar calendar)
    {
        var days = new SortedSet<DateOnly>();
        foreach (var report in recommended)
        {
            var letter = report.Recommendation!;
            var settled = calendar.AddWorkingDays(letter.IssuedOn, DemoDataSet.EscalationSettledWorkingDays).Date;
            var last = letter.Decrees.Count > 0 && letter.Decrees[^1].DecreeDate > settled ? letter.Decrees[^1].DecreeDate : settled;
            days.Add(letter.IssuedOn);
            foreach (var decree in letter.Decrees)
            {
                days.Add(decree.DecreeDate);
            }
            for (var day = letter.IssuedOn.AddDays(1); day <= last; day = day.AddDays(1))
            {
                if (calendar.IsWorkingDay(day))
                {
                    days.Add(day);
                }
            }
        }
        return [.. days];
    }

    private static DateParts Parts(DateOnly date) => new(date.Year, date.Month, date.Day);

    /// <summary>
    /// One transaction's worth of days: a scope (its DbContext), the transaction, and the recommendation
    /// desk and escalation sweep standing on the replayed day's clock.
    /// </summary>
    private sealed class UnitOfWork : IAsyncDisposable
    {
        private readonly AsyncServiceScope _scope;
        private readonly NetralitasDbContext _db;
        private readonly Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction _transaction;

        private UnitOfWork(AsyncServiceScope scope, NetralitasDbContext db, Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction transaction, BusinessClock business)
        {
            _scope = scope;
            _db = db;
            _transaction = transaction;
            // The open-case index is rebuilt from the cases once the load is done (DatabaseInitializer),
            // so the desk's and the sweep's refresh of a written NIP goes to a throwaway index, without reads.
            var refresh = new OpenCaseRefresh(new NoStandingReads(), new OpenCaseIndex(), scope.ServiceProvider.GetRequiredService<ILogger<OpenCaseRefresh>>());
            Desk = ActivatorUtilities.CreateInstance<RecommendationDesk>(scope.ServiceProvider, business, refresh);
            Sweep = ActivatorUtilities.CreateInstance<EscalationSweep>(scope.ServiceProvider, business, refresh);
        }

        public RecommendationDesk Desk { get; }

        public EscalationSweep Sweep { get; }

        public static async Task<UnitOfWork> BeginAsync(IServiceScopeFactory scopes, BusinessClock business, CancellationToken cancellationToken)
        {
            var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<NetralitasDbContext>();
            // The transaction is the loader's: a failed write fails the load (the next start plays it
            // again), so no savepoint is needed around each write.
            db.Database.AutoSavepointsEnabled = false;
            return new UnitOfWork(scope, db, await db.Database.BeginTransactionAsync(cancellationToken), business);
        }

        /// <summary>Forgets what the call tracked, as the end of a gRPC call's scope would.</summary>
        public void EndCall() => _db.ChangeTracker.Clear();

        public Task CommitAsync(CancellationToken cancellationToken) => _transaction.CommitAsync(cancellationToken);

        public async ValueTask DisposeAsync()
        {
            await _transaction.DisposeAsync();
            await _scope.DisposeAsync();
        }
    }

    /// <summary>Answers the index refresh's read with "nothing open", without reading; nothing else is asked of it.</summary>
    private sealed class NoStandingReads : ICaseRepository
    {
        public Task<IReadOnlyDictionary<string, NipStanding>> StandingsOfAsync(IReadOnlyCollection<string> nips, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyDictionary<string, NipStanding>>(new Dictionary<string, NipStanding>());

        public Task<NeutralityCase?> FindAsync(string id, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<NeutralityCase?> FindByFileRequestIdAsync(string requestId, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<bool> TryAddAsync(NeutralityCase newCase, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task AddManyAsync(IReadOnlyCollection<NeutralityCase> newCases, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task UpdateAsync(NeutralityCase changedCase, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<IReadOnlyList<NeutralityCase>> ListAsync(CaseFilter filter, string? afterId, int limit, CancellationToken cancellationToken) => throw new NotSupportedException();
        public IAsyncEnumerable<(string Nip, int OpenCount)> OpenCaseCountsAsync(CancellationToken cancellationToken) => throw new NotSupportedException();
        public IAsyncEnumerable<(string Nip, DateTime BlockedSince)> ActiveBlocksAsync(CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<long> LatestChangeBeforeAsync(DateTime before, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<IReadOnlyList<CaseChange>> ChangesAfterAsync(long afterId, int limit, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<IReadOnlyList<CaseChange>> ChangesWithIdsAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<int> PruneChangesAsync(DateTime before, CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    /// <summary>
    /// The clock of the replayed days: from 09:00 on the day in the business time zone, a millisecond
    /// later at each reading, so that the records of one day keep their order.
    /// </summary>
    private sealed class DemoClock(TimeZoneInfo zone) : TimeProvider
    {
        private readonly Dictionary<DateOnly, DateTimeOffset> _latest = [];
        private DateOnly _day;

        public TimeZoneInfo Zone { get; } = zone;

        public void MoveTo(DateOnly day) => _day = day;

        public override DateTimeOffset GetUtcNow()
        {
            var now = _latest.TryGetValue(_day, out var latest)
                ? latest.AddMilliseconds(1)
                : new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(_day.ToDateTime(new TimeOnly(9, 0)), Zone));
            _latest[_day] = now;
            return now;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo data already present; not loaded again")]
    private partial void LogPresent();

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo data partly present (an earlier start stopped while loading it); finishing the load")]
    private partial void LogResuming();

    [LoggerMessage(Level = LogLevel.Warning, Message = "The database holds the earlier demo data set (cases only, DEMO- agency codes); the current one is not loaded. Start on an empty database to load it")]
    private partial void LogEarlierSetPresent();

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo data: {CaseCount} reports filed; playing {DayCount} business days of letters, decrees and escalation, {First:yyyy-MM-dd} to {Last:yyyy-MM-dd}")]
    private partial void LogPlaying(int caseCount, int dayCount, DateOnly first, DateOnly last);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo data loaded in {ElapsedMilliseconds:F0} ms ({CpuMilliseconds:F0} ms of process CPU): {CaseCount} synthetic cases, {ProvenCount} proven, {RecommendationCount} recommendations, {DecreeCount} decrees, {StepCount} escalation steps, over {DayCount} business days")]
    private partial void LogLoaded(double elapsedMilliseconds, double cpuMilliseconds, int caseCount, int provenCount, int recommendationCount, int decreeCount, int stepCount, int dayCount);
}

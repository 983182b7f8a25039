using Google.Rpc;
using Grpc.Core;
using Netralitas.V1;

namespace Netralitas.IntegrationTests;

/// <summary>One serving gateway on one fresh database, shared by the tests of a class.</summary>
public abstract class GatewayFixture<TDatabase> : IAsyncLifetime where TDatabase : ITestDatabase, new()
{
    private TDatabase? _database;
    private GatewayHost? _host;

    public TDatabase Database => _database ?? throw new InvalidOperationException("The fixture did not start.");
    public GatewayHost Host => _host ?? throw new InvalidOperationException("The fixture did not start.");

    /// <summary>Settings a fixture may add to the database's (smaller limits, …).</summary>
    protected virtual IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>();

    public async Task InitializeAsync()
    {
        _database = new TDatabase();
        var settings = new Dictionary<string, string?>(_database.Settings);
        foreach (var (key, value) in ExtraSettings)
        {
            settings[key] = value;
        }
        _host = await GatewayHost.StartAsync(settings);
        await _host.WaitUntilServingAsync();
    }

    public async Task DisposeAsync()
    {
        try
        {
            if (_host is not null)
            {
                await _host.DisposeAsync(); // throws when the gateway logged an unexpected error
            }
        }
        finally
        {
            if (_database is not null)
            {
                await _database.DisposeAsync();
            }
        }
    }
}

public sealed class SqliteGateway : GatewayFixture<SqliteTestDatabase>;

public sealed class PostgresGateway : GatewayFixture<PostgresTestDatabase>;

/// <summary>Test data: valid, unique NIPs and reports.</summary>
public static class Reports
{
    private static readonly HashSet<string> Issued = [];

    /// <summary>A valid NIP not issued before in this test run.</summary>
    public static string NewNip()
    {
        lock (Issued)
        {
            while (true)
            {
                var birth = new DateOnly(1960, 1, 1).AddDays(Random.Shared.Next(0, 365 * 35));
                var appointed = birth.AddYears(Random.Shared.Next(20, 25));
                var nip = $"{birth:yyyyMMdd}{appointed:yyyyMM}{Random.Shared.Next(1, 3)}{Random.Shared.Next(0, 900):D3}";
                if (Issued.Add(nip))
                {
                    return nip;
                }
            }
        }
    }

    /// <summary>Takes a NIP made elsewhere for this test run; false when it was issued before.</summary>
    public static bool Claim(string nip)
    {
        lock (Issued)
        {
            return Issued.Add(nip);
        }
    }

    public static Case NewCase(string nip, string instansiCode = "3303") => new()
    {
        Nip = nip,
        ReportedName = "Budi Santoso",
        InstansiCode = instansiCode,
        InstansiName = "Kabupaten Purbalingga",
        ReportedPosition = new ReportedPosition { Kind = PositionKind.Fungsional, Title = "Guru Ahli Muda" },
        ElectionId = "pilkada-2024",
        ViolationCode = "FOTO_SIMBOL",
        ActDate = new Google.Type.Date { Year = 2024, Month = 10, Day = 3 },
        Place = new Place { ProvinceCode = "33", Regency = "Kabupaten Purbalingga" },
        Source = ReportSource.Bawaslu,
        SourceReference = "001/PM.00.02/K.JT-18/10/2024",
        EvidenceReferences = { "https://example.invalid/post/1" },
    };

    public static DecideCaseRequest Decision(string name, Outcome outcome, string etag = "") => new()
    {
        Name = name,
        Outcome = outcome,
        DecisionReference = "BA/KASN/2024/117",
        DecidedOn = new Google.Type.Date { Year = 2024, Month = 10, Day = 20 },
        Etag = etag,
    };
}

public static class RpcAssert
{
    /// <summary>Asserts INVALID_ARGUMENT whose BadRequest names exactly these fields, and returns the violations.</summary>
    public static async Task<IReadOnlyList<BadRequest.Types.FieldViolation>> InvalidArgumentAsync(Func<Task> call, params string[] fields)
    {
        var error = await Assert.ThrowsAsync<RpcException>(call);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        var status = error.GetRpcStatus();
        Assert.NotNull(status);
        var badRequest = status!.GetDetail<BadRequest>();
        Assert.NotNull(badRequest);
        Assert.Equal(fields, badRequest!.FieldViolations.Select(v => v.Field));
        return badRequest.FieldViolations;
    }

    public static async Task<RpcException> StatusAsync(StatusCode expected, Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<RpcException>(call);
        Assert.Equal(expected, error.StatusCode);
        Assert.DoesNotContain("   at ", error.Status.Detail);
        return error;
    }
}

/// <summary>Waits until a condition holds, asking every 100 ms; fails the test when it has not within the timeout.</summary>
internal static class Poll
{
    public static Task UntilAsync(Func<bool> condition, TimeSpan timeout) => UntilAsync(() => Task.FromResult(condition()), timeout);

    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The condition did not hold within {timeout}.");
            }
            await Task.Delay(100);
        }
    }
}

internal static class RequestStreams
{
    /// <summary>
    /// Writes the messages and (unless told not to) completes the request stream of a call the server may end early
    /// (a refusal, a limit). A write that races that end can fail with CANCELLED rather than the
    /// call's status, so a failed write stops the sending and the caller reads the call's own
    /// status from its response.
    /// </summary>
    public static async Task SendAsync<T>(this IClientStreamWriter<T> writer, IEnumerable<T> messages, bool complete = true)
    {
        try
        {
            foreach (var message in messages)
            {
                await writer.WriteAsync(message);
            }
            if (complete)
            {
                await writer.CompleteAsync();
            }
        }
        catch (RpcException)
        {
        }
    }
}

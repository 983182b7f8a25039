namespace Netralitas.Gateway.Domain.Cases;

/// <summary>
/// After a committed case write, the open-case index takes the NIP's count from the database, so
/// that this replica's next answer includes the write. Not cancellable: the write has happened. If
/// the recount fails, the write still stands and is reported as done: the change-log follower
/// applies it within one interval.
/// </summary>
public sealed partial class OpenCaseRefresh(ICaseRepository repository, OpenCaseIndex index, ILogger<OpenCaseRefresh> logger)
{
    public async Task AfterWriteAsync(NeutralityCase written)
    {
        try
        {
            await index.RefreshAsync(written.ParsedNip, token => repository.OpenCaseCountAsync(written.Nip, token), CancellationToken.None);
        }
        catch (Exception e)
        {
            LogRefreshFailed(written.ResourceName, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Case} was written, but the open-case index could not recount its NIP; the change-log follower will: {Reason}")]
    private partial void LogRefreshFailed(string @case, string reason);
}

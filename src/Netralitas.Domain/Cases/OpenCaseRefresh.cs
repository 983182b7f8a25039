namespace Netralitas.Domain.Cases;

/// <summary>
/// After a committed write that changes a NIP's open cases or block, the open-case index takes the
/// NIP's standing from the database, so that this replica's next answer includes the write. Not
/// cancellable: the write has happened. If the reading fails, the write still stands and is
/// reported as done: the change-log follower applies it within one interval.
/// </summary>
public sealed partial class OpenCaseRefresh(ICaseRepository repository, OpenCaseIndex index, ILogger<OpenCaseRefresh> logger)
{
    public Task AfterWriteAsync(NeutralityCase written) => AfterWriteAsync(written.Nip, written.ResourceName);

    public async Task AfterWriteAsync(string nip, string writtenResource)
    {
        try
        {
            await index.RefreshFromAsync(repository, [Nip.FromValidated(nip)], CancellationToken.None);
        }
        catch (Exception e)
        {
            LogRefreshFailed(writtenResource, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Resource} was written, but the open-case index could not read its NIP again; the change-log follower will: {Reason}")]
    private partial void LogRefreshFailed(string resource, string reason);
}

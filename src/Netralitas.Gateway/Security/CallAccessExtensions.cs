using Grpc.Core;
using Netralitas.Domain;

namespace Netralitas.Gateway.Security;

public static class CallAccessExtensions
{
    /// <summary>The agencies whose records this call may see, as the call guard admitted it.</summary>
    public static InstansiScope InstansiScope(this ServerCallContext context) => Access(context).Scope;

    /// <summary>The caller's id, as the audit trail records it.</summary>
    public static string CallerId(this ServerCallContext context) => Access(context).Caller.Id;

    private static CallAccess Access(ServerCallContext context) =>
        context.GetHttpContext().Features.Get<CallAccess>()
            ?? throw new InvalidOperationException($"{context.Method} ran without passing the call guard.");
}

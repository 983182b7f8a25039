using Grpc.Core;

namespace Netralitas.Gateway.Grpc;

/// <summary>
/// The stand-in for a gRPC request message that could not be parsed: one empty instance per
/// message type, which the request marshallers (<see cref="ParseCheckedMethodProvider{TService}"/>)
/// return instead of throwing. grpc-dotnet reads a unary or server-streaming request before any
/// interceptor runs and answers a deserializer's exception UNKNOWN, logged at Error; the stand-in
/// instead reaches the call guard, which admits the caller as for any call (authenticated,
/// rate-limited, audited) and then refuses the call INVALID_ARGUMENT. It is never handed to a service.
/// </summary>
public static class UnparsedRequest
{
    public static bool Is<T>(T? message) where T : class => message is not null && ReferenceEquals(message, StandIn<T>.Instance);

    /// <summary><paramref name="marshaller"/>, returning the stand-in for a message it cannot parse.</summary>
    public static Marshaller<T> Tolerant<T>(Marshaller<T> marshaller) where T : class
    {
        var deserialize = marshaller.ContextualDeserializer;
        return new Marshaller<T>(marshaller.ContextualSerializer, context =>
        {
            try
            {
                return deserialize(context);
            }
            catch (Exception)
            {
                // Google.Protobuf throws InvalidProtocolBufferException for bytes that are not the
                // message; parsing touches nothing else, so any failure here is the bytes' fault.
                return StandIn<T>.Instance;
            }
        });
    }

    private static class StandIn<T> where T : class
    {
        public static readonly T Instance = Activator.CreateInstance<T>();
    }
}

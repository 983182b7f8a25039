using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Grpc.AspNetCore.Server;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Netralitas.Gateway.Grpc;

/// <summary>
/// Binds a service's gRPC methods as grpc-dotnet's own binder does (the generated <c>BindService</c>,
/// one route per method), except that each request marshaller hands an unparsable message on as
/// <see cref="UnparsedRequest"/>'s stand-in. The JSON transcoding provider is left as it is: it
/// reads JSON, not these marshallers.
/// </summary>
public sealed class ParseCheckedMethodProvider<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicMethods)] TService>
    : IServiceMethodProvider<TService> where TService : class
{
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<TService> context)
    {
        var (bindMethod, serviceBase) = BindMethodOf(typeof(TService))
            ?? throw new InvalidOperationException($"{typeof(TService).Name} has no generated BindService method.");
        bindMethod.Invoke(null, [new Binder(context, serviceBase), null]);
    }

    /// <summary>The generated <c>BindService(ServiceBinderBase, TServiceBase)</c>, found by its attribute on the base class.</summary>
    private static (MethodInfo Method, Type ServiceBase)? BindMethodOf(Type service)
    {
        for (var type = service; type is not null; type = type.BaseType)
        {
            if (type.GetCustomAttribute<BindServiceMethodAttribute>(inherit: false) is { } bind &&
                bind.BindType.GetMethod(bind.BindMethodName, BindingFlags.Public | BindingFlags.Static, [typeof(ServiceBinderBase), type]) is { } method)
            {
                return (method, type);
            }
        }
        return null;
    }

    private sealed class Binder(ServiceMethodProviderContext<TService> context, Type serviceBase) : ServiceBinderBase
    {
        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler) =>
            context.AddUnaryMethod(Checked(method), MetadataOf(method, out UnaryServerMethod<TService, TRequest, TResponse> invoker), invoker);

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler) =>
            context.AddServerStreamingMethod(Checked(method), MetadataOf(method, out ServerStreamingServerMethod<TService, TRequest, TResponse> invoker), invoker);

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler) =>
            context.AddClientStreamingMethod(Checked(method), MetadataOf(method, out ClientStreamingServerMethod<TService, TRequest, TResponse> invoker), invoker);

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler) =>
            context.AddDuplexStreamingMethod(Checked(method), MetadataOf(method, out DuplexStreamingServerMethod<TService, TRequest, TResponse> invoker), invoker);

        private static Method<TRequest, TResponse> Checked<TRequest, TResponse>(Method<TRequest, TResponse> method)
            where TRequest : class where TResponse : class =>
            new(method.Type, method.ServiceName, method.Name, UnparsedRequest.Tolerant(method.RequestMarshaller), method.ResponseMarshaller);

        /// <summary>
        /// The service's override of the method as an open delegate, and the endpoint metadata
        /// grpc-dotnet gives it: the class's attributes, then the method's, then POST only.
        /// </summary>
        private List<object> MetadataOf<TDelegate>(IMethod method, out TDelegate invoker) where TDelegate : Delegate
        {
            var parameters = typeof(TDelegate).GetMethod("Invoke")!.GetParameters().Skip(1).Select(p => p.ParameterType).ToArray();
            var implementation = ImplementationOf(method.Name, parameters)
                ?? throw new InvalidOperationException($"{typeof(TService).Name} does not implement {method.FullName}.");
            invoker = (TDelegate)Delegate.CreateDelegate(typeof(TDelegate), implementation);
            var metadata = new List<object>();
            metadata.AddRange(typeof(TService).GetCustomAttributes(inherit: true));
            metadata.AddRange(implementation.GetCustomAttributes(inherit: true));
            metadata.Add(new HttpMethodMetadata(["POST"], acceptCorsPreflight: true));
            return metadata;
        }

        /// <summary>The public override of the generated base's virtual method (a method that merely hides it does not count).</summary>
        private MethodInfo? ImplementationOf(string name, Type[] parameters)
        {
            for (var type = typeof(TService); type is not null; type = type.BaseType)
            {
                var method = type.GetMethod(name, BindingFlags.Public | BindingFlags.Instance, parameters);
                if (method is null)
                {
                    return null;
                }
                if (method.IsVirtual && method.GetBaseDefinition().DeclaringType == serviceBase)
                {
                    return method;
                }
            }
            return null;
        }
    }
}

public static class ParseCheckedBinding
{
    /// <summary>Binds every gRPC service with <see cref="ParseCheckedMethodProvider{TService}"/> instead of grpc-dotnet's binder.</summary>
    public static IGrpcServerBuilder AddParseCheckedBinding(this IGrpcServerBuilder grpc)
    {
        // Internal to grpc-dotnet; its other provider binds services mapped from a ServerServiceDefinition, which this gateway has none of.
        var grpcAssembly = typeof(GrpcServiceOptions).Assembly;
        var binders = grpc.Services.Where(d => d.ServiceType == typeof(IServiceMethodProvider<>)
            && d.ImplementationType?.Assembly == grpcAssembly && d.ImplementationType.Name == "BinderServiceMethodProvider`1").ToList();
        if (binders.Count != 1)
        {
            // A grpc-dotnet that binds differently would bind every method twice, or not through us.
            throw new InvalidOperationException($"Expected grpc-dotnet's one service method provider, found {binders.Count}.");
        }
        grpc.Services.Remove(binders[0]);
        grpc.Services.TryAddEnumerable(ServiceDescriptor.Singleton(typeof(IServiceMethodProvider<>), typeof(ParseCheckedMethodProvider<>)));
        return grpc;
    }
}

using System.Collections.Concurrent;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Trace.V1;

namespace Netralitas.IntegrationTests;

/// <summary>
/// A stand-in for an OpenTelemetry collector: OTLP/HTTP with protobuf bodies on 127.0.0.1:0. It keeps
/// every span it receives on /v1/traces and accepts (and ignores) metrics on /v1/metrics.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Span> _spans = new();

    private OtlpReceiver(WebApplication app) => _app = app;

    public Uri Address { get; private set; } = null!;

    public IReadOnlyList<Span> Spans => _spans.ToArray();

    public static async Task<OtlpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().UseUrls("http://127.0.0.1:0");
        var receiver = new OtlpReceiver(builder.Build());
        receiver._app.Run(receiver.ReceiveAsync);
        await receiver._app.StartAsync();
        receiver.Address = new Uri(receiver._app.Services.GetRequiredService<IServer>().Features
            .GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());
        return receiver;
    }

    private async Task ReceiveAsync(HttpContext context)
    {
        var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        if (context.Request.Path == "/v1/traces")
        {
            var export = ExportTraceServiceRequest.Parser.ParseFrom(body.ToArray());
            foreach (var span in export.ResourceSpans.SelectMany(r => r.ScopeSpans).SelectMany(s => s.Spans))
            {
                _spans.Enqueue(span);
            }
            context.Response.ContentType = "application/x-protobuf";
            await context.Response.Body.WriteAsync(new ExportTraceServiceResponse().ToByteArray());
        }
        else if (context.Request.Path != "/v1/metrics" && context.Request.Path != "/v1/logs")
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public static class OtlpSpans
{
    public static string? Attribute(this Span span, string key) =>
        span.Attributes.FirstOrDefault(a => a.Key == key)?.Value switch
        {
            null => null,
            { ValueCase: OpenTelemetry.Proto.Common.V1.AnyValue.ValueOneofCase.StringValue } v => v.StringValue,
            { ValueCase: OpenTelemetry.Proto.Common.V1.AnyValue.ValueOneofCase.IntValue } v => v.IntValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
            var v => v.ToString(),
        };

    /// <summary>Whether <paramref name="ancestor"/> is <paramref name="span"/> or above it in <paramref name="trace"/>.</summary>
    public static bool DescendsFrom(this Span span, Span ancestor, IReadOnlyCollection<Span> trace)
    {
        for (Span? current = span; current is not null;
             current = trace.FirstOrDefault(s => s.SpanId == current.ParentSpanId && !current.ParentSpanId.IsEmpty))
        {
            if (current.SpanId == ancestor.SpanId)
            {
                return true;
            }
        }
        return false;
    }
}

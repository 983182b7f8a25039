using System.Threading.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;

namespace Netralitas.Adapters.Siasn;

/// <summary>Registers <see cref="SiasnClient"/> with its authentication and its resilience pipeline.</summary>
public static class SiasnRegistration
{
    /// <summary>
    /// The pipeline, outermost first: concurrency limit, total timeout, retry (reads only: jittered
    /// exponential backoff honouring Retry-After), circuit breaker, per-attempt timeout; then the
    /// tokens. Defaults below; each can be set under <c>Netralitas:Siasn:Resilience</c> with the
    /// names of <see cref="HttpStandardResilienceOptions"/>.
    /// </summary>
    public static IServiceCollection AddSiasnClient(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SiasnOptions>().Bind(configuration.GetSection(SiasnOptions.Section))
            .Validate(o => o.Problem() is null, "Netralitas:Siasn: Mode is Remote but an address or a credential is missing")
            .ValidateOnStart();
        services.AddSingleton<SiasnTokenProvider>();
        services.AddSingleton<SiasnMetrics>();
        services.AddTransient<SiasnAuthHandler>();

        var resilience = configuration.GetSection($"{SiasnOptions.Section}:Resilience");
        Action<HttpStandardResilienceOptions> configured = o => { };
        if (resilience.Exists())
        {
            configured = resilience.Bind;
        }
        services.AddHttpClient(SiasnTokenProvider.HttpClientName)
            .AddStandardResilienceHandler()
            .Configure(SetDefaults)
            .Configure(configured)
            .Configure(ReportBreakerTo(SiasnTokenProvider.HttpClientName));

        var client = services.AddHttpClient<SiasnClient>((sp, http) =>
        {
            http.BaseAddress = sp.GetRequiredService<IOptions<SiasnOptions>>().Value.BaseAddress;
            http.Timeout = Timeout.InfiniteTimeSpan; // the pipeline's timeouts rule
        });
        client.AddStandardResilienceHandler()
            .Configure(SetDefaults)
            .Configure(configured)
            .Configure(ReportBreakerTo("siasn"))
            .Configure(o => o.Retry.DisableForUnsafeHttpMethods()); // a write is retried by the outbox relay, with its idempotency key
        client.AddHttpMessageHandler<SiasnAuthHandler>(); // inside the pipeline: every attempt carries valid tokens
        return services;
    }

    private static Action<HttpStandardResilienceOptions, IServiceProvider> ReportBreakerTo(string client) => (o, services) =>
    {
        var metrics = services.GetRequiredService<SiasnMetrics>();
        metrics.BreakerChanged(client, CircuitState.Closed);
        o.CircuitBreaker.OnOpened = _ => Report(CircuitState.Open);
        o.CircuitBreaker.OnHalfOpened = _ => Report(CircuitState.HalfOpen);
        o.CircuitBreaker.OnClosed = _ => Report(CircuitState.Closed);

        ValueTask Report(CircuitState state)
        {
            metrics.BreakerChanged(client, state);
            return ValueTask.CompletedTask;
        }
    };

    private static void SetDefaults(HttpStandardResilienceOptions o)
    {
        o.RateLimiter.DefaultRateLimiterOptions = new ConcurrencyLimiterOptions { PermitLimit = 16, QueueLimit = 256 };
        o.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(30);
        o.Retry.MaxRetryAttempts = 3;
        o.Retry.BackoffType = DelayBackoffType.Exponential;
        o.Retry.UseJitter = true;
        o.Retry.Delay = TimeSpan.FromMilliseconds(500);
        o.Retry.ShouldRetryAfterHeader = true;
        o.CircuitBreaker.FailureRatio = 0.5;
        o.CircuitBreaker.MinimumThroughput = 10;
        o.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(30);
        o.CircuitBreaker.BreakDuration = TimeSpan.FromSeconds(15);
        o.AttemptTimeout.Timeout = TimeSpan.FromSeconds(10);
    }
}

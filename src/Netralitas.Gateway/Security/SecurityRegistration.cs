using Netralitas.Domain.Cases;
using Microsoft.AspNetCore.Server.Kestrel.Https;


namespace Netralitas.Gateway.Security;

public static class SecurityRegistration
{
    /// <summary>Reads and checks Netralitas:Security, and wires caller authentication, limits and the call guard.</summary>
    public static SecurityOptions AddCallerSecurity(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(SecurityOptions.Section).Get<SecurityOptions>() ?? new SecurityOptions();
        SecurityStartupCheck.EnsureAllowed(options, builder.Environment);
        var (proxies, proxyProblems) = TrustedProxyHeaders.Parse(options.TrustedProxies);
        var problems = options.MutualTls.Members.SelectMany(CallerRoles.Problems).Concat(LimitProblems(options.Limits)).Concat(proxyProblems).ToArray();
        if (problems.Length > 0)
        {
            throw new InvalidOperationException("Invalid security settings:\n  " + string.Join("\n  ", problems));
        }

        // A client that vanishes without closing its connection would keep its watches (and stream
        // slots) until MaxStreamDuration: a silent HTTP/2 connection is pinged, and closed when the
        // ping goes unanswered, which ends its calls.
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.Http2.KeepAlivePingDelay = options.Limits.IdleConnectionPing;
            kestrel.Limits.Http2.KeepAlivePingTimeout = options.Limits.IdleConnectionPingTimeout;
        });

        if (!string.IsNullOrWhiteSpace(options.MutualTls.ClientCaPath))
        {
            // Kestrel asks for a certificate on every TLS connection but lets one without through
            // (a bearer-token client); the call guard checks the chain against the configured CA.
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https =>
            {
                https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
                https.AllowAnyClientCertificate();
            }));
        }

        builder.Services.AddSingleton(options);
        builder.Services.AddTrustedProxyHeaders(proxies);
        builder.Services.AddSingleton(options.Limits);
        builder.Services.AddSingleton(sp => new CallerAuthenticator(
            options,
            ClientCertificateMembers.Load(options.MutualTls, sp.GetRequiredService<TimeProvider>()),
            BearerTokens.Load(options.Bearer, sp.GetRequiredService<TimeProvider>()),
            sp.GetRequiredService<ILogger<CallerAuthenticator>>()));
        // Made by the container (not given to it) so that it disposes them and their timers with the host.
        builder.Services.AddSingleton(_ => new CallerRateLimiter(options.Limits));
        builder.Services.AddSingleton(_ => new CallerStreamLimiter(options.Limits));
        builder.Services.AddSingleton<CallGuardInterceptor>();
        builder.Services.AddSingleton<MalformedRequests>();
        builder.Services.AddHostedService<SecurityStartupCheck>();
        return options;
    }

    private static IEnumerable<string> LimitProblems(CallLimitOptions limits)
    {
        const string at = SecurityOptions.Section + ":Limits";
        if (limits.MaxReceiveMessageBytes < 1024 || limits.MaxSendMessageBytes < 1024)
        {
            yield return $"{at}: MaxReceiveMessageBytes and MaxSendMessageBytes must be at least 1024";
        }
        if (limits.CallsPerSecond < 1 || limits.CallBurst < Math.Max(1, limits.CallsPerSecond / 10))
        {
            yield return $"{at}: CallsPerSecond must be at least 1, and CallBurst at least 1 and a tenth of CallsPerSecond";
        }
        if (limits.MaxNipsPerStream < OpenCaseIndex.MaxNipsPerBatch)
        {
            yield return $"{at}:MaxNipsPerStream must be at least {OpenCaseIndex.MaxNipsPerBatch} (one CheckOpenCases message)";
        }
        if (limits.IdleConnectionPing < TimeSpan.FromSeconds(1) || limits.IdleConnectionPingTimeout < TimeSpan.FromSeconds(1))
        {
            yield return $"{at}: IdleConnectionPing and IdleConnectionPingTimeout must be at least one second";
        }
        if (limits.MaxStreamsPerCaller < 1)
        {
            yield return $"{at}:MaxStreamsPerCaller must be at least 1";
        }
        if (limits.MaxStreamDuration < TimeSpan.FromSeconds(1))
        {
            yield return $"{at}:MaxStreamDuration must be at least one second";
        }
    }
}

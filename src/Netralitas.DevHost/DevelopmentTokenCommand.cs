using System.Globalization;
using System.Text.RegularExpressions;
using Netralitas.Gateway.Security;
using static Netralitas.DevHost.DevelopmentCredentials;

namespace Netralitas.DevHost;

/// <summary>
/// <c>dev-token DIRECTORY --caller ID --roles R1,R2 [--instansi A,B] [--province 33] [--lifetime 1h]</c>:
/// prints one bearer token signed with the key <c>dev-credentials</c> wrote to DIRECTORY, for the
/// development issuer and the <c>netralitas</c> audience. Exit code 0 with the token on standard
/// output, 2 when the arguments are wrong or the directory has no signing key.
/// </summary>
public static partial class DevelopmentTokenCommand
{
    public const string Verb = "dev-token";
    private const string Usage = $"usage: {Verb} DIRECTORY --caller ID --roles ROLE[,ROLE…] [--instansi CODE[,CODE…]] [--province CODE] [--lifetime 1h|30m|90s|7d]";

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var request = Parse(args, out var problem);
        if (request is null)
        {
            await error.WriteLineAsync($"{Verb}: {problem}\n{Usage}");
            return 2;
        }
        var directory = CallerPaths.Resolve(request.Directory);
        var keyPath = Path.Combine(directory, TokenSigningKeyFile);
        if (!File.Exists(keyPath))
        {
            await error.WriteLineAsync($"{Verb}: no {keyPath}; write the development credentials first: {DevelopmentCredentialsCommand.Verb} {CallerPaths.ShellQuoted(directory)}");
            return 2;
        }
        DevelopmentTokenIssuer issuer;
        try
        {
            issuer = DevelopmentTokenIssuer.Load(keyPath, Issuer);
        }
        catch (InvalidDataException e)
        {
            await error.WriteLineAsync($"{Verb}: {e.Message}");
            return 2;
        }
        using (issuer)
        {
            await output.WriteLineAsync(issuer.Issue(request.Claims));
        }
        return 0;
    }

    private sealed record TokenRequest(string Directory, TokenClaims Claims);

    private static TokenRequest? Parse(string[] args, out string problem)
    {
        string? directory = null, caller = null, roles = null, instansi = null, province = null, lifetime = null;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                if (directory is not null)
                {
                    problem = $"one directory, not both {directory} and {arg}";
                    return null;
                }
                directory = arg;
                continue;
            }
            if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                problem = $"{arg} needs a value";
                return null;
            }
            var value = args[++i];
            switch (arg)
            {
                case "--caller": caller = value; break;
                case "--roles": roles = value; break;
                case "--instansi": instansi = value; break;
                case "--province": province = value; break;
                case "--lifetime": lifetime = value; break;
                default:
                    problem = $"unknown option {arg}";
                    return null;
            }
        }

        if (directory is null || string.IsNullOrWhiteSpace(caller) || roles is null)
        {
            problem = directory is null ? "which directory? (the one dev-credentials wrote)"
                : string.IsNullOrWhiteSpace(caller) ? "--caller is required (the client id, the token's azp)"
                : "--roles is required";
            return null;
        }
        var roleNames = List(roles.ToLowerInvariant());
        var unknownRole = roleNames.FirstOrDefault(r => !CallerRoles.Names.Contains(r, StringComparer.Ordinal));
        var instansiCodes = List(instansi);
        TimeSpan tokenLifetime = TimeSpan.FromHours(1);
        problem = roleNames.Count == 0 ? $"--roles needs at least one of: {string.Join(", ", CallerRoles.Names)}"
            : unknownRole is not null ? $"unknown role '{unknownRole}'; the roles are: {string.Join(", ", CallerRoles.Names)}"
            : roleNames.Contains(CallerRoles.NameOf(Role.Ppk)) && instansiCodes.Count == 0 ? "--roles ppk needs --instansi (the agencies the caller speaks for)"
            : roleNames.Contains(CallerRoles.NameOf(Role.Provincial)) && province is null ? "--roles provincial needs --province (the province code)"
            : province is not null && !ProvinceCode().IsMatch(province) ? $"--province {province}: a province code is two digits, e.g. 33"
            : lifetime is not null && !TryParseLifetime(lifetime, out tokenLifetime) ? $"--lifetime {lifetime}: a positive number with s, m, h or d, e.g. 1h"
            : "";
        if (problem.Length > 0)
        {
            return null;
        }
        return new TokenRequest(directory, new TokenClaims
        {
            Caller = caller,
            Audience = Audience,
            Roles = roleNames,
            Instansi = instansiCodes,
            Province = province,
            Lifetime = tokenLifetime,
        });
    }

    private static List<string> List(string? commaSeparated) =>
        (commaSeparated ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct().ToList();

    internal static bool TryParseLifetime(string text, out TimeSpan lifetime)
    {
        lifetime = TimeSpan.Zero;
        var match = LifetimeText().Match(text);
        if (!match.Success || !long.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var amount) || amount == 0)
        {
            return false;
        }
        var unit = match.Groups[2].Value switch
        {
            "s" => TimeSpan.FromSeconds(1),
            "m" => TimeSpan.FromMinutes(1),
            "h" => TimeSpan.FromHours(1),
            _ => TimeSpan.FromDays(1),
        };
        if (amount > TimeSpan.FromDays(3650).Ticks / unit.Ticks)
        {
            return false; // longer than ten years is a typo (and 999999999d would not fit a TimeSpan)
        }
        lifetime = unit * amount;
        return true;
    }

    [GeneratedRegex("^([0-9]{1,9})(s|m|h|d)$")]
    private static partial Regex LifetimeText();

    [GeneratedRegex("^[0-9]{2}$")]
    private static partial Regex ProvinceCode();
}

using Microsoft.Extensions.Options;
using Netralitas.Domain;
using Netralitas.Domain.Calendar;
using Netralitas.Gateway.Health;

namespace Netralitas.Gateway.Workers;

/// <summary>Configuration section <c>Netralitas:Calendar</c>.</summary>
public sealed class CalendarFollowerOptions
{
    public const string Section = "Netralitas:Calendar";

    /// <summary>How often a replica looks for a calendar year published on another replica.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often a replica counts every open due date again, whatever changed (it also does on start-up).</summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>
/// Keeps this replica on the calendar stored in the database: every
/// <see cref="CalendarFollowerOptions.PollInterval"/> it loads a year published elsewhere and
/// recomputes the due dates that year touches; once ready, and every
/// <see cref="CalendarFollowerOptions.ReconcileInterval"/>, it recomputes every open due date
/// (finishing a recompute that a stopped replica, a cancelled call or a failure left undone). Once a
/// day it warns when the current year, or from 1 October the next one, has no official list.
/// </summary>
public sealed partial class CalendarFollower(
    IServiceScopeFactory scopes,
    GatewayReadiness readiness,
    CalendarBook calendars,
    BusinessClock clock,
    IOptions<CalendarFollowerOptions> options,
    ILogger<CalendarFollower> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        DateTimeOffset? reconciledAt = null;
        DateOnly? warnedOn = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            if (readiness.IsReady)
            {
                var now = clock.Time.GetUtcNow();
                var everyYear = reconciledAt is null || now - reconciledAt >= options.Value.ReconcileInterval;
                if (await FollowOnceAsync(everyYear, stoppingToken) && everyYear)
                {
                    reconciledAt = now;
                }
                if (warnedOn != clock.Today)
                {
                    warnedOn = clock.Today;
                    foreach (var warning in CalendarDesk.Warnings(calendars.Current, clock.Today))
                    {
                        LogCalendarWarning(warning);
                    }
                }
            }
            await Task.Delay(readiness.IsReady ? options.Value.PollInterval : TimeSpan.FromSeconds(1), clock.Time, stoppingToken);
        }
    }

    private async Task<bool> FollowOnceAsync(bool everyYear, CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var changes = await scope.ServiceProvider.GetRequiredService<CalendarDesk>().RefreshAsync(everyYear, stoppingToken);
            foreach (var change in changes)
            {
                if (change.Held)
                {
                    LogHeld(change.Recommendation.ResourceName, change.Before.Date, change.After.Date);
                }
                else
                {
                    LogRecomputed(change.Recommendation.ResourceName, change.Before.Date, change.Before.Provisional, change.After.Date, change.After.Provisional);
                }
            }
            return true;
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            LogFollowFailed(e.Message);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Working-day calendar: {Warning}")]
    private partial void LogCalendarWarning(string warning);

    [LoggerMessage(Level = LogLevel.Information, Message = "Due date of {Recommendation} recomputed: {Before} (provisional: {BeforeProvisional}) -> {After} (provisional: {AfterProvisional})")]
    private partial void LogRecomputed(string recommendation, DateOnly before, bool beforeProvisional, DateOnly after, bool afterProvisional);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Due date of {Recommendation} held at {Before}: the calendar in force counts {After}, but the date has passed and an escalation step was taken on it; the authority decides")]
    private partial void LogHeld(string recommendation, DateOnly before, DateOnly after);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Following the stored working-day calendar failed; trying again at the next interval: {Reason}")]
    private partial void LogFollowFailed(string reason);
}

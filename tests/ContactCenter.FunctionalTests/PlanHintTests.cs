using ContactCenter.Api.Database;
using ContactCenter.FunctionalTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ContactCenter.FunctionalTests;

/// <summary>
/// The plan hints put before a list's statement (<see cref="DatabaseExtensions.GenericPlan"/>, <see cref="DatabaseExtensions.CustomPlan"/>)
/// hold for the statements after them in the same command and for nothing after it, on the app's own data source (its
/// statements auto-prepared), and draw no warning: as SET LOCAL they logged "SET LOCAL can only be used in transaction
/// blocks" on every list read.
/// </summary>
public sealed class PlanHintTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Theory]
    [InlineData(DatabaseExtensions.GenericPlan, "force_generic_plan")]
    [InlineData(DatabaseExtensions.CustomPlan, "force_custom_plan")]
    public async Task A_plan_hint_holds_for_its_command_only_and_draws_no_warning(string hint, string expected)
    {
        var notices = new List<string>();
        await using var connection = await fixture.App.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        connection.Notice += (_, e) =>
        {
            lock (notices)
            {
                notices.Add($"{e.Notice.Severity}: {e.Notice.MessageText}");
            }
        };
        // Past the auto-prepare threshold, so the prepared statements are used as well.
        for (var i = 0; i < 7; i++)
        {
            await using var hinted = new NpgsqlCommand(hint + "select current_setting('plan_cache_mode')", connection);
            Assert.Equal(expected, await hinted.ExecuteScalarAsync());
            await using var after = new NpgsqlCommand("select current_setting('plan_cache_mode')", connection);
            Assert.Equal("auto", await after.ExecuteScalarAsync());
        }
        Assert.Empty(notices);
    }
}

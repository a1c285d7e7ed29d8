using System.Net.Sockets;
using System.Text;
using ContactCenter.FunctionalTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ContactCenter.FunctionalTests;

/// <summary>
/// A hub's WebSocket request while PostgreSQL refuses connections (the session check cannot read the stamp) is a 503 with
/// Retry-After from ErrorHandling, as every other request is, though the hub sockets' short path skips the exception
/// handler middleware (found by an outside review: it was Kestrel's bare 500 and an "unhandled exception" error log per
/// reconnect attempt).
/// </summary>
public sealed class HubSocketStorageDownTests(AppFixture fixture) : IClassFixture<AppFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_socket_request_while_the_database_is_away_is_a_503_like_every_other_request()
    {
        var user = await fixture.CreateUserAsync("socket-storage", "manager");
        // The session check's cache must not answer for the database.
        fixture.App.Services.GetRequiredService<ContactCenter.Api.Auth.SessionStamps>().Evict(user.Id);
        var database = new NpgsqlConnectionStringBuilder(fixture.Postgres).Database!;
        var admin = Environment.GetEnvironmentVariable("CC_TEST_PG")!;
        await ExecuteAsync(admin, $"ALTER DATABASE \"{database}\" ALLOW_CONNECTIONS false; SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{database}'");
        string socket, rest;
        try
        {
            socket = await HeadAsync("/hubs/inbox?access_token=" + Uri.EscapeDataString(user.Token),
                "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n");
            rest = await HeadAsync("/api/auth/me", "Authorization: Bearer " + user.Token + "\r\n");
        }
        finally
        {
            await ExecuteAsync(admin, $"ALTER DATABASE \"{database}\" ALLOW_CONNECTIONS true");
        }

        Assert.StartsWith("HTTP/1.1 503", rest);
        Assert.StartsWith("HTTP/1.1 503", socket);
        Assert.Contains("Retry-After: 5", socket, StringComparison.OrdinalIgnoreCase);
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The response's status line and headers for a raw HTTP/1.1 GET.</summary>
    private async Task<string> HeadAsync(string target, string headers)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", fixture.App.BaseAddress.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET {target} HTTP/1.1\r\nHost: {fixture.App.BaseAddress.Authority}\r\n{headers}\r\n"));
        var buffer = new byte[16384];
        var total = 0;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (total < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(total), timeout.Token);
            if (read == 0)
            {
                break;
            }
            total += read;
            var text = Encoding.ASCII.GetString(buffer, 0, total);
            if (text.Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                return text[..text.IndexOf("\r\n\r\n", StringComparison.Ordinal)];
            }
        }
        return Encoding.ASCII.GetString(buffer, 0, total);
    }
}

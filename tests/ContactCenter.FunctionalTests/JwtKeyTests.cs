using ContactCenter.FunctionalTests.Infrastructure;

namespace ContactCenter.FunctionalTests;

/// <summary>The signing key committed for Development must never sign tokens anywhere else.</summary>
public sealed class JwtKeyTests
{
    private const string DevelopmentKey = "development-only-key-change-me-in-production-0123456789";

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    [InlineData("Testing")]
    public async Task Outside_Development_the_app_refuses_to_start_with_the_committed_development_key(string environment)
    {
        var postgres = await TestEnvironment.CreateDatabaseAsync();

        var error = Assert.ThrowsAny<Exception>(() =>
            new AppNode(postgres, null, new Dictionary<string, string?> { ["Auth:JwtKey"] = DevelopmentKey }, environment));

        Assert.Contains("Auth:JwtKey", Flatten(error), StringComparison.Ordinal);
    }

    [Fact]
    public void The_development_key_is_the_one_in_the_repositorys_development_settings()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(dir!.FullName, "ContactCenter.sln")))
        {
            dir = dir.Parent;
        }
        var settings = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(dir.FullName, "appsettings.Development.json")))!;

        Assert.Equal(DevelopmentKey, settings["Auth"]!["JwtKey"]!.GetValue<string>());
    }

    private static string Flatten(Exception error)
    {
        var text = "";
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            text += e.Message + "\n";
        }
        return text;
    }
}

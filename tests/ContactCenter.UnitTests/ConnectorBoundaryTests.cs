using System.Reflection;
using ContactCenter.Api.Features.Sms;

namespace ContactCenter.UnitTests;

/// <summary>
/// Where a connector stops (docs/ARCHITECTURE.md): it reaches host data only through interfaces the host implements, so
/// no assembly under connectors/ may reference the database client or the SQL mapper. Checked on the compiled
/// assemblies: a `using Npgsql` anywhere in a connector makes its assembly reference Npgsql.
/// </summary>
public sealed class ConnectorBoundaryTests
{
    private static readonly string[] StorageAssemblies = ["Npgsql", "Dapper"];

    /// <summary>Every connector the host wires in (the host references each one it registers).</summary>
    private static IReadOnlyList<AssemblyName> Connectors() =>
        typeof(SmsExtensions).Assembly.GetReferencedAssemblies()
            .Where(a => a.Name!.StartsWith("ContactCenter.Connectors.", StringComparison.Ordinal))
            .OrderBy(a => a.Name, StringComparer.Ordinal)
            .ToList();

    public static TheoryData<string> ConnectorNames() => new(Connectors().Select(a => a.Name!));

    [Fact]
    public void The_host_wires_the_connectors_that_once_read_host_tables()
    {
        var names = Connectors().Select(a => a.Name).ToList();
        Assert.Contains("ContactCenter.Connectors.Email", names);
        Assert.Contains("ContactCenter.Connectors.WebChat", names);
        Assert.True(names.Count >= 8, $"Expected every connector, found: {string.Join(", ", names)}");
    }

    [Theory]
    [MemberData(nameof(ConnectorNames))]
    public void Connector_does_not_reference_the_database_client_or_the_sql_mapper(string connector)
    {
        var referenced = Assembly.Load(connector).GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.Empty(referenced.Intersect(StorageAssemblies, StringComparer.Ordinal));
    }

    /// <summary>
    /// A connector stands on Core alone: shared helpers (the webhook body reader, RawBody) live in Core, not in another
    /// connector. The one exception is Voice on Sms: both are the same Twilio account (its settings, signature and errors).
    /// </summary>
    [Theory]
    [MemberData(nameof(ConnectorNames))]
    public void Connector_references_no_other_connector_but_voice_its_twilio_account(string connector)
    {
        var others = Assembly.Load(connector).GetReferencedAssemblies().Select(a => a.Name!)
            .Where(n => n.StartsWith("ContactCenter.Connectors.", StringComparison.Ordinal)).ToList();
        Assert.Equal(connector == "ContactCenter.Connectors.Voice" ? ["ContactCenter.Connectors.Sms"] : [], others);
    }
}

using System.Runtime.CompilerServices;
using Dapper;

namespace ContactCenter.FunctionalTests.Infrastructure;

/// <summary>
/// Dapper keys the code it generates for a query (parameter writers, row readers) by SQL, types and connection string.
/// The app uses one database per process; a test process runs an app over a fresh database per test class, so each class
/// generated and JIT-compiled every query's code again. Every test database has the same schema (copies of one migrated
/// template, or migrated by the app at start), so one set of generated code serves them all, as it does in the app; a
/// reader whose columns differ still gets code of its own (Dapper checks the columns it reads). Dapper's own setting for
/// databases of one schema, set before the first query of the process (this assembly holds every test fixture).
/// Measured on 12 functional test classes (System.Runtime.JitInfo at the process's end): ~650 fewer methods compiled
/// (39,300 against 40,000) and ~1 s less time in the JIT.
/// </summary>
internal static class DapperCache
{
    [ModuleInitializer]
    internal static void OneSchema() => SqlMapper.ConnectionStringComparer = AnyConnection.Instance;

    private sealed class AnyConnection : IEqualityComparer<string>
    {
        public static readonly AnyConnection Instance = new();

        public bool Equals(string? x, string? y) => true;

        public int GetHashCode(string obj) => 0;
    }
}

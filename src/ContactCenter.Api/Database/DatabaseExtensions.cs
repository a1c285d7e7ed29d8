using Dapper;
using Npgsql;

namespace ContactCenter.Api.Database;

public static class DatabaseExtensions
{
    public static IHostApplicationBuilder AddDatabase(this IHostApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString("Postgres")
            ?? throw new InvalidOperationException("ConnectionStrings:Postgres is not set.");
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        SqlMapper.AddTypeHandler(new DateTimeOffsetHandler());
        builder.Services.AddSingleton(_ =>
        {
            var dataSource = new NpgsqlDataSourceBuilder(connectionString);
            // No JIT for these short OLTP queries: on a small table without statistics (a users table of a few dozen
            // rows is never auto-analyzed) the planner's estimates cross jit_above_cost and every push compiled the
            // counters query for ~600 ms (see README, Benchmarks). A connection string that sets Options keeps its own.
            dataSource.ConnectionStringBuilder.Options ??= "-c jit=off";
            // Every inbound message runs the same ~25 statements: prepared once per connection, they skip parsing and
            // most planning (PostgreSQL CPU per message about a third lower in the benchmarks). Kept if the string sets it.
            if (!SetsAutoPrepare(connectionString))
            {
                dataSource.ConnectionStringBuilder.MaxAutoPrepare = 100;
                dataSource.ConnectionStringBuilder.AutoPrepareMinUsages = 2;
            }
            return dataSource.Build();
        });
        builder.Services.AddSingleton<Migrator>();
        return builder;
    }

    private static bool SetsAutoPrepare(string connectionString)
    {
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        return given.ContainsKey("Max Auto Prepare") || given.ContainsKey("MaxAutoPrepare");
    }
}

/// <summary>Npgsql reads timestamptz as UTC DateTime; the API speaks DateTimeOffset.</summary>
internal sealed class DateTimeOffsetHandler : SqlMapper.TypeHandler<DateTimeOffset>
{
    public override DateTimeOffset Parse(object value) => value switch
    {
        DateTime dt => new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Utc)),
        DateTimeOffset dto => dto,
        _ => throw new InvalidCastException($"Cannot read {value.GetType()} as DateTimeOffset."),
    };

    public override void SetValue(System.Data.IDbDataParameter parameter, DateTimeOffset value) =>
        parameter.Value = value.UtcDateTime;
}

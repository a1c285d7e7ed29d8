using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;
using Dapper;
using Npgsql;

namespace ContactCenter.FunctionalTests.Infrastructure;

/// <summary>
/// Empties tables as `truncate ... restart identity cascade` does — the tables that reference them too, their identity
/// sequences back at their start, and what their ON TRUNCATE triggers do (rollups emptied, the audience directory's
/// version bumped) — with DELETEs. A TRUNCATE gives every table, index and TOAST table of the cascade a new file (the
/// tests' reset: 41 tables, ~80 ms of an idle machine) and makes every connection of the app rebuild its cached catalog
/// entries; the tests reset before most of their ~750 tests. Foreign keys and triggers are off for the wipe
/// (session_replication_role = replica: the tests connect as superuser), so their effects are written out here; the
/// tables are locked against writes first, as TRUNCATE's lock did, so no worker of the app inserts a row that points at
/// a deleted one. A trigger whose effect this cannot write out (another shape of body) makes the wipe a TRUNCATE again.
/// </summary>
internal static partial class TableWipe
{
    // Per database and table list: the schema of a database does not change under its tests.
    private static readonly ConcurrentDictionary<string, string> Scripts = new();

    /// <summary>Empties <paramref name="tables"/> (and the tables referencing them), then runs <paramref name="after"/> with triggers on.</summary>
    public static async Task WipeAsync(NpgsqlConnection db, IReadOnlyList<string> tables, string after)
    {
        var key = db.Database + "|" + string.Join(",", tables);
        if (!Scripts.TryGetValue(key, out var script))
        {
            script = await ScriptAsync(db, tables) ?? $"truncate table {string.Join(", ", tables)} restart identity cascade;";
            Scripts[key] = script;
        }
        await using var tx = await db.BeginTransactionAsync();
        await db.ExecuteAsync(script, transaction: tx);
        await db.ExecuteAsync("set local session_replication_role = origin;\n" + after, transaction: tx);
        await tx.CommitAsync();
    }

    private static async Task<string?> ScriptAsync(NpgsqlConnection db, IReadOnlyList<string> tables)
    {
        var all = (await db.QueryAsync<(long Oid, string Name)>("""
            with recursive closure(oid) as (
                select c.oid from unnest(@tables::text[]) t(name) join pg_class c on c.oid = t.name::regclass
                union
                select con.conrelid from pg_constraint con join closure on con.confrelid = closure.oid where con.contype = 'f'
            )
            select oid::bigint, oid::regclass::text from closure order by 2
            """, new { tables = tables.ToArray() })).ToList();
        var oids = all.Select(t => t.Oid).ToArray();
        var bodies = await db.QueryAsync<string>("""
            select p.prosrc from pg_trigger t join pg_proc p on p.oid = t.tgfoid
            where t.tgrelid = any(@oids::oid[]) and (t.tgtype & 32) <> 0 and not t.tgisinternal
            """, new { oids });
        var effects = new List<string>();
        foreach (var body in bodies)
        {
            if (Effects(body) is not { } written)
            {
                return null;
            }
            effects.AddRange(written);
        }
        var sequences = (await db.QueryAsync<string>("""
            select distinct s.oid::regclass::text from pg_depend d join pg_class s on s.oid = d.objid and s.relkind = 'S'
            where d.refobjid = any(@oids::oid[]) and d.deptype in ('a', 'i')
            """, new { oids })).ToList();
        var names = string.Join(", ", all.Select(t => t.Name));
        // The tables the triggers' effects write (rollups, the audience directory) are locked too, as the triggers' own
        // TRUNCATE locked them: a writer of their own (the minutely rollup compactor) that inserts a folded row while the
        // wipe deletes would otherwise leave that row behind, invisible to the delete's snapshot.
        var targets = effects.Select(e => Target().Match(e)).Where(m => m.Success).Select(m => m.Groups[1].Value)
            .Where(t => !all.Any(a => a.Name == t)).Distinct().ToList();
        var script = new StringBuilder();
        script.AppendLine("set local session_replication_role = replica;");
        script.AppendLine($"lock table {string.Join(", ", [names, .. targets])} in exclusive mode;");
        foreach (var (_, name) in all)
        {
            script.AppendLine($"delete from {name};");
        }
        foreach (var effect in effects.Distinct())
        {
            script.AppendLine(effect + ";");
        }
        if (sequences.Count > 0)
        {
            script.AppendLine($"select setval(s.seqrelid, s.seqstart, false) from pg_sequence s where s.seqrelid = any(array[{string.Join(", ", sequences.Select(s => $"'{s}'::regclass"))}]);");
        }
        return script.ToString();
    }

    /// <summary>A trigger body's statements as a wipe writes them: `truncate a, b` as deletes, a delete or an insert as it is.</summary>
    private static List<string>? Effects(string body)
    {
        var match = Body().Match(body);
        if (!match.Success)
        {
            return null;
        }
        var effects = new List<string>();
        foreach (var statement in match.Groups[1].Value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (Truncate().Match(statement) is { Success: true } truncate)
            {
                effects.AddRange(truncate.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries).Select(t => $"delete from {t}"));
            }
            else if (statement.StartsWith("delete from ", StringComparison.OrdinalIgnoreCase) || statement.StartsWith("insert into ", StringComparison.OrdinalIgnoreCase))
            {
                effects.Add(statement);
            }
            else if (!statement.Equals("return null", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }
        }
        return effects;
    }

    [GeneratedRegex(@"^\s*begin\s+(.*?)\s*end;?\s*$", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex Body();

    [GeneratedRegex(@"^truncate\s+(?:table\s+)?([\w\s,.]+)$", RegexOptions.IgnoreCase)]
    private static partial Regex Truncate();

    [GeneratedRegex(@"^(?:delete\s+from|insert\s+into)\s+([\w.]+)", RegexOptions.IgnoreCase)]
    private static partial Regex Target();
}

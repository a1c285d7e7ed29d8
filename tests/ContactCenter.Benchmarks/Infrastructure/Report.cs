using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ContactCenter.Benchmarks.Infrastructure;

/// <summary>One line of the table: a figure, what it is compared with, and the goal.</summary>
public sealed record Row(string Scenario, string Figure, string Value, string Baseline = "", string Ratio = "", string Goal = "", bool? Met = null, string Note = "")
{
    public double? Number { get; init; }

    public string MetText => Met switch { true => "yes", false => "NO", null => "" };
}

/// <summary>The run's table, notes and profile; printed once and written as JSON and Markdown.</summary>
public sealed class Report
{
    private readonly List<Row> rows = [];
    private readonly List<string> notes = [];
    private readonly List<string> profile = [];
    private readonly Dictionary<string, string> machine = [];

    public IReadOnlyList<Row> Rows => rows;

    public void Add(Row row)
    {
        lock (rows)
        {
            rows.Add(row);
        }
        Progress.Say($"  = {row.Figure}: {row.Value}" + (row.Ratio.Length > 0 && row.Baseline.Length > 0 ? $" ({row.Ratio} of {row.Baseline})" : "")
            + (row.Goal.Length > 0 ? $"  goal {row.Goal}: {(row.Met == true ? "met" : row.Met == false ? "NOT met" : "-")}" : "")
            + (row.Note.Length > 0 ? $"  [{row.Note}]" : ""));
    }

    public void Note(string text)
    {
        lock (notes)
        {
            notes.Add(text);
        }
    }

    public void Profile(string line) => profile.Add(line);

    public void Machine(string key, string value) => machine[key] = value;

    private static readonly string[] Headers = ["Scenario", "Figure", "Value", "Baseline", "Ratio", "Goal", "Met?"];

    private static string[] Cells(Row r) => [r.Scenario, r.Figure, r.Value, r.Baseline, r.Ratio, r.Goal, r.MetText];

    public string Table()
    {
        var widths = Headers.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => Cells(r)[i].Length))).ToArray();
        var sb = new StringBuilder();
        void Line(string[] cells) => sb.AppendLine(string.Join("  ", cells.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());
        Line(Headers);
        Line(widths.Select(w => new string('-', w)).ToArray());
        foreach (var r in rows)
        {
            Line(Cells(r));
        }
        return sb.ToString();
    }

    public string Markdown(string title)
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"# {title}").AppendLine();
        sb.AppendLine("Machine: " + string.Join("; ", machine.Select(kv => $"{kv.Key}: {kv.Value}"))).AppendLine();
        sb.AppendLine("| " + string.Join(" | ", Headers) + " |");
        sb.AppendLine("|" + string.Join("|", Headers.Select(_ => "---")) + "|");
        foreach (var r in rows)
        {
            sb.AppendLine("| " + string.Join(" | ", Cells(r).Select(c => c.Replace("|", "\\|", StringComparison.Ordinal))) + " |");
        }
        if (notes.Count > 0)
        {
            sb.AppendLine().AppendLine("Notes:").AppendLine();
            foreach (var n in notes)
            {
                sb.AppendLine("- " + n);
            }
        }
        if (profile.Count > 0)
        {
            sb.AppendLine().AppendLine("## Profiles (pg_stat_statements and /proc)").AppendLine();
            foreach (var p in profile)
            {
                sb.AppendLine(p);
            }
        }
        return sb.ToString();
    }

    public string Json(string mode, TimeSpan took) => JsonSerializer.Serialize(new
    {
        mode,
        finishedAt = DateTimeOffset.UtcNow,
        tookSeconds = Math.Round(took.TotalSeconds),
        machine,
        rows = rows.Select(r => new { r.Scenario, r.Figure, r.Value, number = r.Number is { } n && double.IsFinite(n) ? n : (double?)null, r.Baseline, r.Ratio, r.Goal, met = r.Met, r.Note }),
        notes,
        profile,
    }, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true });

    public void PrintNotes()
    {
        foreach (var n in notes)
        {
            Console.WriteLine("  * " + n);
        }
    }
}

using Microsoft.AspNetCore.Http.HttpResults;

namespace ContactCenter.Api.Infrastructure;

/// <summary>Collects field errors for a 400 validation problem.</summary>
public sealed class Validation
{
    private readonly Dictionary<string, List<string>> errors = [];

    public bool HasErrors => errors.Count > 0;

    public void Add(string field, string message)
    {
        var key = char.ToLowerInvariant(field[0]) + field[1..];
        if (!errors.TryGetValue(key, out var list))
        {
            errors[key] = list = [];
        }
        list.Add(message);
    }

    public void Require(string field, bool condition, string message)
    {
        if (!condition)
        {
            Add(field, message);
        }
    }

    public void AddAll(IDictionary<string, string[]> more)
    {
        foreach (var (field, messages) in more)
        {
            foreach (var message in messages)
            {
                Add(field, message);
            }
        }
    }

    public ValidationProblem ToResult(string detail = "Some fields are not valid.") =>
        TypedResults.ValidationProblem(errors.ToDictionary(e => e.Key, e => e.Value.ToArray()), detail: detail);
}

using System.Runtime.CompilerServices;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.OpenApi;

namespace ContactCenter.Api.Infrastructure.OpenApi;

/// <summary>
/// Component names of the document. By default a schema is named after its type, and two records of the same name
/// (`AuthApi.UserDto` and `UsersApi.UserDto`, the `CreateRequest` of deals, leads, activities and contacts) would share
/// one component, so one route was described with the other's record. A name the host uses for more than one type
/// gets its declaring type's (or namespace's) name in front: `UsersApiUserDto`, `DealServiceCreateRequest`.
/// </summary>
internal static class SchemaIds
{
    private static readonly HashSet<string> Ambiguous = typeof(SchemaIds).Assembly.GetTypes()
        .Where(t => !t.IsDefined(typeof(CompilerGeneratedAttribute), false) && !t.Name.Contains('<'))
        .GroupBy(t => t.Name).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);

    public static string? Create(JsonTypeInfo type)
    {
        var id = OpenApiOptions.CreateDefaultSchemaReferenceId(type);
        if (id is null || id != type.Type.Name || !Ambiguous.Contains(id))
        {
            return id;
        }
        return Of(type.Type);
    }

    /// <summary>The component name of a record (not a generic or a collection): its name, qualified when ambiguous.</summary>
    public static string Of(Type type) => Ambiguous.Contains(type.Name)
        ? (type.DeclaringType?.Name ?? type.Namespace?.Split('.')[^1] ?? "") + type.Name
        : type.Name;
}

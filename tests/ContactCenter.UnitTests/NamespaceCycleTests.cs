using System.Reflection;
using ContactCenter.Api.Features.Sms;
using Xunit.Abstractions;

namespace ContactCenter.UnitTests;

/// <summary>
/// Two namespaces of the host that use each other cannot be read (or moved) one at a time. The dependencies are read from
/// the compiled types: base types, interfaces, fields (also the ones primary constructors and async methods keep),
/// properties, events, and method and constructor signatures, generic arguments included.
/// </summary>
public sealed class NamespaceCycleTests(ITestOutputHelper output)
{
    private const string Root = "ContactCenter.Api";

    private const BindingFlags Declared =
        BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Lazy<Dictionary<(string From, string To), SortedSet<string>>> Edges = new(ReadEdges);

    [Theory]
    [InlineData("ContactCenter.Api.Realtime", "ContactCenter.Api.Features.Conversations")]
    [InlineData("ContactCenter.Api.Features.Routing", "ContactCenter.Api.Features.Stats")]
    [InlineData("ContactCenter.Api.Features.Conversations", "ContactCenter.Api.Features.Routing")]
    [InlineData("ContactCenter.Api.Features.Conversations", "ContactCenter.Api.Features.Crm")]
    [InlineData("ContactCenter.Api.Features.Conversations", "ContactCenter.Api.Features.Notifications")]
    [InlineData("ContactCenter.Api.Features.Channels", "ContactCenter.Api.Features.Hours")]
    [InlineData("ContactCenter.Api.Features.Crm", "ContactCenter.Api.Features.Labels")]
    [InlineData("ContactCenter.Api.Realtime", "ContactCenter.Api.Auth")]
    [InlineData("ContactCenter.Api.Realtime", "ContactCenter.Api.Features.Crm")]
    [InlineData("ContactCenter.Api.Realtime", "ContactCenter.Api.Features.Imports")]
    [InlineData("ContactCenter.Api.Realtime", "ContactCenter.Api.Features.Notifications")]
    [InlineData("ContactCenter.Api.Realtime", "ContactCenter.Api.Features.Routing")]
    [InlineData("ContactCenter.Api.Features.Crm.Automation", "ContactCenter.Api.Features.Crm")]
    [InlineData("ContactCenter.Api.Features.Crm", "ContactCenter.Api.Features.Fields")]
    public void Namespaces_do_not_use_each_other(string first, string second)
    {
        Assert.True(Edges.Value.ContainsKey((first, second)) || Edges.Value.ContainsKey((second, first)),
            $"Neither {first} nor {second} uses the other: the check reads nothing (were they renamed?)");
        var there = Edges.Value.GetValueOrDefault((first, second));
        var back = Edges.Value.GetValueOrDefault((second, first));
        Assert.False(there is not null && back is not null,
            $"{first} -> {second}: {string.Join(", ", there ?? [])}\n{second} -> {first}: {string.Join(", ", back ?? [])}");
    }

    /// <summary>
    /// The pairs still untangled, as of this list: none since the features declare their push ports and Realtime implements
    /// them. No new pair may appear, and a pair that is gone must leave the list (the check above then guards it): the list
    /// only shrinks.
    /// </summary>
    private static readonly string[] KnownPairs = [];

    [Fact]
    public void No_other_namespaces_use_each_other_than_the_known_pairs()
    {
        var pairs = Edges.Value.Keys.Where(k => string.CompareOrdinal(k.From, k.To) < 0 && Edges.Value.ContainsKey((k.To, k.From)))
            .OrderBy(p => p.From, StringComparer.Ordinal).ThenBy(p => p.To, StringComparer.Ordinal).ToList();
        foreach (var (from, to) in pairs)
        {
            output.WriteLine($"{from} <-> {to}\n  {string.Join(", ", Edges.Value[(from, to)])}\n  back: {string.Join(", ", Edges.Value[(to, from)])}");
        }
        static string Short(string ns) => ns[(Root.Length + 1)..];
        Assert.Equal(KnownPairs.Order(StringComparer.Ordinal), pairs.Select(p => $"{Short(p.From)} <-> {Short(p.To)}").Order(StringComparer.Ordinal));
    }

    private static Dictionary<(string From, string To), SortedSet<string>> ReadEdges()
    {
        var edges = new Dictionary<(string From, string To), SortedSet<string>>();
        foreach (var type in typeof(SmsExtensions).Assembly.GetTypes())
        {
            var from = NamespaceOf(type);
            if (from is null)
            {
                continue;
            }
            foreach (var used in UsedTypes(type).SelectMany(Flatten).Distinct())
            {
                if (NamespaceOf(used) is { } to && to != from)
                {
                    var evidence = edges.TryGetValue((from, to), out var set) ? set : edges[(from, to)] = new SortedSet<string>(StringComparer.Ordinal);
                    evidence.Add($"{Outermost(type).Name} uses {Outermost(used).Name}");
                }
            }
        }
        return edges;
    }

    private static IEnumerable<Type> UsedTypes(Type type)
    {
        if (type.BaseType is { } baseType)
        {
            yield return baseType;
        }
        foreach (var item in type.GetInterfaces())
        {
            yield return item;
        }
        foreach (var field in type.GetFields(Declared))
        {
            yield return field.FieldType;
        }
        foreach (var property in type.GetProperties(Declared))
        {
            yield return property.PropertyType;
        }
        foreach (var item in type.GetEvents(Declared))
        {
            yield return item.EventHandlerType!;
        }
        foreach (var method in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
        {
            if (method is MethodInfo info)
            {
                yield return info.ReturnType;
            }
            foreach (var parameter in method.GetParameters())
            {
                yield return parameter.ParameterType;
            }
        }
    }

    /// <summary>The type and every type inside it: generic arguments, array and by-ref element types.</summary>
    private static IEnumerable<Type> Flatten(Type type)
    {
        if (type.HasElementType)
        {
            foreach (var inner in Flatten(type.GetElementType()!))
            {
                yield return inner;
            }
            yield break;
        }
        yield return type;
        if (type.IsGenericType && !type.IsGenericTypeDefinition)
        {
            foreach (var inner in type.GetGenericArguments().SelectMany(Flatten))
            {
                yield return inner;
            }
        }
    }

    private static string? NamespaceOf(Type type) =>
        !type.IsGenericParameter && type.Namespace is { } ns && (ns == Root || ns.StartsWith(Root + ".", StringComparison.Ordinal)) ? ns : null;

    private static Type Outermost(Type type)
    {
        while (type.DeclaringType is { } outer)
        {
            type = outer;
        }
        return type.IsGenericType ? type.GetGenericTypeDefinition() : type;
    }
}

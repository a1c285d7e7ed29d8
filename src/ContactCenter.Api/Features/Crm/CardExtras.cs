using System.Text.Json;
using ContactCenter.Api.Auth;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Crm;

/// <summary>What the deal card shows besides the deal row (issue #17).</summary>
public sealed partial record DealDto
{
    public IReadOnlyList<ProductLine> Products { get; init; } = [];

    public bool AmountFromProducts { get; init; }

    /// <summary>Where the deal came from: {channel, channelId, conversationId, form, utm, payload...}; null when not known.</summary>
    public JsonElement? SourceDetails { get; init; }
}

/// <summary>What the lead card shows besides the lead row (issue #17).</summary>
public sealed partial record LeadDto
{
    /// <summary>The configurable status (GET /api/lead-statuses) of an open lead.</summary>
    public CatalogRef? LeadStatus { get; init; }

    public long? StatusId => LeadStatus?.Id;

    public long? JunkReasonId { get; init; }

    public JsonElement? SourceDetails { get; init; }
}

public sealed record CatalogRef(long Id, string Name, string? NameRu);

/// <summary>
/// Reads the card parts of deals and leads in one query per page (the rows themselves come from the shared queries),
/// so the lists and the cards stay one round trip each whatever the page size.
/// </summary>
public static class CardExtras
{
    private sealed record DealRow(long Id, bool AmountFromProducts, string? SourceDetails);

    private sealed record LineRow(long DealId, string Name, decimal Price, decimal Quantity, decimal Discount);

    private sealed record LeadRow(long Id, long? StatusId, string? StatusName, string? StatusNameRu, long? JunkReasonId, string? SourceDetails);

    /// <summary>
    /// `sourceDetails` as <paramref name="viewer"/> may read it: the `conversationId` (and `channelId`) of the conversation a
    /// lead or deal came from only when they may open that conversation (<see cref="CrmAccess.ConversationSeen"/>); for
    /// no viewer (a push to the whole audience, a write's answer) never. Over alias `x`; parameters @me, @staff.
    /// </summary>
    private const string SourceSeen = $$"""
        case when not jsonb_exists(x.source_details, 'conversationId') or @staff is true or exists (
                select 1 from conversations vc
                where vc.id = case when x.source_details ->> 'conversationId' ~ '^[0-9]{1,18}$' then (x.source_details ->> 'conversationId')::bigint end
                  and {{CrmAccess.ConversationSeen}})
            then x.source_details
            else x.source_details - 'conversationId' - 'channelId' end::text
        """;

    public static async Task<DealDto> WithExtrasAsync(NpgsqlConnection connection, NpgsqlTransaction tx, DealDto deal, CurrentUser? viewer, CancellationToken ct)
    {
        await using var reader = await connection.QueryMultipleAsync(new CommandDefinition($"""
            select x.id, x.amount_from_products, {SourceSeen} as source_details from deals x where x.id = @id;
            select deal_id, name, price, quantity, discount from deal_products where deal_id = @id order by sort;
            """, new { id = deal.Id, me = viewer?.Id, staff = viewer?.IsStaff ?? false }, tx, cancellationToken: ct));
        var row = await reader.ReadSingleOrDefaultAsync<DealRow>();
        var lines = (await reader.ReadAsync<LineRow>()).Select(l => new ProductLine(l.Name, l.Price, l.Quantity, l.Discount)).ToList();
        return deal with { Products = lines, AmountFromProducts = row?.AmountFromProducts ?? false, SourceDetails = Parse(row?.SourceDetails) };
    }

    public static async Task<List<LeadDto>> WithExtrasAsync(NpgsqlConnection connection, NpgsqlTransaction tx, IReadOnlyList<LeadDto> leads, CurrentUser? viewer, CancellationToken ct)
    {
        if (leads.Count == 0)
        {
            return [];
        }
        var rows = (await connection.QueryAsync<LeadRow>(new CommandDefinition($"""
            select x.id, x.status_id, s.name as status_name, s.name_ru as status_name_ru, x.junk_reason_id, {SourceSeen} as source_details
            from leads x left join lead_statuses s on s.id = x.status_id
            where x.id = any(@ids)
            """, new { ids = leads.Select(l => l.Id).ToArray(), me = viewer?.Id, staff = viewer?.IsStaff ?? false }, tx, cancellationToken: ct))).ToDictionary(r => r.Id);
        return leads.Select(l => rows.TryGetValue(l.Id, out var r)
            ? l with
            {
                LeadStatus = r.StatusId is { } sid ? new CatalogRef(sid, r.StatusName ?? "", r.StatusNameRu) : null,
                JunkReasonId = r.JunkReasonId,
                SourceDetails = Parse(r.SourceDetails),
            }
            : l).ToList();
    }

    private static JsonElement? Parse(string? json) => json is null ? null : JsonDocument.Parse(json).RootElement.Clone();
}

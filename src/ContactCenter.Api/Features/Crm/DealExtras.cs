using System.Text.Json.Nodes;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Crm;

/// <summary>One products line of a deal (issue #17).</summary>
public sealed record ProductLine(string Name, decimal Price, decimal Quantity, decimal Discount)
{
    /// <summary>price × quantity less the discount (a percentage), rounded to cents.</summary>
    public decimal Total => Math.Round(Price * Quantity * (1 - Discount / 100m), 2, MidpointRounding.AwayFromZero);
}

/// <summary>
/// The card-page parts of a deal write (products lines, amount from products, structured source), parsed and validated
/// whole BEFORE the transaction opens, so a bad line changes nothing; applied inside the caller's transaction.
/// </summary>
public sealed class DealExtras
{
    public const int MaxLines = 200;

    public const int MaxSourceBytes = 4096;

    /// <summary>The replacement list, when the request carried `products`.</summary>
    public IReadOnlyList<ProductLine>? Products { get; private init; }

    public bool? AmountFromProducts { get; private init; }

    /// <summary>The `sourceDetails` object as JSON text, when the request carried one (`null` clears it: <see cref="SetSource"/>).</summary>
    public string? SourceDetails { get; private init; }

    public bool SetSource { get; private init; }

    public bool IsEmpty => Products is null && AmountFromProducts is null && !SetSource;

    public static CrmResult<DealExtras> Parse(JsonNode? products, JsonNode? amountFromProducts, bool hasAmountFromProducts, JsonNode? sourceDetails, bool hasSource)
    {
        List<ProductLine>? lines = null;
        if (products is not null)
        {
            if (products is not JsonArray array || array.Count > MaxLines)
            {
                return CrmResult<DealExtras>.Invalid("products", $"products is a list of at most {MaxLines} lines {{name, price, quantity, discount}}.");
            }
            lines = [];
            for (var i = 0; i < array.Count; i++)
            {
                var parsed = ParseLine(array[i], i);
                if (parsed.Value is null)
                {
                    return parsed.As<DealExtras>();
                }
                lines.Add(parsed.Value);
            }
            // The lines' total may become the deal's amount (numeric(18,2)): one bound for the whole list, as for any amount.
            if (lines.Sum(l => l.Price * l.Quantity * (1 - l.Discount / 100)) > MaxTotal)
            {
                return CrmResult<DealExtras>.Invalid("products", "The lines add up to more than 10^15.");
            }
        }
        bool? fromProducts = null;
        if (hasAmountFromProducts)
        {
            if (amountFromProducts is not JsonValue v || !v.TryGetValue<bool>(out var flag))
            {
                return CrmResult<DealExtras>.Invalid("amountFromProducts", "amountFromProducts is true or false.");
            }
            fromProducts = flag;
        }
        string? source = null;
        if (hasSource && sourceDetails is not null)
        {
            if (sourceDetails is not JsonObject obj)
            {
                return CrmResult<DealExtras>.Invalid("sourceDetails", "sourceDetails is an object such as {channel, form, utm: {...}, payload}.");
            }
            source = obj.ToJsonString();
            if (System.Text.Encoding.UTF8.GetByteCount(source) > MaxSourceBytes || source.Contains("\\u0000", StringComparison.Ordinal))
            {
                return CrmResult<DealExtras>.Invalid("sourceDetails", $"sourceDetails is at most {MaxSourceBytes} bytes of JSON without NUL characters.");
            }
        }
        return CrmResult<DealExtras>.Ok(new DealExtras { Products = lines, AmountFromProducts = fromProducts, SourceDetails = source, SetSource = hasSource });
    }

    private const decimal MaxTotal = 1_000_000_000_000_000m;

    public static CrmResult<DealExtras> Parse(DealPatch patch) =>
        Parse(patch.Products.Value, patch.AmountFromProducts.Value is { } flag ? JsonValue.Create(flag) : null, patch.AmountFromProducts.IsPresent,
            patch.SourceDetails.Value, patch.SourceDetails.IsPresent);

    private static CrmResult<ProductLine> ParseLine(JsonNode? node, int i)
    {
        var field = $"products[{i}]";
        if (node is not JsonObject o)
        {
            return CrmResult<ProductLine>.Invalid(field, "Each line is {name, price, quantity, discount}.");
        }
        try
        {
            var name = o["name"]?.GetValue<string>()?.Trim();
            var price = o["price"]?.GetValue<decimal>();
            var quantity = o["quantity"]?.GetValue<decimal>() ?? 1;
            var discount = o["discount"]?.GetValue<decimal>() ?? 0;
            if (string.IsNullOrEmpty(name) || name.Length > 300 || name.Contains('\0'))
            {
                return CrmResult<ProductLine>.Invalid($"{field}.name", "A name of 1 to 300 characters is required.");
            }
            if (price is null or < 0 or > 1_000_000_000_000m || decimal.Round(price.Value, 2) != price)
            {
                return CrmResult<ProductLine>.Invalid($"{field}.price", "The price is required, between 0 and 10^12, in cents at most.");
            }
            if (quantity is <= 0 or > 1_000_000_000m || decimal.Round(quantity, 3) != quantity)
            {
                return CrmResult<ProductLine>.Invalid($"{field}.quantity", "The quantity is above 0, at most 10^9, with at most 3 decimals.");
            }
            if (discount is < 0 or > 100 || decimal.Round(discount, 2) != discount)
            {
                return CrmResult<ProductLine>.Invalid($"{field}.discount", "The discount is a percentage between 0 and 100.");
            }
            return CrmResult<ProductLine>.Ok(new ProductLine(name, price.Value, quantity, discount));
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or OverflowException)
        {
            return CrmResult<ProductLine>.Invalid(field, "name is a string; price, quantity and discount are numbers.");
        }
    }

    /// <summary>Applies what was given; true when something changed (then the deal is pushed and the timeline says what).</summary>
    public async Task<bool> ApplyAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long dealId, Actor actor, DateTimeOffset now, CancellationToken ct)
    {
        if (IsEmpty)
        {
            return false;
        }
        if (Products is not null)
        {
            await connection.ExecuteAsync(new CommandDefinition("""
                delete from deal_products where deal_id = @dealId;
                insert into deal_products (deal_id, sort, name, price, quantity, discount)
                select @dealId, l.sort, l.name, l.price, l.quantity, l.discount
                from unnest(@names, @prices, @quantities, @discounts) with ordinality as l(name, price, quantity, discount, sort);
                """, new
            {
                dealId, names = Products.Select(p => p.Name).ToArray(), prices = Products.Select(p => p.Price).ToArray(),
                quantities = Products.Select(p => p.Quantity).ToArray(), discounts = Products.Select(p => p.Discount).ToArray(),
            }, tx, cancellationToken: ct));
        }
        // The amount follows the lines whenever the deal says so (this request's flag, else the stored one).
        var amount = await connection.ExecuteScalarAsync<decimal?>(new CommandDefinition("""
            update deals set
                amount_from_products = coalesce(@fromProducts, amount_from_products),
                source_details = case when @setSource then @source::jsonb else source_details end,
                amount = case when coalesce(@fromProducts, amount_from_products)
                    then coalesce((select sum(round(p.price * p.quantity * (1 - p.discount / 100), 2)) from deal_products p where p.deal_id = deals.id), 0)
                    else amount end,
                updated_at = @now
            where id = @dealId
            returning case when amount_from_products then amount end
            """, new { dealId, fromProducts = AmountFromProducts, setSource = SetSource, source = SourceDetails, now = now.UtcDateTime }, tx, cancellationToken: ct));
        await Timeline.AddAsync(connection, tx, null, dealId, "updated", actor, now, new
        {
            changes = new Dictionary<string, object?>
            {
                ["products"] = Products?.Count,
                ["amountFromProducts"] = AmountFromProducts,
                ["amount"] = amount,
                ["sourceDetails"] = SetSource ? "changed" : null,
            }.Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key, kv => kv.Value),
        }, ct);
        return true;
    }
}

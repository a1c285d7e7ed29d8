using System.Text;
using ContactCenter.Api.Auth;
using ContactCenter.Api.Features.Conversations;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Search;

/// <summary>
/// Message search as a given user may see it: full text over message text and email subjects (Russian and English
/// stemming, plus word prefixes), and contacts whose name, email or phone contains the text (trigram indexes), which
/// yield each of that contact's visible conversations with its latest message as the hit. Both are read newest first
/// under the conversation list's visibility rule and merged; a message found both ways is listed once.
/// </summary>
public sealed class SearchQueries(NpgsqlDataSource db, Shared.TypedPhones phones)
{
    public sealed record Hit(long ConversationId, long MessageId, string Snippet, DateTimeOffset CreatedAt);

    public sealed record SearchPage(IReadOnlyList<Hit> Items, string? NextCursor);

    /// <summary>Both configurations OR-ed, and the prefix query (empty when there is none, which `||` ignores).</summary>
    private const string TsQuery = "(websearch_to_tsquery('cc_russian', @q) || websearch_to_tsquery('english', @q) || to_tsquery('simple', @prefix))";

    // The document ts_headline reads: the subject and the text, as the vector has them, without control characters
    // (the sentinels must come from ts_headline only). ts_headline leaves out what its parser takes for HTML tags.
    private const string Snippet = $"""
        ts_headline('cc_russian',
            regexp_replace(left(coalesce(m.metadata->>'subject' || E'\n', '') || coalesce(m.text, ''), 100000), E'[\\x01-\\x08\\x0b\\x0c\\x0e-\\x1f]', '', 'g'),
            {TsQuery}, E'StartSel=\x01, StopSel=\x02, MaxWords=30, MinWords=12, ShortWord=2, MaxFragments=2')
        """;

    private sealed class MessageRow
    {
        public long MessageId { get; init; }
        public long ConversationId { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public string? Snippet { get; init; }
    }

    private sealed class ContactRow
    {
        public long MessageId { get; init; }
        public long ConversationId { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public string? Name { get; init; }
        public string? Email { get; init; }
        public string? Phone { get; init; }
        public string? Preview { get; init; }
    }

    public async Task<SearchPage> SearchAsync(CurrentUser me, string q, int limit, string? cursor, CancellationToken ct)
    {
        var (cursorAt, cursorId) = ConversationQueries.DecodeCursor(cursor);
        var keyset = cursorAt is null ? "" : " and (m.created_at, m.id) < (@cursorAt, @cursorId)";
        var text = q.Trim();
        var phone = SearchText.PhoneDigits(text);
        // A whole number typed in the installation's national form ("8 (916) 123-45-67", with `Crm:PhoneRegion` set) is
        // looked for as it is stored, in E.164; a part of a number, or one without a region configured, as typed.
        if (phone is not null && phones.Normalize(text) is { } e164)
        {
            phone = e164[1..];
        }
        // Trigram indexes need three characters; shorter texts search messages only.
        var contacts = text.Length >= 3;
        var args = new
        {
            // Lower-cased as the vectors are (migration 1109).
            q = text.ToLowerInvariant(),
            prefix = SearchText.PrefixQuery(text.Replace('ё', 'е').Replace('Ё', 'Е')),
            // Lower-cased here as the indexes' ICU lower() does on the other side (migration 1109).
            like = "%" + EscapeLike(text.ToLowerInvariant()) + "%",
            phoneLike = "%" + phone + "%",
            me = me.Id,
            staff = me.IsStaff,
            cursorAt = cursorAt?.UtcDateTime,
            cursorId,
            take = limit + 1,
            recent = RecentWindow,
        };
        var sql = new StringBuilder(WithSnippets(RecentMatches(keyset, me.IsStaff)));
        if (contacts)
        {
            // The contact matches under their generic plan (the newest messages above keep planning with their values: their
            // generic plan was slower): planned with the pattern it was slower for every pattern tried in pgbench at the
            // benchmark's sizes, 2.5 against 2.2 ms for one customer's name and 478 against 225 ms for a text in every name
            // (docs/benchmarks.md, session 40). The setting lasts to the end of the command.
            sql.Append(Database.DatabaseExtensions.GenericPlan).Append(ContactMatches(keyset, phone is not null));
        }
        await using var connection = await db.OpenConnectionAsync(ct);
        List<MessageRow> found;
        List<ContactRow> byContact = [];
        await using (var grid = await connection.QueryMultipleAsync(new CommandDefinition(sql.ToString(), args, cancellationToken: ct)))
        {
            found = [.. await grid.ReadAsync<MessageRow>()];
            if (contacts)
            {
                byContact = [.. await grid.ReadAsync<ContactRow>()];
            }
        }
        // The newest messages did not fill the page: the word is rare among them, so all its matches are few enough
        // to read from the GIN index and sort (see RecentMatches).
        if (found.Count < limit + 1)
        {
            // Without parallel workers: once auto-prepared, its generic plan (thousands of matches guessed for any word) gathered
            // two workers on every call, whose start cost ten times the read (docs/benchmarks.md, session 41).
            found = [.. await connection.QueryAsync<MessageRow>(new CommandDefinition(
                Database.DatabaseExtensions.NoParallelWorkers + WithSnippets(AllMatches(keyset, me.IsStaff)), args, cancellationToken: ct))];
        }
        var hits = new Dictionary<long, Hit>();
        foreach (var r in found)
        {
            hits[r.MessageId] = new Hit(r.ConversationId, r.MessageId, SearchText.ToHtml(r.Snippet ?? ""), r.CreatedAt);
        }
        foreach (var r in byContact)
        {
            if (!hits.ContainsKey(r.MessageId))
            {
                var (field, match) = Matched(r, text, phone);
                hits[r.MessageId] = new Hit(r.ConversationId, r.MessageId, SearchText.ContactSnippet(field, match, r.Preview), r.CreatedAt);
            }
        }
        var page = hits.Values.OrderByDescending(h => h.CreatedAt).ThenByDescending(h => h.MessageId).Take(limit + 1).ToList();
        string? next = null;
        if (page.Count > limit)
        {
            page.RemoveAt(page.Count - 1);
            next = ConversationQueries.EncodeCursor(page[^1].CreatedAt, page[^1].MessageId);
        }
        return new SearchPage(page, next);
    }

    /// <summary>How many of the newest messages (before the cursor) the first attempt reads.</summary>
    private const int RecentWindow = 1000;

    /// <summary>
    /// First attempt: the matches among the newest messages, walking the (created_at, id) index. A word in many messages
    /// fills the page here in a few milliseconds; the planner cannot be trusted to choose this itself, because its
    /// estimate for a word it has no statistics for (an order number, a rare name) is far too high, and walking the
    /// whole index for a word in six messages takes seconds.
    /// </summary>
    private static string RecentMatches(string keyset, bool staff) => $"""
        select m.id as message_id, m.conversation_id, m.created_at
        from (select m.id, m.conversation_id, m.created_at, m.search_vector from messages m where true{keyset}
              order by m.created_at desc, m.id desc limit @recent) m
        {VisibleJoin(staff)}
        where m.search_vector @@ {TsQuery}{VisibleCondition(staff)}
        order by m.created_at desc, m.id desc
        limit @take
        """;

    /// <summary>
    /// Staff see every conversation, so their matches are not joined with conversations at all: with the role a parameter
    /// of the statement, PostgreSQL planned `@staff or ...` for both roles, and for an admin's rare word with a prefix term
    /// (estimated at ~30,000 matches) it hash-joined all 100,000 conversations for one match (12 ms against 0.4 ms in
    /// pgbench at the benchmark's sizes; docs/benchmarks.md, session 40).
    /// </summary>
    private static string VisibleJoin(bool staff) => staff ? "" : "join conversations c on c.id = m.conversation_id";

    private static string VisibleCondition(bool staff) => staff ? "" : " and " + ConversationQueries.Visible;

    /// <summary>Second attempt: every match through the GIN index (`offset 0` keeps the planner from walking created_at), then sorted.</summary>
    private static string AllMatches(string keyset, bool staff) => $"""
        select x.message_id, x.conversation_id, x.created_at
        from (select m.id as message_id, m.conversation_id, m.created_at
              from messages m {VisibleJoin(staff)}
              where m.search_vector @@ {TsQuery}{VisibleCondition(staff)}{keyset}
              offset 0) x
        order by x.created_at desc, x.message_id desc
        limit @take
        """;

    /// <summary>The page's snippets, made for its rows only.</summary>
    private static string WithSnippets(string matches) => $"""
        select h.message_id, h.conversation_id, h.created_at, {Snippet} as snippet
        from ({matches}) h
        join messages m on m.id = h.message_id
        order by h.created_at desc, h.message_id desc;
        """;

    private static string ContactMatches(string keyset, bool phone) => $"""

        select m.id as message_id, m.conversation_id, m.created_at, ct.name, ct.email, ct.phone,
               left(coalesce(nullif(m.text, ''), m.metadata->>'subject'), 200) as preview
        from contacts ct
        join conversations c on c.contact_id = ct.id
        join messages m on m.id = c.last_message_id
        where (lower(ct.name collate "und-x-icu") like @like or lower(ct.email collate "und-x-icu") like @like or ct.phone like @like{(phone ? " or ct.phone like @phoneLike" : "")})
          and {ConversationQueries.Visible}{keyset}
        order by m.created_at desc, m.id desc
        limit @take;
        """;

    /// <summary>Which of the contact's fields matched, and the part of it to mark.</summary>
    private static (string Field, string Match) Matched(ContactRow r, string text, string? phone)
    {
        foreach (var field in new[] { r.Name, r.Email, r.Phone })
        {
            if (field is not null && field.Contains(text, StringComparison.OrdinalIgnoreCase))
            {
                return (field, text);
            }
        }
        if (r.Phone is not null && phone is not null && r.Phone.Contains(phone, StringComparison.Ordinal))
        {
            return (r.Phone, phone);
        }
        return (r.Name ?? r.Email ?? r.Phone ?? "", "");
    }

    private static string EscapeLike(string value) =>
        value.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal);
}

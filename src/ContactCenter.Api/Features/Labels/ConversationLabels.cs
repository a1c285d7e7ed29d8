using ContactCenter.Api.Auth;
using ContactCenter.Api.Features.Conversations;
using ContactCenter.Api.Features.Crm;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Labels;

/// <summary>The labels put on conversations and contacts, under the visibility rule: what the caller cannot see is a 404.</summary>
public sealed class ConversationLabels(NpgsqlDataSource db, LabelPushes pushes)
{
    public const int MaxLabels = 50;
    public const int MaxBulk = 500;

    public sealed record Assigned(LabelList Labels);

    public sealed record BulkResult(IReadOnlyList<long> Changed);

    /// <summary>Replaces the conversation's labels with <paramref name="labelIds"/>; unknown ids change nothing (400).</summary>
    public async Task<CrmResult<Assigned>> SetAsync(CurrentUser me, long conversationId, long[]? labelIds, CancellationToken ct)
    {
        if (Check(labelIds, "labelIds") is { } invalid)
        {
            return invalid.As<Assigned>();
        }
        var ids = labelIds!.Distinct().ToArray();
        bool changed;
        await using (var connection = await db.OpenConnectionAsync(ct))
        {
            await using var tx = await connection.BeginTransactionAsync(ct);
            // The share lock keeps the conversation the caller's until commit (a concurrent assignment waits). Labels are
            // work on the conversation: a colleague mentioned into it (a participant) reads them, does not change them.
            var access = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
                ConversationQueries.AccessOf,
                new { conversationId, me = me.Id, staff = me.IsStaff }, tx, cancellationToken: ct));
            if (access == (int)ConversationQueries.Access.None)
            {
                return CrmResult<Assigned>.NotFound("There is no such conversation.");
            }
            if (access == (int)ConversationQueries.Access.Participant)
            {
                return new CrmResult<Assigned>(CrmStatus.Forbidden, default, ConversationQueries.ParticipantOnly);
            }
            if (await UnknownAsync(connection, tx, ids, ct) is { } unknown)
            {
                return unknown.As<Assigned>();
            }
            changed = await connection.ExecuteScalarAsync<bool>(new CommandDefinition("""
                with removed as (
                    delete from conversation_labels where conversation_id = @conversationId and label_id <> all(@ids) returning 1
                ), added as (
                    insert into conversation_labels (conversation_id, label_id) select @conversationId, unnest(@ids)
                    on conflict do nothing returning 1
                )
                select exists(select 1 from removed) or exists(select 1 from added)
                """, new { conversationId, ids }, tx, cancellationToken: ct));
            await tx.CommitAsync(ct);
        }
        if (changed)
        {
            await pushes.ConversationsChangedAsync([conversationId], ct);
        }
        return CrmResult<Assigned>.Ok(new Assigned(await LabelsOfAsync("conversation_labels", "conversation_id", conversationId, ct)));
    }

    /// <summary>
    /// Adds and removes labels on many conversations at once: all of them visible to the caller or nothing changes (404),
    /// one statement per kind of change, a push for each conversation that changed.
    /// </summary>
    public async Task<CrmResult<BulkResult>> BulkAsync(CurrentUser me, long[]? conversationIds, long[]? add, long[]? remove, CancellationToken ct)
    {
        if (conversationIds is not { Length: > 0 and <= MaxBulk })
        {
            return CrmResult<BulkResult>.Invalid("conversationIds", $"conversationIds is a list of 1 to {MaxBulk} conversation ids.");
        }
        add ??= [];
        remove ??= [];
        if (Check(add, "add") is { } badAdd)
        {
            return badAdd.As<BulkResult>();
        }
        if (Check(remove, "remove") is { } badRemove)
        {
            return badRemove.As<BulkResult>();
        }
        if (add.Length + remove.Length == 0 || add.Intersect(remove).Any())
        {
            return CrmResult<BulkResult>.Invalid("add", "Give labels to add or remove (a label cannot be in both).");
        }
        var ids = conversationIds.Distinct().ToArray();
        var changed = new HashSet<long>();
        await using (var connection = await db.OpenConnectionAsync(ct))
        {
            await using var tx = await connection.BeginTransactionAsync(ct);
            // As the single route answers: a conversation the caller does not see is 404, one they were only mentioned into 403.
            var (visible, works) = await connection.QuerySingleAsync<(long, long)>(new CommandDefinition($"""
                select count(*), count(*) filter (where v.works) from (
                    select {ConversationQueries.Works} as works from conversations c
                    where c.id = any(@ids) and {ConversationQueries.Visible} order by c.id for share of c) v
                """, new { ids, me = me.Id, staff = me.IsStaff }, tx, cancellationToken: ct));
            if (visible != ids.Length)
            {
                return CrmResult<BulkResult>.NotFound("There is no such conversation (one of conversationIds).");
            }
            if (works != visible)
            {
                return new CrmResult<BulkResult>(CrmStatus.Forbidden, default, ConversationQueries.ParticipantOnly);
            }
            if (await UnknownAsync(connection, tx, [.. add, .. remove], ct) is { } unknown)
            {
                return unknown.As<BulkResult>();
            }
            if (add.Length > 0)
            {
                changed.UnionWith(await connection.QueryAsync<long>(new CommandDefinition("""
                    insert into conversation_labels (conversation_id, label_id)
                    select c.id, l.id from unnest(@ids) as c(id) cross join unnest(@add) as l(id)
                    on conflict do nothing returning conversation_id
                    """, new { ids, add = add.Distinct().ToArray() }, tx, cancellationToken: ct)));
            }
            if (remove.Length > 0)
            {
                changed.UnionWith(await connection.QueryAsync<long>(new CommandDefinition(
                    "delete from conversation_labels where conversation_id = any(@ids) and label_id = any(@remove) returning conversation_id",
                    new { ids, remove }, tx, cancellationToken: ct)));
            }
            await tx.CommitAsync(ct);
        }
        await pushes.ConversationsChangedAsync(changed, ct);
        return CrmResult<BulkResult>.Ok(new BulkResult(changed.Order().ToList()));
    }

    /// <summary>Replaces a contact's labels; the contact must be visible under the CRM rule (<see cref="CrmAccess.ContactVisible"/>).</summary>
    public async Task<CrmResult<Assigned>> SetContactAsync(CurrentUser me, long contactId, long[]? labelIds, CancellationToken ct)
    {
        if (Check(labelIds, "labelIds") is { } invalid)
        {
            return invalid.As<Assigned>();
        }
        var ids = labelIds!.Distinct().ToArray();
        await using (var connection = await db.OpenConnectionAsync(ct))
        {
            await using var tx = await connection.BeginTransactionAsync(ct);
            if (!await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                $"select exists(select 1 from contacts ct where ct.id = @contactId and {CrmAccess.ContactVisible} for share)",
                new { contactId, me = me.Id, staff = me.IsStaff }, tx, cancellationToken: ct)))
            {
                return CrmResult<Assigned>.NotFound("There is no such contact.");
            }
            if (await UnknownAsync(connection, tx, ids, ct) is { } unknown)
            {
                return unknown.As<Assigned>();
            }
            await connection.ExecuteAsync(new CommandDefinition("""
                delete from contact_labels where contact_id = @contactId and label_id <> all(@ids);
                insert into contact_labels (contact_id, label_id) select @contactId, unnest(@ids) on conflict do nothing;
                """, new { contactId, ids }, tx, cancellationToken: ct));
            await tx.CommitAsync(ct);
        }
        return CrmResult<Assigned>.Ok(new Assigned(await LabelsOfAsync("contact_labels", "contact_id", contactId, ct)));
    }

    private static CrmResult<bool>? Check(long[]? labelIds, string field) => labelIds is null || labelIds.Length > MaxLabels
        ? CrmResult<bool>.Invalid(field, $"{field} is a list of at most {MaxLabels} label ids.")
        : null;

    private static async Task<CrmResult<bool>?> UnknownAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long[] ids, CancellationToken ct)
    {
        // Key share: a label deleted at the same moment waits for this change (or this one sees it gone).
        var known = (await connection.QueryAsync<long>(new CommandDefinition(
            "select id from labels where id = any(@ids) for key share", new { ids }, tx, cancellationToken: ct))).ToHashSet();
        var unknown = ids.Where(id => !known.Contains(id)).Distinct().ToList();
        return unknown.Count == 0 ? null : CrmResult<bool>.Invalid("labelIds", $"There is no label {string.Join(", ", unknown)}.");
    }

    private async Task<LabelList> LabelsOfAsync(string table, string column, long owner, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return LabelList.Parse(await connection.ExecuteScalarAsync<string>(new CommandDefinition(
            $"select {LabelList.Column(table, column, "@owner")}", new { owner }, cancellationToken: ct)));
    }
}

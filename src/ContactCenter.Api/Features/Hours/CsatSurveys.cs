using System.Globalization;
using System.Text.Json.Nodes;
using ContactCenter.Api.Features.Channels;
using ContactCenter.Api.Features.Conversations;
using ContactCenter.Api.Features.Messages;
using ContactCenter.Api.Realtime;
using ContactCenter.Core;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Hours;

/// <summary>
/// Customer satisfaction: when a conversation is resolved on a channel with `csat.enabled`, one survey per resolution
/// (unique on conversation + the resolved cycle) is asked as an automated message through the outbox — inline buttons in
/// the web chat, an inline keyboard in Telegram, a signed link (`/csat/{token}`) elsewhere. One rating per survey: the
/// first answer stands and a second is refused (409 / "already rated"), so a survey is never counted twice. The rating
/// lands on the survey, on the survey message (`metadata.csatRating`), as a note in the conversation and on the timeline.
/// </summary>
public sealed class CsatSurveys(NpgsqlDataSource db, InboxNotifier notifier, CsatTokens tokens, ChannelPublicUrls urls, TimeProvider clock,
    ILogger<CsatSurveys> logger) : ICsatRatings
{
    private sealed record Target(long Id, long ChannelId, string Kind, string Settings, long? AssigneeId, string CycleKey, string Status);

    /// <summary>After a resolution is committed: asks for a rating once, if the channel wants it. Never fails the resolution.</summary>
    /// <param name="origin">The address of the request that resolved it: the link's base when Channels:PublicBaseUrl is not set.</param>
    public async Task OnResolvedAsync(long conversationId, string? origin, CancellationToken ct)
    {
        try
        {
            await AskAsync(conversationId, origin, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            // The resolution is committed; a survey that could not be queued is logged, not turned into a failed request.
            logger.LogWarning(ex, "CSAT survey for conversation {ConversationId} could not be asked", conversationId);
        }
    }

    private async Task AskAsync(long conversationId, string? origin, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        long? messageId;
        await using (var connection = await db.OpenConnectionAsync(ct))
        {
            var target = await connection.QuerySingleOrDefaultAsync<Target>(new CommandDefinition("""
                select c.id, c.channel_id, ch.kind, ch.settings::text as settings, c.assignee_id,
                       coalesce(floor(extract(epoch from c.cycle_started_at) * 1000)::bigint::text, 'first') as cycle_key, c.status
                from conversations c join channels ch on ch.id = c.channel_id where c.id = @conversationId
                """, new { conversationId }, cancellationToken: ct));
            if (target is not { Status: "resolved" } || HoursSettings.From(JsonNode.Parse(target.Settings)!.AsObject()).CsatQuestion is not { } question)
            {
                return;
            }
            var linked = target.Kind is not (ChannelKinds.Webchat or ChannelKinds.Telegram);
            var baseUrl = urls.BaseUrl ?? AbsoluteBase(origin);
            if (linked && baseUrl is null)
            {
                // A relative link in an email or SMS leads nowhere: no survey rather than a broken one.
                logger.LogWarning("CSAT survey for conversation {ConversationId} skipped: no public address (set Channels:PublicBaseUrl)", conversationId);
                return;
            }
            await using var tx = await connection.BeginTransactionAsync(ct);
            var surveyId = await connection.ExecuteScalarAsync<long?>(new CommandDefinition("""
                insert into csat_surveys (conversation_id, channel_id, assignee_id, cycle_key, asked_at)
                values (@conversationId, @ChannelId, @AssigneeId, @CycleKey, @now)
                on conflict (conversation_id, cycle_key) do nothing
                returning id
                """, new { conversationId, target.ChannelId, target.AssigneeId, target.CycleKey, now }, tx, cancellationToken: ct));
            if (surveyId is null)
            {
                return; // asked already for this resolution
            }
            var text = linked ? $"{question}\n{baseUrl}/csat/{tokens.Issue(conversationId, surveyId.Value)}" : question;
            var survey = surveyId.Value.ToString(CultureInfo.InvariantCulture);
            messageId = (await MessageWriter.WriteAsync(connection, tx, new NewMessage(conversationId, Note: false, text, now)
            {
                ClientMessageId = "auto:csat:" + survey,
                Automated = "csat",
                Metadata = new Dictionary<string, string> { ["csatSurveyId"] = survey },
                Bump = new ConversationBump(Activity: false),
            }, ct))!.Id;
            await connection.ExecuteAsync(new CommandDefinition("update csat_surveys set message_id = @messageId where id = @surveyId",
                new { messageId, surveyId }, tx, cancellationToken: ct));
            await tx.CommitAsync(ct);
        }
        logger.LogInformation("CSAT survey asked in conversation {ConversationId}", conversationId);
        await notifier.MessageCreatedAsync(messageId.Value, ct);
    }

    /// <summary>An http(s) address without a trailing slash, or null.</summary>
    private static string? AbsoluteBase(string? origin) =>
        Uri.TryCreate(origin?.TrimEnd('/'), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Host.Length > 0
            ? origin!.TrimEnd('/')
            : null;

    /// <summary>A connector's answer: counted only for a survey of this customer on this channel.</summary>
    public Task<CsatOutcome> RateAsync(CsatAnswer answer, CancellationToken cancellationToken) =>
        RecordAsync(answer.SurveyId, answer.Rating, answer.Comment, (answer.ChannelId, answer.Address), cancellationToken);

    /// <summary>The signed link's answer (the token proved the survey).</summary>
    public Task<CsatOutcome> RateByLinkAsync(CsatTokens.Link link, int rating, string? comment, CancellationToken ct) =>
        RecordAsync(link.SurveyId, rating, comment, null, ct, link.ConversationId);

    public const int MaxCommentLength = 2000;

    private sealed record Rated(long Id, long ConversationId, long? MessageId, long? LeadId, long? DealId);

    private async Task<CsatOutcome> RecordAsync(long surveyId, int rating, string? comment, (long ChannelId, string Address)? customer, CancellationToken ct,
        long? conversationId = null)
    {
        if (rating is < 1 or > 5)
        {
            return CsatOutcome.NotFound;
        }
        comment = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim().Replace('\0', '\uFFFD');
        if (comment is { Length: > MaxCommentLength })
        {
            comment = comment[..MaxCommentLength];
        }
        var now = clock.GetUtcNow();
        // The survey must be this customer's (their identity on the survey's channel) or the link's conversation.
        const string match = """
            from csat_surveys s join conversations c on c.id = s.conversation_id join channels ch on ch.id = s.channel_id
            where s.id = @surveyId
              and (@conversationId::bigint is null or s.conversation_id = @conversationId)
              and (@channelId::bigint is null or (s.channel_id = @channelId and exists (
                    select 1 from contact_identities i where i.contact_id = c.contact_id and i.channel_kind = ch.kind and i.address = @address)))
            """;
        var args = new { surveyId, conversationId, channelId = customer?.ChannelId, address = customer?.Address, rating, comment, now };
        Rated? rated;
        long noteId;
        await using (var connection = await db.OpenConnectionAsync(ct))
        {
            await using var tx = await connection.BeginTransactionAsync(ct);
            rated = await connection.QuerySingleOrDefaultAsync<Rated>(new CommandDefinition($"""
                update csat_surveys set rating = @rating, comment = @comment, rated_at = @now
                where id = (select s.id {match}) and rating is null
                returning id, conversation_id, message_id,
                          (select lead_id from conversations where id = conversation_id) as lead_id, (select deal_id from conversations where id = conversation_id) as deal_id
                """, args, tx, cancellationToken: ct));
            if (rated is null)
            {
                var exists = await connection.ExecuteScalarAsync<bool>(new CommandDefinition($"select exists(select 1 {match})", args, tx, cancellationToken: ct));
                return exists ? CsatOutcome.AlreadyRated : CsatOutcome.NotFound;
            }
            var note = string.Create(CultureInfo.InvariantCulture, $"Customer satisfaction: {rating}/5") + (comment is null ? "" : $" — {comment}");
            noteId = (await MessageWriter.WriteAsync(connection, tx, new NewMessage(rated.ConversationId, Note: true, note, now)
            {
                Metadata = new Dictionary<string, string>
                {
                    ["notice"] = "csat",
                    ["csatRating"] = rating.ToString(CultureInfo.InvariantCulture),
                    ["csatSurveyId"] = rated.Id.ToString(CultureInfo.InvariantCulture),
                    // Always present (empty: no comment), so the web app can tell a note it may word itself from an older one.
                    ["csatComment"] = comment ?? "",
                },
            }, ct))!.Id;
            await connection.ExecuteAsync(new CommandDefinition("""
                with m as (
                    update messages set metadata = coalesce(metadata, '{}'::jsonb) || jsonb_build_object('csatRating', @rating::text)
                    where id = @MessageId
                )
                insert into timeline_entries (lead_id, deal_id, type, at, actor_type, data)
                select @LeadId, @DealId, 'csat', @now, 'contact',
                       jsonb_build_object('conversationId', @ConversationId, 'surveyId', @id, 'rating', @rating, 'comment', @comment::text)
                where @LeadId::bigint is not null or @DealId::bigint is not null
                """, new { rated.Id, rated.ConversationId, rated.MessageId, rated.LeadId, rated.DealId, rating, comment, now }, tx, cancellationToken: ct));
            await tx.CommitAsync(ct);
        }
        await notifier.MessageCreatedAsync(noteId, ct);
        if (rated.MessageId is { } surveyMessage)
        {
            await notifier.MessageUpdatedAsync(surveyMessage, ct);
        }
        return CsatOutcome.Recorded;
    }
}

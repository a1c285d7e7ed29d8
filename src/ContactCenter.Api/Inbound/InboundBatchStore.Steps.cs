using ContactCenter.Api.Features.Crm;
using ContactCenter.Core;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Inbound;

/// <summary>Steps 2 and 3 of <see cref="StoreAsync"/>: contacts for the new senders, then the messages' CRM links.</summary>
public sealed partial class InboundBatchStore
{
    /// <summary>
    /// New senders get contacts in one statement, unless two senders of the batch share an email or phone: then the
    /// first one's contact may be the second one's match, which only an order of statements decides (rare: one by one).
    /// </summary>
    private async Task ResolveContactsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, IReadOnlyList<InboundMessage> batch, List<int> store,
        Func<int, (string, string)> identity, Dictionary<(string, string), long> contactOf, DateTimeOffset now, CancellationToken ct)
    {
        var newSenders = new Dictionary<(string, string), (NewSender Sender, string? LaterPhone, int? LaterN)>();
        var phones = new List<object>();
        var shared = new Dictionary<string, (string, string)>();
        var entangled = false;
        foreach (var n in store)
        {
            var sender = batch[n].Sender;
            var key = identity(n);
            foreach (var detail in (string?[])["e:" + sender.Email?.ToLowerInvariant(), "p:" + sender.Phone])
            {
                if (detail!.Length > 2 && !shared.TryAdd(detail, key) && shared[detail] != key)
                {
                    entangled = true;
                }
            }
            if (!contactOf.ContainsKey(key) && !newSenders.ContainsKey(key))
            {
                newSenders[key] = (new NewSender(n, key.Item1, sender), null, null);
            }
            else if (sender.Phone is not null && !sender.Unverified)
            {
                // A known contact shared their number (a Telegram contact share): it becomes their phone if they had none.
                if (contactOf.TryGetValue(key, out var contactId))
                {
                    phones.Add(new { contact_id = contactId, phone = sender.Phone, n });
                }
                else if (newSenders[key].LaterPhone is null)
                {
                    newSenders[key] = newSenders[key] with { LaterPhone = sender.Phone, LaterN = n };
                }
            }
        }
        if (newSenders.Count > 0 && entangled)
        {
            await ResolveOneByOneAsync(connection, tx, batch, store, identity, contactOf, now, ct);
        }
        else if (newSenders.Count > 0)
        {
            var created = await connection.QueryAsync<IdentityRow>(new CommandDefinition(InboundBatchSql.Contacts, new
            {
                identities = Json(newSenders.Values.Select(s => s.Sender.Row(s.LaterPhone, s.LaterN))), phones = Json(phones), now,
            }, tx, cancellationToken: ct));
            foreach (var row in created)
            {
                contactOf[(row.Kind, row.Address)] = row.ContactId;
            }
        }
        else if (phones.Count > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(InboundBatchSql.Phones, new { phones = Json(phones), now }, tx, cancellationToken: ct));
        }
    }

    private static async Task ResolveOneByOneAsync(NpgsqlConnection connection, NpgsqlTransaction tx, IReadOnlyList<InboundMessage> batch, List<int> store,
        Func<int, (string, string)> identity, Dictionary<(string, string), long> contactOf, DateTimeOffset now, CancellationToken ct)
    {
        foreach (var n in store)
        {
            var sender = batch[n].Sender;
            if (!contactOf.TryGetValue(identity(n), out var contactId))
            {
                contactOf[identity(n)] = await InboundStore.CreateContactAsync(connection, tx, identity(n).Item1, sender, ct);
            }
            else if (sender.Phone is not null && !sender.Unverified)
            {
                await InboundStore.SharePhoneAsync(connection, tx, contactId, sender.Phone, now, ct);
            }
        }
    }

    /// <summary>
    /// A conversation whose deal is open, or whose lead is open while its contact has no open deal, keeps them: its
    /// messages only raise automation events (in the messages statement). Any other contact's messages, and every later
    /// message of that contact in the batch (a deal it opens changes its other conversations' answer), go through
    /// <see cref="CrmLink"/> in order, as one by one. A machine's message keeps its conversation's links and raises nothing.
    /// </summary>
    private static async Task<Dictionary<int, Link>> LinkAsync(NpgsqlConnection connection, NpgsqlTransaction tx, IReadOnlyList<InboundMessage> batch,
        List<int> store, Func<int, ConversationRow> conversationOf, Dictionary<long, CrmFacts> facts, Func<int, string> kind, DateTimeOffset now, CancellationToken ct)
    {
        static bool Kept(CrmFacts f) => f.OpenDeal is not null || (f.OpenLead is not null && !f.ContactHasOpenDeal);
        var slowContacts = store.Where(n => !batch[n].Automated && !Kept(facts[conversationOf(n).Id])).Select(n => conversationOf(n).ContactId).ToHashSet();
        var current = new Dictionary<long, (long? LeadId, long? DealId)>();
        var links = new Dictionary<int, Link>();
        foreach (var n in store)
        {
            var m = batch[n];
            var conversation = conversationOf(n);
            var (leadId, dealId) = current.GetValueOrDefault(conversation.Id, (conversation.LeadId, conversation.DealId));
            if (m.Automated)
            {
                links[n] = new Link(leadId, dealId, false, null, null);
            }
            else if (slowContacts.Contains(conversation.ContactId))
            {
                var crm = new CrmChanges();
                (leadId, dealId) = await CrmLink.AttachAsync(connection, tx, conversation.Id, conversation.ContactId, leadId, dealId,
                    conversation.AssigneeId, m.Sender.DisplayName ?? m.Sender.Address, kind(n), m.Source, now, crm, ct);
                current[conversation.Id] = (leadId, dealId);
                links[n] = new Link(leadId, dealId, false, null, null, crm);
            }
            else
            {
                var f = facts[conversation.Id];
                links[n] = new Link(f.OpenLead, f.OpenDeal, true, f.PipelineId, f.StageId);
            }
        }
        return links;
    }
}

using Npgsql;

namespace ContactCenter.Api.Features.Crm;

/// <summary>
/// One CRM change in progress: the connection and transaction it runs in, who makes it, its time (read once from the app's
/// <see cref="TimeProvider"/>) and what it changed, pushed after commit. <see cref="CrmWriter"/> opens one for a request;
/// the inbound pipeline and automation make theirs inside their own transactions.
/// </summary>
public sealed record CrmWrite(NpgsqlConnection Connection, NpgsqlTransaction Tx, Actor Actor, DateTimeOffset Now, CrmChanges Changes);

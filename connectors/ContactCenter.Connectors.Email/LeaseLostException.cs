namespace ContactCenter.Connectors.Email;

/// <summary>The mailbox lease's hold was lost (its connection died): the reader stops, another node may read the mailbox.</summary>
public sealed class LeaseLostException(Exception inner) : Exception("The mailbox lease connection was lost.", inner);

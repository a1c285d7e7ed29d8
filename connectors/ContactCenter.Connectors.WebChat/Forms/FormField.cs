namespace ContactCenter.Connectors.WebChat.Forms;

/// <summary>One field of a web form: `text`, `textarea`, `email` or `phone`, optionally required.</summary>
public sealed record FormField(string Name, string Type, bool Required, string Label);

using ContactCenter.Connectors.WebChat.Sites;
using ContactCenter.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ContactCenter.Connectors.WebChat.Widget;

/// <summary>Name, email and phone as a visitor types them into the widget's forms: cleaned, checked, the phone in E.164.</summary>
public sealed record VisitorDetails(string? Name, string? Email, string? Phone)
{
    /// <summary>Cleans and checks what was typed; errors by field (`name`, `email`, `phone`), empty when all is well.</summary>
    public static (VisitorDetails Details, Dictionary<string, string[]> Errors) Read(string? name, string? email, string? phone)
    {
        var errors = new Dictionary<string, string[]>();
        var cleanName = ContactFields.Clean(name);
        var cleanEmail = ContactFields.Clean(email);
        var typedPhone = ContactFields.Clean(phone);
        if (cleanName is { Length: > ContactFields.MaxNameLength })
        {
            errors["name"] = [$"name is at most {ContactFields.MaxNameLength} characters."];
        }
        if (cleanEmail is not null && !ContactAddresses.IsEmail(cleanEmail))
        {
            errors["email"] = ["email is not a valid email address."];
        }
        string? e164 = null;
        if (typedPhone is not null && (e164 = E164.NormalizeValid(typedPhone)) is null)
        {
            errors["phone"] = ["phone is not a valid international number (with the country code, e.g. +7 912 345-67-89)."];
        }
        return (new VisitorDetails(cleanName, cleanEmail, e164), errors);
    }

    /// <summary>Adds an error for each field the channel's pre-chat form requires and neither this nor <paramref name="known"/> has.</summary>
    public void RequireFor(PreChatForm form, VisitorProfile known, IDictionary<string, string[]> errors)
    {
        foreach (var (field, value, had) in new[] { ("name", Name, known.Name), ("email", Email, known.Email), ("phone", Phone, known.Phone) })
        {
            if (form.Requires(field) && value is null && had is null && !errors.ContainsKey(field))
            {
                errors[field] = [$"{field} is required."];
            }
        }
    }

    /// <summary>
    /// A visitor whose channel asks a pre-chat form must fill its required fields before the first message; null when
    /// they may send (no form, a conversation already, or the required details are known).
    /// </summary>
    public static async Task<ValidationProblem?> PreChatMissingAsync(ChannelInfo channel, Visitor visitor, IWebChatStore store, CancellationToken ct)
    {
        var form = WidgetSettings.PreChat(channel.Settings);
        if (!form.Enabled || await store.ConversationOfAsync(visitor, ct) is not null)
        {
            return null;
        }
        var errors = new Dictionary<string, string[]>();
        new VisitorDetails(null, null, null).RequireFor(form, await store.ProfileAsync(visitor, ct), errors);
        if (errors.Count == 0)
        {
            return null;
        }
        errors["preChat"] = ["Fill in the pre-chat form (POST /api/widget/prechat) before the first message."];
        return TypedResults.ValidationProblem(errors, detail: "Fill in the pre-chat form first.");
    }
}

using System.Net;
using System.Text;
using ContactCenter.Core;

namespace ContactCenter.Connectors.WebChat.Forms;

/// <summary>The HTML an admin pastes into a site for a form channel: the configured fields, the honeypot, and UTM/referrer capture.</summary>
public static class FormSnippet
{
    public static string Html(ChannelInfo channel, string publicBaseUrl)
    {
        static string E(string? s) => WebUtility.HtmlEncode(s ?? "");
        var html = new StringBuilder();
        html.Append($"""<form action="{E(publicBaseUrl.TrimEnd('/'))}/api/forms/{E(channel.PublicKey)}" method="post" accept-charset="utf-8">""").Append('\n');
        foreach (var field in FormFields.Of(channel.Settings))
        {
            var required = field.Required ? " required" : "";
            var input = field.Type switch
            {
                "textarea" => $"""<textarea name="{E(field.Name)}" maxlength="5000"{required}></textarea>""",
                "email" => $"""<input name="{E(field.Name)}" type="text" inputmode="email" autocomplete="email" maxlength="{ContactAddresses.MaxEmailLength}"{required}>""",
                "phone" => $"""<input name="{E(field.Name)}" type="tel" autocomplete="tel" maxlength="30"{required}>""",
                _ => $"""<input name="{E(field.Name)}" type="text" maxlength="2000"{required}>""",
            };
            html.Append($"  <label>{E(field.Label)} {input}</label>\n");
        }
        // People never see or fill this field; bots that fill every input are answered as if accepted and nothing is stored.
        html.Append($"""  <div style="position:absolute;left:-10000px" aria-hidden="true"><input name="{FormSubmission.Honeypot}" tabindex="-1" autocomplete="off"></div>""").Append('\n');
        html.Append("  <button type=\"submit\">Send</button>\n</form>\n");
        html.Append("""
            <script>(function(f){var q=new URLSearchParams(location.search);function h(n,v){if(v){var i=document.createElement("input");i.type="hidden";i.name=n;i.value=v;f.appendChild(i)}}["utm_source","utm_medium","utm_campaign","utm_term","utm_content"].forEach(function(n){h(n,q.get(n))});h("referrer",document.referrer)})(document.currentScript.previousElementSibling)</script>
            """);
        return html.ToString();
    }
}

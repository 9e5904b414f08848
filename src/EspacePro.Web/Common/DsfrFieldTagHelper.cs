using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace EspacePro.Web.Common;

/// <summary>
/// A DSFR input group (label, hint, input, error messages linked by aria-describedby) for one
/// model property: <c>&lt;dsfr-field for="Input.Email" label="Adresse électronique" /&gt;</c>.
/// Passwords use the DSFR password component with its "Afficher" toggle and are never echoed back.
/// </summary>
[HtmlTargetElement("dsfr-field", TagStructure = TagStructure.WithoutEndTag)]
public sealed class DsfrFieldTagHelper(HtmlEncoder enc) : TagHelper
{
    [HtmlAttributeName("for")]
    public ModelExpression For { get; set; } = default!;

    public string Label { get; set; } = "";
    public string? Hint { get; set; }
    public string Type { get; set; } = "text";
    public string? Autocomplete { get; set; }
    public string? Placeholder { get; set; }
    public bool Required { get; set; } = true;
    /// <summary>Adds " *" to the label, as the sheet's forms mark required fields.</summary>
    public bool Asterisk { get; set; }
    public int? Maxlength { get; set; }
    public string? Inputmode { get; set; }
    public string? Id { get; set; }
    /// <summary>Extra attributes for the input, e.g. data-strength-url.</summary>
    public string? StrengthUrl { get; set; }
    public string? StrengthOutput { get; set; }
    /// <summary>A secret typed in clear (trust answer): never written back into the page.</summary>
    public bool Secret { get; set; }
    /// <summary>
    /// Typed exactly as received (an activation code): a phone keyboard must neither capitalise,
    /// correct nor spell-check it. E-mails, passwords and secrets are always treated so.
    /// </summary>
    public bool Verbatim { get; set; }
    /// <summary>Raw HTML placed after the messages (e.g. the "Mot de passe oublié ?" link).</summary>
    public string? After { get; set; }

    [ViewContext]
    [HtmlAttributeNotBound]
    public ViewContext ViewContext { get; set; } = default!;

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        var name = For.Name;
        var id = Id ?? TagBuilder.CreateSanitizedId(name, "-").ToLowerInvariant();
        var messagesId = id + "-messages";
        var errors = ViewContext.ViewData.ModelState.TryGetValue(name, out var entry)
            ? entry.Errors.Select(e => e.ErrorMessage).Where(m => m.Length > 0).ToList()
            : [];
        var isPassword = Type == "password";
        var value = isPassword || Secret ? null : AttemptedOrModelValue(entry);

        output.TagName = "div";
        output.TagMode = TagMode.StartTagAndEndTag;
        var groupClass = isPassword ? "fr-password fr-input-group" : "fr-input-group";
        output.Attributes.SetAttribute("class", groupClass + (errors.Count > 0 ? " fr-input-group--error" : ""));
        if (isPassword)
        {
            output.Attributes.SetAttribute("id", id + "-group");
        }

        var html = new System.Text.StringBuilder();
        html.Append("<label class=\"fr-label\" for=\"").Append(enc.Encode(id)).Append("\">")
            .Append(enc.Encode(Label));
        if (Asterisk)
        {
            html.Append(" *");
        }
        if (Hint is not null)
        {
            html.Append("<span class=\"fr-hint-text\">").Append(enc.Encode(Hint)).Append("</span>");
        }
        html.Append("</label>");
        html.Append("<div class=\"fr-input-wrap\">");
        html.Append("<input class=\"fr-input").Append(isPassword ? " fr-password__input" : "")
            .Append(errors.Count > 0 ? " fr-input--error" : "").Append('"')
            .Append(" id=\"").Append(enc.Encode(id)).Append('"')
            .Append(" name=\"").Append(enc.Encode(name)).Append('"')
            .Append(" type=\"").Append(enc.Encode(Type)).Append('"')
            .Append(" aria-describedby=\"").Append(enc.Encode(messagesId)).Append('"');
        if (Required)
        {
            html.Append(" required aria-required=\"true\"");
        }
        if (errors.Count > 0)
        {
            html.Append(" aria-invalid=\"true\"");
        }
        if (Autocomplete is not null)
        {
            html.Append(" autocomplete=\"").Append(enc.Encode(Autocomplete)).Append('"');
        }
        if (Placeholder is not null)
        {
            html.Append(" placeholder=\"").Append(enc.Encode(Placeholder)).Append('"');
        }
        if (Maxlength is { } max)
        {
            html.Append(" maxlength=\"").Append(max).Append('"');
        }
        if (Inputmode is not null)
        {
            html.Append(" inputmode=\"").Append(enc.Encode(Inputmode)).Append('"');
        }
        if (Verbatim || Secret || Type is "email" or "password")
        {
            // A phone would otherwise capitalise the first letter of a case-sensitive code or
            // answer, or "correct" it into a dictionary word.
            html.Append(" autocapitalize=\"none\" autocorrect=\"off\" spellcheck=\"false\"");
        }
        if (StrengthUrl is not null)
        {
            html.Append(" data-strength-url=\"").Append(enc.Encode(StrengthUrl)).Append('"')
                .Append(" data-strength-output=\"").Append(enc.Encode(StrengthOutput ?? "")).Append('"');
        }
        if (!string.IsNullOrEmpty(value))
        {
            html.Append(" value=\"").Append(enc.Encode(value)).Append('"');
        }
        html.Append("></div>");

        html.Append("<div class=\"fr-messages-group\" id=\"").Append(enc.Encode(messagesId)).Append("\" aria-live=\"polite\">");
        foreach (var error in errors)
        {
            html.Append("<p class=\"fr-message fr-message--error\">").Append(enc.Encode(error)).Append("</p>");
        }
        html.Append("</div>");

        if (isPassword)
        {
            var showId = id + "-afficher";
            html.Append("<div class=\"fr-password__checkbox fr-checkbox-group fr-checkbox-group--sm\">")
                .Append("<input aria-label=\"Afficher le mot de passe\" id=\"").Append(enc.Encode(showId)).Append("\" type=\"checkbox\">")
                .Append("<label class=\"fr-password__checkbox fr-label\" for=\"").Append(enc.Encode(showId)).Append("\">Afficher</label>")
                .Append("</div>");
        }
        if (After is not null)
        {
            html.Append(After);
        }
        output.Content.SetHtmlContent(html.ToString());
    }

    private string? AttemptedOrModelValue(ModelStateEntry? entry) =>
        entry?.AttemptedValue ?? For.Model?.ToString();
}

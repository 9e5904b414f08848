using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using EspacePro.Web.Common;

namespace EspacePro.Web.Mail;

/// <summary>
/// A typed e-mail: one record per message (Emails/*.cs). Each describes its content once with
/// <see cref="MailContent"/>; the text and HTML bodies, the greeting and the sheet's footer are
/// rendered from it, every value HTML-encoded. Hand it to <see cref="Mailer.Enqueue"/>.
/// </summary>
public abstract record Email(string To)
{
    /// <summary>"PasswordChanged" for <c>PasswordChangedEmail</c>: the outbox row's Kind.</summary>
    public string Kind => KindOf(GetType());

    public abstract string Subject { get; }

    /// <summary>
    /// True when the mail's purpose is to deliver a secret (a code or a single-use link): its
    /// bodies are erased from the outbox once it is sent.
    /// </summary>
    public virtual bool ContainsSecret => false;

    /// <summary>Never the values: a logged e-mail must not leak a code or a link.</summary>
    public sealed override string ToString() => Kind + " e-mail";

    protected abstract void Compose(MailContent content);

    /// <summary>The first sentence of the footer; the sheet's activation mail words it its own way.</summary>
    public virtual string Thanks => "L'Administration fiscale vous remercie de l'intérêt que vous portez à ses services.";

    public string TextBody() => Render().ToText();

    public string HtmlBody() => Render().ToHtml(Subject);

    private MailContent Render()
    {
        var content = new MailContent();
        content.Paragraph("Bonjour,");
        Compose(content);
        (this as SecurityNoticeEmail)?.AddActivityLink(content);
        content.Paragraph(Thanks);
        content.Paragraph("Si vous avez une question particulière, nous vous invitons à ne pas répondre à l'adresse électronique de ce message mais à vous connecter sur notre site impots.gouv.fr où vous trouverez les réponses aux questions les plus fréquentes.");
        content.Paragraph("Pour votre sécurité :");
        content.Bullets(
            [Inline.Strong("ne répondez jamais"), " à un courriel vous demandant votre ", Inline.Strong("numéro de carte bancaire"), " ou une ", Inline.Strong("copie de vos pièces d'identité"), " ;"],
            ["ne partagez jamais vos ", Inline.Strong("identifiants d'accès"), " à l'espace professionnel DGFiP, et pensez à ", Inline.Strong("renouveler régulièrement votre mot de passe"), " ;"],
            [Inline.Strong("vérifiez toujours l'adresse de l'expéditeur des messages avant de les ouvrir"), ". Pour la DGFiP, la partie droite de l'adresse doit être égale à ", Inline.Strong("@dgfip.finances.gouv.fr"), ". Sinon, il s'agit d'un message frauduleux."]);
        content.Note(DemoNotice);
        return content;
    }

    public const string DemoNotice =
        "Ce message provient d'EspacePro, une démonstration : ce n'est pas un message d'impots.gouv.fr ni de l'administration fiscale.";

    /// <summary>The kinds whose bodies carry a secret, for the dispatcher (which only has the row).</summary>
    public static bool IsSecretKind(string kind) => SecretKinds.Contains(kind);

    private static readonly HashSet<string> SecretKinds =
    [
        KindOf(typeof(ActivationCodeEmail)),
        KindOf(typeof(PasswordResetLinkEmail)),
        KindOf(typeof(EmailChangeRequestedEmail)),
        KindOf(typeof(LoginCodeEmail)),
    ];

    private static string KindOf(Type type) =>
        type.Name.EndsWith("Email", StringComparison.Ordinal) ? type.Name[..^"Email".Length] : type.Name;

    /// <summary>"22 février 2029"</summary>
    protected static string Day(DateOnly date) => FrenchFormat.LongDate(date);

    /// <summary>"le 23/02/2026 à 14h52" (Paris time)</summary>
    protected static string At(DateTimeOffset instant) => "le " + FrenchFormat.DateAndTime(instant);

    /// <summary>
    /// "li•••@orange.fr": enough for the holder of the old address to recognise (or not) the
    /// new one, without handing the whole new address to whoever reads the old mailbox.
    /// </summary>
    public static string Mask(string address)
    {
        var at = address.LastIndexOf('@');
        if (at <= 0)
        {
            return "•••";
        }
        var local = address[..at];
        var shown = local.Length <= 2 ? local[..1] : local[..2];
        return shown + "•••" + address[at..];
    }

    protected static Uri CheckLink(Uri link)
    {
        if (link is not { IsAbsoluteUri: true, Scheme: "https" or "http" })
        {
            throw new ArgumentException("A link in an e-mail must be an absolute http(s) URL.", nameof(link));
        }
        return link;
    }

    public const string Assistance = "l'assistance aux usagers des téléprocédures au 0809 400 210 (service gratuit + prix appel), de 8h00 à 18h00 du lundi au vendredi";
}

/// <summary>A piece of a paragraph: plain text, bold text or a link.</summary>
public abstract record Inline
{
    public static implicit operator Inline(string text) => new TextRun(text, Bold: false);

    public static Inline Strong(string text) => new TextRun(text, Bold: true);

    public static Inline Link(Uri url, string label) => new LinkRun(url, label);

    public sealed record TextRun(string Text, bool Bold) : Inline;

    public sealed record LinkRun(Uri Url, string Label) : Inline;
}

/// <summary>The blocks of an e-mail, rendered to plain text and to inline-styled HTML.</summary>
public sealed class MailContent
{
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);
    private const string Font = "font-family:Marianne,Arial,sans-serif;font-size:16px;line-height:1.5;color:#161616";

    private readonly List<Block> _blocks = [];

    private abstract record Block;
    private sealed record ParagraphBlock(Inline[] Parts) : Block;
    private sealed record ListBlock(Inline[][] Items, bool Numbered) : Block;
    private sealed record CodeBlock(string Code) : Block;
    private sealed record NoteBlock(string Text) : Block;

    public void Paragraph(params Inline[] parts) => _blocks.Add(new ParagraphBlock(parts));

    /// <summary>A numbered list; the numbers are part of the text, as in the sheet ("1. connectez-vous…").</summary>
    public void Steps(params Inline[][] items) => _blocks.Add(new ListBlock(items, Numbered: true));

    public void Bullets(params Inline[][] items) => _blocks.Add(new ListBlock(items, Numbered: false));

    /// <summary>A code on a line of its own, large and monospaced in HTML.</summary>
    public void Code(string code) => _blocks.Add(new CodeBlock(code));

    /// <summary>Small print (the demonstration notice).</summary>
    public void Note(string text) => _blocks.Add(new NoteBlock(text));

    public string ToText()
    {
        var text = new StringBuilder();
        foreach (var block in _blocks)
        {
            switch (block)
            {
                case ParagraphBlock p:
                    text.Append(Text(p.Parts)).Append('\n');
                    break;
                case ListBlock l:
                    for (var i = 0; i < l.Items.Length; i++)
                    {
                        text.Append(l.Numbered ? $"{i + 1}. " : "- ").Append(Text(l.Items[i])).Append('\n');
                    }
                    break;
                case CodeBlock c:
                    text.Append("    ").Append(c.Code).Append('\n');
                    break;
                case NoteBlock n:
                    text.Append("--\n").Append(n.Text).Append('\n');
                    break;
            }
            text.Append('\n');
        }
        return text.ToString().TrimEnd('\n') + "\n";
    }

    public string ToHtml(string title)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
            .Append(Html.Encode(title))
            .Append("</title>\n</head>\n<body style=\"margin:0;padding:24px;background:#ffffff\">\n<div style=\"max-width:640px;")
            .Append(Font).Append("\">\n");
        foreach (var block in _blocks)
        {
            switch (block)
            {
                case ParagraphBlock p:
                    html.Append("<p style=\"margin:0 0 16px\">").Append(HtmlOf(p.Parts)).Append("</p>\n");
                    break;
                case ListBlock l:
                    var tag = l.Numbered ? "ol" : "ul";
                    html.Append('<').Append(tag).Append(" style=\"margin:0 0 16px;padding-left:24px;list-style:").Append(l.Numbered ? "none" : "disc").Append("\">\n");
                    for (var i = 0; i < l.Items.Length; i++)
                    {
                        html.Append("<li style=\"margin:0 0 8px\">")
                            .Append(l.Numbered ? $"{i + 1}. " : "")
                            .Append(HtmlOf(l.Items[i])).Append("</li>\n");
                    }
                    html.Append("</").Append(tag).Append(">\n");
                    break;
                case CodeBlock c:
                    html.Append("<p style=\"margin:0 0 16px;font-family:'Courier New',monospace;font-size:24px;font-weight:bold;letter-spacing:2px\">")
                        .Append(Html.Encode(c.Code)).Append("</p>\n");
                    break;
                case NoteBlock n:
                    html.Append("<p style=\"margin:24px 0 0;padding-top:8px;border-top:1px solid #dddddd;font-size:13px;color:#666666\">")
                        .Append(Html.Encode(n.Text)).Append("</p>\n");
                    break;
            }
        }
        html.Append("</div>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static string Text(Inline[] parts)
    {
        var text = new StringBuilder();
        foreach (var part in parts)
        {
            text.Append(part switch
            {
                Inline.TextRun t => t.Text,
                // Links are written out in full: mail readers make them clickable, and the reader sees where they lead.
                Inline.LinkRun l => l.Url.AbsoluteUri,
                _ => "",
            });
        }
        return text.ToString();
    }

    private static string HtmlOf(Inline[] parts)
    {
        var html = new StringBuilder();
        foreach (var part in parts)
        {
            switch (part)
            {
                case Inline.TextRun { Bold: true } t:
                    html.Append("<strong>").Append(Html.Encode(t.Text)).Append("</strong>");
                    break;
                case Inline.TextRun t:
                    html.Append(Html.Encode(t.Text));
                    break;
                case Inline.LinkRun l:
                    html.Append("<a href=\"").Append(Html.Encode(l.Url.AbsoluteUri)).Append("\" style=\"color:#000091\">")
                        .Append(Html.Encode(l.Label)).Append("</a>");
                    break;
            }
        }
        return html.ToString();
    }
}

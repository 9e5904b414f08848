using System.Net;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace EspacePro.Tests.Infrastructure;

/// <summary>A page as a user sees it: status, address, parsed document.</summary>
public sealed record Page(HttpStatusCode Status, Uri Url, IHtmlDocument Document, HttpResponseMessage Response)
{
    public string Text => Document.Body?.TextContent ?? "";

    /// <summary>Messages shown next to a field (by the field's id).</summary>
    public IReadOnlyList<string> FieldErrors(string fieldId) =>
        Document.QuerySelectorAll($"#{fieldId}-messages .fr-message--error").Select(e => e.TextContent.Trim()).ToList();

    public IReadOnlyList<string> SummaryErrors =>
        Document.QuerySelectorAll("#erreurs li").Select(e => e.TextContent.Trim()).ToList();
}

/// <summary>
/// One browser: keeps its cookies, reads forms from the pages (hidden fields and anti-forgery
/// token included) and submits them as a user would.
/// </summary>
public sealed class UserAgent(HttpClient client) : IDisposable
{
    private static readonly HtmlParser Parser = new();

    public HttpClient Client => client;

    public async Task<Page> GetAsync(string url, bool follow = true)
    {
        var response = await client.GetAsync(url);
        return follow ? await FollowAsync(response) : await ReadAsync(response);
    }

    /// <summary>Fills the form found by <paramref name="formSelector"/> and submits it.</summary>
    public async Task<Page> SubmitAsync(Page page, string formSelector, IDictionary<string, string?> values, bool follow = true, string? handler = null,
        CancellationToken cancellationToken = default)
    {
        var form = page.Document.QuerySelector(formSelector) as IHtmlFormElement
            ?? throw new InvalidOperationException(
                $"No form '{formSelector}' on {page.Url} ({(int)page.Status} « {page.Document.Title} »): {page.Document.QuerySelector(".incident-id")?.TextContent}");
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var element in form.Elements)
        {
            switch (element)
            {
                case IHtmlInputElement input when !string.IsNullOrEmpty(input.Name):
                    if (input.Type is "checkbox" or "radio")
                    {
                        if (input.IsChecked && !values.ContainsKey(input.Name))
                        {
                            fields.Add(new(input.Name, input.Value));
                        }
                    }
                    else if (!values.ContainsKey(input.Name) && input.Type != "submit")
                    {
                        fields.Add(new(input.Name, input.Value ?? ""));
                    }
                    break;
                case IHtmlSelectElement select when !string.IsNullOrEmpty(select.Name) && !values.ContainsKey(select.Name):
                    fields.Add(new(select.Name, select.Value ?? ""));
                    break;
                case IHtmlTextAreaElement area when !string.IsNullOrEmpty(area.Name) && !values.ContainsKey(area.Name):
                    fields.Add(new(area.Name, area.Value));
                    break;
            }
        }
        foreach (var (name, value) in values)
        {
            if (value is not null)
            {
                fields.Add(new(name, value));
            }
        }
        var action = form.GetAttribute("action");
        var target = new Uri(page.Url, string.IsNullOrEmpty(action) ? page.Url.PathAndQuery : action);
        if (handler is not null)
        {
            target = new Uri(target, $"?handler={handler}");
        }
        var response = await client.PostAsync(target, new FormUrlEncodedContent(fields), cancellationToken);
        return follow ? await FollowAsync(response) : await ReadAsync(response);
    }

    public async Task<Page> FollowAsync(HttpResponseMessage response)
    {
        for (var hops = 0; hops < 10 && (int)response.StatusCode is >= 300 and < 400; hops++)
        {
            var location = response.Headers.Location!;
            var next = location.IsAbsoluteUri ? location : new Uri(response.RequestMessage!.RequestUri!, location);
            response = await client.GetAsync(next);
        }
        return await ReadAsync(response);
    }

    public static async Task<Page> ReadAsync(HttpResponseMessage response)
    {
        var html = await response.Content.ReadAsStringAsync();
        return new Page(response.StatusCode, response.RequestMessage!.RequestUri!, Parser.ParseDocument(html), response);
    }

    public void Dispose() => client.Dispose();
}

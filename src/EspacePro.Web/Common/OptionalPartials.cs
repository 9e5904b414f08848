using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc.Rendering;

namespace EspacePro.Web.Common;

/// <summary>
/// The partials that most requests leave empty (no error yet, captcha off), rendered only when
/// they have something to write: a partial costs its look-up and activation even when it writes
/// nothing, which was a sixth of the login page's CPU with the captcha off (bench/README.md).
/// Each condition lives in one place, here or beside its feature (Captcha/CaptchaPartials.cs);
/// the partials themselves assume it.
/// </summary>
public static class OptionalPartials
{
    internal static readonly Task<IHtmlContent> Nothing = Task.FromResult<IHtmlContent>(HtmlString.Empty);

    /// <summary>_ErrorSummary, when the form has errors.</summary>
    public static Task<IHtmlContent> ErrorSummaryAsync(this IHtmlHelper html) =>
        html.ViewData.ModelState.ErrorCount > 0 ? html.PartialAsync("_ErrorSummary") : Nothing;

}

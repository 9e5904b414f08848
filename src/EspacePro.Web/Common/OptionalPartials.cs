using EspacePro.Web.Captcha;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc.Rendering;

namespace EspacePro.Web.Common;

/// <summary>
/// The partials that most requests leave empty (no error yet, captcha off), rendered only when
/// they have something to write: a partial costs its look-up and activation even when it writes
/// nothing, which was a sixth of the login page's CPU with the captcha off (bench/, issue 7).
/// Each condition lives here, once; the partials themselves assume it.
/// </summary>
public static class OptionalPartials
{
    private static readonly Task<IHtmlContent> Nothing = Task.FromResult<IHtmlContent>(HtmlString.Empty);

    /// <summary>_ErrorSummary, when the form has errors.</summary>
    public static Task<IHtmlContent> ErrorSummaryAsync(this IHtmlHelper html) =>
        html.ViewData.ModelState.ErrorCount > 0 ? html.PartialAsync("_ErrorSummary") : Nothing;

    /// <summary>_Captcha, when a captcha was issued.</summary>
    public static Task<IHtmlContent> CaptchaAsync(this IHtmlHelper html, CaptchaView captcha) =>
        captcha.Id is not null ? html.PartialAsync("_Captcha", captcha) : Nothing;

    /// <summary>_CaptchaRefreshForm, when a captcha was issued.</summary>
    public static Task<IHtmlContent> CaptchaRefreshFormAsync(this IHtmlHelper html, CaptchaView captcha) =>
        captcha.Id is not null ? html.PartialAsync("_CaptchaRefreshForm", captcha) : Nothing;
}

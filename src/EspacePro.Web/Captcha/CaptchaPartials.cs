using EspacePro.Web.Common;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc.Rendering;

namespace EspacePro.Web.Captcha;

/// <summary>The captcha's partials, rendered only when a captcha was issued (see <see cref="OptionalPartials"/>).</summary>
public static class CaptchaPartials
{
    /// <summary>_Captcha, when a captcha was issued.</summary>
    public static Task<IHtmlContent> CaptchaAsync(this IHtmlHelper html, CaptchaView captcha) =>
        captcha.Id is not null ? html.PartialAsync("_Captcha", captcha) : OptionalPartials.Nothing;

    /// <summary>_CaptchaRefreshForm, when a captcha was issued.</summary>
    public static Task<IHtmlContent> CaptchaRefreshFormAsync(this IHtmlHelper html, CaptchaView captcha) =>
        captcha.Id is not null ? html.PartialAsync("_CaptchaRefreshForm", captcha) : OptionalPartials.Nothing;
}

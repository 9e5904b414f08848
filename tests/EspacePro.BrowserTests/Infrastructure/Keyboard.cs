using Microsoft.Playwright;

namespace EspacePro.BrowserTests.Infrastructure;

/// <summary>A person without a mouse: Tab, Shift+Tab, Space and Enter, and a visible focus at every stop.</summary>
public static class Keyboard
{
    /// <summary>
    /// Whether the focused element shows that it is: an outline or a box-shadow on it, on its
    /// ::before or ::after, on a near ancestor, or on its label (the DSFR draws checkboxes there). Returns a description of the
    /// element when its focus cannot be seen, null when it can.
    /// </summary>
    private const string InvisibleFocusScript = """
        () => {
          const el = document.activeElement;
          if (!el || el === document.body) return 'nothing focused';
          const shows = s => s && ((s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || (s.boxShadow && s.boxShadow !== 'none'));
          if (shows(getComputedStyle(el)) || shows(getComputedStyle(el, '::before')) || shows(getComputedStyle(el, '::after'))) return null;
          // DSFR "enlarge link" blocks draw the ring on an ancestor (:focus-within).
          for (let up = el.parentElement, i = 0; up && i < 4; up = up.parentElement, i++) {
            if (shows(getComputedStyle(up))) return null;
          }
          const label = el.id ? document.querySelector(`label[for="${CSS.escape(el.id)}"]`) : null;
          if (label && (shows(getComputedStyle(label, '::before')) || shows(getComputedStyle(label)))) return null;
          return el.outerHTML.slice(0, 160);
        }
        """;

    /// <summary>Presses Tab until <paramref name="target"/> has the focus; every element passed on the way must show its focus.</summary>
    public static async Task TabToAsync(this IPage page, ILocator target, int maxPresses = 80, bool backwards = false)
    {
        for (var press = 0; press < maxPresses; press++)
        {
            await page.Keyboard.PressAsync(backwards ? "Shift+Tab" : "Tab");
            var invisible = await page.EvaluateAsync<string?>(InvisibleFocusScript);
            Assert.True(invisible is null, $"Focus is not visible on {invisible} ({page.Url}).");
            if (await target.EvaluateAsync<bool>("el => el === document.activeElement"))
            {
                return;
            }
        }
        Assert.Fail($"{target} not reached with {maxPresses} presses of Tab on {page.Url}.");
    }

    public static Task<string?> FocusedIdAsync(this IPage page) =>
        page.EvaluateAsync<string?>("() => document.activeElement?.id || null");
}

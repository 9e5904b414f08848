using System.Diagnostics;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EspacePro.Web.Pages.Erreur;

/// <summary>
/// The French error page (docs/security.md R33): a status-specific message and, for server errors,
/// an incident id that matches the log line; never a stack trace.
/// </summary>
[AllowAnonymous]
[IgnoreAntiforgeryToken]
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed partial class IndexModel(ILogger<IndexModel> logger) : PageModel
{
    [System.Text.RegularExpressions.GeneratedRegex("(/lien/|/annulation/)[^/?]+")]
    private static partial System.Text.RegularExpressions.Regex LinkToken();

    public int Status { get; private set; }
    public string IncidentId { get; private set; } = "";

    public void OnGet([FromRoute] int? code) => Prepare(code);
    public void OnPost([FromRoute] int? code) => Prepare(code);

    private void Prepare(int? code)
    {
        Status = code ?? (Response.StatusCode >= 400 ? Response.StatusCode : StatusCodes.Status500InternalServerError);
        IncidentId = Activity.Current?.TraceId.ToString() ?? HttpContext.TraceIdentifier;
        if (Status >= 500)
        {
            var error = HttpContext.Features.Get<IExceptionHandlerPathFeature>();
            // The path is typed by the client: no CR/LF may start a forged log line. A link's
            // token in it is a secret: only the page's own part is kept.
            var path = error?.Path is { } raw ? LinkToken().Replace(raw.ReplaceLineEndings(" "), "$1[jeton]") : null;
            logger.LogError(error?.Error, "Unhandled error, incident {IncidentId} on {Path}", IncidentId, path);
            if (error?.Error is { } failure && Status == StatusCodes.Status503ServiceUnavailable)
            {
                Database.DatabaseUnavailable.Recover(failure);
                // A browser or a client may try again by itself; people read the page.
                Response.Headers.RetryAfter = "5";
            }
        }
        Response.StatusCode = Status;
    }

    public string Title => Status switch
    {
        400 => "Requête refusée",
        403 => "Accès refusé",
        404 => "Page non trouvée",
        405 => "Méthode non autorisée",
        413 => "Envoi trop volumineux",
        415 => "Format non pris en charge",
        429 => "Trop de demandes",
        503 => "Service momentanément indisponible",
        _ when Status >= 500 => "Erreur inattendue",
        _ => "Requête refusée",
    };

    public string Message => Status switch
    {
        400 => "Votre demande n'a pas pu être prise en compte : le formulaire a peut-être expiré ou a déjà été envoyé. Revenez à la page précédente, actualisez-la et recommencez.",
        403 => "Vous n'avez pas accès à cette page.",
        404 => "La page que vous cherchez est introuvable. Vérifiez l'adresse saisie ou revenez à l'accueil.",
        405 => "Cette adresse ne peut pas être utilisée de cette manière.",
        413 => "Les données envoyées sont trop volumineuses.",
        415 => "Le format des données envoyées n'est pas pris en charge.",
        429 => "Trop de demandes ont été reçues depuis votre connexion. Réessayez dans quelques minutes.",
        503 => "Le service est momentanément indisponible. Aucune modification partielle n'a été enregistrée. Réessayez dans quelques instants.",
        _ when Status >= 500 => "Une erreur inattendue s'est produite. Aucune modification partielle n'a été enregistrée. Réessayez dans quelques instants.",
        _ => "Votre demande n'a pas pu être prise en compte.",
    };
}

using EspacePro.Data;
using EspacePro.Web.Passwords;
using EspacePro.Web.Security;

namespace EspacePro.Web.Accounts;

public enum CurrentPasswordResult
{
    Right,
    /// <summary>Nothing typed: no guess is counted.</summary>
    Missing,
    Wrong,
    /// <summary>Too many wrong guesses lately: refused without being checked.</summary>
    Throttled,
}

/// <summary>
/// The current password asked again by a logged-in page (identifiers, deletion). Wrong guesses
/// count toward the login throttle (a wrong current password is a guess like any other), counted before the hash.
/// </summary>
public sealed class CurrentPassword(LoginThrottler throttler, PasswordHashing hashing, TrustedDevices devices)
{
    public const string ThrottledMessage = "Trop de tentatives incorrectes : patientez quelques minutes avant de réessayer.";
    public const string WrongMessage = "Le mot de passe saisi n'est pas votre mot de passe actuel.";
    public const string MissingMessage = "Saisissez votre mot de passe actuel.";

    /// <summary>The French message for the field, or null when the password was right.</summary>
    public static string? MessageFor(CurrentPasswordResult result) => result switch
    {
        CurrentPasswordResult.Missing => MissingMessage,
        CurrentPasswordResult.Wrong => WrongMessage,
        CurrentPasswordResult.Throttled => ThrottledMessage,
        _ => null,
    };

    public async Task<CurrentPasswordResult> CheckAsync(HttpContext http, Account account, string? password)
    {
        if (string.IsNullOrEmpty(password))
        {
            return CurrentPasswordResult.Missing;
        }
        // As at login: a recognised browser is throttled on its own key only.
        var keys = await devices.RecognizeAsync(http, account.Id) is { } device
            ? LoginThrottler.Device(device)
            : LoginThrottler.Anonymous(account.NormalizedEmail!, Audit.ClientAddress(http));
        if (!await throttler.TryCountGuessAsync(keys))
        {
            return CurrentPasswordResult.Throttled;
        }
        if (!PasswordText.IsWithinMaximum(password) || !await hashing.MatchesAsync(account.PasswordHash, password, http.RequestAborted))
        {
            return CurrentPasswordResult.Wrong;
        }
        await throttler.SucceededAsync(keys);
        return CurrentPasswordResult.Right;
    }
}

using EspacePro.Data;
using EspacePro.Web.Accounts;
using EspacePro.Web.Mail;
using EspacePro.Web.Passwords;
using EspacePro.Web.Security;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace EspacePro.Web.Pages.GererMonEspace.Identifiants;

/// <summary>« Modifier ma question de confiance » (sheet chapter 5): a question of the list and an answer kept only hashed.</summary>
public sealed class TrustSection(PasswordHashing hashing, Mailer mailer, Audit audit)
{
    public static void Validate(InputModel input, Account account, ModelStateDictionary modelState)
    {
        if (!input.ChangeTrust)
        {
            modelState.RefuseIfFilled("Input.Answer", input.Answer, "Cochez « Modifier ma question de confiance » pour changer de réponse, ou videz ce champ.");
            return;
        }
        if (!TrustQuestions.IsKnown(input.Question))
        {
            modelState.AddModelError("Input.Question", "Choisissez une question dans la liste.");
        }
        // The answer must not give away the password chosen in the same post.
        var password = input.ChangePassword ? input.NewPassword : null;
        foreach (var message in TrustAnswerPolicy.Validate(input.Answer ?? "", account.Email, password))
        {
            modelState.AddModelError("Input.Answer", message);
        }
    }

    /// <summary>Hashes the new answer, before the transaction: it is the slow part and holds no lock. Null when not changed.</summary>
    public async Task<string?> HashAsync(InputModel input) =>
        input.ChangeTrust ? await hashing.HashAsync(input.Answer!) : null;

    /// <summary>Applies the new question and answer and adds their e-mail to the unit of work.</summary>
    public void Apply(Account account, string question, string answerHash, DateTimeOffset now)
    {
        account.TrustQuestion = question;
        account.TrustAnswerHash = answerHash;
        mailer.Enqueue(new TrustAnswerChangedEmail(account.Email!, now));
        audit.Record("trust-answer.changed", account.Id, new { question });
    }
}

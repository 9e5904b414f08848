using System.Security.Claims;
using EspacePro.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace EspacePro.Web.Accounts;

/// <summary>
/// The cookie's identity: the space's id, its subscriber number and its security stamp. Spaces
/// have no per-user claims or roles, so Identity's default factory's claims query is skipped.
/// </summary>
public sealed class AccountClaimsFactory(IOptions<IdentityOptions> options) : IUserClaimsPrincipalFactory<Account>
{
    public Task<ClaimsPrincipal> CreateAsync(Account user)
    {
        var types = options.Value.ClaimsIdentity;
        var identity = new ClaimsIdentity(IdentityConstants.ApplicationScheme, types.UserNameClaimType, types.RoleClaimType);
        identity.AddClaim(new Claim(types.UserIdClaimType, user.Id.ToString()));
        identity.AddClaim(new Claim(types.UserNameClaimType, user.SubscriberNumber));
        identity.AddClaim(new Claim(types.SecurityStampClaimType, user.SecurityStamp ?? ""));
        return Task.FromResult(new ClaimsPrincipal(identity));
    }
}

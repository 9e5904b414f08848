using Microsoft.AspNetCore.Identity;

namespace EspacePro.Web.Accounts;

/// <summary>
/// The one way requests hash or verify a secret: at most <c>Password:HashConcurrency</c> hashes
/// run at once (default: one per core), so a login storm queues here instead of starving every
/// other page of CPU and memory (each Argon2id call holds 19 MiB).
/// </summary>
public sealed class PasswordHashing(Argon2idPasswordHasher hasher, IConfiguration configuration) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(
        configuration.GetValue("Password:HashConcurrency", Environment.ProcessorCount));
    private readonly Lazy<string> _dummyHash = new(() => hasher.Hash(Guid.NewGuid().ToString("N")));

    public async Task<string> HashAsync(string secret, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return hasher.Hash(secret);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Verifies <paramref name="secret"/>; with no hash (unknown account, throttled login) a dummy
    /// hash is verified instead so that every answer costs the same time (SECURITY.md §1).
    /// </summary>
    public async Task<PasswordVerificationResult> VerifyAsync(string? encodedHash, string secret, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (encodedHash is null)
            {
                hasher.Verify(_dummyHash.Value, secret);
                return PasswordVerificationResult.Failed;
            }
            return hasher.Verify(encodedHash, secret);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<bool> MatchesAsync(string? encodedHash, string secret, CancellationToken cancellationToken = default) =>
        await VerifyAsync(encodedHash, secret, cancellationToken) != PasswordVerificationResult.Failed;

    public void Dispose() => _gate.Dispose();
}

using System.Runtime.InteropServices;

namespace EspacePro.Web.Common;

/// <summary>
/// Native memory of the process. glibc gives each thread that meets contention a malloc arena of
/// its own (up to eight per core), and free memory stays in the arena it was freed to: with
/// SQLite, SkiaSharp and TLS allocating on many thread-pool threads, a 2-core node measured
/// 390 MB resident after 30 s of captcha images, 300 MB with two arenas (bench/, issue 7).
/// Two arenas, set before the host starts its threads, keep that memory shared.
/// </summary>
public static class NativeMemoryTuning
{
    private const int ArenaMaxOption = -8; // M_ARENA_MAX in glibc's malloc.h

    /// <summary>Best effort: glibc on Linux only; <c>MALLOC_ARENA_MAX</c> in the environment wins.</summary>
    public static void LimitMallocArenas(int arenas = 2)
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX") is not null)
        {
            return;
        }
        try
        {
            _ = mallopt(ArenaMaxOption, arenas);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            // Not glibc (musl has no arenas to limit).
        }
    }

    [DllImport("libc")]
    private static extern int mallopt(int param, int value);
}

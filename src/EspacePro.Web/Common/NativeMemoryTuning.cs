using System.Runtime.InteropServices;

namespace EspacePro.Web.Common;

/// <summary>
/// Native memory of the process (glibc's malloc), tuned for a node's memory budget (bench/README.md,
/// docs/operations.md). Set first thing in Program.cs, before the host starts its threads.
/// <list type="bullet">
/// <item>Arenas: glibc gives each thread that meets contention a malloc arena of its own (up to
/// eight per core), and free memory stays in the arena it was freed to. With SQLite, SkiaSharp
/// and TLS allocating on many thread-pool threads, a 2-core node measured 390 MB resident after
/// 30 s of captcha images, 300 MB with two arenas.</item>
/// <item>Large blocks: by default glibc raises its mmap threshold to the largest block freed
/// (up to 32 MB), so image and compression buffers end up inside the arenas and the free space
/// around them is never given back. A fixed 64 KiB threshold maps them and unmaps them when
/// freed, and free space over 1 MiB at the top of an arena is returned: 14 MB less after the
/// bench's workloads, at no measurable cost.</item>
/// </list>
/// The MALLOC_ARENA_MAX, MALLOC_MMAP_THRESHOLD_ and MALLOC_TRIM_THRESHOLD_ environment
/// variables win over these.
/// </summary>
public static class NativeMemoryTuning
{
    // Parameters of mallopt, from glibc's malloc.h.
    private const int TrimThreshold = -1;   // M_TRIM_THRESHOLD
    private const int MmapThreshold = -3;   // M_MMAP_THRESHOLD
    private const int ArenaMax = -8;        // M_ARENA_MAX

    /// <summary>Best effort: glibc on Linux only.</summary>
    public static void Apply(int arenas = 2, int mmapThreshold = 64 * 1024, int trimThreshold = 1024 * 1024)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        try
        {
            Set("MALLOC_ARENA_MAX", ArenaMax, arenas);
            Set("MALLOC_MMAP_THRESHOLD_", MmapThreshold, mmapThreshold);
            Set("MALLOC_TRIM_THRESHOLD_", TrimThreshold, trimThreshold);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            // Not glibc (musl has no arenas to limit).
        }
    }

    private static void Set(string environmentVariable, int parameter, int value)
    {
        if (Environment.GetEnvironmentVariable(environmentVariable) is null)
        {
            _ = mallopt(parameter, value);
        }
    }

    [DllImport("libc")]
    private static extern int mallopt(int param, int value);
}

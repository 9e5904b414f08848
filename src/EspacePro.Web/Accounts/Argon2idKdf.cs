using System.Buffers.Binary;
using System.Runtime.InteropServices;
using NSec.Cryptography;
using CryptographicOperations = System.Security.Cryptography.CryptographicOperations;

namespace EspacePro.Web.Accounts;

/// <summary>
/// Argon2id (RFC 9106, version 0x13) with one lane, no secret and no associated data: all the
/// password hasher needs. libsodium computes the same function but maps and unmaps a fresh
/// region for every hash, which here cost a third of each hash in page faults and serialised
/// concurrent hashes on the process-wide mmap lock. This one keeps one block region per thread
/// (the hashing threads live as long as the process) and wipes it after every hash.
/// Blake2b (H0 and H') is NSec's; only the memory-hard fill is managed.
/// </summary>
internal static class Argon2idKdf
{
    public const int MinTagSize = 32; // NSec's Blake2b outputs 32..64 bytes; H' needs H^T for T <= 64
    public const int MaxMemoryKiB = 4 * 1024 * 1024;
    private const int BlockSize = 1024;
    private const int Words = Argon2idCompression.Words;
    private const int SyncPoints = 4;
    private const int Version = 0x13;
    private const int TypeId = 2; // Argon2id
    private const int AddressesPerBlock = Words;
    // Scratch blocks after the memory blocks: zero, address-generator input, addresses, work.
    private const int ScratchBlocks = 4;
    // A thread keeps its region between hashes up to this size; a larger (rare, stored-parameter)
    // derivation frees its region when done rather than pinning it for the thread's lifetime.
    private const long RetainedBytes = 64L * 1024 * 1024;

    [ThreadStatic]
    private static BlockRegion? t_region;

    [ThreadStatic]
    private static bool t_keepRegion;

    /// <summary>
    /// For threads that hash all their life (<see cref="PasswordHashing"/>'s): they keep their
    /// region between hashes. Any other thread (start-up seeding, a test) frees it after each hash,
    /// so that no thread pins ~19 MiB for a hash it made once.
    /// </summary>
    public static void KeepRegionOnThisThread() => t_keepRegion = true;

    public static void DeriveBytes(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, int memoryKiB, int passes, int parallelism, Span<byte> tag) =>
        DeriveBytes(password, salt, memoryKiB, passes, parallelism, tag, Argon2idCompression.Widest);

    /// <summary>With the compression on given instructions (tests compare them).</summary>
    internal static void DeriveBytes(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, int memoryKiB, int passes, int parallelism, Span<byte> tag, Argon2idCompression.Instructions instructions)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(parallelism, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(memoryKiB, 8 * parallelism);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(memoryKiB, MaxMemoryKiB); // word indices stay ints
        ArgumentOutOfRangeException.ThrowIfLessThan(passes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(salt.Length, 8, nameof(salt));
        ArgumentOutOfRangeException.ThrowIfLessThan(tag.Length, MinTagSize, nameof(tag));
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Argon2idKdf reads blocks as little-endian words.");
        }

        // m' = 4p * floor(m / 4p) blocks; with one lane, q = m' columns of four segments.
        var blocks = memoryKiB / SyncPoints * SyncPoints;
        var region = t_region;
        var needed = ((long)blocks + ScratchBlocks) * BlockSize;
        if (region is null || region.Bytes < needed)
        {
            region?.Dispose();
            t_region = null;
            region = new BlockRegion(needed);
            t_region = region;
        }
        var memory = region.Words((blocks + ScratchBlocks) * Words);
        Span<byte> h0 = stackalloc byte[64 + 8];
        try
        {
            ComputeH0(password, salt, memoryKiB, passes, tag.Length, h0[..64]);
            // B[0][0] = H'(H0 || LE32(0) || LE32(0)), B[0][1] = H'(H0 || LE32(1) || LE32(0)).
            BinaryPrimitives.WriteInt32LittleEndian(h0[64..], 0);
            BinaryPrimitives.WriteInt32LittleEndian(h0[68..], 0);
            HPrime(h0, MemoryMarshal.AsBytes(memory.Slice(0, Words)));
            BinaryPrimitives.WriteInt32LittleEndian(h0[64..], 1);
            HPrime(h0, MemoryMarshal.AsBytes(memory.Slice(Words, Words)));

            Fill(memory, blocks, passes, instructions);

            HPrime(MemoryMarshal.AsBytes(memory.Slice((blocks - 1) * Words, Words)), tag);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(h0);
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(memory));
            if (!t_keepRegion || region.Bytes > RetainedBytes)
            {
                region.Dispose();
                t_region = null;
            }
        }
    }

    private static void ComputeH0(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, int memoryKiB, int passes, int tagLength, Span<byte> h0)
    {
        // H0 = H^64(LE32(p) || LE32(T) || LE32(m) || LE32(t) || LE32(v) || LE32(y) ||
        //           LE32(len P) || P || LE32(len S) || S || LE32(len K) || K || LE32(len X) || X)
        Span<byte> word = stackalloc byte[4];
        IncrementalHash.Initialize(HashAlgorithm.Blake2b_512, out var state);
        foreach (var value in (ReadOnlySpan<int>)[1, tagLength, memoryKiB, passes, Version, TypeId, password.Length])
        {
            BinaryPrimitives.WriteInt32LittleEndian(word, value);
            IncrementalHash.Update(ref state, word);
        }
        IncrementalHash.Update(ref state, password);
        BinaryPrimitives.WriteInt32LittleEndian(word, salt.Length);
        IncrementalHash.Update(ref state, word);
        IncrementalHash.Update(ref state, salt);
        BinaryPrimitives.WriteInt32LittleEndian(word, 0); // no secret K
        IncrementalHash.Update(ref state, word);
        IncrementalHash.Update(ref state, word); // no associated data X
        IncrementalHash.Finalize(ref state, h0);
    }

    /// <summary>The variable-length hash H' (RFC 9106 §3.3), for outputs of 32 bytes or more.</summary>
    private static void HPrime(ReadOnlySpan<byte> input, Span<byte> output)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, output.Length);
        if (output.Length <= 64)
        {
            IncrementalHash.Initialize(Blake2bOf(output.Length), out var single);
            IncrementalHash.Update(ref single, length);
            IncrementalHash.Update(ref single, input);
            IncrementalHash.Finalize(ref single, output);
            return;
        }
        // r = ceil(T/32) - 2 64-byte hashes V1..Vr, each chained on the previous one, give their
        // first 32 bytes; V(r+1) = H^(T-32r)(Vr) gives the last 33..64 bytes.
        var r = (output.Length + 31) / 32 - 2;
        Span<byte> v = stackalloc byte[128];
        try
        {
            IncrementalHash.Initialize(HashAlgorithm.Blake2b_512, out var first);
            IncrementalHash.Update(ref first, length);
            IncrementalHash.Update(ref first, input);
            IncrementalHash.Finalize(ref first, v[..64]);
            v[..32].CopyTo(output);
            for (var i = 1; i < r; i++)
            {
                // Alternate between the two halves so that input and output never overlap.
                var previous = v.Slice((i - 1) % 2 * 64, 64);
                var next = v.Slice(i % 2 * 64, 64);
                HashAlgorithm.Blake2b_512.Hash(previous, next);
                next[..32].CopyTo(output[(32 * i)..]);
            }
            Blake2bOf(output.Length - 32 * r).Hash(v.Slice((r - 1) % 2 * 64, 64), output[(32 * r)..]);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(v);
        }
    }

    private static Blake2b Blake2bOf(int size) => size switch
    {
        64 => HashAlgorithm.Blake2b_512,
        32 => HashAlgorithm.Blake2b_256,
        _ => new Blake2b(size),
    };

    /// <summary>RFC 9106 §3.4: passes over the four slices of the one lane.</summary>
    private static void Fill(Span<ulong> memory, int blocks, int passes, Argon2idCompression.Instructions instructions)
    {
        var segment = blocks / SyncPoints;
        ref var zero = ref memory[blocks * Words];
        ref var input = ref memory[(blocks + 1) * Words];
        ref var addresses = ref memory[(blocks + 2) * Words];
        ref var work = ref memory[(blocks + 3) * Words];
        var inputWords = memory.Slice((blocks + 1) * Words, Words);
        var addressWords = memory.Slice((blocks + 2) * Words, Words);
        memory.Slice(blocks * Words, Words).Clear(); // a fresh region holds whatever malloc left

        for (var pass = 0; pass < passes; pass++)
        {
            for (var slice = 0; slice < SyncPoints; slice++)
            {
                // Argon2id: data-independent indexing in the first half of the first pass.
                var independent = pass == 0 && slice < SyncPoints / 2;
                if (independent)
                {
                    inputWords.Clear();
                    inputWords[0] = (ulong)pass;
                    inputWords[1] = 0; // lane
                    inputWords[2] = (ulong)slice;
                    inputWords[3] = (ulong)blocks;
                    inputWords[4] = (ulong)passes;
                    inputWords[5] = TypeId;
                }
                // The first two blocks of the first pass come from H'; the address block for
                // indices 0..127 of that segment is still needed.
                var start = pass == 0 && slice == 0 ? 2 : 0;
                if (independent && start != 0)
                {
                    NextAddresses(ref zero, ref input, ref addresses, ref work, inputWords, instructions);
                }
                for (var i = start; i < segment; i++)
                {
                    var current = slice * segment + i;
                    var previous = current == 0 ? blocks - 1 : current - 1;
                    ulong pseudoRandom;
                    if (independent)
                    {
                        if (i % AddressesPerBlock == 0)
                        {
                            NextAddresses(ref zero, ref input, ref addresses, ref work, inputWords, instructions);
                        }
                        pseudoRandom = addressWords[i % AddressesPerBlock];
                    }
                    else
                    {
                        pseudoRandom = memory[previous * Words];
                    }
                    var reference = ReferenceIndex(pass, slice, i, segment, blocks, (uint)pseudoRandom);
                    Argon2idCompression.Compress(
                        ref memory[previous * Words],
                        ref memory[reference * Words],
                        ref memory[current * Words],
                        ref work,
                        xor: pass > 0,
                        instructions);
                }
            }
        }
    }

    /// <summary>RFC 9106 §3.4.1.2, with one lane (the reference is always in the current lane).</summary>
    private static int ReferenceIndex(int pass, int slice, int index, int segment, int blocks, uint j1)
    {
        // Blocks computed and not yet overwritten, excluding the previous one.
        ulong area = pass == 0
            ? (ulong)(slice * segment + index - 1)
            : (ulong)(blocks - segment + index - 1);
        var x = (ulong)j1 * j1 >> 32;
        var y = area * x >> 32;
        var relative = area - 1 - y;
        var startPosition = pass == 0 || slice == SyncPoints - 1 ? 0UL : (ulong)((slice + 1) * segment);
        return (int)((startPosition + relative) % (ulong)blocks);
    }

    private static void NextAddresses(ref ulong zero, ref ulong input, ref ulong addresses, ref ulong work, Span<ulong> inputWords, Argon2idCompression.Instructions instructions)
    {
        inputWords[6]++;
        Argon2idCompression.Compress(ref zero, ref input, ref addresses, ref work, xor: false, instructions);
        Argon2idCompression.Compress(ref zero, ref addresses, ref addresses, ref work, xor: false, instructions);
    }

    /// <summary>
    /// A thread's 64-byte-aligned native block region. Held by a thread-static field: when the
    /// thread ends the handle becomes unreachable and its finaliser frees the memory.
    /// </summary>
    private sealed class BlockRegion : SafeHandle
    {
        public BlockRegion(long bytes) : base(IntPtr.Zero, ownsHandle: true)
        {
            unsafe
            {
                // 2 MiB-aligned so that transparent huge pages (THP=madvise here) can back it:
                // the fill reads blocks at random across the region, one TLB miss each on 4 KiB pages.
                var size = (nuint)((bytes + HugePage - 1) / HugePage * HugePage);
                var pointer = NativeMemory.AlignedAlloc(size, HugePage);
                SetHandle((IntPtr)pointer);
                if (OperatingSystem.IsLinux())
                {
                    _ = madvise(pointer, size, MadviseHugePage);
                }
            }
            Bytes = bytes;
        }

        public long Bytes { get; }

        private const int HugePage = 2 * 1024 * 1024;
        private const int MadviseHugePage = 14;

        [DllImport("libc")]
        private static extern unsafe int madvise(void* address, nuint length, int advice);

        public override bool IsInvalid => handle == IntPtr.Zero;

        public unsafe Span<ulong> Words(int count) => new((void*)handle, count);

        protected override bool ReleaseHandle()
        {
            unsafe
            {
                NativeMemory.AlignedFree((void*)handle);
            }
            return true;
        }
    }
}

using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace EspacePro.Web.Accounts;

/// <summary>
/// Argon2's compression function G (RFC 9106 §3.5) over 1 KiB blocks of 128 words. A block is
/// an 8×8 matrix of 16-byte registers; the BlaMka permutation P runs on each row, then on each
/// column. <c>current</c> receives G(prev, reference), XORed into its old content when
/// <c>xor</c> is set (passes after the first, v1.3). <c>work</c> is a scratch block; it may not
/// alias the others, but <c>current</c> may alias <c>reference</c> (address blocks).
/// </summary>
internal static class Argon2idCompression
{
    internal const int Words = 128;

    /// <summary>Which instructions compress: the widest this CPU has unless a test asks otherwise.</summary>
    internal enum Instructions
    {
        Scalar,
        Avx2,
        Avx512,
    }

    public static Instructions Widest { get; } =
        Avx512F.IsSupported && Avx512BW.IsSupported ? Instructions.Avx512
        : Avx2.IsSupported ? Instructions.Avx2
        : Instructions.Scalar;

    public static void Compress(ref ulong prev, ref ulong reference, ref ulong current, ref ulong work, bool xor, Instructions instructions)
    {
        switch (instructions)
        {
            case Instructions.Avx512 when Avx512F.IsSupported && Avx512BW.IsSupported:
                CompressAvx512(ref prev, ref reference, ref current, ref work, xor);
                break;
            case Instructions.Avx2 when Avx2.IsSupported:
                CompressAvx2(ref prev, ref reference, ref current, ref work, xor);
                break;
            case Instructions.Scalar:
                CompressScalar(ref prev, ref reference, ref current, ref work, xor);
                break;
            default:
                throw new PlatformNotSupportedException($"{instructions} is not supported on this CPU.");
        }
    }

    public static void CompressScalar(ref ulong prev, ref ulong reference, ref ulong current, ref ulong work, bool xor)
    {
        // R = prev ^ reference goes to work (to permute) and to current (for the final XOR).
        for (var i = 0; i < Words; i++)
        {
            var r = Unsafe.Add(ref prev, i) ^ Unsafe.Add(ref reference, i);
            Unsafe.Add(ref work, i) = r;
            Unsafe.Add(ref current, i) = xor ? Unsafe.Add(ref current, i) ^ r : r;
        }
        // Row r holds words 16r..16r+15 in order; column c holds the word pairs 2c+16k, 2c+16k+1.
        for (var row = 0; row < 8; row++)
        {
            PermuteScalar(ref Unsafe.Add(ref work, 16 * row), 2);
        }
        for (var column = 0; column < 8; column++)
        {
            PermuteScalar(ref Unsafe.Add(ref work, 2 * column), 16);
        }
        for (var i = 0; i < Words; i++)
        {
            Unsafe.Add(ref current, i) ^= Unsafe.Add(ref work, i);
        }
    }

    /// <summary>P on the 16 words v0..v15, where v(2k) and v(2k+1) sit at k*stride and k*stride+1.</summary>
    private static void PermuteScalar(ref ulong w, int stride)
    {
        Span<ulong> v = stackalloc ulong[16];
        for (var k = 0; k < 8; k++)
        {
            v[2 * k] = Unsafe.Add(ref w, k * stride);
            v[2 * k + 1] = Unsafe.Add(ref w, k * stride + 1);
        }
        GB(ref v[0], ref v[4], ref v[8], ref v[12]);
        GB(ref v[1], ref v[5], ref v[9], ref v[13]);
        GB(ref v[2], ref v[6], ref v[10], ref v[14]);
        GB(ref v[3], ref v[7], ref v[11], ref v[15]);
        GB(ref v[0], ref v[5], ref v[10], ref v[15]);
        GB(ref v[1], ref v[6], ref v[11], ref v[12]);
        GB(ref v[2], ref v[7], ref v[8], ref v[13]);
        GB(ref v[3], ref v[4], ref v[9], ref v[14]);
        for (var k = 0; k < 8; k++)
        {
            Unsafe.Add(ref w, k * stride) = v[2 * k];
            Unsafe.Add(ref w, k * stride + 1) = v[2 * k + 1];
        }
        v.Clear();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void GB(ref ulong a, ref ulong b, ref ulong c, ref ulong d)
    {
        a += b + 2 * (ulong)(uint)a * (uint)b;
        d = BitOperations.RotateRight(d ^ a, 32);
        c += d + 2 * (ulong)(uint)c * (uint)d;
        b = BitOperations.RotateRight(b ^ c, 24);
        a += b + 2 * (ulong)(uint)a * (uint)b;
        d = BitOperations.RotateRight(d ^ a, 16);
        c += d + 2 * (ulong)(uint)c * (uint)d;
        b = BitOperations.RotateRight(b ^ c, 63);
    }

    public static void CompressAvx2(ref ulong prev, ref ulong reference, ref ulong current, ref ulong work, bool xor)
    {
        // Rows, two at a time (two independent dependency chains): a row's words v0..v15 load as
        // four vectors (v0..v3), (v4..v7), (v8..v11), (v12..v15), so the column step of P is one
        // GB across lanes and the diagonal step rotates the lanes of b, c, d.
        for (nuint row = 0; row < 8; row += 2)
        {
            var o = 16 * row;
            var a0 = Xor(ref prev, ref reference, o);
            var b0 = Xor(ref prev, ref reference, o + 4);
            var c0 = Xor(ref prev, ref reference, o + 8);
            var d0 = Xor(ref prev, ref reference, o + 12);
            var a1 = Xor(ref prev, ref reference, o + 16);
            var b1 = Xor(ref prev, ref reference, o + 20);
            var c1 = Xor(ref prev, ref reference, o + 24);
            var d1 = Xor(ref prev, ref reference, o + 28);
            if (xor)
            {
                StoreXor(ref current, o, a0, b0, c0, d0);
                StoreXor(ref current, o + 16, a1, b1, c1, d1);
            }
            else
            {
                Store(ref current, o, a0, b0, c0, d0);
                Store(ref current, o + 16, a1, b1, c1, d1);
            }

            GB(ref a0, ref b0, ref c0, ref d0);
            GB(ref a1, ref b1, ref c1, ref d1);
            b0 = Avx2.Permute4x64(b0, 0b00_11_10_01);
            c0 = Avx2.Permute4x64(c0, 0b01_00_11_10);
            d0 = Avx2.Permute4x64(d0, 0b10_01_00_11);
            b1 = Avx2.Permute4x64(b1, 0b00_11_10_01);
            c1 = Avx2.Permute4x64(c1, 0b01_00_11_10);
            d1 = Avx2.Permute4x64(d1, 0b10_01_00_11);
            GB(ref a0, ref b0, ref c0, ref d0);
            GB(ref a1, ref b1, ref c1, ref d1);
            b0 = Avx2.Permute4x64(b0, 0b10_01_00_11);
            c0 = Avx2.Permute4x64(c0, 0b01_00_11_10);
            d0 = Avx2.Permute4x64(d0, 0b00_11_10_01);
            b1 = Avx2.Permute4x64(b1, 0b10_01_00_11);
            c1 = Avx2.Permute4x64(c1, 0b01_00_11_10);
            d1 = Avx2.Permute4x64(d1, 0b00_11_10_01);

            Store(ref work, o, a0, b0, c0, d0);
            Store(ref work, o + 16, a1, b1, c1, d1);
        }

        // Columns, two at a time: vector k holds (v2k, v2k+1) of column c in its low half and of
        // column c+1 in its high half, so x0..x7 are two interleaved copies of the 16 words. The
        // column step is GB(x0, x2, x4, x6) and GB(x1, x3, x5, x7); the diagonal step pairs
        // halves of neighbouring vectors (v5, v6), (v7, v4), ..., which AlignRight does per half.
        for (nuint column = 0; column < 16; column += 4)
        {
            var x0 = Vector256.LoadUnsafe(ref work, column);
            var x1 = Vector256.LoadUnsafe(ref work, column + 16);
            var x2 = Vector256.LoadUnsafe(ref work, column + 32);
            var x3 = Vector256.LoadUnsafe(ref work, column + 48);
            var x4 = Vector256.LoadUnsafe(ref work, column + 64);
            var x5 = Vector256.LoadUnsafe(ref work, column + 80);
            var x6 = Vector256.LoadUnsafe(ref work, column + 96);
            var x7 = Vector256.LoadUnsafe(ref work, column + 112);

            GB(ref x0, ref x2, ref x4, ref x6);
            GB(ref x1, ref x3, ref x5, ref x7);
            var b0 = AlignRight(x3, x2); // (v5, v6)
            var b1 = AlignRight(x2, x3); // (v7, v4)
            var d0 = AlignRight(x6, x7); // (v15, v12)
            var d1 = AlignRight(x7, x6); // (v13, v14)
            GB(ref x0, ref b0, ref x5, ref d0);
            GB(ref x1, ref b1, ref x4, ref d1);
            x2 = AlignRight(b0, b1);
            x3 = AlignRight(b1, b0);
            x6 = AlignRight(d1, d0);
            x7 = AlignRight(d0, d1);

            XorInto(ref current, column, x0);
            XorInto(ref current, column + 16, x1);
            XorInto(ref current, column + 32, x2);
            XorInto(ref current, column + 48, x3);
            XorInto(ref current, column + 64, x4);
            XorInto(ref current, column + 80, x5);
            XorInto(ref current, column + 96, x6);
            XorInto(ref current, column + 112, x7);
        }
    }

    public static void CompressAvx512(ref ulong prev, ref ulong reference, ref ulong current, ref ulong work, bool xor)
    {
        // The AVX2 layout with two rows (or columns) side by side in each 512-bit vector: four
        // rows or four columns per iteration, in two independent chains. AVX-512 rotates words
        // in one instruction.
        for (nuint row = 0; row < 8; row += 4)
        {
            var o = 16 * row;
            var a0 = LoadRowPair(ref prev, ref reference, ref current, o, xor);
            var b0 = LoadRowPair(ref prev, ref reference, ref current, o + 4, xor);
            var c0 = LoadRowPair(ref prev, ref reference, ref current, o + 8, xor);
            var d0 = LoadRowPair(ref prev, ref reference, ref current, o + 12, xor);
            var a1 = LoadRowPair(ref prev, ref reference, ref current, o + 32, xor);
            var b1 = LoadRowPair(ref prev, ref reference, ref current, o + 36, xor);
            var c1 = LoadRowPair(ref prev, ref reference, ref current, o + 40, xor);
            var d1 = LoadRowPair(ref prev, ref reference, ref current, o + 44, xor);

            GB(ref a0, ref b0, ref c0, ref d0);
            GB(ref a1, ref b1, ref c1, ref d1);
            b0 = Avx512F.Permute4x64(b0, 0b00_11_10_01);
            c0 = Avx512F.Permute4x64(c0, 0b01_00_11_10);
            d0 = Avx512F.Permute4x64(d0, 0b10_01_00_11);
            b1 = Avx512F.Permute4x64(b1, 0b00_11_10_01);
            c1 = Avx512F.Permute4x64(c1, 0b01_00_11_10);
            d1 = Avx512F.Permute4x64(d1, 0b10_01_00_11);
            GB(ref a0, ref b0, ref c0, ref d0);
            GB(ref a1, ref b1, ref c1, ref d1);
            b0 = Avx512F.Permute4x64(b0, 0b10_01_00_11);
            c0 = Avx512F.Permute4x64(c0, 0b01_00_11_10);
            d0 = Avx512F.Permute4x64(d0, 0b00_11_10_01);
            b1 = Avx512F.Permute4x64(b1, 0b10_01_00_11);
            c1 = Avx512F.Permute4x64(c1, 0b01_00_11_10);
            d1 = Avx512F.Permute4x64(d1, 0b00_11_10_01);

            StoreRowPair(ref work, o, a0);
            StoreRowPair(ref work, o + 4, b0);
            StoreRowPair(ref work, o + 8, c0);
            StoreRowPair(ref work, o + 12, d0);
            StoreRowPair(ref work, o + 32, a1);
            StoreRowPair(ref work, o + 36, b1);
            StoreRowPair(ref work, o + 40, c1);
            StoreRowPair(ref work, o + 44, d1);
        }

        for (nuint column = 0; column < 16; column += 8)
        {
            var x0 = Vector512.LoadUnsafe(ref work, column);
            var x1 = Vector512.LoadUnsafe(ref work, column + 16);
            var x2 = Vector512.LoadUnsafe(ref work, column + 32);
            var x3 = Vector512.LoadUnsafe(ref work, column + 48);
            var x4 = Vector512.LoadUnsafe(ref work, column + 64);
            var x5 = Vector512.LoadUnsafe(ref work, column + 80);
            var x6 = Vector512.LoadUnsafe(ref work, column + 96);
            var x7 = Vector512.LoadUnsafe(ref work, column + 112);

            GB(ref x0, ref x2, ref x4, ref x6);
            GB(ref x1, ref x3, ref x5, ref x7);
            var b0 = AlignRight(x3, x2);
            var b1 = AlignRight(x2, x3);
            var d0 = AlignRight(x6, x7);
            var d1 = AlignRight(x7, x6);
            GB(ref x0, ref b0, ref x5, ref d0);
            GB(ref x1, ref b1, ref x4, ref d1);
            x2 = AlignRight(b0, b1);
            x3 = AlignRight(b1, b0);
            x6 = AlignRight(d1, d0);
            x7 = AlignRight(d0, d1);

            XorInto(ref current, column, x0);
            XorInto(ref current, column + 16, x1);
            XorInto(ref current, column + 32, x2);
            XorInto(ref current, column + 48, x3);
            XorInto(ref current, column + 64, x4);
            XorInto(ref current, column + 80, x5);
            XorInto(ref current, column + 96, x6);
            XorInto(ref current, column + 112, x7);
        }
    }

    /// <summary>
    /// Four words of R = prev ^ reference at <paramref name="offset"/> in one row (low half) and
    /// in the next row (high half); R is also stored into (or XORed into) current.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> LoadRowPair(ref ulong prev, ref ulong reference, ref ulong current, nuint offset, bool xor)
    {
        var low = Xor(ref prev, ref reference, offset);
        var high = Xor(ref prev, ref reference, offset + 16);
        if (xor)
        {
            XorInto(ref current, offset, low);
            XorInto(ref current, offset + 16, high);
        }
        else
        {
            low.StoreUnsafe(ref current, offset);
            high.StoreUnsafe(ref current, offset + 16);
        }
        return Vector512.Create(low, high);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRowPair(ref ulong block, nuint offset, Vector512<ulong> value)
    {
        value.GetLower().StoreUnsafe(ref block, offset);
        value.GetUpper().StoreUnsafe(ref block, offset + 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void XorInto(ref ulong block, nuint offset, Vector512<ulong> value) =>
        (Vector512.LoadUnsafe(ref block, offset) ^ value).StoreUnsafe(ref block, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> AlignRight(Vector512<ulong> high, Vector512<ulong> low) =>
        Avx512BW.AlignRight(high.AsByte(), low.AsByte(), 8).AsUInt64();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void GB(ref Vector512<ulong> a, ref Vector512<ulong> b, ref Vector512<ulong> c, ref Vector512<ulong> d)
    {
        a += b + Mul2(a, b);
        d = Avx512F.RotateRight(d ^ a, 32);
        c += d + Mul2(c, d);
        b = Avx512F.RotateRight(b ^ c, 24);
        a += b + Mul2(a, b);
        d = Avx512F.RotateRight(d ^ a, 16);
        c += d + Mul2(c, d);
        b = Avx512F.RotateRight(b ^ c, 63);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> Mul2(Vector512<ulong> x, Vector512<ulong> y)
    {
        var p = Avx512F.Multiply(x.AsUInt32(), y.AsUInt32());
        return p + p;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Xor(ref ulong x, ref ulong y, nuint offset) =>
        Vector256.LoadUnsafe(ref x, offset) ^ Vector256.LoadUnsafe(ref y, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(ref ulong block, nuint offset, Vector256<ulong> a, Vector256<ulong> b, Vector256<ulong> c, Vector256<ulong> d)
    {
        a.StoreUnsafe(ref block, offset);
        b.StoreUnsafe(ref block, offset + 4);
        c.StoreUnsafe(ref block, offset + 8);
        d.StoreUnsafe(ref block, offset + 12);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreXor(ref ulong block, nuint offset, Vector256<ulong> a, Vector256<ulong> b, Vector256<ulong> c, Vector256<ulong> d)
    {
        XorInto(ref block, offset, a);
        XorInto(ref block, offset + 4, b);
        XorInto(ref block, offset + 8, c);
        XorInto(ref block, offset + 12, d);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void XorInto(ref ulong block, nuint offset, Vector256<ulong> value) =>
        (Vector256.LoadUnsafe(ref block, offset) ^ value).StoreUnsafe(ref block, offset);

    /// <summary>Per 128-bit half: (high word of <paramref name="low"/>, low word of <paramref name="high"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> AlignRight(Vector256<ulong> high, Vector256<ulong> low) =>
        Avx2.AlignRight(high.AsByte(), low.AsByte(), 8).AsUInt64();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void GB(ref Vector256<ulong> a, ref Vector256<ulong> b, ref Vector256<ulong> c, ref Vector256<ulong> d)
    {
        a += b + Mul2(a, b);
        d = Avx2.Shuffle((d ^ a).AsUInt32(), 0b10_11_00_01).AsUInt64(); // rotate 32: swap halves
        c += d + Mul2(c, d);
        b = Avx2.Shuffle((b ^ c).AsByte(), Rotate24).AsUInt64();
        a += b + Mul2(a, b);
        d = Avx2.Shuffle((d ^ a).AsByte(), Rotate16).AsUInt64();
        c += d + Mul2(c, d);
        var t = b ^ c;
        b = (t >>> 63) ^ (t + t); // rotate right 63 = left 1
    }

    /// <summary>2 * lo32(x) * lo32(y), the BlaMka term.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Mul2(Vector256<ulong> x, Vector256<ulong> y)
    {
        var p = Avx2.Multiply(x.AsUInt32(), y.AsUInt32());
        return p + p;
    }

    // Byte shuffles that rotate each 64-bit word right by 24 and 16 bits. Static readonly: the
    // JIT folds them into constants (a property with this many arguments is not inlined).
    private static readonly Vector256<byte> Rotate24 = Vector256.Create(
        (byte)3, 4, 5, 6, 7, 0, 1, 2, 11, 12, 13, 14, 15, 8, 9, 10,
        3, 4, 5, 6, 7, 0, 1, 2, 11, 12, 13, 14, 15, 8, 9, 10);

    private static readonly Vector256<byte> Rotate16 = Vector256.Create(
        (byte)2, 3, 4, 5, 6, 7, 0, 1, 10, 11, 12, 13, 14, 15, 8, 9,
        2, 3, 4, 5, 6, 7, 0, 1, 10, 11, 12, 13, 14, 15, 8, 9);
}

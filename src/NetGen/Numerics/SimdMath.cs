using System;
using System.Numerics;
using System.Runtime.CompilerServices;
#if NET8_0_OR_GREATER
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
#else
using System.Runtime.InteropServices;
#endif

namespace NetGen.Numerics;

/// <summary>
/// Width-agnostic SIMD plumbing over <see cref="Vector{T}"/> (4 floats on Arm64 NEON, SSE and WebAssembly, 8 on
/// AVX2), and the one place that decides whether a multiply-add is fused.
/// </summary>
/// <remarks>
/// A fused multiply-add is used only where the hardware has the instruction: x64 with FMA3 (the x86-64-v3 class:
/// AVX2 machines, and Native AOT built for them) and Arm64. Everywhere else (a default Native AOT build, which targets
/// SSE4.2; x64 CPUs and VMs without AVX2; WebAssembly) .NET would emulate <c>MathF.FusedMultiplyAdd</c> and
/// its vector forms in software, one element at a time, tens of times slower than a multiply and an add; there the
/// multiply and the add are separate instructions. Every test is a JIT-time (and AOT-time) constant, so each machine
/// runs straight-line code of one kind. The choice changes the rounding of the last bit, which is why NetGen's
/// reproducibility promise is per instruction-set class (docs/platforms.md). The netstandard2.1 build (Unity, Mono) has
/// no hardware intrinsics and never fuses: its kernels are the scalar paths, which round like the .NET 8 build's on a
/// machine without FMA.
/// </remarks>
internal static class SimdMath
{
#if NET8_0_OR_GREATER
    /// <summary>Whether multiply-adds are fused on this machine: one rounding instead of two.</summary>
    public static bool IsFusedMultiplyAddAccelerated
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Fma.IsSupported || AdvSimd.IsSupported;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Load(ref float start, int offset)
        => Unsafe.ReadUnaligned<Vector<float>>(ref Unsafe.As<float, byte>(ref Unsafe.Add(ref start, offset)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector<float> value, ref float start, int offset)
        => Unsafe.WriteUnaligned(ref Unsafe.As<float, byte>(ref Unsafe.Add(ref start, offset)), value);

    /// <summary><c>a · b + c</c>, fused where the hardware fuses (see the remarks on <see cref="SimdMath"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> FusedMultiplyAdd(Vector<float> a, Vector<float> b, Vector<float> c)
    {
        if (Vector<float>.Count == Vector256<float>.Count && Fma.IsSupported)
        {
            return Fma.MultiplyAdd(a.AsVector256(), b.AsVector256(), c.AsVector256()).AsVector();
        }

        if (Vector<float>.Count == Vector128<float>.Count && IsFusedMultiplyAddAccelerated)
        {
            return FusedMultiplyAdd(a.AsVector128(), b.AsVector128(), c.AsVector128()).AsVector();
        }

        if (Vector<float>.Count == Vector512<float>.Count && Avx512F.IsSupported)
        {
            return Avx512F.FusedMultiplyAdd(a.AsVector512(), b.AsVector512(), c.AsVector512()).AsVector();
        }

        return (a * b) + c;
    }

    /// <inheritdoc cref="FusedMultiplyAdd(Vector{float}, Vector{float}, Vector{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> FusedMultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c)
    {
        if (Fma.IsSupported)
        {
            return Fma.MultiplyAdd(a, b, c);
        }

        if (AdvSimd.IsSupported)
        {
            return AdvSimd.FusedMultiplyAdd(c, a, b); // c + a · b
        }

        return (a * b) + c;
    }

    /// <inheritdoc cref="FusedMultiplyAdd(Vector{float}, Vector{float}, Vector{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> FusedMultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c)
        => Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : (a * b) + c;

    /// <inheritdoc cref="FusedMultiplyAdd(Vector{float}, Vector{float}, Vector{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> FusedMultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c)
        => Avx512F.IsSupported ? Avx512F.FusedMultiplyAdd(a, b, c) : (a * b) + c;
#else
    /// <summary>Whether multiply-adds are fused: never in the netstandard2.1 build, which has no hardware intrinsics.</summary>
    public static bool IsFusedMultiplyAddAccelerated => false;

    /// <summary>The <see cref="Vector{T}"/> at <paramref name="start"/> + <paramref name="offset"/> (through a span: no <c>Unsafe</c> in netstandard2.1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Load(ref float start, int offset)
        => new(MemoryMarshal.CreateSpan(ref start, offset + Vector<float>.Count).Slice(offset));

    /// <summary>Stores <paramref name="value"/> at <paramref name="start"/> + <paramref name="offset"/> (through a span).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector<float> value, ref float start, int offset)
        => MemoryMarshal.Cast<float, Vector<float>>(MemoryMarshal.CreateSpan(ref start, offset + Vector<float>.Count).Slice(offset))[0] = value;

    /// <summary><c>a · b + c</c>, a multiply and an add (the netstandard2.1 build never fuses).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> FusedMultiplyAdd(Vector<float> a, Vector<float> b, Vector<float> c) => (a * b) + c;
#endif

    /// <summary>
    /// Scalar <c>a · b + c</c>, fused exactly when the vector forms are, so that a kernel's scalar tail rounds like its
    /// vector body.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float FusedMultiplyAdd(float a, float b, float c)
#if NET8_0_OR_GREATER
        => IsFusedMultiplyAddAccelerated ? MathF.FusedMultiplyAdd(a, b, c) : (a * b) + c;
#else
        => (a * b) + c;
#endif
}

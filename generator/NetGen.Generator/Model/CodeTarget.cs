namespace NetGen.Generator.Model;

/// <summary>
/// What the consumer's compilation offers the generated code (design §7), read from the compilation rather than from a
/// flag: the language version, <c>InlineArrayAttribute</c>, <c>System.Runtime.Intrinsics</c>, and the shape of the
/// referenced <c>NetGen.INetwork</c>.
/// </summary>
/// <param name="Portable">
/// Whether the code is the portable shape for compilations without C# 12, <c>InlineArray</c> or
/// <c>System.Runtime.Intrinsics</c> (Unity 6: .NET Standard 2.1 and C# 9): weights in arrays allocated once per
/// network, frozen weights in <c>static readonly</c> arrays, a sequence network's state in plain fields, scalar code and
/// the runtime's kernels; no <c>Unsafe</c>, no vectors of a fixed width, batches one sample at a time.
/// </param>
/// <param name="StaticInterfaceMembers">
/// Whether the referenced <c>INetwork</c> declares its sizes as static abstract members (NetGen for .NET 8 and later)
/// rather than as instance members (NetGen for .NET Standard 2.1, which C# 9 can implement).
/// </param>
internal sealed record CodeTarget(bool Portable, bool StaticInterfaceMembers)
{
    /// <summary>.NET 8 or later with C# 12 or later: every code shape.</summary>
    public static CodeTarget Modern { get; } = new(Portable: false, StaticInterfaceMembers: true);
}

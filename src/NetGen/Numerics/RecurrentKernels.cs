using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
#if NET8_0_OR_GREATER
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
#endif
using static NetGen.Numerics.SimdMath;

namespace NetGen.Numerics;

/// <summary>
/// The gate arithmetic of one step of a recurrent layer, and its derivative, each fused into one pass over the units
/// (vectorised with <see cref="Vector{T}"/>). Generated code computes the step's two products, <c>W_ih x + b_ih</c>
/// (the input gates) and <c>W_hh h + b_hh</c> (the hidden gates), and calls these for the rest. Formulas and gate
/// order are PyTorch's (<c>nn.GRU</c>: r, z, n; <c>nn.LSTM</c>: i, f, g, o; <c>nn.RNN</c>).
/// </summary>
/// <remarks>
/// Spans of one step may be the same memory where a parameter says so: a streaming step updates its state in place.
/// Lengths are the caller's contract (generated code passes constant-length slices) and are checked only in debug
/// builds of this library.
/// </remarks>
public static class RecurrentKernels
{
    /// <summary>
    /// A GRU step: <c>r = σ(i_r + h_r)</c>, <c>z = σ(i_z + h_z)</c>, <c>n = tanh(i_n + r ⊙ h_n)</c>,
    /// <c>h' = n + z ⊙ (h - n)</c> (PyTorch's <c>gru_cell</c>).
    /// </summary>
    /// <param name="gates">In: the input gates (3·units); out: r, z and n.</param>
    /// <param name="hiddenGates">The hidden gates (3·units).</param>
    /// <param name="hidden">The previous hidden state (units).</param>
    /// <param name="next">Receives the new hidden state (units); may be <paramref name="hidden"/>.</param>
    public static void Gru(Span<float> gates, ReadOnlySpan<float> hiddenGates, ReadOnlySpan<float> hidden, Span<float> next)
    {
#if NET8_0_OR_GREATER
        int units = next.Length;
        ref float r = ref MemoryMarshal.GetReference(gates);
        ref float z = ref Unsafe.Add(ref r, units);
        ref float n = ref Unsafe.Add(ref r, 2 * units);
        ref float hr = ref MemoryMarshal.GetReference(hiddenGates);
        ref float hz = ref Unsafe.Add(ref hr, units);
        ref float hn = ref Unsafe.Add(ref hr, 2 * units);
        ref float h = ref MemoryMarshal.GetReference(hidden);
        ref float y = ref MemoryMarshal.GetReference(next);
        int j = Wide ? GruWide(ref r, ref z, ref n, ref hr, ref hz, ref hn, ref h, ref y, units) : 0;

        if (Vector.IsHardwareAccelerated)
        {
            for (; j <= units - Vector<float>.Count; j += Vector<float>.Count)
            {
                Vector<float> reset = FloatMath.Sigmoid(Load(ref r, j) + Load(ref hr, j));
                Vector<float> update = FloatMath.Sigmoid(Load(ref z, j) + Load(ref hz, j));
                Vector<float> candidate = FloatMath.Tanh(FusedMultiplyAdd(reset, Load(ref hn, j), Load(ref n, j)));
                Store(reset, ref r, j);
                Store(update, ref z, j);
                Store(candidate, ref n, j);
                Store(FusedMultiplyAdd(update, Load(ref h, j) - candidate, candidate), ref y, j);
            }
        }

        for (; j < units; j++)
        {
            float reset = FloatMath.Sigmoid(Unsafe.Add(ref r, j) + Unsafe.Add(ref hr, j));
            float update = FloatMath.Sigmoid(Unsafe.Add(ref z, j) + Unsafe.Add(ref hz, j));
            float candidate = FloatMath.Tanh(FusedMultiplyAdd(reset, Unsafe.Add(ref hn, j), Unsafe.Add(ref n, j)));
            Unsafe.Add(ref r, j) = reset;
            Unsafe.Add(ref z, j) = update;
            Unsafe.Add(ref n, j) = candidate;
            Unsafe.Add(ref y, j) = FusedMultiplyAdd(update, Unsafe.Add(ref h, j) - candidate, candidate);
        }
#else
        int units = next.Length;
        Span<float> r = gates.Slice(0, units), z = gates.Slice(units, units), n = gates.Slice(2 * units, units);
        ReadOnlySpan<float> hr = hiddenGates.Slice(0, units), hz = hiddenGates.Slice(units, units), hn = hiddenGates.Slice(2 * units, units);
        for (int j = 0; j < units; j++)
        {
            float reset = FloatMath.Sigmoid(r[j] + hr[j]);
            float update = FloatMath.Sigmoid(z[j] + hz[j]);
            float candidate = FloatMath.Tanh(FusedMultiplyAdd(reset, hn[j], n[j]));
            r[j] = reset;
            z[j] = update;
            n[j] = candidate;
            next[j] = FusedMultiplyAdd(update, hidden[j] - candidate, candidate);
        }
#endif
    }

    /// <summary>
    /// An LSTM step: <c>i = σ(…)</c>, <c>f = σ(…)</c>, <c>g = tanh(…)</c>, <c>o = σ(…)</c> over the summed gates, then
    /// <c>c' = f ⊙ c + i ⊙ g</c> and <c>h' = o ⊙ tanh(c')</c> (PyTorch's <c>lstm_cell</c>).
    /// </summary>
    /// <param name="gates">In: the input gates (4·units); out: i, f, g and o.</param>
    /// <param name="hiddenGates">The hidden gates (4·units).</param>
    /// <param name="cell">The previous cell state (units).</param>
    /// <param name="nextCell">Receives the new cell state; may be <paramref name="cell"/>.</param>
    /// <param name="next">Receives the new hidden state (units).</param>
    public static void Lstm(Span<float> gates, ReadOnlySpan<float> hiddenGates, ReadOnlySpan<float> cell, Span<float> nextCell, Span<float> next)
    {
#if NET8_0_OR_GREATER
        int units = next.Length;
        ref float i0 = ref MemoryMarshal.GetReference(gates);
        ref float f0 = ref Unsafe.Add(ref i0, units);
        ref float g0 = ref Unsafe.Add(ref i0, 2 * units);
        ref float o0 = ref Unsafe.Add(ref i0, 3 * units);
        ref float hi = ref MemoryMarshal.GetReference(hiddenGates);
        ref float hf = ref Unsafe.Add(ref hi, units);
        ref float hg = ref Unsafe.Add(ref hi, 2 * units);
        ref float ho = ref Unsafe.Add(ref hi, 3 * units);
        ref float c = ref MemoryMarshal.GetReference(cell);
        ref float cy = ref MemoryMarshal.GetReference(nextCell);
        ref float y = ref MemoryMarshal.GetReference(next);
        int j = Wide ? LstmWide(ref i0, ref f0, ref g0, ref o0, ref hi, ref hf, ref hg, ref ho, ref c, ref cy, ref y, units) : 0;

        if (Vector.IsHardwareAccelerated)
        {
            for (; j <= units - Vector<float>.Count; j += Vector<float>.Count)
            {
                Vector<float> input = FloatMath.Sigmoid(Load(ref i0, j) + Load(ref hi, j));
                Vector<float> forget = FloatMath.Sigmoid(Load(ref f0, j) + Load(ref hf, j));
                Vector<float> candidate = FloatMath.Tanh(Load(ref g0, j) + Load(ref hg, j));
                Vector<float> output = FloatMath.Sigmoid(Load(ref o0, j) + Load(ref ho, j));
                Vector<float> state = FusedMultiplyAdd(forget, Load(ref c, j), input * candidate);
                Store(input, ref i0, j);
                Store(forget, ref f0, j);
                Store(candidate, ref g0, j);
                Store(output, ref o0, j);
                Store(state, ref cy, j);
                Store(output * FloatMath.Tanh(state), ref y, j);
            }
        }

        for (; j < units; j++)
        {
            float input = FloatMath.Sigmoid(Unsafe.Add(ref i0, j) + Unsafe.Add(ref hi, j));
            float forget = FloatMath.Sigmoid(Unsafe.Add(ref f0, j) + Unsafe.Add(ref hf, j));
            float candidate = FloatMath.Tanh(Unsafe.Add(ref g0, j) + Unsafe.Add(ref hg, j));
            float output = FloatMath.Sigmoid(Unsafe.Add(ref o0, j) + Unsafe.Add(ref ho, j));
            float state = FusedMultiplyAdd(forget, Unsafe.Add(ref c, j), input * candidate);
            Unsafe.Add(ref i0, j) = input;
            Unsafe.Add(ref f0, j) = forget;
            Unsafe.Add(ref g0, j) = candidate;
            Unsafe.Add(ref o0, j) = output;
            Unsafe.Add(ref cy, j) = state;
            Unsafe.Add(ref y, j) = output * FloatMath.Tanh(state);
        }
#else
        int units = next.Length;
        Span<float> i0 = gates.Slice(0, units), f0 = gates.Slice(units, units), g0 = gates.Slice(2 * units, units), o0 = gates.Slice(3 * units, units);
        ReadOnlySpan<float> hi = hiddenGates.Slice(0, units), hf = hiddenGates.Slice(units, units);
        ReadOnlySpan<float> hg = hiddenGates.Slice(2 * units, units), ho = hiddenGates.Slice(3 * units, units);
        for (int j = 0; j < units; j++)
        {
            float input = FloatMath.Sigmoid(i0[j] + hi[j]);
            float forget = FloatMath.Sigmoid(f0[j] + hf[j]);
            float candidate = FloatMath.Tanh(g0[j] + hg[j]);
            float output = FloatMath.Sigmoid(o0[j] + ho[j]);
            float state = FusedMultiplyAdd(forget, cell[j], input * candidate);
            i0[j] = input;
            f0[j] = forget;
            g0[j] = candidate;
            o0[j] = output;
            nextCell[j] = state;
            next[j] = output * FloatMath.Tanh(state);
        }
#endif
    }

    /// <summary>An Elman RNN step with Tanh: <c>h' = tanh(gates + hiddenGates)</c>.</summary>
    /// <param name="gates">The input gates (units).</param>
    /// <param name="hiddenGates">The hidden gates (units).</param>
    /// <param name="next">Receives the new hidden state.</param>
    public static void RnnTanh(ReadOnlySpan<float> gates, ReadOnlySpan<float> hiddenGates, Span<float> next)
    {
#if NET8_0_OR_GREATER
        int units = next.Length;
        ref float a = ref MemoryMarshal.GetReference(gates);
        ref float b = ref MemoryMarshal.GetReference(hiddenGates);
        ref float y = ref MemoryMarshal.GetReference(next);
        int j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; j <= units - Vector<float>.Count; j += Vector<float>.Count)
            {
                Store(FloatMath.Tanh(Load(ref a, j) + Load(ref b, j)), ref y, j);
            }
        }

        for (; j < units; j++)
        {
            Unsafe.Add(ref y, j) = FloatMath.Tanh(Unsafe.Add(ref a, j) + Unsafe.Add(ref b, j));
        }
#else
        for (int j = 0; j < next.Length; j++)
        {
            next[j] = FloatMath.Tanh(gates[j] + hiddenGates[j]);
        }
#endif
    }

    /// <summary>An Elman RNN step with ReLU: <c>h' = max(0, gates + hiddenGates)</c>.</summary>
    /// <param name="gates">The input gates (units).</param>
    /// <param name="hiddenGates">The hidden gates (units).</param>
    /// <param name="next">Receives the new hidden state.</param>
    public static void RnnReLU(ReadOnlySpan<float> gates, ReadOnlySpan<float> hiddenGates, Span<float> next)
    {
#if NET8_0_OR_GREATER
        int units = next.Length;
        ref float a = ref MemoryMarshal.GetReference(gates);
        ref float b = ref MemoryMarshal.GetReference(hiddenGates);
        ref float y = ref MemoryMarshal.GetReference(next);
        int j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; j <= units - Vector<float>.Count; j += Vector<float>.Count)
            {
                Store(Vector.Max(Load(ref a, j) + Load(ref b, j), Vector<float>.Zero), ref y, j);
            }
        }

        for (; j < units; j++)
        {
            Unsafe.Add(ref y, j) = Activations.ReLU(Unsafe.Add(ref a, j) + Unsafe.Add(ref b, j));
        }
#else
        for (int j = 0; j < next.Length; j++)
        {
            next[j] = Activations.ReLU(gates[j] + hiddenGates[j]);
        }
#endif
    }

    /// <summary>
    /// The derivative of a GRU step. From the gradient with respect to the new hidden state it writes the gradients
    /// with respect to the input gates and the hidden gates (before their activations), and leaves in
    /// <paramref name="hiddenGradient"/> the part of the previous hidden state's gradient that bypasses the products,
    /// <c>dh ⊙ z</c>; the caller adds <c>W_hhᵀ</c> times the hidden gates' gradient.
    /// </summary>
    /// <param name="hiddenGradient">In: d loss / d h'; out: <c>dh ⊙ z</c>.</param>
    /// <param name="gates">The step's r, z and n.</param>
    /// <param name="hiddenGates">The step's hidden gates (their n part, <c>W_hn h + b_hn</c>, is used).</param>
    /// <param name="hidden">The previous hidden state.</param>
    /// <param name="gatesGradient">Receives d loss / d (input gates), 3·units.</param>
    /// <param name="hiddenGatesGradient">Receives d loss / d (hidden gates), 3·units.</param>
    public static void GruBackward(Span<float> hiddenGradient, ReadOnlySpan<float> gates, ReadOnlySpan<float> hiddenGates, ReadOnlySpan<float> hidden, Span<float> gatesGradient, Span<float> hiddenGatesGradient)
    {
#if NET8_0_OR_GREATER
        int units = hiddenGradient.Length;
        ref float dh = ref MemoryMarshal.GetReference(hiddenGradient);
        ref float r = ref MemoryMarshal.GetReference(gates);
        ref float z = ref Unsafe.Add(ref r, units);
        ref float n = ref Unsafe.Add(ref r, 2 * units);
        ref float hn = ref Unsafe.Add(ref MemoryMarshal.GetReference(hiddenGates), 2 * units);
        ref float h = ref MemoryMarshal.GetReference(hidden);
        ref float dr = ref MemoryMarshal.GetReference(gatesGradient);
        ref float dz = ref Unsafe.Add(ref dr, units);
        ref float dn = ref Unsafe.Add(ref dr, 2 * units);
        ref float dhr = ref MemoryMarshal.GetReference(hiddenGatesGradient);
        ref float dhz = ref Unsafe.Add(ref dhr, units);
        ref float dhn = ref Unsafe.Add(ref dhr, 2 * units);
        int j = Wide ? GruBackwardWide(ref dh, ref r, ref z, ref n, ref hn, ref h, ref dr, ref dz, ref dn, ref dhr, ref dhz, ref dhn, units) : 0;

        if (Vector.IsHardwareAccelerated)
        {
            Vector<float> one = Vector<float>.One;
            for (; j <= units - Vector<float>.Count; j += Vector<float>.Count)
            {
                Vector<float> d = Load(ref dh, j), reset = Load(ref r, j), update = Load(ref z, j), candidate = Load(ref n, j);
                Vector<float> candidateDelta = d * (one - update) * (one - (candidate * candidate));
                Vector<float> updateDelta = d * (Load(ref h, j) - candidate) * update * (one - update);
                Vector<float> resetDelta = candidateDelta * Load(ref hn, j) * reset * (one - reset);
                Store(resetDelta, ref dr, j);
                Store(updateDelta, ref dz, j);
                Store(candidateDelta, ref dn, j);
                Store(resetDelta, ref dhr, j);
                Store(updateDelta, ref dhz, j);
                Store(candidateDelta * reset, ref dhn, j);
                Store(d * update, ref dh, j);
            }
        }

        for (; j < units; j++)
        {
            float d = Unsafe.Add(ref dh, j), reset = Unsafe.Add(ref r, j), update = Unsafe.Add(ref z, j), candidate = Unsafe.Add(ref n, j);
            float candidateDelta = d * (1f - update) * (1f - (candidate * candidate));
            float updateDelta = d * (Unsafe.Add(ref h, j) - candidate) * update * (1f - update);
            float resetDelta = candidateDelta * Unsafe.Add(ref hn, j) * reset * (1f - reset);
            Unsafe.Add(ref dr, j) = resetDelta;
            Unsafe.Add(ref dz, j) = updateDelta;
            Unsafe.Add(ref dn, j) = candidateDelta;
            Unsafe.Add(ref dhr, j) = resetDelta;
            Unsafe.Add(ref dhz, j) = updateDelta;
            Unsafe.Add(ref dhn, j) = candidateDelta * reset;
            Unsafe.Add(ref dh, j) = d * update;
        }
#else
        int units = hiddenGradient.Length;
        ReadOnlySpan<float> r = gates.Slice(0, units), z = gates.Slice(units, units), n = gates.Slice(2 * units, units);
        ReadOnlySpan<float> hn = hiddenGates.Slice(2 * units, units);
        Span<float> dr = gatesGradient.Slice(0, units), dz = gatesGradient.Slice(units, units), dn = gatesGradient.Slice(2 * units, units);
        Span<float> dhr = hiddenGatesGradient.Slice(0, units), dhz = hiddenGatesGradient.Slice(units, units), dhn = hiddenGatesGradient.Slice(2 * units, units);
        for (int j = 0; j < units; j++)
        {
            float d = hiddenGradient[j], reset = r[j], update = z[j], candidate = n[j];
            float candidateDelta = d * (1f - update) * (1f - (candidate * candidate));
            float updateDelta = d * (hidden[j] - candidate) * update * (1f - update);
            float resetDelta = candidateDelta * hn[j] * reset * (1f - reset);
            dr[j] = resetDelta;
            dz[j] = updateDelta;
            dn[j] = candidateDelta;
            dhr[j] = resetDelta;
            dhz[j] = updateDelta;
            dhn[j] = candidateDelta * reset;
            hiddenGradient[j] = d * update;
        }
#endif
    }

    /// <summary>
    /// The derivative of an LSTM step. From the gradients with respect to the new hidden state and the new cell state
    /// it writes the gradient with respect to the gates (before their activations; the input and hidden gates share it),
    /// replaces <paramref name="cellGradient"/> by the previous cell state's gradient, and clears
    /// <paramref name="hiddenGradient"/> (the previous hidden state's gradient is <c>W_hhᵀ</c> times the gates').
    /// </summary>
    /// <param name="hiddenGradient">In: d loss / d h'; out: zero.</param>
    /// <param name="cellGradient">In: d loss / d c' from later steps; out: d loss / d c.</param>
    /// <param name="gates">The step's i, f, g and o.</param>
    /// <param name="cell">The previous cell state.</param>
    /// <param name="nextCell">The step's new cell state.</param>
    /// <param name="gatesGradient">Receives d loss / d (gates), 4·units.</param>
    public static void LstmBackward(Span<float> hiddenGradient, Span<float> cellGradient, ReadOnlySpan<float> gates, ReadOnlySpan<float> cell, ReadOnlySpan<float> nextCell, Span<float> gatesGradient)
    {
#if NET8_0_OR_GREATER
        int units = hiddenGradient.Length;
        ref float dh = ref MemoryMarshal.GetReference(hiddenGradient);
        ref float dc = ref MemoryMarshal.GetReference(cellGradient);
        ref float i0 = ref MemoryMarshal.GetReference(gates);
        ref float f0 = ref Unsafe.Add(ref i0, units);
        ref float g0 = ref Unsafe.Add(ref i0, 2 * units);
        ref float o0 = ref Unsafe.Add(ref i0, 3 * units);
        ref float c = ref MemoryMarshal.GetReference(cell);
        ref float cy = ref MemoryMarshal.GetReference(nextCell);
        ref float di = ref MemoryMarshal.GetReference(gatesGradient);
        ref float df = ref Unsafe.Add(ref di, units);
        ref float dg = ref Unsafe.Add(ref di, 2 * units);
        ref float dout = ref Unsafe.Add(ref di, 3 * units);
        int j = Wide ? LstmBackwardWide(ref dh, ref dc, ref i0, ref f0, ref g0, ref o0, ref c, ref cy, ref di, ref df, ref dg, ref dout, units) : 0;

        if (Vector.IsHardwareAccelerated)
        {
            Vector<float> one = Vector<float>.One;
            for (; j <= units - Vector<float>.Count; j += Vector<float>.Count)
            {
                Vector<float> d = Load(ref dh, j), input = Load(ref i0, j), forget = Load(ref f0, j), candidate = Load(ref g0, j), output = Load(ref o0, j);
                Vector<float> squashed = FloatMath.Tanh(Load(ref cy, j));
                Vector<float> cellDelta = Load(ref dc, j) + (d * output * (one - (squashed * squashed)));
                Store(cellDelta * candidate * input * (one - input), ref di, j);
                Store(cellDelta * Load(ref c, j) * forget * (one - forget), ref df, j);
                Store(cellDelta * input * (one - (candidate * candidate)), ref dg, j);
                Store(d * squashed * output * (one - output), ref dout, j);
                Store(cellDelta * forget, ref dc, j);
                Store(Vector<float>.Zero, ref dh, j);
            }
        }

        for (; j < units; j++)
        {
            float d = Unsafe.Add(ref dh, j), input = Unsafe.Add(ref i0, j), forget = Unsafe.Add(ref f0, j), candidate = Unsafe.Add(ref g0, j), output = Unsafe.Add(ref o0, j);
            float squashed = FloatMath.Tanh(Unsafe.Add(ref cy, j));
            float cellDelta = Unsafe.Add(ref dc, j) + (d * output * (1f - (squashed * squashed)));
            Unsafe.Add(ref di, j) = cellDelta * candidate * input * (1f - input);
            Unsafe.Add(ref df, j) = cellDelta * Unsafe.Add(ref c, j) * forget * (1f - forget);
            Unsafe.Add(ref dg, j) = cellDelta * input * (1f - (candidate * candidate));
            Unsafe.Add(ref dout, j) = d * squashed * output * (1f - output);
            Unsafe.Add(ref dc, j) = cellDelta * forget;
            Unsafe.Add(ref dh, j) = 0f;
        }
#else
        int units = hiddenGradient.Length;
        ReadOnlySpan<float> i0 = gates.Slice(0, units), f0 = gates.Slice(units, units), g0 = gates.Slice(2 * units, units), o0 = gates.Slice(3 * units, units);
        Span<float> di = gatesGradient.Slice(0, units), df = gatesGradient.Slice(units, units);
        Span<float> dg = gatesGradient.Slice(2 * units, units), dout = gatesGradient.Slice(3 * units, units);
        for (int j = 0; j < units; j++)
        {
            float d = hiddenGradient[j], input = i0[j], forget = f0[j], candidate = g0[j], output = o0[j];
            float squashed = FloatMath.Tanh(nextCell[j]);
            float cellDelta = cellGradient[j] + (d * output * (1f - (squashed * squashed)));
            di[j] = cellDelta * candidate * input * (1f - input);
            df[j] = cellDelta * cell[j] * forget * (1f - forget);
            dg[j] = cellDelta * input * (1f - (candidate * candidate));
            dout[j] = d * squashed * output * (1f - output);
            cellGradient[j] = cellDelta * forget;
            hiddenGradient[j] = 0f;
        }
#endif
    }

    /// <summary>
    /// The derivative of an RNN step with Tanh: writes <c>dh ⊙ (1 - h'²)</c> to <paramref name="gatesGradient"/> and
    /// clears <paramref name="hiddenGradient"/>.
    /// </summary>
    /// <param name="hiddenGradient">In: d loss / d h'; out: zero.</param>
    /// <param name="next">The step's new hidden state.</param>
    /// <param name="gatesGradient">Receives d loss / d (gates), units.</param>
    public static void RnnTanhBackward(Span<float> hiddenGradient, ReadOnlySpan<float> next, Span<float> gatesGradient)
    {
        Activations.MultiplyTanhDerivative(next, hiddenGradient);
        hiddenGradient.CopyTo(gatesGradient);
        hiddenGradient.Clear();
    }

    /// <summary>
    /// The derivative of an RNN step with ReLU: writes <c>dh ⊙ [h' &gt; 0]</c> to <paramref name="gatesGradient"/> and
    /// clears <paramref name="hiddenGradient"/>.
    /// </summary>
    /// <param name="hiddenGradient">In: d loss / d h'; out: zero.</param>
    /// <param name="next">The step's new hidden state.</param>
    /// <param name="gatesGradient">Receives d loss / d (gates), units.</param>
    public static void RnnReLUBackward(Span<float> hiddenGradient, ReadOnlySpan<float> next, Span<float> gatesGradient)
    {
        Activations.MultiplyReLUDerivative(next, hiddenGradient);
        hiddenGradient.CopyTo(gatesGradient);
        hiddenGradient.Clear();
    }

#if NET8_0_OR_GREATER
    /// <summary>
    /// <see cref="Gru"/>'s AVX-512 loop, 16 units at a time; returns the first unit it left. A method of its own: inside
    /// <see cref="Gru"/> its inlined vector math used up the JIT's inlining budget of that method, so that on machines
    /// without AVX-512 (where this is never called) the <see cref="Vector{T}"/> loop's own helpers stayed calls (JIT
    /// disassembly under DOTNET_EnableAVX2=0: FloatMath.Sigmoid, Tanh, SimdMath.Load and Store called per vector).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int GruWide(ref float r, ref float z, ref float n, ref float hr, ref float hz, ref float hn, ref float h, ref float y, int units)
    {
        int j = 0;
        for (; j <= units - 16; j += 16)
        {
            Vector512<float> reset = FloatMath.Sigmoid(Load16(ref r, j) + Load16(ref hr, j));
            Vector512<float> update = FloatMath.Sigmoid(Load16(ref z, j) + Load16(ref hz, j));
            Vector512<float> candidate = FloatMath.Tanh(FusedMultiplyAdd(reset, Load16(ref hn, j), Load16(ref n, j)));
            Store16(reset, ref r, j);
            Store16(update, ref z, j);
            Store16(candidate, ref n, j);
            Store16(FusedMultiplyAdd(update, Load16(ref h, j) - candidate, candidate), ref y, j);
        }

        return j;
    }

    /// <summary><see cref="Lstm"/>'s AVX-512 loop (see <see cref="GruWide"/> for why it is a method of its own).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int LstmWide(ref float i0, ref float f0, ref float g0, ref float o0, ref float hi, ref float hf, ref float hg, ref float ho, ref float c, ref float cy, ref float y, int units)
    {
        int j = 0;
        for (; j <= units - 16; j += 16)
        {
            Vector512<float> input = FloatMath.Sigmoid(Load16(ref i0, j) + Load16(ref hi, j));
            Vector512<float> forget = FloatMath.Sigmoid(Load16(ref f0, j) + Load16(ref hf, j));
            Vector512<float> candidate = FloatMath.Tanh(Load16(ref g0, j) + Load16(ref hg, j));
            Vector512<float> output = FloatMath.Sigmoid(Load16(ref o0, j) + Load16(ref ho, j));
            Vector512<float> state = FusedMultiplyAdd(forget, Load16(ref c, j), input * candidate);
            Store16(input, ref i0, j);
            Store16(forget, ref f0, j);
            Store16(candidate, ref g0, j);
            Store16(output, ref o0, j);
            Store16(state, ref cy, j);
            Store16(output * FloatMath.Tanh(state), ref y, j);
        }

        return j;
    }

    /// <summary><see cref="GruBackward"/>'s AVX-512 loop (see <see cref="GruWide"/> for why it is a method of its own).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int GruBackwardWide(ref float dh, ref float r, ref float z, ref float n, ref float hn, ref float h, ref float dr, ref float dz, ref float dn, ref float dhr, ref float dhz, ref float dhn, int units)
    {
        int j = 0;
        Vector512<float> one = Vector512<float>.One;
        for (; j <= units - 16; j += 16)
        {
            Vector512<float> d = Load16(ref dh, j), reset = Load16(ref r, j), update = Load16(ref z, j), candidate = Load16(ref n, j);
            Vector512<float> candidateDelta = d * (one - update) * (one - (candidate * candidate));
            Vector512<float> updateDelta = d * (Load16(ref h, j) - candidate) * update * (one - update);
            Vector512<float> resetDelta = candidateDelta * Load16(ref hn, j) * reset * (one - reset);
            Store16(resetDelta, ref dr, j);
            Store16(updateDelta, ref dz, j);
            Store16(candidateDelta, ref dn, j);
            Store16(resetDelta, ref dhr, j);
            Store16(updateDelta, ref dhz, j);
            Store16(candidateDelta * reset, ref dhn, j);
            Store16(d * update, ref dh, j);
        }

        return j;
    }

    /// <summary><see cref="LstmBackward"/>'s AVX-512 loop (see <see cref="GruWide"/> for why it is a method of its own).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int LstmBackwardWide(ref float dh, ref float dc, ref float i0, ref float f0, ref float g0, ref float o0, ref float c, ref float cy, ref float di, ref float df, ref float dg, ref float dout, int units)
    {
        int j = 0;
        Vector512<float> one = Vector512<float>.One;
        for (; j <= units - 16; j += 16)
        {
            Vector512<float> d = Load16(ref dh, j), input = Load16(ref i0, j), forget = Load16(ref f0, j), candidate = Load16(ref g0, j), output = Load16(ref o0, j);
            Vector512<float> squashed = FloatMath.Tanh(Load16(ref cy, j));
            Vector512<float> cellDelta = Load16(ref dc, j) + (d * output * (one - (squashed * squashed)));
            Store16(cellDelta * candidate * input * (one - input), ref di, j);
            Store16(cellDelta * Load16(ref c, j) * forget * (one - forget), ref df, j);
            Store16(cellDelta * input * (one - (candidate * candidate)), ref dg, j);
            Store16(d * squashed * output * (one - output), ref dout, j);
            Store16(cellDelta * forget, ref dc, j);
            Store16(Vector512<float>.Zero, ref dh, j);
        }

        return j;
    }

    /// <summary>
    /// Whether the kernels run 16 units at a time with <see cref="Vector512{T}"/> (AVX-512) before the
    /// <see cref="Vector{T}"/> loop (256 bits wide there by default) takes what is left: half the instructions per unit,
    /// and an exponential that scales by 2^n in one instruction (<see cref="FloatMath.Exp(Vector512{float})"/>).
    /// A JIT-time constant.
    /// </summary>
    private static bool Wide
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector512.IsHardwareAccelerated && Avx512F.IsSupported;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Load16(ref float start, int offset) => Vector512.LoadUnsafe(ref start, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store16(Vector512<float> value, ref float start, int offset) => value.StoreUnsafe(ref start, (nuint)offset);
#endif
}

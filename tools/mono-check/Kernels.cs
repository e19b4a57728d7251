using System;
using System.Globalization;
using System.IO;
using System.Numerics;
using NetGen.Numerics;

/// <summary>Writes every kernel's outputs on fixed pseudo-random inputs, one float per line, to compare two runtimes.</summary>
internal static class Kernels
{
    private static TextWriter _out;
    private static uint _state = 12345;

    private static float Next() { _state = (_state * 1664525u) + 1013904223u; return ((_state >> 8) / 16777216f * 4f) - 2f; }

    private static float[] R(int n) { var a = new float[n]; for (int i = 0; i < n; i++) { a[i] = Next(); } return a; }

    private static void W(string name, ReadOnlySpan<float> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            _out.WriteLine($"{name}[{i}] {values[i].ToString("R", CultureInfo.InvariantCulture)}");
        }
    }

    private static void W(string name, float value) => W(name, new[] { value });

    public static void Dump(string path)
    {
        using var writer = new StreamWriter(path);
        _out = writer;
        foreach (var (units, inputs) in new[] { (13, 37), (16, 64), (8, 784 / 8), (3, 5), (64, 16) })
        {
            string s = $"{units}x{inputs}";
            float[] w = R(units * inputs), b = R(units), x = R(inputs), z = new float[units];
            DenseKernels.MultiplyAdd(w, b, x, z); W($"MultiplyAdd {s}", z);
            DenseKernels.MultiplyAddRowBlocks(w, b, x, z, backwards: true); W($"MultiplyAddRowBlocks {s}", z);
            float[] d = R(units), dx = R(inputs);
            DenseKernels.MultiplyTransposedAdd(w, d, dx, backwards: true); W($"MultiplyTransposedAdd {s}", dx);
            DenseKernels.MultiplyTransposed(w, d, dx); W($"MultiplyTransposed {s}", dx);
            float[] gw = R(units * inputs), gb = R(units);
            DenseKernels.AccumulateOuterProduct(gw, gb, d, x); W($"AccumulateOuterProduct {s}", gw); W($"AccumulateOuterProduct b {s}", gb);
            float[] ds = R(5 * units), xs = R(5 * inputs);
            DenseKernels.AccumulateOuterProducts(gw, gb, ds, xs, 5); W($"AccumulateOuterProducts {s}", gw); W($"AccumulateOuterProducts b {s}", gb);
            float[] wt = new float[inputs * units];
            DenseKernels.Transpose(w, units, inputs, wt); W($"Transpose {s}", wt);
            DenseKernels.MultiplyAddColumns(wt, b, x, z); W($"MultiplyAddColumns {s}", z);
            W($"Dot {s}", DenseKernels.Dot(x, R(inputs)));
            DenseKernels.MultiplyAddTo(0.3f, x, dx); W($"MultiplyAddTo {s}", dx);

            int block = 8;
            float[] samples = R(5 * inputs), blockIn = new float[inputs * block], blockOut = new float[units * block], back = new float[5 * inputs];
            BatchKernels.ToBlock(samples, inputs, blockIn); W($"ToBlock {s}", blockIn);
            BatchKernels.MultiplyAdd(w, b, blockIn, blockOut, block); W($"Batch.MultiplyAdd {s}", blockOut);
            BatchKernels.MultiplyTransposed(w, blockOut, blockIn, block); W($"Batch.MultiplyTransposed {s}", blockIn);
            BatchKernels.FromBlock(blockIn, inputs, back); W($"FromBlock {s}", back);
            BatchKernels.ToBlock(samples, 2, inputs + 1, inputs - 1, new float[(inputs - 1) * 4]);
        }

        foreach (int units in new[] { 7, 16, 33 })
        {
            string s = $"{units}";
            float[] gates = R(3 * units), hiddenGates = R(3 * units), hidden = R(units), next = new float[units];
            RecurrentKernels.Gru(gates, hiddenGates, hidden, next); W($"Gru gates {s}", gates); W($"Gru next {s}", next);
            float[] dh = R(units), dg = new float[3 * units], dhg = new float[3 * units];
            RecurrentKernels.GruBackward(dh, gates, hiddenGates, hidden, dg, dhg); W($"GruBackward dh {s}", dh); W($"GruBackward dg {s}", dg); W($"GruBackward dhg {s}", dhg);
            float[] lg = R(4 * units), lhg = R(4 * units), cell = R(units), nextCell = new float[units];
            RecurrentKernels.Lstm(lg, lhg, cell, nextCell, next); W($"Lstm gates {s}", lg); W($"Lstm cell {s}", nextCell); W($"Lstm next {s}", next);
            float[] dc = R(units), ldg = new float[4 * units];
            dh = R(units);
            RecurrentKernels.LstmBackward(dh, dc, lg, cell, nextCell, ldg); W($"LstmBackward dc {s}", dc); W($"LstmBackward dg {s}", ldg);
            float[] a = R(units), c = R(units);
            RecurrentKernels.RnnTanh(a, c, next); W($"RnnTanh {s}", next);
            dh = R(units); float[] rg = new float[units];
            RecurrentKernels.RnnTanhBackward(dh, next, rg); W($"RnnTanhBackward {s}", rg);
            RecurrentKernels.RnnReLU(a, c, next); W($"RnnReLU {s}", next);
            dh = R(units);
            RecurrentKernels.RnnReLUBackward(dh, next, rg); W($"RnnReLUBackward {s}", rg);
        }

        float[] v = R(37);
        float[] t;
        t = (float[])v.Clone(); Activations.Step(t); W("Activations.Step", t);
        t = (float[])v.Clone(); Activations.Sigmoid(t); W("Activations.Sigmoid", t);
        t = (float[])v.Clone(); Activations.Tanh(t); W("Activations.Tanh", t);
        t = (float[])v.Clone(); Activations.ReLU(t); W("Activations.ReLU", t);
        t = (float[])v.Clone(); Activations.LeakyReLU(t); W("Activations.LeakyReLU", t);
        t = (float[])v.Clone(); Activations.Softmax(t); W("Activations.Softmax", t);
        float[] y = (float[])t.Clone();
        t = R(37); Activations.MultiplySigmoidDerivative(y, t); W("MultiplySigmoidDerivative", t);
        t = R(37); Activations.MultiplyTanhDerivative(v, t); W("MultiplyTanhDerivative", t);
        t = R(37); Activations.MultiplyReLUDerivative(v, t); W("MultiplyReLUDerivative", t);
        t = R(37); Activations.MultiplyLeakyReLUDerivative(v, t); W("MultiplyLeakyReLUDerivative", t);
        t = R(37); Activations.MultiplySoftmaxJacobian(y, t); W("MultiplySoftmaxJacobian", t);
        for (int i = 0; i < v.Length; i++)
        {
            W("FloatMath scalar", new[] { FloatMath.Exp(v[i] * 20f), FloatMath.Sigmoid(v[i] * 20f), FloatMath.Tanh(v[i]), Activations.LeakyReLU(v[i]) });
        }

        for (int i = 0; i + Vector<float>.Count <= v.Length; i += Vector<float>.Count)
        {
            var vec = new Vector<float>(v, i) * new Vector<float>(20f);
            Vector<float> e = FloatMath.Exp(vec), sg = FloatMath.Sigmoid(vec), th = FloatMath.Tanh(vec / new Vector<float>(20f));
            for (int k = 0; k < Vector<float>.Count; k++)
            {
                W("FloatMath vector", new[] { e[k], sg[k], th[k] });
            }
        }

        float[] targets = R(37), grad = new float[37];
        for (int i = 0; i < 37; i++) { targets[i] = Math.Abs(targets[i]) / 2f; }
        float[] probs = (float[])y.Clone();
        W("MeanSquaredError", Losses.MeanSquaredError(v, targets, grad)); W("MeanSquaredError grad", grad);
        W("BCE", Losses.BinaryCrossEntropyWithSigmoid(probs, targets, grad)); W("BCE grad", grad);
        float[] logits = (float[])v.Clone(), oneHot = new float[37]; oneHot[5] = 1f;
        W("CrossEntropy", Losses.CrossEntropyWithSoftmax(logits, oneHot, grad)); W("CrossEntropy grad", grad); W("CrossEntropy probs", logits);
        W("OfOutputs", Losses.OfOutputs(NetGen.Loss.BinaryCrossEntropy, probs, targets));
        W("ClampedLog", Losses.ClampedLog(1e-30f));
        W("ArgMax", SpanMath.ArgMax(v));
    }
}

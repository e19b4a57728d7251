namespace NetGen.Shared;

/// <summary>
/// How ONNX's recurrent operators order their gates, against PyTorch's order, which is NetGen's parameter layout
/// (design §1b). Shared source (src/Shared): the exporter (NetGen.Onnx) writes PyTorch's blocks in ONNX's order and
/// the generator's ONNX reader reads them back, with the same table.
/// </summary>
/// <remarks>
/// <code>
///          PyTorch (NetGen)     ONNX operator
/// GRU      r, z, n              z, r, h     (ONNX "h" is PyTorch's "n"; linear_before_reset = 1 is PyTorch's n gate)
/// LSTM     i, f, g, o           i, o, f, c  (ONNX "c" is PyTorch's "g")
/// RNN      one gate             one gate
/// </code>
/// Each block (W, R, and each half of B) is <c>G</c> row blocks of <c>H</c> rows; moving a gate moves its
/// <c>H</c> rows. ONNX's <c>B</c> is <c>[Wb, Rb]</c>: PyTorch's <c>bias_ih</c> then <c>bias_hh</c>, each reordered.
/// Never throws.
/// </remarks>
internal static class OnnxRecurrentGates
{
    private static readonly int[] GruOnnxToPyTorch = { 1, 0, 2 };
    private static readonly int[] LstmOnnxToPyTorch = { 0, 3, 1, 2 };
    private static readonly int[] Single = { 0 };

    /// <summary>The gates of a recurrent layer kind: 3 (GRU), 4 (LSTM), 1 (RNN).</summary>
    public static int Gates(LayerKind kind) => PyTorchGateOfOnnxGate(kind).Length;

    /// <summary>
    /// For each ONNX gate position <c>k</c>, the PyTorch gate it holds: GRU z, r, h = PyTorch 1, 0, 2; LSTM i, o, f, c =
    /// PyTorch 0, 3, 1, 2. A new array each call.
    /// </summary>
    public static int[] PyTorchGateOfOnnxGate(LayerKind kind) => (int[])(kind switch
    {
        LayerKind.Gru => GruOnnxToPyTorch,
        LayerKind.Lstm => LstmOnnxToPyTorch,
        _ => Single,
    }).Clone();

    /// <summary>
    /// The ONNX operator's name for a layer kind: <c>GRU</c>, <c>LSTM</c>, <c>RNN</c>.
    /// </summary>
    public static string Operator(LayerKind kind) => kind switch
    {
        LayerKind.Gru => "GRU",
        LayerKind.Lstm => "LSTM",
        _ => "RNN",
    };

    /// <summary>
    /// Copies a block of <c>G</c> gates of <paramref name="rowLength"/> · <paramref name="units"/> values each from
    /// PyTorch's gate order (<paramref name="pyTorch"/>) to ONNX's (<paramref name="onnx"/>).
    /// </summary>
    public static void ToOnnx(LayerKind kind, System.ReadOnlySpan<float> pyTorch, System.Span<float> onnx, int units, int rowLength)
    {
        int[] map = PyTorchGateOfOnnxGate(kind);
        int gate = units * rowLength;
        for (int k = 0; k < map.Length; k++)
        {
            pyTorch.Slice(map[k] * gate, gate).CopyTo(onnx.Slice(k * gate, gate));
        }
    }

    /// <summary>The inverse of <see cref="ToOnnx"/>: ONNX's gate order back to PyTorch's.</summary>
    public static void ToPyTorch(LayerKind kind, System.ReadOnlySpan<float> onnx, System.Span<float> pyTorch, int units, int rowLength)
    {
        int[] map = PyTorchGateOfOnnxGate(kind);
        int gate = units * rowLength;
        for (int k = 0; k < map.Length; k++)
        {
            onnx.Slice(k * gate, gate).CopyTo(pyTorch.Slice(map[k] * gate, gate));
        }
    }
}

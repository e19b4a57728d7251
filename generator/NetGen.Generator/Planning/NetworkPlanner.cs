using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Model;

namespace NetGen.Generator.Planning;

/// <summary>
/// Decides each layer's code shape. This is the one place that choice is made; the emitter only follows it.
/// </summary>
internal static class NetworkPlanner
{
    /// <summary>Largest layer (multiply-adds) that is unrolled into straight-line scalar code.</summary>
    public const int MaxUnrolledLayerMultiplyAdds = 128;

    /// <summary>
    /// The reference vector width of unrolled SIMD code, 8 floats (<c>Vector256</c>): the thresholds below are counted
    /// in it. Such a layer also gets <c>Vector128</c> code, and <c>Vector512</c> code where that pays
    /// (<see cref="WidthsFor"/>).
    /// </summary>
    public const int SimdWidth = 8;

    /// <summary>
    /// Rows shorter than two vectors stay scalar when small enough: one multiply-add per row cannot pay for the
    /// horizontal reduction, and scalar output layers keep their values in registers (a softmax among them).
    /// </summary>
    public const int MinSimdInputs = 2 * SimdWidth;

    /// <summary>
    /// Unrolled work allowed in one method, counted in emitted multiply-add statements of the code one machine runs: a
    /// whole 8-wide vector one, or three per scalar multiply-add (<c>Backward</c> also spells out the weight and input
    /// gradients of scalar layers; vector layers use the kernels there). A vector layer costs one pass of its row loop,
    /// not the whole layer. RyuJIT compiles methods of about 37 KB of IL or more without optimisation (MinOpts); one
    /// statement is about 20 bytes of IL, so 768 of them stay near 15 KB, where methods are known to be optimised.
    /// </summary>
    public const int MaxUnrolledStatementsPerMethod = 768;

    /// <summary>
    /// Statements allowed in one method over all its vector widths together. The JIT imports only the branch of the
    /// machine's width, but it decides on MinOpts from the whole method's IL (60,000 bytes, 20,000 instructions, 8,000
    /// local-variable references: about 2,000 statements of four references each), dead branches included. A vector
    /// layer with all three widths costs about 3.5 times its <c>Vector256</c> statements here.
    /// </summary>
    public const int MaxEmittedStatementsPerMethod = 1536;

    /// <summary>
    /// The widest input an unrolled vector layer takes, in full 8-wide vectors: its input is loaded into locals once,
    /// before the row loop (16 vectors and four accumulators are about what AVX2's 16 registers hold). Wider layers
    /// use the kernels, whose code size does not grow with the input: spelled out, a 784-input row group is 13 KB of
    /// IL that the JIT must fully optimise on the first call (methods with <c>stackalloc</c> cannot tier up).
    /// </summary>
    public const int MaxSimdInputVectors = 16;

    /// <summary>
    /// The narrowest input that gets <c>Vector512</c> code, in 16-float vectors; inputs must also be a multiple of 16
    /// (a 512-bit layer with a scalar tail of up to 15 products loses to the 256-bit code).
    /// </summary>
    public const int MinVector512InputVectors = 2;

    /// <summary>
    /// The most floats of transposed input weights a recurrent layer's input product may keep on the stack to run by
    /// columns (<see cref="RunsByColumns"/>).
    /// </summary>
    public const int MaxColumnFloats = 8192;

    /// <summary>
    /// Unrolled scalar layers of at least this many Sigmoid or Tanh units apply the activation four units at a time
    /// with <c>Vector128</c> code (<see cref="ActivatesInVectorGroups"/>); a single unit calls the scalar function.
    /// </summary>
    public const int MinVectorActivationUnits = 2;

    public static NetworkPlan Plan(NetworkSpec network)
    {
        // Dense layers share one budget: Forward and Backward each spell them all out in one method. Each recurrent
        // layer's step is a method of its own, with its own budget.
        var budget = new Budget();
        bool portable = network.Target.Portable;
        var layers = new List<LayerPlan>(network.Layers.Count);
        int offset = 0;
        int stateOffset = 0;
        int columns = 0;
        for (int i = 0; i < network.Layers.Count; i++)
        {
            LayerSpec layer = network.Layers[i];
            int number = i + 1;
            if (layer.IsRecurrent)
            {
                var stepBudget = new Budget();
                LayerPlan inputProduct = PlanProduct(LayerSpec.Dense(layer.Inputs, layer.GateRows, Activation.Identity), number, offset, offset + (layer.GateRows * (layer.Inputs + layer.Units)), backwardUnrolls: false, portable, stepBudget) with { Role = "input product" };
                LayerPlan hiddenProduct = PlanProduct(LayerSpec.Dense(layer.Units, layer.GateRows, Activation.Identity), number, offset + (layer.GateRows * layer.Inputs), inputProduct.BiasOffset + layer.GateRows, backwardUnrolls: false, portable, stepBudget) with { Role = "recurrent product" };
                inputProduct = inputProduct with { Vector512RowBlocks = RunsInRowBlocks(inputProduct) };
                hiddenProduct = hiddenProduct with { Vector512RowBlocks = RunsInRowBlocks(hiddenProduct) };
                int columnsOffset = !portable && RunsByColumns(inputProduct.Layer) ? columns : -1;
                columns += columnsOffset >= 0 ? layer.GateRows * layer.Inputs : 0;
                var recurrent = new RecurrentPlan(inputProduct, hiddenProduct, stateOffset, HasInputDelta: i > 0, columnsOffset);
                layers.Add(new LayerPlan(layer, number, offset, inputProduct.BiasOffset, hiddenProduct.Shape, KeepOutputInLocals: false) { Recurrent = recurrent });
                stateOffset += layer.StateFloats;
            }
            else
            {
                layers.Add(PlanProduct(layer, number, offset, offset + (layer.Inputs * layer.Units), backwardUnrolls: true, portable, budget));
            }

            offset += (int)layer.ParameterCount;
        }

        // Straight-line activations stay in locals only between two unrolled scalar dense layers.
        for (int i = 0; i < layers.Count - 1; i++)
        {
            if (layers[i].Recurrent is null && layers[i].Shape == LayerShape.Unrolled && layers[i + 1].Shape == LayerShape.Unrolled)
            {
                layers[i] = layers[i] with { KeepOutputInLocals = true };
            }
        }

        for (int i = 0; i < layers.Count; i++)
        {
            if (layers[i].Recurrent is null && layers[i].Shape == LayerShape.Unrolled)
            {
                layers[i] = layers[i] with { ActivatesInVectorGroups = !portable && ActivatesInVectorGroups(layers[i].Layer.Activation, layers[i].Layer.Units) };
            }
        }

        var recurrentPlans = layers.Where(plan => plan.Recurrent is not null).ToList();
        return new NetworkPlan(network, layers.ToEquatableArray(), offset)
        {
            ScalarLossHead = layers[layers.Count - 1].Shape == LayerShape.Unrolled,
            LossHeadActivates = network.Loss == Loss.CrossEntropy,
            StateLength = stateOffset,
            ColumnsLength = columns,
            WorkspaceFloatsPerStep = recurrentPlans.Sum(plan => plan.Layer.WorkspaceFloatsPerStep(plan.Recurrent!.HasInputDelta)),
            MaxGateRows = recurrentPlans.Count == 0 ? 0 : recurrentPlans.Max(plan => plan.Layer.GateRows),
            BatchBlock = portable ? 0 : BatchBlockFor(network, layers),
            MinBatchBlockSamples = MinBatchBlockSamplesFor(network, layers, BatchBlockFor(network, layers)),
        };
    }

    /// <summary>
    /// The fewest samples worth a (padded) block, which costs as much as a full one: half a block when the network's
    /// largest dense layer calls the kernels per sample (a 784-128-10 network's full block took 0.32 of the time of its
    /// samples one at a time, so 8 of 16 samples took 0.72), three quarters otherwise, where the per-sample code is
    /// closer to the blocks (a 64-32-10 network of unrolled SIMD layers: 0.61 full, 1.31 for 8 samples of 16; a GRU(32)
    /// over 32 steps: 0.57 full, 1.12 for 8).
    /// </summary>
    public static int MinBatchBlockSamplesFor(NetworkSpec network, IReadOnlyList<LayerPlan> layers, int block)
    {
        LayerPlan largest = layers.OrderByDescending(layer => layer.Layer.MultiplyAdds).First();
        return !network.IsSequence && largest.Shape == LayerShape.Loop ? block / 2 : block * 3 / 4;
    }

    /// <summary>
    /// The most samples a batch block takes: AVX-512's 16 lanes, so that one broadcast of a weight serves 16 samples and
    /// the products run at the width of the machine's widest vectors (<c>Vector&lt;T&gt;</c>'s 8 or 4 lanes divide it too).
    /// </summary>
    public const int MaxBatchBlock = 16;

    /// <summary>The fewest samples worth a block: fewer and a weight's broadcast serves too few samples to pay for the layout changes.</summary>
    public const int MinBatchBlock = 4;

    /// <summary>
    /// The most stack a batch member's blocks may take (128 KB, within the 1 MB of a Windows thread and the 1.5 MB of a
    /// Linux thread-pool thread): <c>BackwardBatch</c> keeps each hidden layer's activations and deltas in both layouts.
    /// A 784-128-64-10 network's blocks of 16 samples take 102 KB.
    /// </summary>
    public const int MaxBatchStackBytes = 128 * 1024;

    /// <summary>
    /// The most outputs (16 KB) <c>PredictBatch</c> keeps on the stack between its calls of the blocked forward pass, each
    /// of which clears its blocks' buffers once (the stack is zeroed): 400 samples of ten outputs a call, not 16.
    /// </summary>
    public const int MaxPredictBatchStackFloats = 4096;

    /// <summary>
    /// The samples of a batch block (<see cref="NetworkPlan.BatchBlock"/>): <see cref="MaxBatchBlock"/>, halved while the
    /// blocks exceed <see cref="MaxBatchStackBytes"/>; 0 (one sample at a time) for a network of unrolled scalar dense
    /// layers only, whose straight-line code already keeps everything in registers with no call per layer, and when even
    /// <see cref="MinBatchBlock"/> samples do not fit. A sequence network's block is its <c>ForwardBatch</c>'s and
    /// <c>PredictBatch</c>'s: blocks of sequences step by step; its <c>BackwardBatch</c> runs one sequence at a time.
    /// </summary>
    public static int BatchBlockFor(NetworkSpec network, IReadOnlyList<LayerPlan> layers)
    {
        if (!network.IsSequence && layers.All(layer => layer.Shape == LayerShape.Unrolled))
        {
            return 0;
        }

        // BackwardBatch per sample: the input block, each hidden layer's activations and deltas in both layouts, and
        // the output layer's outputs and deltas likewise. A sequence network's ForwardBatch: a step's input block,
        // each recurrent layer's two gate blocks and its state, now and next, and the dense layers' outputs.
        long floats = network.IsSequence
            ? network.Inputs + layers.Sum(layer => layer.Recurrent is null ? layer.Layer.Units : (2L * layer.Layer.GateRows) + (2L * layer.Layer.StateFloats))
            : network.Inputs + (4L * layers.Sum(layer => (long)layer.Layer.Units));
        int block = MaxBatchBlock;
        while (block >= MinBatchBlock && floats * block * sizeof(float) > MaxBatchStackBytes)
        {
            block /= 2;
        }

        return block >= MinBatchBlock ? block : 0;
    }

    /// <summary>
    /// The code shape of one product <c>W x + b</c> (a dense layer, or a recurrent layer's input or recurrent product)
    /// within a method's <paramref name="budget"/>. <paramref name="backwardUnrolls"/>: whether the method's backward
    /// pass also spells out an unrolled scalar product (dense layers; recurrent layers use the kernels there).
    /// <paramref name="portable"/>: the portable code (<see cref="CodeTarget.Portable"/>) has no vectors of fixed widths,
    /// so what would be unrolled SIMD calls the kernels, which run <c>Vector&lt;T&gt;</c> or scalar loops there.
    /// </summary>
    private static LayerPlan PlanProduct(LayerSpec layer, int number, int weightOffset, int biasOffset, bool backwardUnrolls, bool portable, Budget budget)
    {
        long scalarStatements = (backwardUnrolls ? 3 : 1) * layer.MultiplyAdds;
        VectorWidths vectorWidths = WidthsFor(layer);
        long vectorStatements = VectorStatements(layer, SimdWidth);
        long allWidthsStatements = VectorStatements(layer, 4) + vectorStatements + ((vectorWidths & VectorWidths.Vector512) != 0 ? VectorStatements(layer, 16) : 0);
        LayerShape shape;
        VectorWidths widths = VectorWidths.None;
        if (layer.Inputs < MinSimdInputs && layer.MultiplyAdds <= MaxUnrolledLayerMultiplyAdds && budget.TrySpend(scalarStatements, scalarStatements))
        {
            shape = LayerShape.Unrolled;
        }
        else if (!portable && layer.Inputs >= SimdWidth && layer.Inputs / SimdWidth <= MaxSimdInputVectors && budget.TrySpend(vectorStatements, allWidthsStatements))
        {
            shape = LayerShape.UnrolledSimd;
            widths = vectorWidths;
        }
        else
        {
            shape = LayerShape.Loop;
        }

        return new LayerPlan(layer, number, weightOffset, biasOffset, shape, KeepOutputInLocals: false, widths);
    }

    /// <summary>
    /// Whether a recurrent layer's input product runs by columns, over the transpose of its weights: when it is too
    /// large to spell out and its inputs are no multiple of a vector (a few features a step, say 6 or 13), so that the
    /// row shapes would leave most of each row to scalar code while the outputs (the gates' rows) fill whole vectors.
    /// The transpose is one copy a call, shared by all the steps. Not in the portable code: there the kernels are scalar,
    /// and on Mono the rows, four at a time, took 1.0 us for a GRU(32)'s 96 x 6 input product against 1.5 us by columns.
    /// </summary>
    private static bool RunsByColumns(LayerSpec product)
        => product.MultiplyAdds > MaxUnrolledLayerMultiplyAdds
           && product.Inputs % SimdWidth != 0
           && (long)product.Inputs * product.Units <= MaxColumnFloats;

    /// <summary>
    /// Whether a recurrent layer's product, planned as unrolled SIMD with <c>Vector512</c> code, runs that code as
    /// <c>DenseKernels.MultiplyAddRowBlocks</c>: sixteen rows a pass, reduced together by one transposing tree of
    /// shuffles and adds, where groups of four rows with a horizontal sum each spent more instructions on the sums than on
    /// the multiply-adds (a GRU(32)'s 32-input rows are two 16-float vectors; JIT disassembly: 8 multiply-adds and 29
    /// reduction instructions per group of four). Its rows (gates · units) and inputs must be multiples of 16.
    /// </summary>
    /// <remarks>
    /// Only for weights that fit the L1 cache with room to spare (<see cref="MaxRowBlockWeightFloats"/>): from L2, sixteen
    /// rows read side by side were slower than four (an LSTM(64)'s 64 KB <c>W_hh</c>: 1.22 times the time of the four-row
    /// groups, paired, against 0.88 for a GRU(32)'s 12 KB).
    /// </remarks>
    private static bool RunsInRowBlocks(LayerPlan product)
        => product.Shape == LayerShape.UnrolledSimd
           && (product.Widths & VectorWidths.Vector512) != 0
           && product.Layer.Units % 16 == 0
           && product.Layer.Inputs % 16 == 0
           && product.WeightCount <= MaxRowBlockWeightFloats;

    /// <summary>The most weights (32 KB) a product may have to run its <c>Vector512</c> code in 16-row blocks.</summary>
    public const int MaxRowBlockWeightFloats = 8192;

    /// <summary>
    /// What one method may still spell out: <see cref="MaxUnrolledStatementsPerMethod"/> statements of the code one
    /// machine runs, and <see cref="MaxEmittedStatementsPerMethod"/> over all vector widths.
    /// </summary>
    private sealed class Budget
    {
        private long _run = MaxUnrolledStatementsPerMethod;
        private long _emitted = MaxEmittedStatementsPerMethod;

        public bool TrySpend(long run, long emitted)
        {
            if (run > _run || emitted > _emitted)
            {
                return false;
            }

            _run -= run;
            _emitted -= emitted;
            return true;
        }
    }

    /// <summary>Whether straight-line code applies <paramref name="activation"/> to its units in groups of four vector lanes.</summary>
    public static bool ActivatesInVectorGroups(Activation activation, int units)
        => activation is Activation.Sigmoid or Activation.Tanh && units >= MinVectorActivationUnits;

    /// <summary>
    /// The widths an unrolled vector layer gets: always <c>Vector256</c> and <c>Vector128</c>; <c>Vector512</c> when the
    /// input is a multiple of 16 floats and at least <see cref="MinVector512InputVectors"/> such vectors.
    /// </summary>
    public static VectorWidths WidthsFor(LayerSpec layer)
    {
        VectorWidths widths = VectorWidths.Vector128 | VectorWidths.Vector256;
        if (layer.Inputs % 16 == 0 && layer.Inputs / 16 >= MinVector512InputVectors)
        {
            widths |= VectorWidths.Vector512;
        }

        return widths;
    }

    /// <summary>The multiply-add statements of one pass of a vector layer at <paramref name="lanes"/> floats per vector.</summary>
    private static long VectorStatements(LayerSpec layer, int lanes)
        => VectorRowsEmitted(layer.Units) * ((long)(layer.Inputs / lanes) + (layer.Inputs % lanes));

    /// <summary>The rows a vector layer spells out: one pass of four (a loop repeats it), plus the rows left over.</summary>
    private static int VectorRowsEmitted(int units) => (units >= 4 ? 4 : 0) + (units % 4);
}

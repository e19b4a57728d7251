using System;
using System.Numerics;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Threading;
using NetGen.Data;

namespace NetGen.Training;

/// <summary>
/// The worker threads of a training run with <see cref="TrainingOptions.DegreeOfParallelism"/> <c>d</c> &gt; 1: worker
/// <c>k</c> (1 ≤ k &lt; d) owns a replica of the network and a dedicated thread that waits for a slice of the batch,
/// copies the network's weights into its replica, runs <c>BackwardBatch</c> on the slice into the replica's gradients
/// and signals back. The calling thread runs slice 0 on the network itself, then adds the replicas' gradients into the
/// network's in the order 1, 2, ..., so the result depends only on the batch and <c>d</c>.
/// </summary>
/// <remarks>
/// Allocation-free per batch: the threads and events are created by the constructor (the replicas by the trainer), a batch only writes a
/// few fields and releases <see cref="SemaphoreSlim"/>s (which spin briefly, then block on their lock object; unlike
/// <see cref="ManualResetEventSlim"/>, which creates its lock object the first time it blocks, they allocate nothing
/// after construction). <see cref="Dispose"/> stops
/// and joins the threads.
/// </remarks>
internal sealed class ParallelBackward<TNet> : IDisposable
    where TNet : INetwork
{
    private readonly TNet _network;
    private readonly Worker[] _workers; // worker k at index k - 1
    private bool _disposed;

    /// <summary>Starts one worker thread per replica: the degree is <c>replicas.Length + 1</c>.</summary>
    public ParallelBackward(TNet network, TNet[] replicas)
    {
        _network = network;
        _workers = new Worker[replicas.Length];
        try
        {
            for (int k = 0; k < _workers.Length; k++)
            {
                _workers[k] = new Worker(replicas[k], network, k + 1, _workers);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The number of slices a batch is cut into (the workers plus the calling thread).</summary>
    public int Degree => _workers.Length + 1;

    /// <summary>
    /// Adds the summed gradients of the <paramref name="count"/> samples stored from <paramref name="inputOffset"/> in
    /// <paramref name="inputs"/> (targets from <paramref name="targetOffset"/>) to the network's gradients and returns
    /// the sum of their losses, as one <c>BackwardBatch</c> would within float rounding. <paramref name="perInput"/> is
    /// the values per sample (a sequence network: steps × inputs). The network's gradients hold what they held before
    /// plus the batch's.
    /// </summary>
    /// <remarks>
    /// With an <paramref name="optimizer"/> that updates by ranges (no clipping) and at least one sample per thread, the
    /// step runs here too and <paramref name="stepped"/> is true: each thread sums the replicas' gradients into the
    /// network's for its range of parameters (in the order 1, 2, ..., as the serial sum), updates that range and zeroes
    /// its gradients, the same bits as <c>optimizer.Step(network, count)</c> after the serial sum. Otherwise the caller steps.
    /// </remarks>
    public double Backward(float[] inputs, int inputOffset, int perInput, float[] targets, int targetOffset, int count, Optimizer? optimizer, out bool stepped)
        => Run(inputs, inputOffset, perInput, targets, targetOffset, count, source: null, order: [], orderStart: 0, optimizer, out stepped);

    /// <summary>
    /// The same for the <paramref name="count"/> samples <c>order[orderStart..]</c> of <paramref name="source"/>, which
    /// every thread first gathers, for its own slice, into its part of <paramref name="batchInputs"/> and
    /// <paramref name="batchTargets"/> (the copy of a shuffled batch is then no longer serial work on the calling thread).
    /// </summary>
    public double Backward(Dataset source, int[] order, int orderStart, float[] batchInputs, float[] batchTargets, int count, Optimizer? optimizer, out bool stepped)
        => Run(batchInputs, 0, source.FeatureCount, batchTargets, 0, count, source, order, orderStart, optimizer, out stepped);

    private double Run(
        float[] inputs, int inputOffset, int perInput, float[] targets, int targetOffset, int count, Dataset? source, int[] order, int orderStart,
        Optimizer? optimizer, out bool stepped)
    {
        int degree = Degree;
        bool byRange = optimizer is { UpdatesByRange: true } && count >= degree;
        int perTarget = NetworkShape.Of(_network).OutputCount;
        for (int k = 1; k < degree; k++)
        {
            int start = SliceStart(k, count, degree);
            int end = SliceStart(k + 1, count, degree);
            Worker worker = _workers[k - 1];
            worker.Inputs = inputs;
            worker.InputOffset = inputOffset + (start * perInput);
            worker.InputLength = (end - start) * perInput;
            worker.Targets = targets;
            worker.TargetOffset = targetOffset + (start * perTarget);
            worker.TargetLength = (end - start) * perTarget;
            worker.Source = source;
            worker.Order = order;
            worker.OrderStart = orderStart + start;
            worker.Loss = 0;
            worker.RangeStep = byRange;
            if (end > start)
            {
                worker.Start.Release();
            }
        }

        double loss = 0;
        Exception? own = null;
        int firstEnd = SliceStart(1, count, degree);
        if (firstEnd > 0)
        {
            try
            {
                source?.Gather(order, orderStart, firstEnd, inputs.AsSpan(inputOffset, firstEnd * perInput), targets.AsSpan(targetOffset, firstEnd * perTarget));
                loss = _network.BackwardBatch(
                    inputs.AsSpan(inputOffset, firstEnd * perInput), targets.AsSpan(targetOffset, firstEnd * perTarget));
            }
            catch (Exception e)
            {
                own = e; // wait for the workers before throwing, so that none is left running on the buffers
            }
        }

        ExceptionDispatchInfo? failure = null;
        Span<float> gradients = _network.Gradients;
        for (int k = 1; k < degree; k++)
        {
            Worker worker = _workers[k - 1];
            if (worker.InputLength == 0)
            {
                continue;
            }

            worker.Done.Wait();
            if (worker.Error is { } error)
            {
                worker.Error = null;
                failure ??= error;
                continue;
            }

            if (!byRange)
            {
                AddInto(gradients, worker.Replica.Gradients);
            }

            loss += worker.Loss;
        }

        stepped = false;
        if (byRange)
        {
            // Every slice is done: the ranges may now read every replica's gradients. On a failure the workers are
            // released with no step to do (NaN scale), so that none is left waiting.
            float scale = own is null && failure is null ? optimizer!.BeginRangeStep(count) : float.NaN;
            foreach (Worker worker in _workers)
            {
                worker.Optimizer = optimizer;
                worker.Scale = scale;
                worker.Reduce.Release();
            }

            if (!float.IsNaN(scale))
            {
                ReduceAndUpdate(_network, _workers, optimizer!, scale, 0, degree);
                stepped = true;
            }

            foreach (Worker worker in _workers)
            {
                worker.Reduced.Wait();
            }
        }

        if (own is not null)
        {
            ExceptionDispatchInfo.Throw(own);
        }

        failure?.Throw();
        return loss;
    }

    /// <summary>
    /// Range <paramref name="k"/> of <paramref name="degree"/> of the parameters: the replicas' gradients added into the
    /// network's in the order 1, 2, ..., the optimizer's update, the gradients zeroed. Ranges start at multiples of 64
    /// floats, so every element takes the same (vector or scalar) path through the kernels as in the whole step.
    /// </summary>
    private static void ReduceAndUpdate(TNet network, Worker[] workers, Optimizer optimizer, float scale, int k, int degree)
    {
        int parameterCount = NetworkShape.Of(network).ParameterCount;
        int start = RangeStart(k, degree, parameterCount), end = RangeStart(k + 1, degree, parameterCount);
        if (end <= start)
        {
            return;
        }

        Span<float> gradients = network.Gradients.Slice(start, end - start);
        foreach (Worker worker in workers)
        {
            AddInto(gradients, worker.Replica.Gradients.Slice(start, end - start));
        }

        optimizer.UpdateRange(network.Parameters.Slice(start, end - start), gradients, scale, start);
        gradients.Clear();
    }

    /// <summary>The first parameter of range <paramref name="k"/> of <paramref name="degree"/> of <paramref name="parameterCount"/>: a multiple of 64, or the end.</summary>
    private static int RangeStart(int k, int degree, int parameterCount)
        => k >= degree ? parameterCount : (int)((long)k * parameterCount / degree) & ~63;

    /// <summary>Stops the worker threads and waits for them to end.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (Worker? worker in _workers)
        {
            worker?.Stop();
        }
    }

    /// <summary>The first sample of slice <paramref name="k"/> of <paramref name="degree"/> over <paramref name="count"/> samples.</summary>
    internal static int SliceStart(int k, int count, int degree) => (int)((long)k * count / degree);

    /// <summary><c>into[i] += values[i]</c>; elementwise, so the same bits whatever the vector width.</summary>
    private static void AddInto(Span<float> into, ReadOnlySpan<float> values)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            Span<Vector<float>> a = MemoryMarshal.Cast<float, Vector<float>>(into);
            ReadOnlySpan<Vector<float>> b = MemoryMarshal.Cast<float, Vector<float>>(values);
            for (int j = 0; j < a.Length; j++)
            {
                a[j] += b[j];
            }

            i = a.Length * Vector<float>.Count;
        }

        for (; i < into.Length; i++)
        {
            into[i] += values[i];
        }
    }

    /// <summary>One worker: its replica, its thread, and the slice it is given.</summary>
    private sealed class Worker
    {
        private readonly TNet _network;
        private readonly int _index;
        private readonly Worker[] _workers; // all of them: a range sums every replica's gradients
        private readonly Thread _thread;
        private volatile bool _stopping;

        public Worker(TNet replica, TNet network, int index, Worker[] workers)
        {
            _index = index;
            _workers = workers;
            Replica = replica;
            _network = network;
            _thread = new Thread(Run) { IsBackground = true, Name = $"NetGen trainer worker {index}" };
            _thread.Start();
        }

        public TNet Replica { get; }

        /// <summary>Released once per slice to run; the thread takes it.</summary>
        public SemaphoreSlim Start { get; } = new(0);

        /// <summary>Released by the thread when its slice is done; the trainer takes it.</summary>
        public SemaphoreSlim Done { get; } = new(0);

        /// <summary>With <see cref="RangeStep"/>: released when every slice is done, for the thread's range of the step.</summary>
        public SemaphoreSlim Reduce { get; } = new(0);

        /// <summary>With <see cref="RangeStep"/>: released by the thread when its range is done.</summary>
        public SemaphoreSlim Reduced { get; } = new(0);

        /// <summary>Whether this batch's step runs by ranges after the slices (<see cref="ReduceAndUpdate"/>).</summary>
        public bool RangeStep { get; set; }

        public Optimizer? Optimizer { get; set; }

        /// <summary>The step's gradient scale; NaN for no step (a slice failed).</summary>
        public float Scale { get; set; }

        public float[] Inputs { get; set; } = [];

        public int InputOffset { get; set; }

        public int InputLength { get; set; }

        public float[] Targets { get; set; } = [];

        public int TargetOffset { get; set; }

        public int TargetLength { get; set; }

        /// <summary>When set, the dataset whose samples <c>Order[OrderStart..]</c> the thread gathers into its slice first.</summary>
        public Dataset? Source { get; set; }

        public int[] Order { get; set; } = [];

        public int OrderStart { get; set; }

        public float Loss { get; set; }

        public ExceptionDispatchInfo? Error { get; set; }

        public void Stop()
        {
            _stopping = true;
            Start.Release();
            _thread.Join();
            Start.Dispose();
            Done.Dispose();
            Reduce.Dispose();
            Reduced.Dispose();
        }

        private void Run()
        {
            while (true)
            {
                Start.Wait();
                if (_stopping)
                {
                    return;
                }

                try
                {
                    // The network's weights do not change while a batch runs (the step comes after), so every worker
                    // copies them itself, in parallel.
                    Source?.Gather(Order, OrderStart, TargetLength / NetworkShape.Of(_network).OutputCount, Inputs.AsSpan(InputOffset, InputLength), Targets.AsSpan(TargetOffset, TargetLength));
                    _network.Parameters.CopyTo(Replica.Parameters);
                    Replica.ZeroGradients();
                    Loss = Replica.BackwardBatch(Inputs.AsSpan(InputOffset, InputLength), Targets.AsSpan(TargetOffset, TargetLength));
                }
                catch (Exception e)
                {
                    Error = ExceptionDispatchInfo.Capture(e);
                }

                Done.Release();
                if (RangeStep)
                {
                    Reduce.Wait();
                    if (!float.IsNaN(Scale))
                    {
                        ReduceAndUpdate(_network, _workers, Optimizer!, Scale, _index, _workers.Length + 1);
                    }

                    Reduced.Release();
                }
            }
        }
    }
}

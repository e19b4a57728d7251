namespace NetGen.Tests.Data;

/// <summary>
/// Measures the bytes an action allocates on this thread when run many times. As in <see cref="AllocationTests"/>,
/// up to three measurements are taken and the smallest is returned, since the runtime itself may allocate once
/// while it re-compiles a hot method in the middle of one; an action that allocated per call would allocate in every one.
/// </summary>
internal static class AllocationMeter
{
    public static long BytesAllocated(Action action, int calls = 2000)
    {
        for (int i = 0; i < 200; i++)
        {
            action();
        }

        long smallest = long.MaxValue;
        for (int attempt = 0; attempt < 3 && smallest != 0; attempt++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < calls; i++)
            {
                action();
            }

            smallest = Math.Min(smallest, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return smallest;
    }
}

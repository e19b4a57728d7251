using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using NetGen.Data;
using NetGen.Evaluation;
using NetGen.Initialization;
using NetGen.Onnx;
using NetGen.Serialization;
using NetGen.Training;

namespace NetGen.MonoCheck
{
    /// <summary>
    /// <c>record FILE</c> computes every value below and writes it to FILE (the net8.0 build: the modern code);
    /// <c>check FILE</c> computes them again (the netstandard2.1 build under Mono: the portable code) and compares: outputs
    /// and gradients within float rounding, initial weights, predictions and exported files exactly, accuracies of the
    /// trained networks within one sample. Both modes also require that no call allocates after warm-up. Exit code 0
    /// and a last line "Mono: OK ..." when everything holds.
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
            if (args.Length == 1 && args[0] == "time")
            {
                Timing.Run();
                return 0;
            }

            if (args.Length != 2 || (args[0] != "record" && args[0] != "check"))
            {
                Console.Error.WriteLine("usage: NetGen.MonoCheck record FILE | check FILE | time");
                return 2;
            }

            var results = new Results();
            long before = GC.GetAllocatedBytesForCurrentThread();
            byte[] probe = new byte[1024];
            long seen = GC.GetAllocatedBytesForCurrentThread() - before;
            results.Require(seen >= probe.Length, $"the allocation counter saw {seen} bytes for an array of {probe.Length}: it cannot show that the checks allocate nothing");
            Checks.Run(results);
            if (results.Failures.Count > 0)
            {
                results.Failures.ForEach(failure => Console.WriteLine("FAILED: " + failure));
                return 1;
            }

            string runtime = Type.GetType("Mono.Runtime") is null ? ".NET " + Environment.Version : "Mono";
            if (args[0] == "record")
            {
                results.Write(args[1]);
                Console.WriteLine($"Recorded {results.ValueCount} values on {runtime}; {results.AllocationSummary}");
                return 0;
            }

            Comparison comparison = results.CompareWith(Results.Read(args[1]));
            comparison.Failures.ForEach(failure => Console.WriteLine("FAILED: " + failure));
            foreach (string line in results.Notes)
            {
                Console.WriteLine(line);
            }

            if (comparison.Failures.Count > 0)
            {
                return 1;
            }

            // .ci/mono.sh also runs the check on .NET, for the portable code of a C# 11 build; only the Mono run says "Mono: OK".
            string label = runtime == "Mono" ? "Mono: OK" : "OK";
            Console.WriteLine($"{label} {comparison.Compared} values of this build on {runtime} match the modern code's on .NET 8 (largest difference {comparison.LargestDifference:G3} of the largest value); {results.AllocationSummary}");
            return 0;
        }
    }
}

using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace NetGen.Conformance;

/// <summary>
/// "Same seed, same weights, on every platform" (README): a hash of every network's weights from seeds 42 and 7,
/// against TestData/seeded-weights.txt (recorded on x64 with <c>--record-seeded-weights FILE</c>). The weights are
/// float arithmetic on NetGenRandom's SplitMix64 stream (sqrt, multiply, subtract), so they must be bit-identical on
/// every CPU; a mismatch on one platform only is a portability bug, on every platform a changed initialiser (record
/// the file again).
/// </summary>
internal static class SeededWeights
{
    private static readonly int[] Seeds = [42, 7];

    public static string FilePath => Path.Combine(AppContext.BaseDirectory, "TestData", "seeded-weights.txt");

    public static Dictionary<string, string> Compute(IEnumerable<Type> networks)
    {
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Type type in networks)
        {
            foreach (int seed in Seeds)
            {
                var net = (INetwork)Activator.CreateInstance(type, seed)!;
                hashes[Key(type, seed)] = Fnv1a(net.Parameters).ToString("x16", CultureInfo.InvariantCulture);
            }
        }

        return hashes;
    }

    public static void Record(IEnumerable<Type> networks, string path)
    {
        IEnumerable<string> lines = Compute(networks).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {p.Value}");
        File.WriteAllLines(path, ["# network seed fnv1a-64-of-the-parameter-bits (tests/NetGen.Conformance --record-seeded-weights)", .. lines]);
    }

    public static void Run(ConformanceRunner runner, IReadOnlyList<Type> networks)
    {
        Dictionary<string, string>? expected = null;
        runner.Check("seeded-weights.txt loads", () =>
        {
            expected = File.ReadLines(FilePath).Where(l => !l.StartsWith('#') && l.Length > 0)
                .Select(l => l.Split(' '))
                .ToDictionary(f => $"{f[0]} {f[1]}", f => f[2], StringComparer.Ordinal);
        });
        if (expected is null)
        {
            return;
        }

        // A network added to (or renamed in) the linked files since the file was recorded is listed, not failed: the
        // file is a record of x64's bits, not a list of the networks. Most of the runner's networks must be recorded.
        Dictionary<string, string> actual = Compute(networks);
        Type[] recorded = networks.Where(t => Seeds.All(seed => expected.ContainsKey(Key(t, seed)))).ToArray();
        string[] unrecorded = networks.Except(recorded).Select(t => t.Name).ToArray();
        string[] stale = expected.Keys.Where(k => !actual.ContainsKey(k)).ToArray();
        if (unrecorded.Length > 0 || stale.Length > 0)
        {
            Console.WriteLine($"  note: seeded-weights.txt has no record of {unrecorded.Length} network(s) ({string.Join(", ", unrecorded)}) and {stale.Length} record(s) of none ({string.Join(", ", stale)}); rewrite it with --record-seeded-weights on x64");
        }

        runner.Check("seeded-weights.txt records at least 3/4 of the runner's networks", () =>
            Assert.True(4 * recorded.Length >= 3 * networks.Count, $"only {recorded.Length} of {networks.Count} networks are recorded"));
        foreach (Type type in recorded)
        {
            runner.Check(type.Name, () =>
            {
                foreach (int seed in Seeds)
                {
                    Assert.Equal(expected[Key(type, seed)], actual[Key(type, seed)], $"seed {seed}: hash of the initial parameters");
                }
            });
        }
    }

    private static string Key(Type type, int seed) => $"{type.Name} {seed.ToString(CultureInfo.InvariantCulture)}";

    private static ulong Fnv1a(ReadOnlySpan<float> values)
    {
        ulong hash = 0xCBF29CE484222325UL;
        foreach (float value in values)
        {
            uint bits = BitConverter.SingleToUInt32Bits(value);
            for (int b = 0; b < 4; b++)
            {
                hash = (hash ^ ((bits >> (8 * b)) & 0xFF)) * 0x100000001B3UL;
            }
        }

        return hash;
    }
}

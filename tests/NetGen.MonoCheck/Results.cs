using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace NetGen.MonoCheck
{
    /// <summary>One run's values by name, how each is compared, its notes and its allocation measurements.</summary>
    internal sealed class Results
    {
        /// <summary>Calls of each measured member after warm-up.</summary>
        private const int MeasuredCalls = 200;

        private readonly List<Entry> _entries = new List<Entry>();
        private int _measured;

        public List<string> Failures { get; } = new List<string>();

        public List<string> Notes { get; } = new List<string>();

        public int ValueCount => _entries.Count;

        public string AllocationSummary => $"{_measured} members called {MeasuredCalls} times each after warm-up allocated 0 bytes";

        /// <summary>Floats that may differ by float rounding: by at most <paramref name="tolerance"/> of the largest magnitude among them.</summary>
        public void Close(string key, float[] values, float tolerance)
        {
            Require(values.All(v => !float.IsNaN(v) && !float.IsInfinity(v)), $"{key} is not finite");
            _entries.Add(new Entry(key, "close", tolerance, string.Join(" ", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))));
        }

        /// <summary>A value that must be the same text on both runtimes (bits, predictions, file bytes).</summary>
        public void Exact(string key, string value) => _entries.Add(new Entry(key, "exact", 0, value));

        /// <summary>Correct answers out of a total, which may differ by one sample (training follows float rounding).</summary>
        public void Count(string key, int correct, int total)
            => _entries.Add(new Entry(key, "count", 1, correct.ToString(CultureInfo.InvariantCulture) + " " + total.ToString(CultureInfo.InvariantCulture)));

        public void Note(string line) => Notes.Add(line);

        public void Require(bool condition, string failure)
        {
            if (!condition)
            {
                Failures.Add(failure);
            }
        }

        /// <summary>
        /// Calls <paramref name="call"/> a few times, then <see cref="MeasuredCalls"/> times, and requires that those did
        /// not allocate (<c>GC.GetAllocatedBytesForCurrentThread</c>, which Mono implements too; Program checks it sees an
        /// allocation).
        /// </summary>
        public void Allocations(string network, string member, Action call)
        {
            for (int i = 0; i < 3; i++)
            {
                call();
            }

            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < MeasuredCalls; i++)
            {
                call();
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Require(allocated == 0, $"{network}.{member} allocated {allocated} bytes in {MeasuredCalls} calls after warm-up");
            _measured++;
        }

        public void Write(string path)
            => File.WriteAllLines(path, _entries.Select(e => string.Join("\t", e.Key, e.Kind, e.Tolerance.ToString("R", CultureInfo.InvariantCulture), e.Value)));

        public static List<Entry> Read(string path)
            => File.ReadAllLines(path).Select(line => line.Split('\t')).Select(f => new Entry(f[0], f[1], float.Parse(f[2], CultureInfo.InvariantCulture), f[3])).ToList();

        /// <summary>This run's values against the recorded ones: every key present in both, each within its kind's tolerance.</summary>
        public Comparison CompareWith(List<Entry> recorded)
        {
            var comparison = new Comparison();
            Dictionary<string, Entry> mine = _entries.ToDictionary(e => e.Key);
            foreach (string missing in recorded.Select(e => e.Key).Except(mine.Keys).Concat(mine.Keys.Except(recorded.Select(e => e.Key))))
            {
                comparison.Failures.Add($"{missing}: computed by one run only");
            }

            foreach (Entry expected in recorded.Where(e => mine.ContainsKey(e.Key)))
            {
                Entry actual = mine[expected.Key];
                switch (expected.Kind)
                {
                    case "exact":
                        if (actual.Value != expected.Value)
                        {
                            comparison.Failures.Add($"{expected.Key}: '{Shorten(actual.Value)}' here, '{Shorten(expected.Value)}' on .NET 8");
                        }

                        comparison.Compared++;
                        break;
                    case "count":
                        int[] a = actual.Value.Split(' ').Select(int.Parse).ToArray(), e = expected.Value.Split(' ').Select(int.Parse).ToArray();
                        if (a[1] != e[1] || Math.Abs(a[0] - e[0]) > expected.Tolerance)
                        {
                            comparison.Failures.Add($"{expected.Key}: {a[0]} of {a[1]} here, {e[0]} of {e[1]} on .NET 8");
                        }

                        comparison.Compared++;
                        break;
                    default:
                        float[] x = Floats(actual.Value), y = Floats(expected.Value);
                        float scale = Math.Max(y.Max(v => Math.Abs(v)), 1e-30f);
                        for (int i = 0; i < Math.Max(x.Length, y.Length); i++)
                        {
                            float difference = x.Length != y.Length ? float.PositiveInfinity : Math.Abs(x[i] - y[i]) / scale;
                            comparison.LargestDifference = Math.Max(comparison.LargestDifference, difference);
                            if (difference > expected.Tolerance)
                            {
                                comparison.Failures.Add($"{expected.Key}[{i}]: {(i < x.Length ? x[i] : float.NaN):R} here, {(i < y.Length ? y[i] : float.NaN):R} on .NET 8 ({x.Length} and {y.Length} values)");
                                break;
                            }
                        }

                        comparison.Compared += y.Length;
                        break;
                }
            }

            return comparison;
        }

        private static float[] Floats(string text) => text.Split(' ').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray();

        private static string Shorten(string text) => text.Length <= 48 ? text : text.Substring(0, 48) + "...";

        internal sealed class Entry
        {
            public Entry(string key, string kind, float tolerance, string value)
            {
                Key = key;
                Kind = kind;
                Tolerance = tolerance;
                Value = value;
            }

            public string Key { get; }

            public string Kind { get; }

            public float Tolerance { get; }

            public string Value { get; }
        }
    }

    /// <summary>The outcome of <see cref="Results.CompareWith"/>.</summary>
    internal sealed class Comparison
    {
        public List<string> Failures { get; } = new List<string>();

        public int Compared { get; set; }

        public float LargestDifference { get; set; }
    }
}

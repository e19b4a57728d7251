using System.Collections.Generic;
using System.Linq;
using NetGen.Data;
using NetGen.Initialization;

namespace NetGen.Tests.Data;

public sealed class DataSplitTests
{
    /// <summary>50, 30 and 20 samples of classes 0, 1 and 2, interleaved; each sample's feature is its index.</summary>
    private static Dataset ThreeClasses()
    {
        int[] labels = Enumerable.Range(0, 100).Select(i => i % 10 < 5 ? 0 : i % 10 < 8 ? 1 : 2).ToArray();
        float[] features = Enumerable.Range(0, 100).Select(i => (float)i).ToArray();
        return Dataset.FromLabels(features, 1, labels, 3);
    }

    [Fact]
    public void Stratified_split_keeps_each_class_proportion()
    {
        (Dataset train, Dataset test) = DataSplit.Stratified(ThreeClasses(), 0.7, seed: 5);

        Assert.Equal([35, 21, 14], train.CountPerClass());
        Assert.Equal([15, 9, 6], test.CountPerClass());
        Assert.Equal(3, train.ClassCount);
        Assert.Equal(3, test.ClassCount);
    }

    [Fact]
    public void Stratified_split_uses_every_sample_exactly_once_with_its_own_label_and_target()
    {
        Dataset data = ThreeClasses();
        (Dataset train, Dataset test) = DataSplit.Stratified(data, 0.7, seed: 5);

        int[] ids = [.. train.FeatureValues.ToArray().Select(f => (int)f), .. test.FeatureValues.ToArray().Select(f => (int)f)];
        Assert.Equal(Enumerable.Range(0, 100), ids.Order());
        foreach (Dataset part in new[] { train, test })
        {
            for (int i = 0; i < part.Count; i++)
            {
                int id = (int)part.Features(i)[0];
                Assert.Equal(data.Label(id), part.Label(i));
                Assert.Equal(data.Target(id).ToArray(), part.Target(i).ToArray());
            }
        }

        // Class by class, class 0 first.
        Assert.Equal(train.Labels.ToArray().Order(), train.Labels.ToArray());
    }

    [Fact]
    public void Stratified_split_is_fixed_by_the_seed()
    {
        Dataset data = ThreeClasses();
        (Dataset train1, Dataset test1) = DataSplit.Stratified(data, 0.7, seed: 5);
        (Dataset train2, Dataset test2) = DataSplit.Stratified(data, 0.7, seed: 5);
        (Dataset train3, _) = DataSplit.Stratified(data, 0.7, seed: 6);

        Assert.Equal(train1.FeatureValues.ToArray(), train2.FeatureValues.ToArray());
        Assert.Equal(test1.FeatureValues.ToArray(), test2.FeatureValues.ToArray());
        Assert.NotEqual(train1.FeatureValues.ToArray(), train3.FeatureValues.ToArray());
    }

    [Fact]
    public void Stratified_split_with_a_generator_matches_the_seed_overload_and_advances_it()
    {
        Dataset data = ThreeClasses();
        var random = new NetGenRandom(5);
        (Dataset train, _) = DataSplit.Stratified(data, 0.7, ref random);
        Assert.Equal(DataSplit.Stratified(data, 0.7, seed: 5).Train.FeatureValues.ToArray(), train.FeatureValues.ToArray());
        Assert.NotEqual(new NetGenRandom(5).NextUInt64(), random.NextUInt64());
    }

    [Fact]
    public void Stratified_split_and_standardizer_reproduce_the_Iris_samples_hand_written_code_exactly()
    {
        // samples/Iris (IrisData.SplitStratified, FeatureStatistics, Standardize) did this by hand before the toolkit
        // existed; the reference below is a copy of it. Same generator use, same samples in the same order, same
        // float statistics: porting the sample to DataSplit and Standardizer keeps its published results.
        var source = new Random(11);
        int[] labels = Enumerable.Range(0, 150).Select(_ => source.Next(3)).ToArray();
        float[][] rows = labels.Select(label => Enumerable.Range(0, 4).Select(f => (float)((source.NextDouble() * 3) + label + f)).ToArray()).ToArray();

        var referenceRandom = new NetGenRandom(1);
        (List<int> referenceTrain, List<int> referenceTest) = ReferenceSplit(labels, 3, 0.7, ref referenceRandom);
        var random = new NetGenRandom(1);
        (Dataset train, Dataset test) = DataSplit.Stratified(Dataset.FromLabels(rows, labels, 3), 0.7, ref random);

        Assert.Equal(referenceTrain.SelectMany(i => rows[i]), train.FeatureValues.ToArray());
        Assert.Equal(referenceTrain.Select(i => labels[i]), train.Labels.ToArray());
        Assert.Equal(referenceTest.SelectMany(i => rows[i]), test.FeatureValues.ToArray());
        Assert.Equal(referenceRandom.NextUInt64(), random.NextUInt64());

        float[][] trainRows = referenceTrain.Select(i => rows[i]).ToArray();
        float[] mean = new float[4];
        float[] deviation = new float[4];
        for (int f = 0; f < 4; f++)
        {
            mean[f] = trainRows.Average(x => x[f]);
            deviation[f] = (float)Math.Sqrt(trainRows.Average(x => (x[f] - mean[f]) * (double)(x[f] - mean[f])));
        }

        var standardizer = Standardizer.Fit(train);
        Assert.Equal(mean, standardizer.Means.ToArray());
        Assert.Equal(deviation, standardizer.StandardDeviations.ToArray());
        standardizer.Apply(test);
        Assert.Equal(referenceTest.SelectMany(i => rows[i].Select((value, f) => (value - mean[f]) / deviation[f])), test.FeatureValues.ToArray());
    }

    private static (List<int> Train, List<int> Test) ReferenceSplit(int[] labels, int classCount, double trainFraction, ref NetGenRandom random)
    {
        var train = new List<int>();
        var test = new List<int>();
        for (int label = 0; label < classCount; label++)
        {
            int[] members = Enumerable.Range(0, labels.Length).Where(i => labels[i] == label).ToArray();
            random.Shuffle(members.AsSpan());
            int trainCount = (int)Math.Round(members.Length * trainFraction);
            train.AddRange(members[..trainCount]);
            test.AddRange(members[trainCount..]);
        }

        return (train, test);
    }

    [Fact]
    public void Fractions_zero_and_one_put_everything_on_one_side()
    {
        Dataset data = ThreeClasses();
        Assert.Equal(100, DataSplit.Stratified(data, 1, seed: 1).Train.Count);
        Assert.Equal(0, DataSplit.Stratified(data, 1, seed: 1).Test.Count);
        Assert.Equal(100, DataSplit.Stratified(data, 0, seed: 1).Test.Count);
        Assert.Equal(100, DataSplit.Random(data, 0, seed: 1).Test.Count);
    }

    [Fact]
    public void Random_split_takes_the_rounded_fraction_and_works_without_labels()
    {
        var data = new Dataset(Enumerable.Range(0, 10).Select(i => (float)i).ToArray(), 1, new float[10], 1);
        (Dataset train, Dataset test) = DataSplit.Random(data, 0.75, seed: 2);

        Assert.Equal(8, train.Count); // 7.5 rounds to even
        Assert.Equal(2, test.Count);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (float)i), train.FeatureValues.ToArray().Concat(test.FeatureValues.ToArray()).Order());
        Assert.Equal(train.FeatureValues.ToArray(), DataSplit.Random(data, 0.75, seed: 2).Train.FeatureValues.ToArray());
        Assert.Equal(Permutation.Random(10, 2).Take(8).Select(i => (float)i), train.FeatureValues.ToArray());
    }

    [Fact]
    public void Bad_arguments_are_rejected()
    {
        Dataset data = ThreeClasses();
        Assert.Throws<ArgumentOutOfRangeException>(() => DataSplit.Stratified(data, 1.5, seed: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => DataSplit.Stratified(data, -0.1, seed: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => DataSplit.Random(data, double.NaN, seed: 1));
        Assert.Throws<ArgumentNullException>(() => DataSplit.Stratified(null!, 0.5, seed: 1));
        var unlabelled = new Dataset([1f, 2], 1, [1f, 2], 1);
        var exception = Assert.Throws<ArgumentException>(() => DataSplit.Stratified(unlabelled, 0.5, seed: 1));
        Assert.Contains("needs class labels", exception.Message, StringComparison.Ordinal);
    }
}

#!/usr/bin/python3
"""Trains an Iris classifier in PyTorch and exports it to ONNX for samples/PyTorchImport.

Run from anywhere with a Python that has PyTorch (Debian's python3-torch, PyTorch 1.13; the `onnx` package is not
needed):

    /usr/bin/python3 tools/pytorch/train_iris.py                 # -> samples/PyTorchImport/models/
    /usr/bin/python3 tools/pytorch/train_iris.py /tmp/iris-check # somewhere else (to compare with the committed files)

It reads samples/Iris/Data/iris.csv (150 flowers: a header line, then "sepal length,sepal width,petal length,
petal width,class"), standardises the 4 measurements with their mean and population standard deviation over the 150
flowers (computed exactly as NetGen's Standardizer.Fit does: float32 means, float32 differences, double sums), trains
nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 3)) with nn.CrossEntropyLoss on the logits (full batch,
Adam, a fixed number of epochs, all 150 flowers), appends nn.Softmax(dim=1) and writes to the output directory:

    iris.onnx          torch.onnx.export, opset 13, dynamic batch axis (input 'input', output 'output'),
                       do_constant_folding=True: what [OnnxNetwork("models/iris.onnx")] compiles into C#
    standardizer.json  {"features", "means", "standard_deviations"}: float32 values (9 significant digits, so
                       float.Parse gives back the same float); inputs are (x - mean) / standard deviation in float32
    iris-pytorch.csv   a header "flower,setosa,versicolor,virginica,predicted", then one line per flower of iris.csv,
                       in its order: PyTorch's float32 output probabilities (9 significant digits) and the class
                       PyTorch predicts (argmax)

Everything is seeded, single-threaded and deterministic: a rerun with the same PyTorch writes the same bytes (check
with `git status`). See samples/PyTorchImport/README.md and docs/pytorch.md.
"""

import json
import os
import struct
import sys

import torch
from torch import nn

SEED = 20261127
EPOCHS = 300
LEARNING_RATE = 0.01
FEATURES = ["sepal length", "sepal width", "petal length", "petal width"]
CLASSES = ["setosa", "versicolor", "virginica"]

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
DATA = os.path.join(ROOT, "samples", "Iris", "Data", "iris.csv")
DEFAULT_OUTPUT = os.path.join(ROOT, "samples", "PyTorchImport", "models")


def f32(value):
    """value rounded to the nearest float32 (as a Python float)."""
    return struct.unpack("<f", struct.pack("<f", value))[0]


def g9(value):
    """float32 value as text with 9 significant digits: enough for float.Parse to give back the same float32."""
    return "%.9g" % value


def read_iris(path):
    """(rows of 4 float32 measurements as Python floats, class labels) from iris.csv."""
    with open(path) as f:
        lines = f.read().splitlines()
    header = lines[0].split(",")
    count = int(header[0])
    if header[1:] != ["4"] + CLASSES or len(lines) != count + 1:
        raise ValueError("%s: expected a header '%d,4,%s' and %d rows" % (path, count, ",".join(CLASSES), count))
    rows, labels = [], []
    for line in lines[1:]:
        fields = line.split(",")
        rows.append([f32(float(v)) for v in fields[:4]])
        labels.append(int(fields[4]))
    return rows, labels


def fit_standardizer(rows):
    """Mean and population standard deviation of each column, as NetGen's Standardizer.Fit computes them: the sum in
    double, the mean rounded to float32, the differences from it in float32, their squares summed in double, the
    square root rounded to float32 (the Iris features are not constant, so Fit's special case for those is not needed).
    """
    count = len(rows)
    means, deviations = [], []
    for f in range(len(rows[0])):
        total = 0.0
        for row in rows:
            total += row[f]
        mean = f32(total / count)
        squares = 0.0
        for row in rows:
            difference = f32(row[f] - mean)
            squares += difference * difference
        means.append(mean)
        deviations.append(f32((squares / count) ** 0.5))
    return means, deviations


def main():
    output = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else DEFAULT_OUTPUT)
    torch.manual_seed(SEED)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    print("PyTorch", torch.__version__)

    rows, labels = read_iris(DATA)
    means, deviations = fit_standardizer(rows)
    # float32 throughout, as in C#: (x - mean) / deviation, each operation rounded to float32.
    x = (torch.tensor(rows, dtype=torch.float32) - torch.tensor(means, dtype=torch.float32)) \
        / torch.tensor(deviations, dtype=torch.float32)
    y = torch.tensor(labels, dtype=torch.long)

    logits = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 3))
    optimizer = torch.optim.Adam(logits.parameters(), lr=LEARNING_RATE)
    loss_function = nn.CrossEntropyLoss()  # takes logits: the Softmax is appended for export only
    logits.train()
    for epoch in range(1, EPOCHS + 1):
        optimizer.zero_grad()
        loss = loss_function(logits(x), y)
        loss.backward()
        optimizer.step()
        if epoch % 100 == 0:
            print("epoch %d: loss %.4f" % (epoch, loss.item()))

    model = nn.Sequential(*logits, nn.Softmax(dim=1))  # the same Linear modules, then probabilities
    model.eval()
    with torch.no_grad():
        probabilities = model(x)
    predicted = probabilities.argmax(dim=1)
    correct = int((predicted == y).sum())
    print("accuracy on the 150 flowers (all of them training data): %d of %d" % (correct, len(labels)))

    os.makedirs(output, exist_ok=True)
    onnx_path = os.path.join(output, "iris.onnx")
    torch.onnx.export(model, x[:1], onnx_path, opset_version=13, do_constant_folding=True,
                      input_names=["input"], output_names=["output"],
                      dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}})

    standardizer = {
        "features": FEATURES,
        "means": [float(g9(v)) for v in means],
        "standard_deviations": [float(g9(v)) for v in deviations],
    }
    with open(os.path.join(output, "standardizer.json"), "w", newline="\n") as f:
        json.dump(standardizer, f, indent=2)
        f.write("\n")

    with open(os.path.join(output, "iris-pytorch.csv"), "w", newline="\n") as f:
        f.write("flower,%s,predicted\n" % ",".join(CLASSES))
        for i, row in enumerate(probabilities.tolist()):
            f.write("%d,%s,%d\n" % (i, ",".join(g9(v) for v in row), int(predicted[i])))

    parameters = sum(p.numel() for p in model.parameters())
    print("wrote %s (%d bytes, %d parameters), standardizer.json and iris-pytorch.csv next to it"
          % (onnx_path, os.path.getsize(onnx_path), parameters))


if __name__ == "__main__":
    main()

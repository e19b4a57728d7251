using System;
using System.Collections.Generic;
using NetGen.Generator.Model;
using NetGen.Shared;

namespace NetGen.Generator.Onnx;

/// <summary>
/// Reads an ONNX model (protobuf, no package dependency) and maps its graph (<see cref="OnnxImport"/>): a chain of
/// Gemm / MatMul+Add, activations, Flatten, Identity, Dropout and BatchNormalization (folded into the preceding dense
/// layer) to dense layers, after GRU, LSTM and RNN operators as PyTorch exports them (recurrent layers), with the
/// constant parts of the graph folded.
/// </summary>
internal static class OnnxModelReader
{
    /// <summary>Never throws: every problem, including a truncated or corrupt file, is a failed result.</summary>
    public static ImportedNetwork Read(byte[] data)
    {
        try
        {
            if (data == null || data.Length == 0)
            {
                return ImportedNetwork.Corrupt("the file is empty");
            }

            OnnxGraph graph = OnnxGraph.ReadModel(data);
            return OnnxImport.Map(graph);
        }
        catch (OnnxFormatException e)
        {
            return ImportedNetwork.Corrupt($"the file is truncated or not a valid ONNX model: {e.Message}");
        }
        catch (Exception e)
        {
            return ImportedNetwork.Corrupt($"the file could not be read as an ONNX model ({e.GetType().Name}: {e.Message})");
        }
    }
}

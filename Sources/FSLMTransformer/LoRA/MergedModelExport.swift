public import Foundation

/// Writes a Hugging Face model folder with a LoRA adapter merged into the base weights
/// (`W + scale · B A` for every weight the adapter changes), for servers that cannot apply
/// adapters. Tensors keep the base's dtype; the merge itself is computed in f32. config.json,
/// the tokenizer and generation config files are copied as they are.
public enum MergedModelExport {
    /// What an export did.
    public struct Summary: Sendable, Hashable {
        /// Tensors written, and how many of them the adapter changed.
        public var tensors: Int
        public var merged: Int
        /// Tensors of types fslm does not read (buffers such as masks), left out.
        public var leftOut: [String]
    }

    /// Files copied from the model folder when present.
    static let copiedFiles = [
        ModelFolder.configFile, ModelFolder.generationConfigFile, ModelFolder.tokenizerFile, "tokenizer_config.json",
        "special_tokens_map.json",
    ]

    /// Merges the adapter folder `adapter` into the model folder `model`, writing `output`
    /// (created; it must not exist or be empty). Throws the loaders' errors for a bad model
    /// or adapter, naming the file.
    public static func export(model: URL, adapter: URL, to output: URL) throws -> Summary {
        let folder = try ModelFolder(url: model)
        let lora = try LoRAAdapter(directory: adapter) { try SafetensorsFile(url: $0) }
        var shapes: [String: [Int]] = [:]
        for name in folder.weights.tensorNames {
            if let t = folder.weights.tensor(name), t.shape.count == 2 { shapes[name] = t.shape }
        }
        try lora.check(againstLinearShapes: shapes)

        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        let entries: [SafetensorsWriter.Entry] = folder.weights.tensorNames.compactMap { name in
            guard let tensor = folder.weights.tensor(name) else { return nil }
            guard let delta = lora.delta(for: name) else {
                return .init(name: name, dtype: tensor.dtype, shape: tensor.shape) {
                    Data(bytes: tensor.bytes, count: tensor.count * tensor.dtype.byteSize)
                }
            }
            return .init(name: name, dtype: tensor.dtype, shape: tensor.shape) {
                SafetensorsWriter.bytes(merge(tensor, delta), as: tensor.dtype)
            }
        }
        try SafetensorsWriter.write(entries, to: output.appendingPathComponent(ModelFolder.weightsFile))
        for file in copiedFiles {
            let source = model.appendingPathComponent(file)
            guard FileManager.default.fileExists(atPath: source.path) else { continue }
            try FileManager.default.copyItem(at: source, to: output.appendingPathComponent(file))
        }
        let leftOut = (folder.weights as? SafetensorsFile)?.unsupportedTensors.keys.sorted()
            ?? (folder.weights as? ShardedWeights)?.unsupportedTensors.keys.sorted() ?? []
        return Summary(tensors: entries.count, merged: lora.deltas.count, leftOut: leftOut)
    }

    /// `W + scale · B A` as f32, row-major `[out, in]`.
    static func merge(_ weight: Tensor, _ delta: LoRAAdapter.Delta) -> [Float] {
        var merged = weight.floats()
        let a = delta.a.floats(), b = delta.b.floats()
        let rank = delta.rank, inputs = delta.inFeatures
        merged.withUnsafeMutableBufferPointer { w in
            for o in 0..<delta.outFeatures {
                let row = w.baseAddress! + o * inputs
                for r in 0..<rank {
                    let c = delta.scale * b[o * rank + r]
                    a.withUnsafeBufferPointer { a in
                        let aRow = a.baseAddress! + r * inputs
                        for i in 0..<inputs { row[i] += c * aRow[i] }
                    }
                }
            }
        }
        return merged
    }
}

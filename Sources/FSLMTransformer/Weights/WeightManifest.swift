import Foundation

/// The tensors a model of a given `ModelConfig` reads, with Hugging Face names and shapes
/// (`[out, in]` for linear weights, as PyTorch stores them). Checked against a `WeightStore`
/// before any compute, so a checkpoint that does not fit its config fails with every problem
/// listed instead of part-way through a forward pass. Tensors the store has beyond these
/// (rotary `inv_freq` buffers, attention masks) are ignored.
public struct WeightManifest: Sendable, Hashable {
    /// Whether a tensor must be in the store.
    public enum Requirement: Sendable, Hashable {
        case required
        /// May be absent; its shape is checked when present.
        case optional
        /// Shares the weights of the named tensor (tied embeddings): checkpoints usually leave
        /// it out; when present its shape is checked.
        case tied(to: String)
    }

    /// One expected tensor.
    public struct Entry: Sendable, Hashable {
        public var name: String
        public var shape: [Int]
        public var requirement: Requirement

        public init(name: String, shape: [Int], requirement: Requirement = .required) {
            self.name = name
            self.shape = shape
            self.requirement = requirement
        }
    }

    /// In load order: embeddings, each layer, final norm, output projection.
    public var entries: [Entry]

    public init(entries: [Entry]) { self.entries = entries }

    /// The tensors of `config`'s architecture and sizes.
    public init(config: ModelConfig) {
        switch config.architecture {
        case .gptNeoX: entries = Self.gptNeoX(config)
        case .llama, .qwen2: entries = Self.llama(config)
        }
    }

    /// The entry named `name`, if expected.
    public func entry(_ name: String) -> Entry? { entries.first { $0.name == name } }

    /// Every mismatch between the manifest and `store`: missing tensors, wrong shapes, and
    /// expected tensors stored in a dtype fslm does not read. Empty when the store fits.
    public func problems(in store: any WeightStore) -> [WeightProblem] {
        let unsupported = Self.unsupportedTensors(of: store)
        return entries.compactMap { entry in
            let source = Self.source(of: entry.name, in: store)
            guard let tensor = store.tensor(entry.name) else {
                if let dtype = unsupported[entry.name] {
                    return WeightProblem(.unsupportedDType(dtype), tensor: entry.name, expectedShape: entry.shape, source: source)
                }
                guard entry.requirement == .required else { return nil }
                return WeightProblem(.missing, tensor: entry.name, expectedShape: entry.shape, source: source)
            }
            guard tensor.shape == entry.shape else {
                return WeightProblem(.wrongShape(tensor.shape), tensor: entry.name, expectedShape: entry.shape, source: source)
            }
            return nil
        }
    }

    /// Throws `WeightManifestError` listing every problem when `store` does not fit.
    public func verify(_ store: any WeightStore) throws {
        let problems = problems(in: store)
        guard problems.isEmpty else { throw WeightManifestError(problems: problems) }
    }

    private static func gptNeoX(_ c: ModelConfig) -> [Entry] {
        let h = c.hiddenSize, i = c.intermediateSize
        var entries = [Entry(name: "gpt_neox.embed_in.weight", shape: [c.vocabularySize, h])]
        for layer in 0..<c.layerCount {
            let p = "gpt_neox.layers.\(layer)."
            entries += layerNorm(p + "input_layernorm", h) + layerNorm(p + "post_attention_layernorm", h)
            entries += linear(p + "attention.query_key_value", out: 3 * h, in: h, bias: c.attentionBias)
            entries += linear(p + "attention.dense", out: h, in: h, bias: c.attentionOutputBias)
            entries += linear(p + "mlp.dense_h_to_4h", out: i, in: h, bias: c.mlpBias)
            entries += linear(p + "mlp.dense_4h_to_h", out: h, in: i, bias: c.mlpBias)
        }
        entries += layerNorm("gpt_neox.final_layer_norm", h)
        entries.append(output("embed_out.weight", c, tiedTo: "gpt_neox.embed_in.weight"))
        return entries
    }

    /// Llama and Qwen2 (which differ in biases only).
    private static func llama(_ c: ModelConfig) -> [Entry] {
        let h = c.hiddenSize, i = c.intermediateSize
        let q = c.headCount * c.headDimension, kv = c.keyValueHeadCount * c.headDimension
        var entries = [Entry(name: "model.embed_tokens.weight", shape: [c.vocabularySize, h])]
        for layer in 0..<c.layerCount {
            let p = "model.layers.\(layer)."
            entries.append(Entry(name: p + "input_layernorm.weight", shape: [h]))
            entries += linear(p + "self_attn.q_proj", out: q, in: h, bias: c.attentionBias)
            entries += linear(p + "self_attn.k_proj", out: kv, in: h, bias: c.attentionBias)
            entries += linear(p + "self_attn.v_proj", out: kv, in: h, bias: c.attentionBias)
            entries += linear(p + "self_attn.o_proj", out: h, in: q, bias: c.attentionOutputBias)
            entries.append(Entry(name: p + "post_attention_layernorm.weight", shape: [h]))
            entries += linear(p + "mlp.gate_proj", out: i, in: h, bias: c.mlpBias)
            entries += linear(p + "mlp.up_proj", out: i, in: h, bias: c.mlpBias)
            entries += linear(p + "mlp.down_proj", out: h, in: i, bias: c.mlpBias)
        }
        entries.append(Entry(name: "model.norm.weight", shape: [h]))
        entries.append(output("lm_head.weight", c, tiedTo: "model.embed_tokens.weight"))
        return entries
    }

    private static func linear(_ name: String, out: Int, in input: Int, bias: Bool) -> [Entry] {
        [Entry(name: name + ".weight", shape: [out, input])] + (bias ? [Entry(name: name + ".bias", shape: [out])] : [])
    }

    private static func layerNorm(_ name: String, _ size: Int) -> [Entry] {
        [Entry(name: name + ".weight", shape: [size]), Entry(name: name + ".bias", shape: [size])]
    }

    private static func output(_ name: String, _ c: ModelConfig, tiedTo embedding: String) -> Entry {
        Entry(name: name, shape: [c.vocabularySize, c.hiddenSize], requirement: c.tiedEmbeddings ? .tied(to: embedding) : .required)
    }

    /// The file a tensor is (or would be) read from, for messages.
    static func source(of name: String, in store: any WeightStore) -> String {
        switch store {
        case let file as SafetensorsFile: file.fileName
        case let sharded as ShardedWeights: sharded.shardName(of: name) ?? sharded.indexURL.lastPathComponent
        default: "weights"
        }
    }

    private static func unsupportedTensors(of store: any WeightStore) -> [String: String] {
        switch store {
        case let file as SafetensorsFile: file.unsupportedTensors
        case let sharded as ShardedWeights: sharded.unsupportedTensors
        default: [:]
        }
    }
}

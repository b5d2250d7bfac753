public import Foundation

/// A PEFT LoRA adapter: low-rank deltas keyed by the base weight they modify, applied inside
/// the linear op as `y += scale · B(A x)` and never merged into the base, so one loaded base
/// model serves requests with different adapters, or none.
///
/// Tensors are read from `adapter_model.safetensors` keys such as
/// `base_model.model.gpt_neox.layers.0.attention.query_key_value.lora_A.weight` (`[r, in]`)
/// and `...lora_B.weight` (`[out, r]`), and keyed by the base weight name
/// `gpt_neox.layers.0.attention.query_key_value.weight`.
public struct LoRAAdapter: Sendable {
    /// One low-rank delta: `ΔW = scale · B A`, with `A` `[rank, in]` and `B` `[out, rank]`.
    public struct Delta: Sendable {
        public let a: Tensor
        public let b: Tensor
        public let scale: Float

        public var rank: Int { a.shape[0] }
        public var inFeatures: Int { a.shape[1] }
        public var outFeatures: Int { b.shape[0] }

        /// `y += scale · (x Aᵀ) Bᵀ` for `rows` rows: `x` `[rows, in]`, `y` `[rows, out]`, in
        /// PEFT's order (`lora_B(lora_A(x)) * scaling`, added to the base output).
        public func apply(_ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>) {
            let down = FloatBuffer(count: rows * rank), up = FloatBuffer(count: rows * outFeatures)
            Kernels.linear(x, rows: rows, weight: a, bias: nil, into: down.pointer)
            Kernels.linear(down.pointer, rows: rows, weight: b, bias: nil, into: up.pointer)
            Kernels.axpy(scale, up.pointer, y, count: rows * outFeatures)
        }
    }

    /// A name for messages (by default the adapter's folder name).
    public let name: String
    public let config: LoRAConfig
    /// The deltas, keyed by base weight name (`model.layers.0.self_attn.q_proj.weight`).
    public let deltas: [String: Delta]

    /// `scaling` in PEFT: `alpha / r`, or `alpha / √r` with rsLoRA. The one place it is computed.
    public static func scale(alpha: Double, rank: Int, rsLoRA: Bool) -> Float {
        Float(rsLoRA ? alpha / Double(rank).squareRoot() : alpha / Double(rank))
    }

    /// The delta for base weight `baseWeight`, if the adapter has one.
    public func delta(for baseWeight: String) -> Delta? { deltas[baseWeight] }

    /// An adapter from a checked config and the tensors of `adapter_model.safetensors`.
    public init(name: String, config: LoRAConfig, weights: any WeightStore) throws {
        self.name = name
        self.config = config
        var aTensors: [String: Tensor] = [:], bTensors: [String: Tensor] = [:]
        for key in weights.tensorNames {
            guard let tensor = weights.tensor(key) else { continue }
            let module = key.hasPrefix(Self.keyPrefix) ? String(key.dropFirst(Self.keyPrefix.count)) : key
            if module.hasSuffix(".lora_A.weight") {
                aTensors[String(module.dropLast(".lora_A.weight".count))] = tensor
            } else if module.hasSuffix(".lora_B.weight") {
                bTensors[String(module.dropLast(".lora_B.weight".count))] = tensor
            } else {
                throw LoRAError.unsupportedTensor(adapter: name, key: key, reason: Self.reason(forUnexpected: key))
            }
        }
        guard !aTensors.isEmpty || !bTensors.isEmpty else { throw LoRAError.empty(adapter: name) }
        var deltas: [String: Delta] = [:]
        let scale = config.scale
        for module in Set(aTensors.keys).union(bTensors.keys).sorted() {
            guard let a = aTensors[module], let b = bTensors[module] else {
                throw LoRAError.unpaired(adapter: name, module: module, missing: aTensors[module] == nil ? "lora_A" : "lora_B")
            }
            guard a.shape.count == 2, b.shape.count == 2, a.shape[0] == config.rank, b.shape[1] == config.rank else {
                throw LoRAError.rankMismatch(adapter: name, module: module, rank: config.rank, a: a.shape, b: b.shape)
            }
            deltas[module + ".weight"] = Delta(a: a, b: b, scale: scale)
        }
        self.deltas = deltas
    }

    /// Reads a PEFT adapter folder: `adapter_config.json` and `adapter_model.safetensors`,
    /// the latter opened by `openWeights` (the safetensors reader).
    public init(directory: URL, name: String? = nil, openWeights: (URL) throws -> any WeightStore) throws {
        let config = try LoRAConfig(directory: directory)
        let file = directory.appendingPathComponent("adapter_model.safetensors")
        guard FileManager.default.fileExists(atPath: file.path) else { throw LoRAError.missingFile(file.path) }
        try self.init(name: name ?? directory.lastPathComponent, config: config, weights: openWeights(file))
    }

    /// Checks every delta against the base model's linear weights (`[out, in]` by name):
    /// each must name one of them and match its shape.
    public func check(againstLinearShapes shapes: [String: [Int]]) throws {
        for (weight, delta) in deltas.sorted(by: { $0.key < $1.key }) {
            guard let shape = shapes[weight] else {
                throw LoRAError.unknownModule(adapter: name, weight: weight, known: shapes.keys.sorted())
            }
            guard delta.inFeatures == shape[1], delta.outFeatures == shape[0] else {
                throw LoRAError.shapeMismatch(adapter: name, weight: weight, base: shape, a: delta.a.shape, b: delta.b.shape)
            }
        }
    }

    /// PEFT's prefix on saved keys of a `PeftModelForCausalLM`.
    static let keyPrefix = "base_model.model."

    static func reason(forUnexpected key: String) -> String {
        if key.contains("lora_magnitude_vector") { return "DoRA magnitude vectors are not supported" }
        if key.contains("modules_to_save") { return "modules_to_save is not supported" }
        if key.contains("lora_embedding") { return "LoRA on embeddings is not supported" }
        if key.hasSuffix(".bias") { return "LoRA biases are not supported" }
        return "expected '<module>.lora_A.weight' or '<module>.lora_B.weight'"
    }
}

/// Why an adapter could not be read or used.
public enum LoRAError: Error, Sendable, Hashable, CustomStringConvertible {
    case missingFile(String)
    case invalidConfig(file: String, reason: String)
    case unsupported(file: String, key: String, reason: String)
    case unsupportedTensor(adapter: String, key: String, reason: String)
    case empty(adapter: String)
    case unpaired(adapter: String, module: String, missing: String)
    case rankMismatch(adapter: String, module: String, rank: Int, a: [Int], b: [Int])
    case unknownModule(adapter: String, weight: String, known: [String])
    case shapeMismatch(adapter: String, weight: String, base: [Int], a: [Int], b: [Int])

    public var description: String {
        switch self {
        case let .missingFile(path):
            "LoRA adapter: missing file \(path)"
        case let .invalidConfig(file, reason):
            "\(file): \(reason)"
        case let .unsupported(file, key, reason):
            "\(file): '\(key)': \(reason)"
        case let .unsupportedTensor(adapter, key, reason):
            "LoRA adapter '\(adapter)': unexpected tensor '\(key)': \(reason)"
        case let .empty(adapter):
            "LoRA adapter '\(adapter)': adapter_model.safetensors holds no lora_A/lora_B tensors"
        case let .unpaired(adapter, module, missing):
            "LoRA adapter '\(adapter)': module '\(module)' has no \(missing).weight"
        case let .rankMismatch(adapter, module, rank, a, b):
            "LoRA adapter '\(adapter)': module '\(module)': expected rank \(rank) (lora_A [\(rank), in], lora_B [out, \(rank)]), found lora_A \(a), lora_B \(b)"
        case let .unknownModule(adapter, weight, known):
            "LoRA adapter '\(adapter)' modifies '\(weight)', which is not a linear weight of this model (it has \(known.count), e.g. '\(known.first ?? "")'); is the adapter for another architecture?"
        case let .shapeMismatch(adapter, weight, base, a, b):
            "LoRA adapter '\(adapter)': '\(weight)' is \(base) in the model, but lora_A is \(a) and lora_B is \(b) (expected [r, \(base.count == 2 ? base[1] : 0)] and [\(base.first ?? 0), r]); is the adapter for another model size?"
        }
    }
}

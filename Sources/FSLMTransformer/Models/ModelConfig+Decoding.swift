public import Foundation

extension ModelConfig {
    /// Reads and checks the `config.json` at `url`.
    public init(contentsOf url: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ModelConfigError(file: url.lastPathComponent, "cannot read \(url.path): \(error.localizedDescription)")
        }
        try self.init(configJSON: data, fileName: url.lastPathComponent)
    }

    /// Decodes a Hugging Face `config.json` for `GPTNeoXForCausalLM`, `LlamaForCausalLM` or
    /// `Qwen2ForCausalLM`, as transformers 4 or 5 writes it (see `RopeSettings` for the two RoPE
    /// dialects). Absent options take transformers' defaults for the architecture; the sizes
    /// (`vocab_size`, `hidden_size`, `intermediate_size`, `num_hidden_layers`,
    /// `num_attention_heads`) are required. Errors (`ModelConfigError`) name `fileName` and the key.
    public init(configJSON data: Data, fileName: String = "config.json") throws {
        let json: JSONValue
        do {
            json = try JSONValue.parse(data)
        } catch {
            throw ModelConfigError(file: fileName, "not valid JSON (\(error))")
        }
        guard let object = json.dictionary else { throw ModelConfigError(file: fileName, "the file is \(json.brief), not a JSON object") }
        let config = ConfigReader(file: fileName, object: object)
        let architecture = try Self.architecture(config)
        let defaults = Defaults(architecture)

        let vocabularySize = try config.requiredPositiveInt("vocab_size")
        let hiddenSize = try config.requiredPositiveInt("hidden_size")
        let intermediateSize = try config.requiredPositiveInt("intermediate_size")
        let layerCount = try config.requiredPositiveInt("num_hidden_layers")
        let headCount = try config.requiredPositiveInt("num_attention_heads")
        guard hiddenSize % headCount == 0 else {
            throw config.error("hidden_size", "'hidden_size' (\(hiddenSize)) is not divisible by 'num_attention_heads' (\(headCount))")
        }

        var keyValueHeadCount = headCount
        var headDimension = hiddenSize / headCount
        if architecture != .gptNeoX {
            // Absent: the architecture's default (Qwen2's is 32); null: one per attention head.
            if object["num_key_value_heads"]?.isNull == true {
                keyValueHeadCount = headCount
            } else {
                keyValueHeadCount = try config.positiveInt("num_key_value_heads", default: defaults.keyValueHeads ?? headCount)
            }
            guard headCount % keyValueHeadCount == 0 else {
                throw config.error("num_key_value_heads", "'num_key_value_heads' (\(keyValueHeadCount)) does not divide 'num_attention_heads' (\(headCount))")
            }
            headDimension = try config.positiveInt("head_dim", default: headDimension)
        }

        let rope = try RopeSettings(config, thetaKeys: defaults.thetaKeys, partialKeys: defaults.partialKeys, defaultPartialFactor: defaults.partialFactor)
        // Python's int(): truncation, as transformers computes it.
        let rotaryDimension = architecture == .gptNeoX ? Int(Double(headDimension) * rope.partialFactor) : headDimension
        guard rotaryDimension > 0, rotaryDimension % 2 == 0 else {
            guard architecture == .gptNeoX else {
                throw config.error("head_dim", "head dimension \(headDimension) is odd; RoPE rotates pairs of dimensions")
            }
            throw config.error(rope.partialFactorKey, "'\(rope.partialFactorKey)' (\(rope.partialFactor)) gives \(rotaryDimension) rotary dimensions of the \(headDimension) in a head; RoPE needs a positive even number")
        }

        let activationName = try config.string("hidden_act") ?? defaults.activation
        guard let activation = Self.activations[activationName] else {
            throw config.error("hidden_act", "unsupported 'hidden_act' '\(activationName)'; fslm runs \(Self.activations.keys.sorted().joined(separator: ", "))")
        }
        let epsilon = try config.positiveDouble(defaults.epsilonKey) ?? defaults.epsilon
        let attentionBias = try config.bool("attention_bias", default: defaults.attentionBias)
        if architecture == .qwen2 { try Self.checkNoSlidingWindow(config, layerCount: layerCount) }

        self.init(
            architecture: architecture, vocabularySize: vocabularySize, hiddenSize: hiddenSize,
            intermediateSize: intermediateSize, layerCount: layerCount, headCount: headCount,
            keyValueHeadCount: keyValueHeadCount, headDimension: headDimension, rotaryDimension: rotaryDimension,
            ropeTheta: rope.theta, ropeScalingFactor: rope.scalingFactor,
            maxPositions: try config.positiveInt("max_position_embeddings", default: defaults.maxPositions),
            normEpsilon: Float(epsilon), activation: activation,
            tiedEmbeddings: try config.bool("tie_word_embeddings", default: false),
            parallelResidual: architecture == .gptNeoX ? try config.bool("use_parallel_residual", default: true) : false,
            attentionBias: architecture == .qwen2 ? true : attentionBias,
            mlpBias: architecture == .gptNeoX ? true : try config.bool("mlp_bias", default: false),
            bosTokenID: object["bos_token_id"] == nil ? defaults.bos : try config.tokenID("bos_token_id"),
            eosTokenIDs: object["eos_token_id"] == nil ? defaults.eos : try config.tokenIDs("eos_token_id") ?? [],
            attentionOutputBias: architecture == .qwen2 ? false : attentionBias
        )
    }

    /// `hidden_act` names → the activations fslm implements (transformers' ACT2FN meanings).
    static let activations: [String: Activation] = [
        "gelu": .gelu, "gelu_python": .gelu,
        "gelu_new": .geluTanh, "gelu_pytorch_tanh": .geluTanh, "gelu_fast": .geluTanh, "gelu_python_tanh": .geluTanh,
        "silu": .silu, "swish": .silu, "relu": .relu,
    ]

    /// From `architectures` (its first entry), or `model_type` when a config has no `architectures`.
    private static func architecture(_ config: ConfigReader) throws -> Architecture {
        let supported = Architecture.allCases.map(\.rawValue).joined(separator: ", ")
        if let names = try config.strings("architectures"), let first = names.first {
            guard let architecture = Architecture(rawValue: first) else {
                throw config.error("architectures", "unsupported architecture '\(first)' in 'architectures'; fslm runs \(supported)")
            }
            return architecture
        }
        let byModelType: [String: Architecture] = ["gpt_neox": .gptNeoX, "llama": .llama, "qwen2": .qwen2]
        guard let modelType = try config.string("model_type") else {
            throw config.error("architectures", "'architectures' is missing (and so is 'model_type'); fslm runs \(supported)")
        }
        guard let architecture = byModelType[modelType] else {
            throw config.error("model_type", "'architectures' is missing and 'model_type' '\(modelType)' is not one fslm runs (\(supported))")
        }
        return architecture
    }

    /// Qwen2 can use sliding-window attention on some layers; fslm attends to every position.
    private static func checkNoSlidingWindow(_ config: ConfigReader, layerCount: Int) throws {
        if let types = try config.strings("layer_types") {
            if let index = types.firstIndex(where: { $0 != "full_attention" }) {
                throw config.error("layer_types", "unsupported 'layer_types': layer \(index) uses '\(types[index])'; fslm runs full attention only")
            }
            return
        }
        let sliding = try config.bool("use_sliding_window", default: false) && config.has("sliding_window")
        if sliding, try config.int("max_window_layers") ?? 28 < layerCount {
            throw config.error("use_sliding_window", "unsupported 'use_sliding_window': true with 'max_window_layers' below 'num_hidden_layers'; fslm runs full attention only")
        }
    }

    /// What transformers assumes for each architecture when a key is absent.
    private struct Defaults {
        var keyValueHeads: Int?
        var thetaKeys: [String]
        var partialKeys: [String]
        var partialFactor = 1.0
        var activation: String
        var epsilonKey: String
        var epsilon: Double
        var maxPositions: Int
        var attentionBias: Bool
        var bos: Int?
        var eos: [Int]

        init(_ architecture: Architecture) {
            switch architecture {
            case .gptNeoX:
                // GPTNeoXConfig: rotary_emb_base=10000, rotary_pct=0.25, layer_norm_eps=1e-5.
                self.init(thetaKeys: ["rotary_emb_base", "rope_theta"], partialKeys: ["rotary_pct", "partial_rotary_factor"],
                    partialFactor: 0.25, activation: "gelu", epsilonKey: "layer_norm_eps", epsilon: 1e-5, maxPositions: 2048,
                    attentionBias: true, bos: 0, eos: [2])
            case .llama:
                // Llama's default RoPE rotates whole heads; it ignores partial_rotary_factor.
                self.init(thetaKeys: ["rope_theta"], partialKeys: [], activation: "silu", epsilonKey: "rms_norm_eps",
                    epsilon: 1e-6, maxPositions: 2048, attentionBias: false, bos: 1, eos: [2])
            case .qwen2:
                self.init(keyValueHeads: 32, thetaKeys: ["rope_theta"], partialKeys: [], activation: "silu",
                    epsilonKey: "rms_norm_eps", epsilon: 1e-6, maxPositions: 32768, attentionBias: true, bos: nil, eos: [])
            }
        }

        init(keyValueHeads: Int? = nil, thetaKeys: [String], partialKeys: [String], partialFactor: Double = 1, activation: String,
             epsilonKey: String, epsilon: Double, maxPositions: Int, attentionBias: Bool, bos: Int?, eos: [Int]) {
            self.keyValueHeads = keyValueHeads
            self.thetaKeys = thetaKeys
            self.partialKeys = partialKeys
            self.partialFactor = partialFactor
            self.activation = activation
            self.epsilonKey = epsilonKey
            self.epsilon = epsilon
            self.maxPositions = maxPositions
            self.attentionBias = attentionBias
            self.bos = bos
            self.eos = eos
        }
    }
}

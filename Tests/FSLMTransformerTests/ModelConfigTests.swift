import FSLMTransformer
import Foundation
import Testing

/// The configs below are what transformers 4.57.1 and 5.24.0 wrote (`Config(...).save_pretrained`
/// with `architectures` set) for the same tiny models: the two dialects must decode alike.
enum ObservedConfigs {
    static let gptNeoX4 = """
        {
          "architectures": ["GPTNeoXForCausalLM"],
          "attention_bias": true, "attention_dropout": 0.0, "bos_token_id": 0, "classifier_dropout": 0.1,
          "eos_token_id": 0, "hidden_act": "gelu", "hidden_dropout": 0.0, "hidden_size": 32,
          "initializer_range": 0.02, "intermediate_size": 48, "layer_norm_eps": 1e-05,
          "max_position_embeddings": 128, "model_type": "gpt_neox", "num_attention_heads": 4,
          "num_hidden_layers": 2, "partial_rotary_factor": 0.5, "rope_scaling": null, "rope_theta": 10000,
          "rotary_emb_base": 10000, "rotary_pct": 0.5, "tie_word_embeddings": false,
          "transformers_version": "4.57.1", "use_cache": true, "use_parallel_residual": true, "vocab_size": 64
        }
        """
    static let gptNeoX5 = """
        {
          "architectures": ["GPTNeoXForCausalLM"],
          "attention_bias": true, "attention_dropout": 0.0, "bos_token_id": 0, "classifier_dropout": 0.1,
          "eos_token_id": 0, "hidden_act": "gelu", "hidden_dropout": 0.0, "hidden_size": 32,
          "initializer_range": 0.02, "intermediate_size": 48, "is_decoder": false, "layer_norm_eps": 1e-05,
          "max_position_embeddings": 128, "model_type": "gpt_neox", "num_attention_heads": 4,
          "num_hidden_layers": 2, "pad_token_id": null,
          "rope_parameters": {"partial_rotary_factor": 0.5, "rope_theta": 10000, "rope_type": "default"},
          "tie_word_embeddings": false, "transformers_version": "5.24.0", "use_cache": true,
          "use_parallel_residual": true, "vocab_size": 64
        }
        """
    static let llama4 = """
        {
          "architectures": ["LlamaForCausalLM"],
          "attention_bias": false, "attention_dropout": 0.0, "bos_token_id": 1, "eos_token_id": 2, "head_dim": 8,
          "hidden_act": "silu", "hidden_size": 32, "initializer_range": 0.02, "intermediate_size": 48,
          "max_position_embeddings": 256, "mlp_bias": false, "model_type": "llama", "num_attention_heads": 4,
          "num_hidden_layers": 2, "num_key_value_heads": 2, "pretraining_tp": 1, "rms_norm_eps": 1e-05,
          "rope_scaling": {"factor": 2.0, "rope_type": "linear", "type": "linear"},
          "rope_theta": 100000.0, "tie_word_embeddings": true, "transformers_version": "4.57.1",
          "use_cache": true, "vocab_size": 64
        }
        """
    static let llama5 = """
        {
          "architectures": ["LlamaForCausalLM"],
          "attention_bias": false, "attention_dropout": 0.0, "bos_token_id": 1, "eos_token_id": 2, "head_dim": 8,
          "hidden_act": "silu", "hidden_size": 32, "initializer_range": 0.02, "intermediate_size": 48,
          "max_position_embeddings": 256, "mlp_bias": false, "model_type": "llama", "num_attention_heads": 4,
          "num_hidden_layers": 2, "num_key_value_heads": 2, "pad_token_id": null, "pretraining_tp": 1,
          "rms_norm_eps": 1e-05,
          "rope_parameters": {"factor": 2.0, "rope_theta": 100000.0, "rope_type": "linear"},
          "tie_word_embeddings": true, "transformers_version": "5.24.0", "use_cache": true, "vocab_size": 64
        }
        """
    static let qwen2_4 = """
        {
          "architectures": ["Qwen2ForCausalLM"],
          "attention_dropout": 0.0, "eos_token_id": [5, 6], "hidden_act": "silu", "hidden_size": 32,
          "initializer_range": 0.02, "intermediate_size": 48, "layer_types": ["full_attention", "full_attention"],
          "max_position_embeddings": 32768, "max_window_layers": 28, "model_type": "qwen2",
          "num_attention_heads": 4, "num_hidden_layers": 2, "num_key_value_heads": 2, "rms_norm_eps": 1e-06,
          "rope_scaling": null, "rope_theta": 1000000.0, "sliding_window": null, "tie_word_embeddings": true,
          "transformers_version": "4.57.1", "use_cache": true, "use_sliding_window": false, "vocab_size": 64
        }
        """
    static let qwen2_5 = """
        {
          "architectures": ["Qwen2ForCausalLM"],
          "attention_dropout": 0.0, "bos_token_id": null, "eos_token_id": [5, 6], "hidden_act": "silu",
          "hidden_size": 32, "initializer_range": 0.02, "intermediate_size": 48,
          "layer_types": ["full_attention", "full_attention"], "max_position_embeddings": 32768,
          "max_window_layers": 28, "model_type": "qwen2", "num_attention_heads": 4, "num_hidden_layers": 2,
          "num_key_value_heads": 2, "pad_token_id": null, "rms_norm_eps": 1e-06,
          "rope_parameters": {"rope_theta": 1000000.0, "rope_type": "default"},
          "sliding_window": null, "tie_word_embeddings": true, "transformers_version": "5.24.0",
          "use_cache": true, "use_sliding_window": false, "vocab_size": 64
        }
        """
}

@Suite struct ModelConfigTests {
    func decode(_ json: String) throws -> ModelConfig {
        try ModelConfig(configJSON: Data(json.utf8))
    }

    /// `json` with some keys changed (`NSNull()` writes null) or removed (`nil`).
    func edited(_ json: String, _ changes: [String: Any?]) throws -> String {
        var object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        for (key, value) in changes { object[key] = value }
        return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    /// Decoding fails with a ModelConfigError naming `key` whose message contains `expected`.
    func expectError(_ json: String, key: String?, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            let config = try decode(json)
            Issue.record("decoded \(config), expected an error about \(key ?? "-")", sourceLocation: sourceLocation)
        } catch let error as ModelConfigError {
            #expect(error.key == key, sourceLocation: sourceLocation)
            #expect(error.description.hasPrefix("config.json: "), sourceLocation: sourceLocation)
            #expect(error.description.contains(expected), "\(error)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        }
    }

    static let gptNeoX = ModelConfig(
        architecture: .gptNeoX, vocabularySize: 64, hiddenSize: 32, intermediateSize: 48, layerCount: 2, headCount: 4,
        keyValueHeadCount: 4, headDimension: 8, rotaryDimension: 4, ropeTheta: 10_000, maxPositions: 128, normEpsilon: 1e-5,
        activation: .gelu, tiedEmbeddings: false, parallelResidual: true, attentionBias: true, mlpBias: true,
        bosTokenID: 0, eosTokenIDs: [0], attentionOutputBias: true)
    static let llama = ModelConfig(
        architecture: .llama, vocabularySize: 64, hiddenSize: 32, intermediateSize: 48, layerCount: 2, headCount: 4,
        keyValueHeadCount: 2, headDimension: 8, rotaryDimension: 8, ropeTheta: 100_000, ropeScalingFactor: 2, maxPositions: 256,
        normEpsilon: 1e-5, activation: .silu, tiedEmbeddings: true, parallelResidual: false, attentionBias: false,
        mlpBias: false, bosTokenID: 1, eosTokenIDs: [2], attentionOutputBias: false)
    static let qwen2 = ModelConfig(
        architecture: .qwen2, vocabularySize: 64, hiddenSize: 32, intermediateSize: 48, layerCount: 2, headCount: 4,
        keyValueHeadCount: 2, headDimension: 8, rotaryDimension: 8, ropeTheta: 1_000_000, maxPositions: 32768,
        normEpsilon: 1e-6, activation: .silu, tiedEmbeddings: true, parallelResidual: false, attentionBias: true,
        mlpBias: false, bosTokenID: nil, eosTokenIDs: [5, 6], attentionOutputBias: false)

    @Test(arguments: [
        (ObservedConfigs.gptNeoX4, gptNeoX), (ObservedConfigs.gptNeoX5, gptNeoX),
        (ObservedConfigs.llama4, llama), (ObservedConfigs.llama5, llama),
        (ObservedConfigs.qwen2_4, qwen2), (ObservedConfigs.qwen2_5, qwen2),
    ])
    func decodesBothDialects(json: String, expected: ModelConfig) throws {
        #expect(try decode(json) == expected)
    }

    /// A Pythia-era config: only `rotary_pct` and `rotary_emb_base`, no bias or residual keys.
    @Test func decodesAnOldGPTNeoXConfigWithDefaults() throws {
        let config = try decode("""
            {"architectures": ["GPTNeoXForCausalLM"], "hidden_size": 32, "num_attention_heads": 4, "num_hidden_layers": 2,
             "intermediate_size": 48, "vocab_size": 64, "rotary_pct": 0.25, "rotary_emb_base": 20000, "model_type": "gpt_neox",
             "hidden_act": "gelu_new"}
            """)
        #expect(config.rotaryDimension == 2)
        #expect(config.ropeTheta == 20_000)
        #expect(config.activation == .geluTanh)
        #expect(config.parallelResidual && config.attentionBias && config.mlpBias && config.attentionOutputBias)
        #expect(config.bosTokenID == 0 && config.eosTokenIDs == [2])
        #expect(config.maxPositions == 2048 && config.normEpsilon == 1e-5 && !config.tiedEmbeddings)
    }

    @Test func appliesLlamaAndQwen2Defaults() throws {
        let sizes = #""hidden_size": 64, "num_attention_heads": 32, "num_hidden_layers": 1, "intermediate_size": 8, "vocab_size": 10"#
        let llama = try decode(#"{"architectures": ["LlamaForCausalLM"], \#(sizes)}"#)
        #expect(llama.keyValueHeadCount == 32 && llama.headDimension == 2 && llama.rotaryDimension == 2)
        #expect(llama.ropeTheta == 10_000 && llama.ropeScalingFactor == 1 && llama.normEpsilon == 1e-6 && llama.maxPositions == 2048)
        #expect(llama.bosTokenID == 1 && llama.eosTokenIDs == [2] && llama.activation == .silu)
        #expect(!llama.attentionBias && !llama.mlpBias && !llama.attentionOutputBias && !llama.parallelResidual)
        let qwen2 = try decode(#"{"architectures": ["Qwen2ForCausalLM"], \#(sizes), "num_key_value_heads": null}"#)
        #expect(qwen2.keyValueHeadCount == 32 && qwen2.maxPositions == 32768 && qwen2.bosTokenID == nil && qwen2.eosTokenIDs == [])
        #expect(qwen2.attentionBias && !qwen2.attentionOutputBias && !qwen2.mlpBias)
        // Qwen2Config's default num_key_value_heads is 32, not num_attention_heads.
        let few = #""hidden_size": 16, "num_attention_heads": 4, "num_hidden_layers": 1, "intermediate_size": 8, "vocab_size": 10"#
        expectError(#"{"architectures": ["Qwen2ForCausalLM"], \#(few)}"#, key: "num_key_value_heads",
            "'num_key_value_heads' (32) does not divide 'num_attention_heads' (4)")
    }

    @Test func readsTheRestOfTheOptions() throws {
        let llama = try decode(try edited(ObservedConfigs.llama5, [
            "head_dim": 16, "attention_bias": true, "mlp_bias": true, "eos_token_id": [2, 3], "tie_word_embeddings": false,
        ]))
        #expect(llama.headDimension == 16 && llama.rotaryDimension == 16)
        #expect(llama.attentionBias && llama.attentionOutputBias && llama.mlpBias && !llama.tiedEmbeddings)
        #expect(llama.eosTokenIDs == [2, 3])
        let neox = try decode(try edited(ObservedConfigs.gptNeoX4, ["attention_bias": false, "use_parallel_residual": false, "eos_token_id": NSNull()]))
        #expect(!neox.attentionBias && !neox.attentionOutputBias && neox.mlpBias && !neox.parallelResidual && neox.eosTokenIDs == [])
        // transformers 5 reads a legacy rope_scaling in place of rope_parameters.
        let legacy = try decode(try edited(ObservedConfigs.llama5, ["rope_scaling": ["type": "linear", "factor": 4]]))
        #expect(legacy.ropeScalingFactor == 4 && legacy.ropeTheta == 100_000)
        let noArchitectures = try decode(try edited(ObservedConfigs.qwen2_5, ["architectures": nil]))
        #expect(noArchitectures.architecture == .qwen2)
    }

    @Test func rejectsAnUnknownArchitecture() throws {
        expectError(try edited(ObservedConfigs.llama4, ["architectures": ["GPT2LMHeadModel"]]), key: "architectures",
            "unsupported architecture 'GPT2LMHeadModel' in 'architectures'; fslm runs GPTNeoXForCausalLM, LlamaForCausalLM, Qwen2ForCausalLM")
        expectError(try edited(ObservedConfigs.llama4, ["architectures": nil, "model_type": "gpt2"]), key: "model_type",
            "'architectures' is missing and 'model_type' 'gpt2' is not one fslm runs")
        expectError(try edited(ObservedConfigs.llama4, ["architectures": nil, "model_type": nil]), key: "architectures",
            "'architectures' is missing (and so is 'model_type')")
        expectError(try edited(ObservedConfigs.llama4, ["architectures": "LlamaForCausalLM"]), key: "architectures",
            "'architectures' is \"LlamaForCausalLM\", expected a list of strings")
    }

    @Test func rejectsMissingAndMistypedKeys() throws {
        for key in ["vocab_size", "hidden_size", "intermediate_size", "num_hidden_layers", "num_attention_heads"] {
            expectError(try edited(ObservedConfigs.gptNeoX5, [key: nil]), key: key, "'\(key)' is missing")
        }
        expectError(try edited(ObservedConfigs.llama5, ["hidden_size": "32"]), key: "hidden_size", #"'hidden_size' is "32", expected an integer"#)
        expectError(try edited(ObservedConfigs.llama5, ["num_hidden_layers": 0]), key: "num_hidden_layers", "'num_hidden_layers' is 0, expected a positive integer")
        expectError(try edited(ObservedConfigs.llama5, ["rms_norm_eps": -1]), key: "rms_norm_eps", "expected a positive number")
        expectError(try edited(ObservedConfigs.llama5, ["tie_word_embeddings": "yes"]), key: "tie_word_embeddings", "expected true or false")
        expectError(try edited(ObservedConfigs.llama5, ["eos_token_id": "2"]), key: "eos_token_id", "expected a token id or a list of them")
        expectError(try edited(ObservedConfigs.llama5, ["bos_token_id": [1, 2]]), key: "bos_token_id", "expected one token id")
        expectError(try edited(ObservedConfigs.llama5, ["rope_parameters": 3]), key: "rope_parameters", "expected an object")
    }

    @Test func rejectsInconsistentSizes() throws {
        expectError(try edited(ObservedConfigs.llama5, ["num_attention_heads": 5]), key: "hidden_size",
            "'hidden_size' (32) is not divisible by 'num_attention_heads' (5)")
        expectError(try edited(ObservedConfigs.qwen2_5, ["num_key_value_heads": 3]), key: "num_key_value_heads",
            "'num_key_value_heads' (3) does not divide 'num_attention_heads' (4)")
        expectError(try edited(ObservedConfigs.llama5, ["head_dim": 7]), key: "head_dim", "head dimension 7 is odd")
        expectError(try edited(ObservedConfigs.gptNeoX4, ["rotary_pct": 0.375]), key: "rotary_pct",
            "'rotary_pct' (0.375) gives 3 rotary dimensions of the 8 in a head; RoPE needs a positive even number")
        expectError(try edited(ObservedConfigs.gptNeoX5, ["rope_parameters": ["partial_rotary_factor": 0.1, "rope_theta": 10000]]),
            key: "rope_parameters.partial_rotary_factor", "gives 0 rotary dimensions")
        expectError(try edited(ObservedConfigs.gptNeoX4, ["rotary_pct": 1.5]), key: "rotary_pct", "'rotary_pct' is 1.5, expected a fraction in (0, 1]")
    }

    @Test func rejectsUnsupportedRoPEScaling() throws {
        let llama3: [String: Any] = [
            "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0, "original_max_position_embeddings": 8192, "rope_type": "llama3",
        ]
        expectError(try edited(ObservedConfigs.llama4, ["rope_scaling": llama3]), key: "rope_scaling.rope_type",
            "unsupported rope_scaling: 'rope_scaling.rope_type' is 'llama3'; fslm runs 'default' and 'linear' RoPE")
        expectError(try edited(ObservedConfigs.llama4, ["rope_scaling": ["type": "dynamic", "factor": 2.0]]), key: "rope_scaling.type",
            "unsupported rope_scaling: 'rope_scaling.type' is 'dynamic'")
        expectError(try edited(ObservedConfigs.qwen2_5, ["rope_parameters": ["rope_type": "yarn", "factor": 4.0, "rope_theta": 1e6]]),
            key: "rope_parameters.rope_type", "unsupported rope_parameters: 'rope_parameters.rope_type' is 'yarn'")
        expectError(try edited(ObservedConfigs.llama5, ["rope_parameters": ["rope_type": "linear"]]), key: "rope_parameters.factor",
            "'rope_parameters.factor' is missing; linear RoPE scaling needs a factor")
        expectError(try edited(ObservedConfigs.llama5, ["rope_parameters": ["full_attention": ["rope_type": "default"]]]), key: "rope_parameters",
            "one entry per layer type (full_attention)")
    }

    @Test func rejectsOtherUnsupportedOptions() throws {
        expectError(try edited(ObservedConfigs.gptNeoX5, ["hidden_act": "gelu_10"]), key: "hidden_act", "unsupported 'hidden_act' 'gelu_10'")
        expectError(try edited(ObservedConfigs.qwen2_5, ["layer_types": ["full_attention", "sliding_attention"]]), key: "layer_types",
            "unsupported 'layer_types': layer 1 uses 'sliding_attention'")
        expectError(try edited(ObservedConfigs.qwen2_4, ["layer_types": nil, "use_sliding_window": true, "sliding_window": 64, "max_window_layers": 1]),
            key: "use_sliding_window", "unsupported 'use_sliding_window'")
        // Sliding window switched on for no layer is full attention.
        _ = try decode(try edited(ObservedConfigs.qwen2_4, ["layer_types": nil, "use_sliding_window": true, "sliding_window": 64]))
    }

    @Test func rejectsAFileThatIsNotAJSONObject() {
        expectError("{\"vocab_size\": 3,", key: nil, "not valid JSON (unexpected end, expected a key at byte 17)")
        expectError("[]", key: nil, "config.json: the file is [], not a JSON object")
    }

    @Test func takesEndTokensFromTheGenerationConfig() throws {
        var config = try decode(ObservedConfigs.qwen2_5)
        try config.applyGenerationConfig(Data(#"{"bos_token_id": 151643, "eos_token_id": [151645, 151643], "do_sample": true}"#.utf8))
        #expect(config.bosTokenID == 151643 && config.eosTokenIDs == [151645, 151643])
        try config.applyGenerationConfig(Data(#"{"_from_model_config": true, "transformers_version": "5.24.0"}"#.utf8))
        #expect(config.bosTokenID == 151643 && config.eosTokenIDs == [151645, 151643])
        #expect(throws: ModelConfigError(file: "generation_config.json", key: "eos_token_id",
            #"'eos_token_id' is "x", expected a token id or a list of them"#)) {
            try config.applyGenerationConfig(Data(#"{"eos_token_id": "x"}"#.utf8))
        }
    }

    @Test func readsAConfigFile() throws {
        let folder = try SafetensorsTestWriter.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("config.json")
        try Data(ObservedConfigs.llama4.utf8).write(to: url)
        #expect(try ModelConfig(contentsOf: url) == Self.llama)
        #expect(throws: ModelConfigError.self) { try ModelConfig(contentsOf: folder.appendingPathComponent("missing.json")) }
    }
}

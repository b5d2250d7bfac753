import FSLMTestSupport
import FSLMTransformer
import Foundation
import Testing

@Suite struct WeightManifestTests {
    typealias Writer = SafetensorsTestWriter

    static let gptNeoX = ModelConfigTests.gptNeoX
    static let llama = ModelConfigTests.llama
    static let qwen2 = ModelConfigTests.qwen2

    /// A safetensors file holding (zeros for) every manifest entry, changed by `edit`.
    func store(_ manifest: WeightManifest, edit: (inout [String: [Int]]) -> Void = { _ in }) throws -> SafetensorsFile {
        var shapes = Dictionary(uniqueKeysWithValues: manifest.entries.filter { $0.requirement == .required }.map { ($0.name, $0.shape) })
        edit(&shapes)
        var writer = Writer()
        for name in shapes.keys.sorted() {
            let count = shapes[name]!.reduce(1, *)
            writer.addF32(name, shapes[name]!, Array(repeating: 0, count: count))
        }
        let folder = try Writer.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        return try SafetensorsFile(url: try Writer.write(writer.bytes(), to: folder, as: "model.safetensors"))
    }

    @Test func listsGPTNeoXTensors() throws {
        let manifest = WeightManifest(config: Self.gptNeoX)
        #expect(manifest.entries.count == 1 + 2 * 12 + 2 + 1)
        #expect(manifest.entry("gpt_neox.embed_in.weight")?.shape == [64, 32])
        #expect(manifest.entry("gpt_neox.layers.1.attention.query_key_value.weight")?.shape == [96, 32])
        #expect(manifest.entry("gpt_neox.layers.1.attention.query_key_value.bias")?.shape == [96])
        #expect(manifest.entry("gpt_neox.layers.0.attention.dense.bias")?.shape == [32])
        #expect(manifest.entry("gpt_neox.layers.0.mlp.dense_h_to_4h.weight")?.shape == [48, 32])
        #expect(manifest.entry("gpt_neox.layers.0.mlp.dense_4h_to_h.weight")?.shape == [32, 48])
        #expect(manifest.entry("gpt_neox.layers.0.post_attention_layernorm.bias")?.shape == [32])
        #expect(manifest.entry("gpt_neox.final_layer_norm.weight")?.shape == [32])
        #expect(manifest.entry("embed_out.weight") == .init(name: "embed_out.weight", shape: [64, 32]))
        var noBias = Self.gptNeoX
        noBias.attentionBias = false
        noBias.attentionOutputBias = false
        let without = WeightManifest(config: noBias)
        #expect(without.entry("gpt_neox.layers.0.attention.dense.bias") == nil)
        #expect(without.entry("gpt_neox.layers.0.mlp.dense_4h_to_h.bias") != nil)
    }

    @Test func listsLlamaAndQwen2Tensors() throws {
        let llama = WeightManifest(config: Self.llama)
        #expect(llama.entries.count == 1 + 2 * 9 + 1 + 1)
        #expect(llama.entry("model.layers.1.self_attn.q_proj.weight")?.shape == [32, 32])
        #expect(llama.entry("model.layers.1.self_attn.k_proj.weight")?.shape == [16, 32])
        #expect(llama.entry("model.layers.1.self_attn.v_proj.weight")?.shape == [16, 32])
        #expect(llama.entry("model.layers.1.self_attn.o_proj.weight")?.shape == [32, 32])
        #expect(llama.entry("model.layers.0.mlp.gate_proj.weight")?.shape == [48, 32])
        #expect(llama.entry("model.layers.0.mlp.down_proj.weight")?.shape == [32, 48])
        #expect(llama.entry("model.layers.0.self_attn.q_proj.bias") == nil)
        #expect(llama.entry("lm_head.weight")?.requirement == .tied(to: "model.embed_tokens.weight"))

        let qwen2 = WeightManifest(config: Self.qwen2)
        #expect(qwen2.entries.count == 1 + 2 * 12 + 1 + 1)
        #expect(qwen2.entry("model.layers.0.self_attn.k_proj.bias")?.shape == [16])
        #expect(qwen2.entry("model.layers.0.self_attn.o_proj.bias") == nil)

        var wideHeads = Self.llama  // head_dim set apart from hidden / heads
        wideHeads.headDimension = 16
        wideHeads.attentionBias = true
        wideHeads.attentionOutputBias = true
        let wide = WeightManifest(config: wideHeads)
        #expect(wide.entry("model.layers.0.self_attn.q_proj.weight")?.shape == [64, 32])
        #expect(wide.entry("model.layers.0.self_attn.o_proj.weight")?.shape == [32, 64])
        #expect(wide.entry("model.layers.0.self_attn.o_proj.bias")?.shape == [32])
    }

    @Test func acceptsAStoreThatFitsAndIgnoresExtras() throws {
        for config in [Self.gptNeoX, Self.llama, Self.qwen2] {
            let manifest = WeightManifest(config: config)
            let weights = try store(manifest) { $0["gpt_neox.layers.0.attention.rotary_emb.inv_freq"] = [4] }
            #expect(manifest.problems(in: weights) == [])
            try manifest.verify(weights)
        }
    }

    @Test func listsEveryMissingTensorAndWrongShape() throws {
        let manifest = WeightManifest(config: Self.gptNeoX)
        let weights = try store(manifest) {
            $0["gpt_neox.layers.1.attention.dense.weight"] = nil
            $0["embed_out.weight"] = nil
            $0["gpt_neox.layers.0.mlp.dense_h_to_4h.weight"] = [32, 48]
        }
        let problems = manifest.problems(in: weights)
        #expect(problems.map(\.description) == [
            "model.safetensors: tensor 'gpt_neox.layers.0.mlp.dense_h_to_4h.weight' has shape [32, 48], expected [48, 32]",
            "model.safetensors: missing tensor 'gpt_neox.layers.1.attention.dense.weight', expected [32, 32]",
            "model.safetensors: missing tensor 'embed_out.weight', expected [64, 32]",
        ])
        #expect(problems[1] == WeightProblem(.missing, tensor: "gpt_neox.layers.1.attention.dense.weight", expectedShape: [32, 32], source: "model.safetensors"))
        #expect(throws: WeightManifestError(problems: problems)) { try manifest.verify(weights) }
        #expect(WeightManifestError(problems: problems).description.hasPrefix("the weights do not fit the model config (3 problems):\n  model.safetensors: tensor"))
    }

    @Test func tiedOutputMayBeAbsentButIsCheckedWhenPresent() throws {
        let manifest = WeightManifest(config: Self.llama)
        #expect(manifest.problems(in: try store(manifest)) == [])
        let wrong = try store(manifest) { $0["lm_head.weight"] = [32, 64] }
        #expect(manifest.problems(in: wrong).map(\.description) == ["model.safetensors: tensor 'lm_head.weight' has shape [32, 64], expected [64, 32]"])
        var untied = Self.llama
        untied.tiedEmbeddings = false
        let required = WeightManifest(config: untied)
        #expect(try required.problems(in: store(manifest)).map(\.description) == ["model.safetensors: missing tensor 'lm_head.weight', expected [64, 32]"])
    }

    @Test func namesAnExpectedTensorOfAnUnreadableDType() throws {
        var writer = Writer()
        writer.add("model.norm.weight", "F64", [32], Array(repeating: 0, count: 256))
        let folder = try Writer.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try SafetensorsFile(url: try Writer.write(writer.bytes(), to: folder, as: "model.safetensors"))
        let problems = WeightManifest(config: Self.llama).problems(in: file)
        #expect(problems.contains { $0.description == "model.safetensors: tensor 'model.norm.weight' has dtype F64, which fslm does not read (it reads F32, F16, BF16)" })
        #expect(problems.count == WeightManifest(config: Self.llama).entries.count - 1)
    }
}

/// The checkpoints transformers wrote (Tests/Fixtures/models, see its README).
@Suite struct TinyCheckpointTests {
    static func folder(_ name: String) -> URL { Fixtures.url("models/\(name)") }

    @Test(arguments: ["tiny-gpt-neox", "tiny-llama", "tiny-qwen2", "tiny-llama-sharded"])
    func opensAndVerifies(name: String) throws {
        let folder = try ModelFolder(url: Self.folder(name))
        #expect(folder.manifest.problems(in: folder.weights) == [])
        #expect(folder.generationConfigURL != nil && folder.tokenizerURL == nil)
        // Every stored tensor is float32 and read whole.
        for entry in folder.manifest.entries {
            guard let tensor = folder.weights.tensor(entry.name) else {
                #expect(entry.requirement != .required, "\(entry.name)")
                continue
            }
            #expect(tensor.dtype == .f32)
            #expect(tensor.floats().allSatisfy { $0.isFinite })
        }
    }

    @Test func decodesTheirConfigs() throws {
        let neox = try ModelFolder(url: Self.folder("tiny-gpt-neox")).config
        #expect(neox == ModelConfig(
            architecture: .gptNeoX, vocabularySize: 64, hiddenSize: 16, intermediateSize: 32, layerCount: 2, headCount: 2,
            keyValueHeadCount: 2, headDimension: 8, rotaryDimension: 4, ropeTheta: 10_000, maxPositions: 64, normEpsilon: 1e-5,
            activation: .gelu, tiedEmbeddings: false, parallelResidual: true, attentionBias: true, mlpBias: true,
            bosTokenID: 0, eosTokenIDs: [1], attentionOutputBias: true))
        let llama = try ModelFolder(url: Self.folder("tiny-llama")).config
        #expect(llama == ModelConfig(
            architecture: .llama, vocabularySize: 64, hiddenSize: 16, intermediateSize: 32, layerCount: 2, headCount: 4,
            keyValueHeadCount: 2, headDimension: 4, rotaryDimension: 4, ropeTheta: 10_000, maxPositions: 64, normEpsilon: 1e-5,
            activation: .silu, tiedEmbeddings: true, parallelResidual: false, attentionBias: false, mlpBias: false,
            bosTokenID: 1, eosTokenIDs: [2], attentionOutputBias: false))
        let qwen2 = try ModelFolder(url: Self.folder("tiny-qwen2")).config
        #expect(qwen2.architecture == .qwen2 && qwen2.ropeTheta == 1_000_000 && qwen2.eosTokenIDs == [3, 4] && qwen2.bosTokenID == nil)
        #expect(qwen2.attentionBias && !qwen2.attentionOutputBias && !qwen2.tiedEmbeddings && qwen2.normEpsilon == 1e-6)
        let sharded = try ModelFolder(url: Self.folder("tiny-llama-sharded"))
        #expect(!sharded.config.tiedEmbeddings)
        let shards = try #require(sharded.weights as? ShardedWeights)
        #expect(shards.shards.count == 4)
        #expect(shards.shardName(of: "lm_head.weight") == "model-00004-of-00004.safetensors")
    }

    /// The tied checkpoint stores no output projection; the embedding serves both.
    @Test func tiedLlamaHasNoLMHead() throws {
        let folder = try ModelFolder(url: Self.folder("tiny-llama"))
        #expect(folder.weights.tensor("lm_head.weight") == nil)
        #expect(folder.weights.tensor("model.embed_tokens.weight")?.shape == [64, 16])
    }
}

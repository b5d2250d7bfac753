import Foundation
import FSLMTransformer
import Testing

/// PEFT adapters: reading, checking, and applying them per request over one shared base.
@Suite struct LoRATests {
    @Test func adaptersAreKeyedByBaseWeightNameWithPEFTsScale() throws {
        let neox = try Golden.adapter("gpt-neox-parallel", "adapter")
        #expect(neox.deltas.count == 2 * 4)
        let qkv = try #require(neox.delta(for: "gpt_neox.layers.0.attention.query_key_value.weight"))
        #expect(qkv.a.shape == [4, 32] && qkv.b.shape == [96, 4] && qkv.scale == 2)
        guard case .names(let targets) = neox.config.targetModules else {
            Issue.record("target_modules should be a list")
            return
        }
        #expect(Set(targets) == ["query_key_value", "dense", "dense_h_to_4h", "dense_4h_to_h"])

        let rs = try Golden.adapter("llama", "adapter_rslora")
        #expect(rs.config.useRSLoRA && rs.config.rank == 2)
        #expect(rs.deltas.keys.sorted() == (0..<2).flatMap { l in
            ["mlp.down_proj", "self_attn.q_proj", "self_attn.v_proj"].map { "model.layers.\(l).\($0).weight" }
        }.sorted())
        #expect(LoRAAdapter.scale(alpha: 8, rank: 2, rsLoRA: true) == Float(8 / 2.0.squareRoot()))
        #expect(LoRAAdapter.scale(alpha: 8, rank: 4, rsLoRA: false) == 2)
    }

    /// Guards against a vacuous adapter test: each adapter moves the logits well beyond the tolerance.
    @Test(arguments: Golden.models)
    func adaptersChangeTheLogits(model name: String) throws {
        let (model, golden) = try Golden.model(name)
        var cache = model.makeCache()
        let base = try model.forwardAll(tokens: golden.prompts[2], cache: &cache, adapter: nil)
        for adapterName in golden.adapterNames() {
            cache.reset()
            let adapted = try model.forwardAll(tokens: golden.prompts[2], cache: &cache, adapter: Golden.adapter(name, adapterName))
            #expect(maxAbsDifference(base, adapted) > 0.1, "\(name) \(adapterName)")
        }
    }

    /// One loaded base serves interleaved requests with different adapters (or none), and each
    /// gets exactly what it gets alone.
    @Test(arguments: Golden.models)
    func alternatingAdaptersOnOneBaseMatchEachAlone(model name: String) throws {
        let (model, golden) = try Golden.model(name)
        let choices: [LoRAAdapter?] = try [nil] + golden.adapterNames().map { try Golden.adapter(name, $0) }
        let prompt = golden.prompts[1]
        let alone = try choices.map { try greedy(model, prompt: prompt, count: 8, adapter: $0) }

        // Decode every choice at once, one token each in turn, on its own cache.
        var caches = choices.map { _ in model.makeCache() }
        var logits = try choices.indices.map { try model.forward(tokens: prompt, cache: &caches[$0], adapter: choices[$0]) }
        var generated = choices.map { _ in [Int]() }
        for _ in 0..<8 {
            for i in choices.indices {
                let next = argmax(logits[i])
                generated[i].append(next)
                logits[i] = try model.forward(tokens: [next], cache: &caches[i], adapter: choices[i])
            }
        }
        #expect(generated == alone)
        for entry in golden.cases where entry.weights == "f32" {
            let i = choices.firstIndex { $0?.name == entry.adapter }!
            #expect(generated[i] == entry.greedy?[1], "\(name) \(entry.adapter ?? "base")")
        }
    }

    @Test func adaptersForAnotherModelAreRejected() throws {
        let (sequential, _) = try Golden.model("gpt-neox-sequential")
        let parallelAdapter = try Golden.adapter("gpt-neox-parallel", "adapter")
        var cache = sequential.makeCache()
        let shapeError = #expect(throws: LoRAError.self) { try sequential.forward(tokens: [1], cache: &cache, adapter: parallelAdapter) }
        guard case .shapeMismatch(_, let weight, let base, _, _)? = shapeError else {
            Issue.record("expected a shape mismatch, got \(String(describing: shapeError))")
            return
        }
        #expect(weight.hasSuffix("mlp.dense_4h_to_h.weight") || weight.hasSuffix("mlp.dense_h_to_4h.weight"))
        #expect(base.contains(48))
        #expect(cache.count == 0)

        let (llama, _) = try Golden.model("llama")
        let unknown = #expect(throws: LoRAError.self) { try llama.check(parallelAdapter) }
        #expect(unknown?.description.contains("not a linear weight of this model") == true)
    }

    @Test func unsupportedAdapterOptionsAreErrorsNamingTheKey() throws {
        let url = Golden.folder("qwen2").appendingPathComponent("adapter/adapter_config.json")
        let original = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        func config(_ changes: [String: Any]) throws -> LoRAConfig {
            try LoRAConfig(json: JSONSerialization.data(withJSONObject: original.merging(changes) { $1 }))
        }
        #expect(try config([:]).rank == 4)
        #expect(try config(["target_modules": ".*\\.(q|v)_proj"]).targetModules == .pattern(".*\\.(q|v)_proj"))
        for (key, value) in [
            ("use_dora", true as Any), ("modules_to_save", ["lm_head"]), ("fan_in_fan_out", true), ("bias", "all"),
            ("rank_pattern", ["q_proj": 8]), ("lora_bias", true), ("peft_type", "IA3"),
        ] {
            let error = #expect(throws: LoRAError.self) { try config([key: value]) }
            #expect(error?.description.contains("'\(key)'") == true, "\(key): \(String(describing: error))")
        }
        #expect(throws: LoRAError.self) { try config(["r": 0]) }
    }

    @Test func unexpectedOrUnpairedAdapterTensorsAreErrors() throws {
        let good = try SafetensorsFile(url: Golden.folder("qwen2").appendingPathComponent("adapter/adapter_model.safetensors"))
        let config = try LoRAConfig(directory: Golden.folder("qwen2").appendingPathComponent("adapter"))
        let a = good.tensorNames.first { $0.hasSuffix("lora_A.weight") }!

        var dora = MemoryStore(copying: good).tensors
        dora["base_model.model.model.layers.0.self_attn.q_proj.lora_magnitude_vector"] = good.tensor(a)
        let doraError = #expect(throws: LoRAError.self) { try LoRAAdapter(name: "x", config: config, weights: MemoryStore(tensors: dora)) }
        #expect(doraError?.description.contains("DoRA") == true)

        var unpaired = MemoryStore(copying: good).tensors
        unpaired.removeValue(forKey: a)
        #expect(throws: LoRAError.self) { try LoRAAdapter(name: "x", config: config, weights: MemoryStore(tensors: unpaired)) }

        var wrongRank = config
        wrongRank.rank = 8
        #expect(throws: LoRAError.self) { try LoRAAdapter(name: "x", config: wrongRank, weights: good) }
    }

    @Test func missingOrMisshapenBaseTensorsAreClearErrors() throws {
        let golden = try Golden.load("gpt-neox-parallel")
        let store = try SafetensorsFile(url: Golden.folder("gpt-neox-parallel").appendingPathComponent("model.safetensors"))
        var missing = MemoryStore(copying: store).tensors
        missing.removeValue(forKey: "gpt_neox.layers.1.attention.dense.weight")
        let error = #expect(throws: WeightManifestError.self) { try GPTNeoXModel(config: golden.modelConfig, weights: MemoryStore(tensors: missing)) }
        #expect(error?.problems.map(\.description) == ["weights: missing tensor 'gpt_neox.layers.1.attention.dense.weight', expected [32, 32]"])

        var config = golden.modelConfig
        config.intermediateSize = 60
        let shape = #expect(throws: WeightManifestError.self) { try GPTNeoXModel(config: config, weights: store) }
        #expect(shape?.problems.first?.description.contains("'gpt_neox.layers.0.mlp.dense_h_to_4h.weight' has shape [64, 32], expected [60, 32]") == true)

        #expect(throws: ModelError.self) { try LlamaModel(config: golden.modelConfig, weights: store) }
    }
}

/// Tensors in a dictionary.
struct MemoryStore: WeightStore {
    let tensors: [String: Tensor]

    init(tensors: [String: Tensor]) { self.tensors = tensors }

    /// Every tensor `store` serves.
    init(copying store: any WeightStore) {
        tensors = Dictionary(uniqueKeysWithValues: store.tensorNames.compactMap { name in store.tensor(name).map { (name, $0) } })
    }

    func tensor(_ name: String) -> Tensor? { tensors[name] }
    var tensorNames: [String] { tensors.keys.sorted() }
}

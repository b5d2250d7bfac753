import Foundation
import FSLMTestSupport
import FSLMTransformer

/// One model folder under `Tests/Fixtures/golden/`, written by `make_golden.py`.
struct Golden: Decodable {
    struct Config: Decodable {
        let architecture: String
        let vocabularySize, hiddenSize, intermediateSize, layerCount, headCount, keyValueHeadCount: Int
        let headDimension, rotaryDimension, maxPositions: Int
        let ropeTheta, ropeScalingFactor: Double
        let normEpsilon: Float
        let activation: String
        let tiedEmbeddings, parallelResidual, attentionBias, mlpBias: Bool
        let bosTokenID: Int?
        let eosTokenIDs: [Int]
    }

    struct Case: Decodable {
        /// "f32", "f16" or "bf16".
        let weights: String
        /// nil, or the adapter's folder name.
        let adapter: String?
        /// Per prompt: `[positions][vocab]`.
        let logits: [[[Float]]]
        /// Per prompt: 8 greedy tokens (f32 cases only).
        let greedy: [[Int]]?
    }

    let config: Config
    let prompts: [[Int]]
    let cases: [Case]
    let min_greedy_gap: Float

    /// The model folders.
    static let models = ["gpt-neox-parallel", "gpt-neox-sequential", "llama", "qwen2"]

    static func folder(_ model: String) -> URL { Fixtures.url("golden/\(model)") }

    static func load(_ model: String) throws -> Golden {
        try JSONDecoder().decode(Golden.self, from: Data(contentsOf: folder(model).appendingPathComponent("golden.json")))
    }

    var modelConfig: ModelConfig {
        ModelConfig(
            architecture: ModelConfig.Architecture(rawValue: config.architecture)!, vocabularySize: config.vocabularySize,
            hiddenSize: config.hiddenSize, intermediateSize: config.intermediateSize, layerCount: config.layerCount,
            headCount: config.headCount, keyValueHeadCount: config.keyValueHeadCount, headDimension: config.headDimension,
            rotaryDimension: config.rotaryDimension, ropeTheta: config.ropeTheta, ropeScalingFactor: config.ropeScalingFactor,
            maxPositions: config.maxPositions, normEpsilon: config.normEpsilon,
            activation: ModelConfig.Activation(rawValue: config.activation)!, tiedEmbeddings: config.tiedEmbeddings,
            parallelResidual: config.parallelResidual, attentionBias: config.attentionBias, mlpBias: config.mlpBias,
            bosTokenID: config.bosTokenID, eosTokenIDs: config.eosTokenIDs)
    }

    /// The model loaded from `model.safetensors` (f32) or `<weights>/model.safetensors`.
    static func model(_ model: String, weights: String = "f32") throws -> (any TransformerModel, Golden) {
        let golden = try load(model)
        let file = weights == "f32" ? "model.safetensors" : "\(weights)/model.safetensors"
        let store = try SafetensorsFile(url: folder(model).appendingPathComponent(file))
        return (try loadTransformerModel(config: golden.modelConfig, weights: store), golden)
    }

    /// The adapter folder `name` of `model`.
    static func adapter(_ model: String, _ name: String) throws -> LoRAAdapter {
        try LoRAAdapter(directory: folder(model).appendingPathComponent(name)) { try SafetensorsFile(url: $0) }
    }

    /// The adapters `model` has (folder names).
    func adapterNames() -> [String] { cases.compactMap(\.adapter) }
}

/// Whether two logit vectors differ only by f32 rounding in summation order: by at most
/// 1e-5 of the largest magnitude (at least 1).
func agreeToRounding(_ a: [Float], _ b: [Float]) -> Bool {
    a.count == b.count && maxAbsDifference(a, b) <= 1e-5 * max(1, b.map(abs).max() ?? 0)
}

/// The largest absolute difference between two equal-length vectors.
func maxAbsDifference(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count, "lengths \(a.count) and \(b.count)")
    return zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) }
}

func argmax(_ x: [Float]) -> Int { x.indices.max { x[$0] < x[$1] }! }

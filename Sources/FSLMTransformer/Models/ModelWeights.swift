/// The tensors `WeightManifest(config:)` lists, looked up once from a `WeightStore` after
/// the manifest verified them all (every missing or misshapen tensor is reported at once).
struct ModelWeights {
    private var tensors: [String: Tensor] = [:]
    /// The dtype linear weights are converted to at load, or nil to read them as stored.
    let format: WeightMatrix.Format?

    init(config: ModelConfig, store: any WeightStore, format: WeightMatrix.Format? = nil) throws {
        self.format = format
        let manifest = WeightManifest(config: config)
        try manifest.verify(store)
        for entry in manifest.entries {
            if let tensor = store.tensor(entry.name) { tensors[entry.name] = tensor }
        }
    }

    /// A manifest tensor (a programming error if `name` is not in the manifest).
    func tensor(_ name: String) -> Tensor {
        guard let tensor = tensors[name] else { preconditionFailure("'\(name)' is not in the model's weight manifest") }
        return tensor
    }

    /// A matrix read by the product kernels (the output projection), converted like the linear layers.
    func matrix(_ name: String) -> WeightMatrix {
        format.map { WeightMatrix(tensor(name), format: $0) } ?? WeightMatrix(tensor(name))
    }

    /// A manifest vector (norm weight, bias) widened to f32.
    func floats(_ name: String) -> [Float] { Kernels.floats(tensor(name)) }

    /// A linear layer `<prefix>.weight` with `<prefix>.bias` when `bias`.
    func linear(_ prefix: String, bias: Bool) -> Linear {
        Linear(name: prefix + ".weight", weight: tensor(prefix + ".weight"), bias: bias ? floats(prefix + ".bias") : nil, format: format)
    }
}

/// Why a model could not be loaded or run.
public enum ModelError: Error, Sendable, Hashable, CustomStringConvertible {
    case wrongArchitecture(expected: ModelConfig.Architecture, found: ModelConfig.Architecture)
    case invalidConfig(String)
    case emptyInput
    case tokenOutOfRange(token: Int, position: Int, vocabularySize: Int)
    case cacheMismatch(String)

    public var description: String {
        switch self {
        case let .wrongArchitecture(expected, found):
            "this model type runs \(expected.rawValue), not \(found.rawValue)"
        case let .invalidConfig(reason):
            "model config: \(reason)"
        case .emptyInput:
            "forward pass with no tokens"
        case let .tokenOutOfRange(token, position, vocabularySize):
            "token id \(token) at position \(position) is outside the vocabulary (0..<\(vocabularySize))"
        case let .cacheMismatch(reason):
            "KV cache does not fit this model: \(reason)"
        }
    }
}

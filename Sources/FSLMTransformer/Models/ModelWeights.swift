/// A tensor a model needs: its Hugging Face name and shape (part of an architecture's weight
/// manifest, checked before any compute).
public struct ExpectedTensor: Sendable, Hashable, CustomStringConvertible {
    public let name: String
    public let shape: [Int]

    public init(_ name: String, _ shape: [Int]) {
        self.name = name
        self.shape = shape
    }

    public var description: String { "'\(name)' \(shape)" }
}

/// The tensors of a manifest, looked up once from a `WeightStore` and shape-checked.
struct ModelWeights {
    private var tensors: [String: Tensor] = [:]

    /// Looks up every tensor of `manifest`; throws for the first one missing or misshapen.
    init(manifest: [ExpectedTensor], store: any WeightStore) throws {
        let missing = manifest.filter { store.tensor($0.name) == nil }
        if let first = missing.first {
            throw ModelError.missingTensor(first, alsoMissing: missing.count - 1)
        }
        for expected in manifest {
            let tensor = store.tensor(expected.name)!
            guard tensor.shape == expected.shape else {
                throw ModelError.shapeMismatch(expected, found: tensor.shape)
            }
            tensors[expected.name] = tensor
        }
    }

    /// A manifest tensor (a programming error if `name` is not in the manifest).
    func tensor(_ name: String) -> Tensor {
        guard let tensor = tensors[name] else { preconditionFailure("'\(name)' is not in the model's weight manifest") }
        return tensor
    }

    /// A manifest vector (norm weight, bias) widened to f32.
    func floats(_ name: String) -> [Float] { Kernels.floats(tensor(name)) }

    /// A linear layer `<prefix>.weight` with `<prefix>.bias` when `bias`.
    func linear(_ prefix: String, bias: Bool) -> Linear {
        Linear(name: prefix + ".weight", weight: tensor(prefix + ".weight"), bias: bias ? floats(prefix + ".bias") : nil)
    }
}

/// Why a model could not be loaded or run.
public enum ModelError: Error, Sendable, Hashable, CustomStringConvertible {
    case wrongArchitecture(expected: ModelConfig.Architecture, found: ModelConfig.Architecture)
    case missingTensor(ExpectedTensor, alsoMissing: Int)
    case shapeMismatch(ExpectedTensor, found: [Int])
    case invalidConfig(String)
    case emptyInput
    case tokenOutOfRange(token: Int, position: Int, vocabularySize: Int)
    case cacheMismatch(String)

    public var description: String {
        switch self {
        case let .wrongArchitecture(expected, found):
            "this model type runs \(expected.rawValue), not \(found.rawValue)"
        case let .missingTensor(expected, others):
            "missing tensor '\(expected.name)', expected \(expected.shape)" + (others > 0 ? " (and \(others) more missing)" : "")
        case let .shapeMismatch(expected, found):
            "tensor '\(expected.name)' is \(found), expected \(expected.shape)"
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

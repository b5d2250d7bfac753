/// One way a weight store does not fit a `WeightManifest`.
public struct WeightProblem: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        case missing
        /// The shape found.
        case wrongShape([Int])
        /// The dtype found, one fslm does not read.
        case unsupportedDType(String)
    }

    public var kind: Kind
    public var tensor: String
    public var expectedShape: [Int]
    /// The file the tensor is (or should be) in: a safetensors file or shard name.
    public var source: String

    public init(_ kind: Kind, tensor: String, expectedShape: [Int], source: String) {
        self.kind = kind
        self.tensor = tensor
        self.expectedShape = expectedShape
        self.source = source
    }

    /// E.g. `model.safetensors: missing tensor 'gpt_neox.layers.3.attention.dense.weight', expected [768, 768]`.
    public var description: String {
        switch kind {
        case .missing:
            "\(source): missing tensor '\(tensor)', expected \(expectedShape)"
        case .wrongShape(let found):
            "\(source): tensor '\(tensor)' has shape \(found), expected \(expectedShape)"
        case .unsupportedDType(let dtype):
            "\(source): \(SafetensorsFile.unsupportedDTypeProblem(tensor, dtype))"
        }
    }
}

/// A weight store that does not fit its model: every problem, one per line.
public struct WeightManifestError: Error, Sendable, Hashable, CustomStringConvertible {
    public var problems: [WeightProblem]

    public init(problems: [WeightProblem]) { self.problems = problems }

    public var description: String {
        let count = problems.count == 1 ? "1 problem" : "\(problems.count) problems"
        return "the weights do not fit the model config (\(count)):\n" + problems.map { "  \($0)" }.joined(separator: "\n")
    }
}

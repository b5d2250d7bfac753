import Foundation

/// One seeded fuzz case: a mutation of an example workflow, named so it can be made again.
///
/// Case `index` of `example` is `WorkflowMutator.mutate` of `workflows/<example>.yaml` with the
/// seed `WorkflowMutator.seed(name: example, index: index)`.
public struct FuzzCase: Sendable, CustomStringConvertible {
    /// The example workflows the fuzz tests mutate, by file name without `.yaml`.
    public static let examples = ["fslm-stack", "retry-validate", "router"]

    public var example: String
    public var index: Int
    public var mutated: WorkflowMutator.Case

    /// Case `index` of `example`, whose unmutated text is `original`.
    public init(example: String, index: Int, original: String) {
        self.example = example
        self.index = index
        mutated = WorkflowMutator.mutate(original, seed: WorkflowMutator.seed(name: example, index: index))
    }

    /// The unmutated text of `example`.
    public static func original(_ example: String) throws -> String {
        try String(contentsOf: Fixtures.packageRoot.appendingPathComponent("workflows/\(example).yaml"), encoding: .utf8)
    }

    /// Where the example lives, relative to the package root; cases are loaded under this path.
    public var path: String { "workflows/\(example).yaml" }

    /// The example, index, seed and operators.
    public var description: String {
        let ops = mutated.operators.map(\.rawValue).joined(separator: ", ")
        return "\(example).yaml case \(index) (seed 0x\(String(mutated.seed, radix: 16)); \(ops))"
    }

    /// The first 500 characters of the text, control characters other than line feeds escaped.
    public var textPrefix: String {
        mutated.text.unicodeScalars.prefix(500).map { scalar -> String in
            let category = scalar.properties.generalCategory
            guard scalar != "\n", category == .control || category == .format else { return String(scalar) }
            return "\\u{\(String(scalar.value, radix: 16))}"
        }.joined()
    }

    /// The description and the text's start, for a failure message.
    public var report: String { "\(self)\n--- text (first 500 characters) ---\n\(textPrefix)" }
}

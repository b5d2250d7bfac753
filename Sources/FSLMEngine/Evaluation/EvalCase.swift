public import FSLMWorkflow

/// One case of an evaluation: a line of a cases file, `{"inputs": {...}, "expect": {...}}`
/// with an optional `"metric"` and `"tags"`.
public struct EvalCase: Sendable, Hashable {
    /// The line of the cases file it was read from (1-based).
    public var line: Int
    /// Values for the workflow's inputs, bound as `--input-file` values are.
    public var inputs: [String: JSONValue]
    /// The expected value of each named output.
    public var expect: [String: String]
    /// This case's metric; nil for the evaluation's.
    public var metric: EvalMetric?
    public var tags: [String]

    public init(line: Int, inputs: [String: JSONValue] = [:], expect: [String: String], metric: EvalMetric? = nil, tags: [String] = []) {
        self.line = line
        self.inputs = inputs
        self.expect = expect
        self.metric = metric
        self.tags = tags
    }

    /// What is wrong with these cases for `workflow` (its file, for messages) whose outputs
    /// are `outputs`, under the evaluation's `metric`: an `expect` key naming no output, an
    /// expected value that the `number` metric cannot read. In line order.
    public static func problems(_ cases: [EvalCase], workflow: String, outputs: [String], metric: EvalMetric) -> [EvalCaseProblem] {
        var problems: [EvalCaseProblem] = []
        for c in cases {
            for (name, expected) in c.expect.sorted(by: { $0.key < $1.key }) {
                if !outputs.contains(name) {
                    var message = "'expect' names '\(name)', which is not an output of \(workflow) (its outputs: \(outputs.joined(separator: ", ")))"
                    if let near = EditDistance.suggestion(for: name, among: outputs) { message += "; did you mean '\(near)'?" }
                    problems.append(EvalCaseProblem(line: c.line, column: 1, message: message))
                } else if (c.metric ?? metric) == .number, EvalNumber.parse(expected) == nil {
                    problems.append(EvalCaseProblem(
                        line: c.line, column: 1, message: "'expect' gives '\(name)' as \"\(expected)\", which is not a number (the metric is number)"))
                }
            }
        }
        return problems
    }
}

/// A problem in a cases file, at a line and column (1-based; columns count characters).
public struct EvalCaseProblem: Sendable, Hashable {
    public var line: Int
    public var column: Int
    public var message: String

    public init(line: Int, column: Int, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    /// `path:LINE:COL: error: message`, as diagnostics are printed.
    public func rendered(path: String) -> String { "\(path):\(line):\(column): error: \(message)" }
}

extension Workflow {
    /// The names of a run's outputs: the declared `outputs`, or without them the ids of the
    /// final stages (those no stage needs), in declaration order.
    public var outputNames: [String] {
        if !spec.outputs.isEmpty { return outputs.map(\.name) }
        let needed = Set(stages.flatMap(\.needs))
        return stages.map(\.id).filter { !needed.contains($0) }
    }
}

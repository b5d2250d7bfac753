public import FSLMWorkflow

/// The stage graph of a checked workflow, as drawn by `fslm graph`: one node per stage,
/// an edge from each needed stage (or from the inputs, for stages with no needs) to the
/// stage that needs it, labelled with the stage's `when` condition.
public struct Graph: Sendable {
    public var name: String
    public var inputs: [String]
    public var nodes: [Node]
    public var edges: [Edge]
    /// The id used for the inputs node.
    public static let inputsNode = "inputs"

    /// One stage and what the drawing says about it.
    public struct Node: Sendable {
        public var id: String
        /// "model slm, adapter route" or "fixed text".
        public var action: String
        /// `choices: a | b` for choices outputs.
        public var output: String?
        /// True for `trigger: any` stages with more than one need (a join after a branch).
        public var isJoin: Bool
        public var condition: String?
        public var validators: [String]
        /// Attempts including the first; 1 means no retry.
        public var attempts: Int
        public var fallback: String?
    }

    /// `from` runs before `to`.
    public struct Edge: Sendable, Hashable {
        public var from: String
        public var to: String
        /// The `when` of `to`, shown on every edge into it.
        public var label: String?

        public init(from: String, to: String, label: String?) {
            self.from = from
            self.to = to
            self.label = label
        }
    }

    public init(_ workflow: Workflow) {
        name = workflow.spec.name
        inputs = workflow.spec.inputs.map(\.name)
        nodes = workflow.stages.map { stage in
            let action: String
            if let model = stage.model {
                action = "model \(model.name)" + (stage.adapter.map { ", adapter \($0)" } ?? "")
            } else {
                action = "fixed text"
            }
            var output: String?
            if case .choices(let choices) = stage.spec.output { output = "choices: " + choices.joined(separator: " | ") }
            if case .json = stage.spec.output { output = "json" }
            return Node(
                id: stage.id, action: action, output: output,
                isJoin: stage.spec.trigger == .any && stage.needs.count > 1,
                condition: stage.spec.when?.text,
                validators: stage.spec.validate.map(\.summary),
                attempts: stage.spec.callsModel ? stage.retry.attempts : 1,
                fallback: stage.fallback?.name)
        }
        edges = workflow.stages.flatMap { stage in
            let sources = stage.needs.isEmpty ? [Graph.inputsNode] : stage.needs
            return sources.map { Edge(from: $0, to: stage.id, label: stage.spec.when?.text) }
        }
    }

    /// Short annotations of a node, one per line: action, output, validators, retries, fallback.
    func annotations(of node: Node) -> [String] {
        var lines = [node.action]
        if let output = node.output { lines.append(output) }
        if !node.validators.isEmpty { lines.append("validate: " + node.validators.joined(separator: ", ")) }
        if node.attempts > 1 { lines.append("retry: \(node.attempts) attempts") }
        if let fallback = node.fallback { lines.append("fallback: \(fallback)") }
        return lines
    }
}

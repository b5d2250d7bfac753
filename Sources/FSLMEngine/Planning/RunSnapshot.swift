public import FSLMWorkflow

/// What is known about a run at one moment: its inputs and each stage's status and output.
/// Conditions are evaluated and templates rendered against it, by the dry-run and the scheduler.
public struct RunSnapshot: Sendable, ExpressionEnvironment {
    public var inputs: [String: JSONValue]
    public var statuses: [String: StageStatus] = [:]
    public var outputs: [String: String] = [:]

    public init(inputs: [String: JSONValue]) { self.inputs = inputs }

    public func value(of path: ExpressionPath) -> ExpressionValue? {
        let c = path.components
        switch (c.first, c.count) {
        case ("inputs", 2): return inputs[c[1]].map(Self.expressionValue)
        case ("stages", 3) where c[2] == "output": return outputs[c[1]].map { .string($0) }
        case ("stages", 3) where c[2] == "status": return statuses[c[1]].map { .string($0.rawValue) }
        default: return nil
        }
    }

    static func expressionValue(_ value: JSONValue) -> ExpressionValue {
        switch value {
        case .null, .object: .null
        case .bool(let b): .bool(b)
        case .number(let n): .number(n)
        case .string(let s): .string(s)
        case .array(let items): .list(items.map(expressionValue))
        }
    }

    /// The Mustache context: `inputs`, `stages.<id>.output|status`, `attempt`, and
    /// `feedback` (absent when empty, so `{{#feedback}}...{{/feedback}}` shows only on retries).
    /// A skipped or failed stage's output is empty. With `placeholders`, outputs that are
    /// not known yet show as `⟨stages.<id>.output⟩` (the dry-run's notation).
    public func templateContext(stageIDs: [String], attempt: Int = 1, feedback: String = "", placeholders: Bool = false) -> [String: Any] {
        var stages: [String: Any] = [:]
        for id in stageIDs {
            var entry: [String: Any] = [:]
            let status = statuses[id]
            if let output = outputs[id] {
                entry["output"] = output
            } else if placeholders, status == nil || status == .succeeded {
                entry["output"] = "⟨stages.\(id).output⟩"
            }
            if let status { entry["status"] = status.rawValue } else if placeholders { entry["status"] = "⟨stages.\(id).status⟩" }
            stages[id] = entry
        }
        var context: [String: Any] = ["inputs": inputs.mapValues(\.foundationObject), "stages": stages, "attempt": attempt]
        if !feedback.isEmpty { context["feedback"] = feedback }
        return context
    }
}

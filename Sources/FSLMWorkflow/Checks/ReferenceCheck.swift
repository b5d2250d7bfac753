/// Checks one reference (`inputs.x`, `stages.id.output`, `stages.id.status`) made by a
/// template or condition of `stage` (nil for workflow outputs, which may name any stage).
struct ReferenceResolver {
    let c: CheckContext

    /// What names a template may use besides inputs and stages.
    enum Scope { case stagePrompt, stageText, output, condition }

    /// Reports a diagnostic when the reference is invalid. Returns false when the root
    /// is not one this resolver knows (the caller decides whether that is an error).
    @discardableResult
    func check(_ path: [String], at location: SourceLocation, from stage: String?, user: String) -> Bool {
        guard let root = path.first else { return true }
        switch root {
        case "inputs":
            guard path.count >= 2 else {
                c.report(.error(.unknownVariable, "\(user) uses 'inputs' without naming an input", at: location))
                return true
            }
            c.usedInputs.insert(path[1])
            if c.spec.input(path[1]) == nil {
                let names = c.spec.inputs.map(\.name)
                c.report(.error(.unknownVariable, "\(user) uses unknown input '\(path[1])'", at: location,
                                notes: c.suggestion(path[1], among: names).isEmpty
                                    ? [.init(names.isEmpty ? "the workflow declares no inputs" : "declared inputs: \(names.joined(separator: ", "))")]
                                    : c.suggestion(path[1], among: names)))
            }
            return true
        case "stages":
            guard path.count == 3, ["output", "status"].contains(path[2]) else {
                c.report(.error(.unknownVariable, "\(user) uses '\(path.joined(separator: "."))'; write stages.ID.output or stages.ID.status", at: location))
                return true
            }
            let target = path[1]
            guard c.stagesByID[target] != nil else {
                c.report(.error(.unknownStage, "\(user) uses unknown stage '\(target)'", at: location,
                                notes: c.suggestion(target, among: c.stageIDs)))
                return true
            }
            if let stage, let index = c.index, !index.isUpstream(target, of: stage) {
                c.report(.error(.notUpstream, "\(user) uses stage '\(target)', which stage '\(stage)' does not need", at: location,
                                notes: [target == stage ? .init("a stage cannot read its own output")
                                        : .init("add '\(target)' to the 'needs' of '\(stage)' so it runs first")],
                                fixIt: nil))
            }
            return true
        default:
            return false
        }
    }
}

/// `when` conditions must parse, and name known inputs and upstream stages.
struct ConditionCheck: WorkflowCheck {
    func run(_ c: CheckContext) {
        let resolver = ReferenceResolver(c: c)
        for stage in c.spec.stages {
            guard let when = stage.when else { continue }
            switch ParsedExpression.parse(when.text, origin: when.origin) {
            case .failure(let d):
                c.report(d)
                c.usedInputsIncomplete = true
            case .success(let expression):
                c.conditions[stage.id] = expression
                for ref in expression.references {
                    resolver.check(ref.components, at: ref.location, from: stage.id, user: "the 'when' of stage '\(stage.id)'")
                }
            }
        }
    }
}

/// Warns about stages that can never run: a `when` that no outcome makes true, or needs
/// that can never all (trigger `all`) or ever (trigger `any`) succeed. Outputs of
/// `choices` stages are tried with each choice; other outputs count as unknown.
struct ReachabilityCheck: WorkflowCheck {
    /// Above this many combinations of choices, a condition is assumed satisfiable.
    static let maxCombinations = 256

    func run(_ c: CheckContext) {
        guard let index = c.index else { return }
        var never: Set<String> = []
        for id in index.order {
            let stage = c.stagesByID[id]!
            let needs = c.needs[id] ?? []
            let deadNeeds = needs.filter(never.contains)
            if !needs.isEmpty, stage.trigger == .all, let dead = deadNeeds.first {
                never.insert(id)
                c.report(.warning(.unreachableStage, "stage '\(id)' can never run: it needs '\(dead)', which can never run", at: stage.location))
            } else if !needs.isEmpty, stage.trigger == .any, deadNeeds.count == needs.count {
                never.insert(id)
                c.report(.warning(.unreachableStage, "stage '\(id)' can never run: none of the stages it needs can run", at: stage.location))
            } else if let condition = c.conditions[id], !canBeTrue(condition, c) {
                never.insert(id)
                c.report(.warning(.unreachableStage, "stage '\(id)' can never run: its 'when' is false for every possible outcome",
                                  at: stage.when?.location ?? stage.location, notes: choiceNotes(condition, c)))
            }
        }
    }

    /// Tries every combination of the referenced choices stages' outputs.
    private func canBeTrue(_ condition: ParsedExpression, _ c: CheckContext) -> Bool {
        var choiceStages: [(String, [String])] = []
        for ref in condition.references where ref.components.count == 3 && ref.components[2] == "output" {
            let id = ref.components[1]
            if case .choices(let options)? = c.stagesByID[id]?.output, !choiceStages.contains(where: { $0.0 == id }) {
                choiceStages.append((id, options))
            }
        }
        let total = choiceStages.reduce(1) { $0 * $1.1.count }
        guard total <= Self.maxCombinations else { return true }
        for n in 0..<total {
            var assignment: [String: String] = [:]
            var rest = n
            for (id, options) in choiceStages {
                assignment[id] = options[rest % options.count]
                rest /= options.count
            }
            let env = AssumedOutcomes(outputs: assignment)
            guard let truth = try? ExpressionEvaluator.evaluate(condition, in: env) else { return true }
            if truth != .false { return true }
        }
        return false
    }

    /// Notes naming literals compared with a choices output that are not among its choices.
    private func choiceNotes(_ condition: ParsedExpression, _ c: CheckContext) -> [Diagnostic.Note] {
        var notes: [Diagnostic.Note] = []
        for ref in condition.references where ref.components.count == 3 && ref.components[2] == "output" {
            if case .choices(let options)? = c.stagesByID[ref.components[1]]?.output {
                notes.append(.init("stage '\(ref.components[1])' answers one of: \(options.joined(separator: ", "))"))
            }
        }
        return notes
    }
}

/// Outputs of choices stages assumed for one combination; all else is unknown.
private struct AssumedOutcomes: ExpressionEnvironment {
    let outputs: [String: String]

    func value(of path: ExpressionPath) -> ExpressionValue? {
        guard path.components.count == 3, path.components[0] == "stages", path.components[2] == "output" else { return nil }
        return outputs[path.components[1]].map { .string($0) }
    }
}

/// Warns about declared inputs that no template or condition uses; says nothing when some
/// template or condition could not be read, since it may use any input.
struct UnusedInputCheck: WorkflowCheck {
    func run(_ c: CheckContext) {
        guard !c.usedInputsIncomplete else { return }
        for input in c.spec.inputs where !c.usedInputs.contains(input.name) {
            c.report(.warning(.unusedInput, "input '\(input.name)' is never used", at: input.location,
                              notes: [.init("use it as {{inputs.\(input.name)}} in a prompt, or remove it")]))
        }
    }
}

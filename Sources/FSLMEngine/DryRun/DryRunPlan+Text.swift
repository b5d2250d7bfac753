extension DryRunPlan {
    /// The plan as people read it.
    public var text: String {
        var out = "Dry run of workflow '\(workflow)': \(steps.count) stage\(steps.count == 1 ? "" : "s"), no model is called\n"
        for (n, step) in steps.enumerated() {
            let verdict: String
            switch step.decision {
            case "run": verdict = "runs"
            case "skip": verdict = "skipped (\(step.reason ?? ""))"
            default: verdict = "undecided (\(step.reason ?? ""))"
            }
            out += "\n\(n + 1). \(step.stage): \(verdict)\n"
            if let when = step.when { out += "   when: \(when)\n" }
            if step.kind == "model" {
                var line = "   model: \(step.model ?? "?") (\(step.backend ?? "?"))"
                if let adapter = step.adapter { line += ", adapter: \(adapter)" }
                out += line + ", output: \(step.output)\n"
                if !step.validators.isEmpty { out += "   validate: \(step.validators.joined(separator: ", "))\n" }
                var retry = step.attempts == 1 ? "   retry: none (1 attempt)" : "   retry: up to \(step.attempts) attempts on \(step.retryOn.joined(separator: ", "))"
                if step.retryFrom == "defaults" { retry += " (from defaults.retry)" }
                if let fallback = step.fallback { retry += ", then fallback to \(fallback)" }
                out += retry + "; on failure: \(step.onFailure)\n"
                let context = step.contextLength.map { " of a \($0)-token context" } ?? ""
                let atLeast = step.promptTokensAtLeast ? "at least " : ""
                out += "   prompt" + (step.promptTokens.map { " (\(atLeast)\($0) tokens\(context))" } ?? "") + ":\n"
            } else {
                out += "   text:\n"
            }
            for line in step.rendered.split(separator: "\n", omittingEmptySubsequences: false) { out += "   | \(line)\n" }
        }
        if !outputs.isEmpty {
            out += "\nOutputs:\n"
            for (name, value) in outputs.sorted(by: { $0.key < $1.key }) { out += "   \(name): \(value)\n" }
        }
        out += "\nModel calls: at most \(maxModelCalls)\n"
        for warning in warnings { out += "Warning: \(warning)\n" }
        if missingInputs.isEmpty && mistypedInputs.isEmpty && unknownInputs.isEmpty {
            out += "Inputs: complete\n"
        } else {
            for name in missingInputs { out += "Missing input: \(name)\n" }
            for problem in mistypedInputs { out += "Mistyped input: \(problem)\n" }
            for name in unknownInputs { out += "Unknown input: \(name)\n" }
        }
        return out
    }
}

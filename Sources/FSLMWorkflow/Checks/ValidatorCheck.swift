import Foundation

/// Validators must exist: built-in regexes must compile, and a plugin validator
/// (`plugin.name`) must belong to a plugin the workflow lists and that plugin must have it.
struct ValidatorCheck: WorkflowCheck {
    func run(_ c: CheckContext) {
        for stage in c.spec.stages {
            for ref in stage.validate {
                if ref.name.value == "regex", let source = ref.argumentSource {
                    Self.compile(source, "the regex of stage '\(stage.id)'", c)
                } else if ref.isPluginQualified {
                    checkPluginValidator(ref.name, stage, c)
                }
            }
        }
    }

    private func checkPluginValidator(_ name: Located<String>, _ stage: StageSpec, _ c: CheckContext) {
        let plugin = String(name.value.split(separator: ".")[0])
        if !c.spec.plugins.contains(where: { $0.value == plugin }) {
            c.report(.error(.unknownValidator, "stage '\(stage.id)' uses validator '\(name.value)' of plugin '\(plugin)', which the workflow does not list in 'plugins'",
                            at: name.location, notes: [.init("add '\(plugin)' to 'plugins:'")]))
        } else if c.plugins.hasPlugin(plugin), !c.plugins.hasValidator(name.value) {
            // A listed plugin that was not found is reported once, at the list.
            c.report(.error(.unknownValidator, "unknown validator '\(name.value)'", at: name.location,
                            notes: c.suggestion(name.value, among: c.plugins.validatorNames)))
        }
    }

    static func compile(_ source: TextSource, _ what: String, _ c: CheckContext) {
        do {
            _ = try NSRegularExpression(pattern: source.text)
        } catch {
            c.report(.error(.invalidRegex, "\(what) is not a valid regular expression: '\(source.text)'", at: source.origin.start,
                            notes: [.init(Self.hint(for: source.text))]))
        }
    }

    /// A short hint at the likely cause.
    private static func hint(for pattern: String) -> String {
        var parens = 0, brackets = 0, escaped = false
        for ch in pattern {
            if escaped { escaped = false; continue }
            switch ch {
            case "\\": escaped = true
            case "(": parens += 1
            case ")": parens -= 1
            case "[": brackets += 1
            case "]": brackets -= 1
            default: break
            }
        }
        if parens != 0 { return "its parentheses are unbalanced" }
        if brackets != 0 { return "its brackets are unbalanced" }
        return "check the escapes and repetition operators"
    }
}

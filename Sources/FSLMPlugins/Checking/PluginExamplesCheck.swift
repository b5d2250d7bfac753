public import FSLMWorkflow

/// Runs every validator of a plugin against the examples its manifest declares: each
/// `pass` example must pass and each `fail` example must fail. A validator that cannot
/// judge an example (it crashed, timed out, printed nonsense) is a failed check too.
public struct PluginExamplesCheck: Sendable {
    /// One example's outcome.
    public struct Result: Sendable, Hashable {
        /// `plugin.validator`.
        public var validator: String
        public var example: String
        /// True when the example was declared as one that must pass.
        public var shouldPass: Bool
        /// Nil when the validator behaved as declared; else what went wrong.
        public var problem: String?
        public var location: SourceLocation

        /// The example on one line, escaped and in double quotes, for messages.
        public var quotedExample: String { ReplyExcerpt.quoted(example) }
    }

    public let registry: ValidatorRegistry

    public init(registry: ValidatorRegistry) { self.registry = registry }

    /// The results of every example of every validator of `plugin`, in manifest order.
    public func run(_ plugin: Plugin) async -> [Result] {
        var results: [Result] = []
        for name in plugin.manifest.declaredValidatorNames {
            guard let declaration = plugin.manifest.validators[name] else { continue }
            let id = "\(plugin.name).\(name)"
            let ref = ValidatorRef(name: Located(id, at: declaration.location))
            let validator: any Validator
            do { validator = try registry.make(ref) } catch {
                results.append(Result(validator: id, example: "", shouldPass: true, problem: error.description, location: declaration.location))
                continue
            }
            let cases = declaration.examples.pass.map { ($0, true) } + declaration.examples.fail.map { ($0, false) }
            for (example, shouldPass) in cases {
                let context = ValidationContext(stage: "plugins-check", inputs: [:], attempt: 1)
                let outcome = await ValidationRun.run([validator], on: example.value, in: context)
                var problem: String?
                if let error = outcome.errors.first {
                    problem = error.description
                } else if outcome.passed != shouldPass {
                    problem = shouldPass ? "it failed: \(outcome.feedback)" : "it passed, but it is declared as a failing example"
                }
                results.append(Result(validator: id, example: example.value, shouldPass: shouldPass, problem: problem, location: example.location))
            }
        }
        return results
    }
}

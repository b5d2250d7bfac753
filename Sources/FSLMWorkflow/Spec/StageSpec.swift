/// One stage of a workflow as the file declares it (before defaults are applied).
public struct StageSpec: Sendable {
    /// When a stage with `needs` may run.
    public enum Trigger: String, Sendable, CaseIterable {
        /// Every needed stage succeeded (a skipped or failed need skips this stage).
        case all
        /// Every needed stage finished and at least one succeeded (a join after a branch).
        case any
    }

    /// What happens when a stage's attempts run out.
    public enum FailurePolicy: String, Sendable, CaseIterable {
        /// The run fails.
        case fail
        /// The stage is marked skipped; stages after it follow the trigger rules.
        case skip
        /// The last output is kept, marked invalid, and the run goes on.
        case `continue`
    }

    /// The form a stage's output takes.
    public enum OutputFormat: Sendable, Hashable {
        /// Free text (trimmed).
        case text
        /// A JSON value.
        case json
        /// Exactly one of these strings; constrained where the backend can.
        case choices([String])
    }

    /// Where a stage's prompt comes from.
    public enum Prompt: Sendable {
        /// An inline Mustache template.
        case inline(TextSource)
        /// A plugin template, `plugin.template`.
        case template(Located<String>)
    }

    public var id: String
    /// Where the stage's id is written.
    public var location: SourceLocation
    public var description: String?
    public var needs: [Located<String>]
    /// The `when` condition's source, compiled by the checker.
    public var when: TextSource?
    public var trigger: Trigger
    public var model: Located<String>?
    public var adapter: Located<String>?
    public var prompt: Prompt?
    /// A fixed text (a template too) produced with no model.
    public var text: TextSource?
    public var output: OutputFormat
    public var outputLocation: SourceLocation?
    public var validate: [ValidatorRef]
    public var retry: RetryPolicy?
    public var retryLocation: SourceLocation?
    public var timeout: Duration?
    public var onFailure: FailurePolicy
    public var fallback: Located<String>?
    public var generation: GenerationOptions

    public init(id: String, location: SourceLocation) {
        self.id = id
        self.location = location
        self.needs = []
        self.trigger = .all
        self.output = .text
        self.validate = []
        self.onFailure = .fail
        self.generation = GenerationOptions()
    }

    /// True when the stage calls a model (it has a prompt rather than a fixed text).
    public var callsModel: Bool { prompt != nil }
}

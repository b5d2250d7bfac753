/// A workflow that passed its checks: every stage resolved against the defaults, its
/// templates and condition compiled, its model found. This is what graphs, dry-runs
/// and the scheduler use.
public struct Workflow: Sendable {
    public let spec: WorkflowSpec
    /// In file order.
    public let stages: [Stage]
    public let outputs: [Output]

    public init(spec: WorkflowSpec, stages: [Stage], outputs: [Output], dependencies: DependencyIndex) {
        self.spec = spec
        self.stages = stages
        self.outputs = outputs
        self.dependencies = dependencies
        var positions: [String: Int] = [:]
        for (i, stage) in stages.enumerated() where positions[stage.id] == nil { positions[stage.id] = i }
        self.positions = positions
    }

    /// Each stage's index in `stages`.
    private let positions: [String: Int]

    /// The index of stage `id` in `stages` (its declaration order).
    public func position(of id: String) -> Int? { positions[id] }

    /// The stage with this id.
    public func stage(_ id: String) -> Stage? { positions[id].map { stages[$0] } }

    /// Stage order and transitive needs.
    public let dependencies: DependencyIndex

    /// Stage ids in an order where every stage comes after all it needs.
    public var topologicalOrder: [String] { dependencies.order }

    /// A named output and its compiled template.
    public struct Output: Sendable {
        public let name: String
        public let template: PromptTemplate

        public init(name: String, template: PromptTemplate) {
            self.name = name
            self.template = template
        }
    }
}

/// One stage, resolved: defaults applied, templates and condition compiled.
public struct Stage: Sendable {
    public let spec: StageSpec
    /// The stages it needs, by id, in declared order.
    public let needs: [String]
    public let condition: ParsedExpression?
    /// The compiled prompt (inline or a plugin's); nil for text stages.
    public let prompt: PromptTemplate?
    /// The qualified name of a plugin template, when the prompt comes from one.
    public let promptTemplateName: String?
    /// The compiled fixed text; nil for model stages.
    public let text: PromptTemplate?
    /// The model it calls (stage `model`, else `defaults.model`, else the only model).
    public let model: ModelSpec?
    public let adapter: String?
    /// Stage options over the defaults.
    public let generation: GenerationOptions
    public let retry: RetryPolicy
    /// Where the effective retry policy was written (the stage's, or `defaults.retry`).
    public let retrySource: RetrySource
    public let timeout: Duration?
    public let fallback: ModelSpec?

    /// Where a stage's retry policy comes from, for messages and dry-run output.
    public enum RetrySource: Sendable, Hashable {
        case stage(SourceLocation)
        case defaults(SourceLocation)
        case none
    }

    public init(
        spec: StageSpec, needs: [String], condition: ParsedExpression?, prompt: PromptTemplate?,
        promptTemplateName: String?, text: PromptTemplate?, model: ModelSpec?, adapter: String?, generation: GenerationOptions,
        retry: RetryPolicy, retrySource: RetrySource, timeout: Duration?, fallback: ModelSpec?
    ) {
        self.spec = spec
        self.needs = needs
        self.condition = condition
        self.prompt = prompt
        self.promptTemplateName = promptTemplateName
        self.text = text
        self.model = model
        self.adapter = adapter
        self.generation = generation
        self.retry = retry
        self.retrySource = retrySource
        self.timeout = timeout
        self.fallback = fallback
    }

    public var id: String { spec.id }

    /// The stages whose output or status its prompt or text reads, in first-use order.
    public var referencedStages: [String] {
        var seen: Set<String> = []
        return ((prompt ?? text)?.variables ?? []).compactMap { v in
            v.path.count >= 2 && v.path[0] == "stages" && seen.insert(v.path[1]).inserted ? v.path[1] : nil
        }
    }

    /// The worst-case number of model calls: every attempt, plus one on the fallback model.
    public var maxModelCalls: Int {
        guard spec.callsModel else { return 0 }
        return retry.attempts + (fallback == nil ? 0 : 1)
    }
}

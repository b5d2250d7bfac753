/// One static check over a workflow. Checks run in sequence over a shared context; each
/// adds diagnostics and may record what it compiled or resolved for later checks.
protocol WorkflowCheck {
    func run(_ context: CheckContext)
}

/// What the checks share while they run.
final class CheckContext {
    let spec: WorkflowSpec
    let plugins: any PluginCatalog
    var diagnostics: [Diagnostic] = []

    /// Stage ids in file order, and by id.
    let stageIDs: [String]
    let stagesByID: [String: StageSpec]
    /// Valid `needs` of each stage (unknown ones dropped).
    var needs: [String: [String]] = [:]
    /// Order and transitive needs; set by the graph check when there is no cycle.
    var index: DependencyIndex?
    /// True when the needs graph has a cycle (later checks that walk it then stop).
    var hasCycle = false
    var conditions: [String: ParsedExpression] = [:]
    var prompts: [String: PromptTemplate] = [:]
    var texts: [String: PromptTemplate] = [:]
    var outputs: [String: PromptTemplate] = [:]
    var models: [String: ModelSpec] = [:]
    var fallbacks: [String: ModelSpec] = [:]
    /// Inputs named by some template or condition.
    var usedInputs: Set<String> = []
    /// True when a template or condition could not be read, so `usedInputs` may miss some.
    var usedInputsIncomplete = false

    init(spec: WorkflowSpec, plugins: any PluginCatalog) {
        self.spec = spec
        self.plugins = plugins
        stageIDs = spec.stages.map(\.id)
        var byID: [String: StageSpec] = [:]
        for stage in spec.stages where byID[stage.id] == nil { byID[stage.id] = stage }
        stagesByID = byID
    }

    func report(_ d: Diagnostic) { diagnostics.append(d) }

    /// A "did you mean" note for `name` among `candidates`, if one is close.
    func suggestion(_ name: String, among candidates: [String]) -> [Diagnostic.Note] {
        EditDistance.suggestion(for: name, among: candidates).map { [Diagnostic.Note("did you mean '\($0)'?")] } ?? []
    }
}

/// Runs every static check on a decoded workflow and, when there are no errors,
/// resolves it into a `Workflow`. All problems are reported, not only the first.
public struct WorkflowChecker {
    public var plugins: any PluginCatalog

    public init(plugins: any PluginCatalog = EmptyPluginCatalog()) { self.plugins = plugins }

    /// The checks, in the order they run; later ones use what earlier ones resolved.
    let checks: [any WorkflowCheck] = [
        StageGraphCheck(), ModelCheck(), PluginListCheck(), ValidatorCheck(), ConditionCheck(), TemplateCheck(),
        ReachabilityCheck(), UnusedInputCheck(),
    ]

    /// The resolved workflow (nil when any diagnostic is an error) and all diagnostics.
    public func check(_ spec: WorkflowSpec) -> (Workflow?, [Diagnostic]) {
        let c = CheckContext(spec: spec, plugins: plugins)
        for check in checks { check.run(c) }
        guard !c.diagnostics.hasErrors, let index = c.index else { return (nil, c.diagnostics) }
        return (resolve(c, index), c.diagnostics)
    }

    private func resolve(_ c: CheckContext, _ index: DependencyIndex) -> Workflow {
        let defaults = c.spec.defaults
        let stages = c.spec.stages.map { spec -> Stage in
            let retrySource: Stage.RetrySource
            if let l = spec.retryLocation { retrySource = .stage(l) } else if let l = defaults.retryLocation { retrySource = .defaults(l) } else { retrySource = .none }
            let promptName: String?
            if case .template(let name)? = spec.prompt { promptName = name.value } else { promptName = nil }
            return Stage(
                spec: spec, needs: c.needs[spec.id] ?? [],
                condition: c.conditions[spec.id], prompt: c.prompts[spec.id], promptTemplateName: promptName,
                text: c.texts[spec.id], model: c.models[spec.id], adapter: spec.adapter?.value,
                generation: spec.generation.merged(over: defaults.generation),
                retry: spec.retry ?? defaults.retry ?? RetryPolicy(), retrySource: retrySource,
                timeout: spec.timeout ?? defaults.timeout, fallback: c.fallbacks[spec.id])
        }
        let outputs = c.spec.outputs.compactMap { o in c.outputs[o.name].map { Workflow.Output(name: o.name, template: $0) } }
        return Workflow(spec: c.spec, stages: stages, outputs: outputs, dependencies: index)
    }
}

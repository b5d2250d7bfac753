/// Prompts, texts and outputs must compile as Mustache and name only known inputs,
/// upstream stages, `attempt` and `feedback` (the last two in model prompts).
struct TemplateCheck: WorkflowCheck {
    func run(_ c: CheckContext) {
        for stage in c.spec.stages {
            switch stage.prompt {
            case .inline(let source)?:
                if let t = compile(source, "the prompt of stage '\(stage.id)'", from: stage.id, extra: ["attempt", "feedback"], c) {
                    c.prompts[stage.id] = t
                }
            case .template(let name)?:
                if let t = pluginTemplate(name, stage, c) {
                    c.prompts[stage.id] = t
                    let before = c.diagnostics.count
                    checkVariables(t, "template '\(name.value)' (used by stage '\(stage.id)')", from: stage.id, extra: ["attempt", "feedback"], c)
                    // Problems inside a plugin's file also point back at the stage that uses it.
                    for i in before..<c.diagnostics.count {
                        c.diagnostics[i].notes.append(.init("stage '\(stage.id)' uses the template here", at: name.location))
                    }
                } else {
                    c.usedInputsIncomplete = true
                }
            case nil:
                break
            }
            if let source = stage.text, let t = compile(source, "the text of stage '\(stage.id)'", from: stage.id, extra: [], c) {
                c.texts[stage.id] = t
            }
        }
        for output in c.spec.outputs {
            if let t = compile(output.template, "output '\(output.name)'", from: nil, extra: [], c) { c.outputs[output.name] = t }
        }
    }

    private func compile(_ source: TextSource, _ user: String, from stage: String?, extra: Set<String>, _ c: CheckContext) -> PromptTemplate? {
        switch PromptTemplate.compile(source.text, origin: source.origin) {
        case .failure(let d):
            c.report(d)
            c.usedInputsIncomplete = true
            return nil
        case .success(let t):
            checkVariables(t, user, from: stage, extra: extra, c)
            return t
        }
    }

    private func pluginTemplate(_ name: Located<String>, _ stage: StageSpec, _ c: CheckContext) -> PromptTemplate? {
        let plugin = String(name.value.split(separator: ".")[0])
        if !c.spec.plugins.contains(where: { $0.value == plugin }) {
            c.report(.error(.unknownTemplate, "stage '\(stage.id)' uses template '\(name.value)' of plugin '\(plugin)', which the workflow does not list in 'plugins'",
                            at: name.location, notes: [.init("add '\(plugin)' to 'plugins:'")]))
            return nil
        }
        guard let t = c.plugins.template(name.value) else {
            // A listed plugin that was not found is reported once, at the list; a declared
            // template that does not compile, with its plugin's problems.
            if c.plugins.hasPlugin(plugin), !c.plugins.templateNames.contains(name.value) {
                c.report(.error(.unknownTemplate, "unknown template '\(name.value)'", at: name.location,
                                notes: c.suggestion(name.value, among: c.plugins.templateNames)))
            }
            return nil
        }
        return t
    }

    private func checkVariables(_ t: PromptTemplate, _ user: String, from stage: String?, extra: Set<String>, _ c: CheckContext) {
        let resolver = ReferenceResolver(c: c)
        for variable in t.variablesIncludingPartials {
            guard let root = variable.path.first else { continue }
            if resolver.check(variable.path, at: variable.location, from: stage, user: user) { continue }
            if extra.contains(root) { continue }
            // Inside a section a name may be a field of the section's item.
            if variable.sectionDepth > 0 { continue }
            let allowed = ["inputs.NAME", "stages.ID.output", "stages.ID.status"] + extra.sorted()
            let guess = EditDistance.suggestion(for: root, among: ["inputs", "stages"] + extra.sorted())
            c.report(.error(.unknownVariable, "\(user) uses unknown variable '\(variable.path.joined(separator: "."))'", at: variable.location,
                            notes: [.init(guess.map { "did you mean '\($0)'?" } ?? "templates here can use \(allowed.joined(separator: ", "))")]))
        }
    }
}

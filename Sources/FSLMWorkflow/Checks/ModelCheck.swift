import Foundation

/// Model stages must resolve to a declared model (the stage's `model`, else
/// `defaults.model`, else the only declared model); adapters must exist on that model;
/// fallbacks must name another declared model; scripted rules' regexes must compile.
struct ModelCheck: WorkflowCheck {
    func run(_ c: CheckContext) {
        let names = c.spec.models.map(\.name)
        var byName: [String: ModelSpec] = [:]
        for model in c.spec.models { byName[model.name] = model }
        if let d = c.spec.defaults.model, byName[d.value] == nil {
            c.report(.error(.unknownModel, "'defaults.model' names unknown model '\(d.value)'", at: d.location,
                            notes: c.suggestion(d.value, among: names)))
        }
        for stage in c.spec.stages where stage.callsModel {
            let model: ModelSpec?
            if let named = stage.model ?? c.spec.defaults.model {
                model = byName[named.value]
                if model == nil, stage.model != nil {
                    c.report(.error(.unknownModel, "stage '\(stage.id)' uses unknown model '\(named.value)'", at: named.location,
                                    notes: c.suggestion(named.value, among: names)))
                }
            } else if c.spec.models.count == 1 {
                model = c.spec.models[0]
            } else {
                model = nil
                c.report(.error(.unknownModel, "stage '\(stage.id)' calls a model but names none", at: stage.location,
                                notes: [.init(c.spec.models.isEmpty ? "declare one under 'models:'" : "add 'model:' to the stage or 'defaults.model'")]))
            }
            if let model {
                c.models[stage.id] = model
                checkAdapter(stage, model, c)
            }
            if let fb = stage.fallback {
                if let fallback = byName[fb.value] {
                    if fallback.name == model?.name {
                        c.report(.warning(.invalidValue, "stage '\(stage.id)' falls back to the model it already uses", at: fb.location))
                    }
                    c.fallbacks[stage.id] = fallback
                } else {
                    c.report(.error(.unknownModel, "stage '\(stage.id)' falls back to unknown model '\(fb.value)'", at: fb.location,
                                    notes: c.suggestion(fb.value, among: names)))
                }
            }
        }
        checkEnvironment(c)
        for model in c.spec.models {
            guard case .scripted(let scripted) = model.backend else { continue }
            for rule in scripted.rules {
                if let pattern = rule.promptMatches { ValidatorCheck.compile(pattern, "'prompt_matches'", c) }
            }
        }
    }

    private func checkAdapter(_ stage: StageSpec, _ model: ModelSpec, _ c: CheckContext) {
        guard let adapter = stage.adapter, let known = model.adapterNames else { return }
        let names = known.map(\.value)
        if !names.contains(adapter.value) {
            var notes = c.suggestion(adapter.value, among: names)
            if notes.isEmpty {
                notes = [.init(names.isEmpty ? "model '\(model.name)' declares no adapters" : "model '\(model.name)' has: \(names.joined(separator: ", "))")]
            }
            c.report(.error(.unknownAdapter, "stage '\(stage.id)' uses adapter '\(adapter.value)', which model '\(model.name)' does not declare",
                            at: adapter.location, notes: notes))
        }
    }

    /// `${env.NAME}` is read when a model is used; warn now if NAME is not set here.
    private func checkEnvironment(_ c: CheckContext) {
        let environment = ProcessInfo.processInfo.environment
        for model in c.spec.models {
            var fields: [Located<String>] = []
            switch model.backend {
            case .native(let m): fields = [m.path] + m.adapters.map(\.target)
            case .openai(let m): fields = m.baseURLs + [m.model] + m.adapters.map(\.target)
            case .scripted: break
            }
            for field in fields {
                for name in EnvironmentExpansion.variables(in: field.value) where environment[name] == nil {
                    c.report(.warning(.unsetEnvironment, "environment variable '\(name)' is not set; model '\(model.name)' cannot be used without it",
                                      at: field.location))
                }
            }
        }
    }
}

/// Decodes one entry of `stages:`.
struct StageDecoder {
    let reader: NodeReader

    static let keys = [
        "description", "needs", "when", "trigger", "model", "adapter", "prompt", "text", "output", "validate",
        "retry", "timeout", "on_failure", "fallback", "generation",
    ]

    /// Sampling keys written directly on a stage belong under `generation:`; `validators`
    /// and `depends_on` are common slips for `validate` and `needs`.
    static let hints: [String: String] = {
        var hints = Dictionary(uniqueKeysWithValues: GenerationDecoder.keys.map { ($0, "'\($0)' goes under 'generation:', e.g. generation: { \($0): ... }") })
        hints["validators"] = "did you mean 'validate'?"
        hints["depends_on"] = "did you mean 'needs'?"
        hints["condition"] = "did you mean 'when'?"
        return hints
    }()

    func decode(id: String, keyNode: YAMLNode, _ node: YAMLNode) -> StageSpec {
        var stage = StageSpec(id: id, location: keyNode.location)
        let what = "stage '\(id)'"
        guard let f = reader.mapping(node, what, allowed: Self.keys, hints: Self.hints) else { return stage }
        if let d = f["description"] { stage.description = reader.string(d, "'description'") }
        if let n = f["needs"] { stage.needs = reader.stringList(n, "'needs' of \(what)") ?? [] }
        if let w = f["when"] { stage.when = reader.textSource(w, "'when' of \(what)") }
        if let t = f["trigger"], let v = reader.choice(t, "'trigger' of \(what)", among: StageSpec.Trigger.allCases.map(\.rawValue)) {
            stage.trigger = StageSpec.Trigger(rawValue: v)!
        }
        if let m = f["model"] { stage.model = reader.located(m, "'model' of \(what)") }
        if let a = f["adapter"] { stage.adapter = reader.located(a, "'adapter' of \(what)") }
        if let p = f["prompt"] { stage.prompt = decodePrompt(p, what) }
        if let t = f["text"] { stage.text = reader.textSource(t, "'text' of \(what)") }
        switch (f.has("prompt"), f.has("text")) {
        case (false, false):
            reader.report(.error(.missingKey, "\(what) has neither 'prompt' nor 'text'", at: keyNode.location,
                                 notes: [.init("add 'prompt:' to ask a model, or 'text:' for a fixed text")]))
        case (true, true):
            reader.report(.error(.invalidValue, "\(what) has both 'prompt' and 'text'; keep one", at: f.keyNode("text")!.location))
        default: break
        }
        if let o = f["output"] {
            stage.output = decodeOutput(o, what) ?? .text
            stage.outputLocation = o.location
        }
        if let v = f["validate"] { stage.validate = ValidatorRefDecoder(reader: reader).decodeList(v, what) }
        if let r = f["retry"] {
            stage.retry = RetryDecoder(reader: reader).decode(r, "'retry' of \(what)")
            stage.retryLocation = r.location
        }
        if let t = f["timeout"] { stage.timeout = reader.duration(t, "'timeout' of \(what)") }
        if let o = f["on_failure"], let v = reader.choice(o, "'on_failure' of \(what)", among: StageSpec.FailurePolicy.allCases.map(\.rawValue)) {
            stage.onFailure = StageSpec.FailurePolicy(rawValue: v)!
        }
        if let fb = f["fallback"] { stage.fallback = reader.located(fb, "'fallback' of \(what)") }
        if let g = f["generation"] { stage.generation = GenerationDecoder(reader: reader).decode(g, "'generation' of \(what)") }
        if stage.text != nil, stage.prompt == nil {
            for key in ["model", "adapter", "generation", "fallback"] where f.has(key) {
                reader.report(.warning(.invalidValue, "'\(key)' has no effect on \(what), which has a fixed 'text'", at: f.keyNode(key)!.location))
            }
        }
        return stage
    }

    private func decodePrompt(_ node: YAMLNode, _ what: String) -> StageSpec.Prompt? {
        if node.scalar != nil {
            return reader.textSource(node, "'prompt' of \(what)").map { .inline($0) }
        }
        guard node.mapping != nil else {
            reader.typeMismatch(node, "'prompt' of \(what)", expected: "a text or { template: plugin.name }")
            return nil
        }
        guard let f = reader.mapping(node, "'prompt' of \(what)", allowed: ["template"]) else { return nil }
        guard let t = f["template"] else {
            reader.report(.error(.missingKey, "'prompt' of \(what) needs 'template: plugin.name' (or write the prompt inline)", at: node.location))
            return nil
        }
        guard let name = reader.located(t, "'template' of \(what)") else { return nil }
        if name.value.split(separator: ".", omittingEmptySubsequences: false).count != 2 || name.value.contains(" ") {
            reader.report(.error(.invalidValue, "template name '\(name.value)' must be qualified as 'plugin.template'", at: t.location))
            return nil
        }
        return .template(name)
    }

    private func decodeOutput(_ node: YAMLNode, _ what: String) -> StageSpec.OutputFormat? {
        if node.scalar != nil {
            guard let kind = reader.choice(node, "'output' of \(what)", among: ["text", "json"]) else { return nil }
            return kind == "json" ? .json : .text
        }
        guard node.mapping != nil else {
            reader.typeMismatch(node, "'output' of \(what)", expected: "text, json or { choices: [...] }")
            return nil
        }
        guard let f = reader.mapping(node, "'output' of \(what)", allowed: ["choices"]) else { return nil }
        guard let c = f["choices"] else {
            reader.report(.error(.missingKey, "'output' of \(what) needs 'choices: [...]' (or write 'text' or 'json')", at: node.location))
            return nil
        }
        guard let choices = reader.stringList(c, "'choices' of \(what)"), c.sequence != nil else {
            if c.sequence == nil, c.scalar != nil { reader.typeMismatch(c, "'choices' of \(what)", expected: "a list of strings") }
            return nil
        }
        if choices.isEmpty {
            reader.report(.error(.invalidValue, "'choices' of \(what) is empty", at: c.location))
            return nil
        }
        var seen: Set<String> = []
        for choice in choices where !seen.insert(choice.value).inserted {
            reader.report(.error(.invalidValue, "choice '\(choice.value)' appears twice", at: choice.location))
        }
        return .choices(choices.map(\.value))
    }
}

/// Decodes `models:`, one entry per model name, by backend.
struct ModelDecoder {
    let reader: NodeReader

    static let backends = ["native", "openai", "scripted"]
    static let keys: [String: [String]] = [
        "native": ["backend", "path", "adapters", "dtype"],
        "openai": ["backend", "base_url", "base_urls", "model", "api", "api_key_env", "adapters", "timeout", "max_connections"],
        "scripted": ["backend", "delay", "rules", "adapters"],
    ]

    func decodeModels(_ node: YAMLNode) -> [ModelSpec] {
        guard let models = reader.mapping(node, "'models'") else { return [] }
        return models.entries.compactMap { name, keyNode, value in decode(name: name, keyNode: keyNode, value) }
    }

    private func decode(name: String, keyNode: YAMLNode, _ node: YAMLNode) -> ModelSpec? {
        let what = "model '\(name)'"
        guard let probe = reader.mapping(node, what) else { return nil }
        guard let b = probe["backend"] else {
            reader.report(.error(.missingKey, "\(what) needs 'backend: native | openai | scripted'", at: keyNode.location))
            return nil
        }
        guard let backend = reader.choice(b, "'backend' of \(what)", among: Self.backends),
            let f = reader.mapping(node, what, allowed: Self.keys[backend]!)
        else { return nil }
        let decoded: ModelSpec.Backend?
        switch backend {
        case "native": decoded = native(f, what).map { .native($0) }
        case "openai": decoded = openai(f, what).map { .openai($0) }
        default: decoded = scripted(f, what).map { .scripted($0) }
        }
        return decoded.map { ModelSpec(name: name, backend: $0, location: keyNode.location) }
    }

    private func required(_ f: KeyedNodes, _ key: String, _ what: String) -> Located<String>? {
        guard let n = f[key] else {
            reader.report(.error(.missingKey, "\(what) needs '\(key)'", at: f.location))
            return nil
        }
        return reader.located(n, "'\(key)' of \(what)")
    }

    private func adapters(_ f: KeyedNodes, _ what: String) -> [AdapterSpec] {
        guard let n = f["adapters"], let map = reader.mapping(n, "'adapters' of \(what)") else { return [] }
        return map.entries.compactMap { name, keyNode, value in
            reader.located(value, "adapter '\(name)' of \(what)").map {
                AdapterSpec(name: Located(name, at: keyNode.location), target: $0)
            }
        }
    }

    private func native(_ f: KeyedNodes, _ what: String) -> NativeModelSpec? {
        guard let path = required(f, "path", what) else { return nil }
        var model = NativeModelSpec(path: path, adapters: adapters(f, what))
        if let d = f["dtype"], reader.choice(d, "'dtype' of \(what)", among: ["f32", "f16", "bf16", "q8"]) != nil {
            model.dtype = reader.located(d, "'dtype'")
        }
        return model
    }

    private func openai(_ f: KeyedNodes, _ what: String) -> OpenAIModelSpec? {
        var urls: [Located<String>] = []
        if let u = f["base_url"], let url = reader.located(u, "'base_url' of \(what)") { urls.append(url) }
        if let u = f["base_urls"], let list = reader.stringList(u, "'base_urls' of \(what)") { urls += list }
        if !f.has("base_url") && !f.has("base_urls") {
            reader.report(.error(.missingKey, "\(what) needs 'base_url' (or 'base_urls')", at: f.location))
        }
        guard let model = required(f, "model", what) else { return nil }
        var api = Located("completions", at: f.location)
        if let a = f["api"], reader.choice(a, "'api' of \(what)", among: ["completions", "chat"]) != nil {
            api = reader.located(a, "'api'")!
        }
        var spec = OpenAIModelSpec(baseURLs: urls, model: model, api: api, adapters: adapters(f, what))
        if let k = f["api_key_env"] { spec.apiKeyEnv = reader.located(k, "'api_key_env' of \(what)") }
        if let t = f["timeout"] { spec.timeout = reader.duration(t, "'timeout' of \(what)") }
        if let m = f["max_connections"] { spec.maxConnections = reader.int(m, "'max_connections' of \(what)", in: 1...10_000) }
        return spec
    }

    static let ruleKeys = ["prompt_matches", "adapter", "replies"]

    private func scripted(_ f: KeyedNodes, _ what: String) -> ScriptedModelSpec? {
        var model = ScriptedModelSpec(rules: [])
        if let d = f["delay"] { model.delay = reader.duration(d, "'delay' of \(what)") }
        if let a = f["adapters"] { model.adapters = reader.stringList(a, "'adapters' of \(what)") }
        guard let r = f["rules"] else {
            reader.report(.error(.missingKey, "\(what) needs 'rules', a list of replies to give", at: f.location))
            return model
        }
        guard let items = r.sequence else {
            reader.typeMismatch(r, "'rules' of \(what)", expected: "a list of rules")
            return model
        }
        for item in items {
            guard let rf = reader.mapping(item, "a rule of \(what)", allowed: Self.ruleKeys) else { continue }
            let matches = rf["prompt_matches"].flatMap { reader.textSource($0, "'prompt_matches'") }
            let adapter = rf["adapter"].flatMap { reader.located($0, "'adapter' of a rule") }
            guard let repliesNode = rf["replies"] else {
                reader.report(.error(.missingKey, "a rule of \(what) needs 'replies'", at: item.location))
                continue
            }
            let replies = decodeReplies(repliesNode)
            model.rules.append(ScriptedRule(promptMatches: matches, adapter: adapter, replies: replies, location: item.location))
        }
        return model
    }

    private func decodeReplies(_ node: YAMLNode) -> [ScriptedReply] {
        let items = node.sequence ?? [node]
        if items.isEmpty { reader.report(.error(.invalidValue, "'replies' is empty", at: node.location)) }
        return items.compactMap { item in
            if let s = item.scalar, !s.isNull { return .text(s.text) }
            guard let f = reader.mapping(item, "a reply", allowed: ["error", "sleep"]), f.entries.count == 1 else {
                if item.mapping != nil { reader.report(.error(.invalidValue, "a reply is text, {error: message} or {sleep: duration}", at: item.location)) }
                return nil
            }
            if let e = f["error"] { return reader.string(e, "'error'").map { .error($0) } }
            return f["sleep"].flatMap { reader.duration($0, "'sleep'") }.map { .sleep($0) }
        }
    }
}

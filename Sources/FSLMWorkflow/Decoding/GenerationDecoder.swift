/// Decodes `generation:` blocks (defaults, stages and retry `vary`).
struct GenerationDecoder {
    let reader: NodeReader

    static let keys = ["max_tokens", "temperature", "top_k", "top_p", "min_p", "seed", "stop", "repetition_penalty"]

    func decode(_ node: YAMLNode, _ what: String) -> GenerationOptions {
        var g = GenerationOptions()
        guard let f = reader.mapping(node, what, allowed: Self.keys) else { return g }
        if let n = f["max_tokens"] { g.maxTokens = reader.int(n, "'max_tokens'", in: 1...1_000_000) }
        if let n = f["temperature"] { g.temperature = reader.double(n, "'temperature'", rule: "at least 0") { $0 >= 0 } }
        if let n = f["top_k"] { g.topK = reader.int(n, "'top_k'", in: 0...Int.max) }
        if let n = f["top_p"] { g.topP = reader.double(n, "'top_p'", rule: "greater than 0 and at most 1") { $0 > 0 && $0 <= 1 } }
        if let n = f["min_p"] { g.minP = reader.double(n, "'min_p'", rule: "between 0 and 1") { $0 >= 0 && $0 <= 1 } }
        if let n = f["seed"] { g.seed = reader.int(n, "'seed'", in: 0...Int.max) }
        if let n = f["stop"] {
            g.stop = reader.stringList(n, "'stop'")?.map(\.value)
            if g.stop?.contains("") == true { reader.report(.error(.invalidValue, "'stop' strings must not be empty", at: n.location)) }
        }
        if let n = f["repetition_penalty"] {
            g.repetitionPenalty = reader.double(n, "'repetition_penalty'", rule: "greater than 0") { $0 > 0 }
        }
        return g
    }
}

/// Decodes `retry:` blocks; `retry: 3` is short for `retry: {attempts: 3}`.
struct RetryDecoder {
    let reader: NodeReader

    static let keys = ["attempts", "on", "backoff", "vary", "feedback"]
    static let backoffKeys = ["initial", "factor", "max", "jitter"]

    func decode(_ node: YAMLNode, _ what: String) -> RetryPolicy? {
        var policy = RetryPolicy()
        if node.scalar != nil {
            guard let n = reader.int(node, "'attempts' in \(what)", in: 1...1000) else { return nil }
            policy.attempts = n
            return policy
        }
        guard node.mapping != nil else {
            reader.typeMismatch(node, what, expected: "a number of attempts or a mapping")
            return nil
        }
        guard let f = reader.mapping(node, what, allowed: Self.keys) else { return nil }
        if let a = f["attempts"], let n = reader.int(a, "'attempts'", in: 1...1000) { policy.attempts = n }
        if let o = f["on"], let list = reader.stringList(o, "'on'") {
            let names = RetryPolicy.Condition.allCases.map(\.rawValue)
            policy.on = Set(list.compactMap { item in
                reader.choice(YAMLNode(.scalar(YAMLScalar(item.value)), at: item.location), "each item of 'on'", among: names)
                    .flatMap(RetryPolicy.Condition.init(rawValue:))
            })
        }
        if let b = f["backoff"], let bf = reader.mapping(b, "'backoff'", allowed: Self.backoffKeys) {
            if let v = bf["initial"], let d = reader.duration(v, "'backoff.initial'") { policy.backoff.initial = d }
            if let v = bf["factor"], let x = reader.double(v, "'backoff.factor'", rule: "at least 1", { $0 >= 1 }) { policy.backoff.factor = x }
            if let v = bf["max"], let d = reader.duration(v, "'backoff.max'") { policy.backoff.max = d }
            if let v = bf["jitter"], let x = reader.double(v, "'backoff.jitter'", rule: "between 0 and 1", { $0 >= 0 && $0 <= 1 }) {
                policy.backoff.jitter = x
            }
        }
        if let v = f["vary"] { policy.vary = GenerationDecoder(reader: reader).decode(v, "'vary'") }
        if let v = f["feedback"], let b = reader.bool(v, "'feedback'") { policy.feedback = b }
        return policy
    }
}

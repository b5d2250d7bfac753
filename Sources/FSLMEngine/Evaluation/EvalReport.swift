/// The results of an evaluation and what they add up to: accuracy, errors, tokens,
/// latency, retries and validator failures per stage, accuracy per tag. Encodes as the
/// object `fslm eval --json` prints.
public struct EvalReport: Sendable, Hashable {
    /// The workflow file.
    public var workflow: String
    /// The workflow's stage ids, in declaration order.
    public var stageIDs: [String]
    /// One per case, in input order.
    public var results: [EvalCaseResult]
    /// Whether every stage had exactly one attempt (`--single-attempt`).
    public var singleAttempt: Bool

    public init(workflow: String, stages: [String], results: [EvalCaseResult], singleAttempt: Bool = false) {
        self.workflow = workflow
        self.stageIDs = stages
        self.results = results
        self.singleAttempt = singleAttempt
    }

    public var cases: Int { results.count }
    public var passed: Int { results.count(where: \.passed) }
    /// `passed / cases`, from 0 to 1 (0 without cases).
    public var accuracy: Double { Self.ratio(passed, cases) }
    /// Cases that could not run or did not finish.
    public var errors: [EvalCaseResult] { results.filter { $0.error != nil } }

    public var tokens: Int { results.reduce(0) { $0 + $1.tokens } }
    public var meanTokens: Double { cases == 0 ? 0 : Double(tokens) / Double(cases) }

    public var meanLatency: Duration {
        cases == 0 ? .zero : results.reduce(Duration.zero) { $0 + $1.latency } / cases
    }

    /// The 95th percentile latency, by nearest rank: the smallest latency that at least 95%
    /// of cases do not exceed (of 10 cases, the slowest; of 20, the second slowest).
    public var p95Latency: Duration {
        let sorted = results.map(\.latency).sorted()
        guard !sorted.isEmpty else { return .zero }
        let rank = Int((0.95 * Double(sorted.count)).rounded(.up))
        return sorted[max(rank, 1) - 1]
    }

    /// Every stage's retries and validator failures over all cases, in declaration order.
    public var stages: [(id: String, tally: StageTally)] {
        stageIDs.map { id in (id, results.reduce(StageTally()) { $0 + ($1.stages[id] ?? StageTally()) }) }
    }

    /// Cases, passed and accuracy of each tag, by tag name.
    public var tags: [(tag: String, tally: TagTally)] {
        var tallies: [String: TagTally] = [:]
        for result in results {
            for tag in Set(result.tags) {
                tallies[tag, default: TagTally()].cases += 1
                if result.passed { tallies[tag, default: TagTally()].passed += 1 }
            }
        }
        return tallies.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// The cases with a tag, and how many passed.
    public struct TagTally: Sendable, Hashable {
        public var cases = 0
        public var passed = 0
        public var accuracy: Double { EvalReport.ratio(passed, cases) }
    }

    static func ratio(_ part: Int, _ whole: Int) -> Double { whole == 0 ? 0 : Double(part) / Double(whole) }
}

// MARK: - JSON

/// `{"workflow", "single_attempt", "cases", "passed", "accuracy", "errors", "tokens",
/// "tokens_per_case", "latency_ms": {"mean", "p95"}, "stages": {id: {"retries",
/// "validator_failures"}}, "tags": {tag: {"cases", "passed", "accuracy"}}, "results": [...]}`.
extension EvalReport: Encodable {
    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(workflow, forKey: Key("workflow"))
        try c.encode(singleAttempt, forKey: Key("single_attempt"))
        try c.encode(cases, forKey: Key("cases"))
        try c.encode(passed, forKey: Key("passed"))
        try c.encode(accuracy, forKey: Key("accuracy"))
        try c.encode(errors.count, forKey: Key("errors"))
        try c.encode(tokens, forKey: Key("tokens"))
        try c.encode(meanTokens, forKey: Key("tokens_per_case"))
        try c.encode(["mean": meanLatency.milliseconds, "p95": p95Latency.milliseconds], forKey: Key("latency_ms"))
        var stageObject = c.nestedContainer(keyedBy: Key.self, forKey: Key("stages"))
        for (id, tally) in stages {
            try stageObject.encode(["retries": tally.retries, "validator_failures": tally.validatorFailures], forKey: Key(id))
        }
        var tagObject = c.nestedContainer(keyedBy: Key.self, forKey: Key("tags"))
        for (tag, tally) in tags {
            var t = tagObject.nestedContainer(keyedBy: Key.self, forKey: Key(tag))
            try t.encode(tally.cases, forKey: Key("cases"))
            try t.encode(tally.passed, forKey: Key("passed"))
            try t.encode(tally.accuracy, forKey: Key("accuracy"))
        }
        try c.encode(results, forKey: Key("results"))
    }
}

/// `{"line", "passed", "outputs", "expect", "metric", "tags", "error" (null when none),
/// "latency_ms", "attempts", "tokens"}`.
extension EvalCaseResult: Encodable {
    enum CodingKeys: String, CodingKey {
        case line, passed, outputs, expect, metric, tags, error, attempts, tokens
        case latency = "latency_ms"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(line, forKey: .line)
        try c.encode(passed, forKey: .passed)
        try c.encode(outputs, forKey: .outputs)
        try c.encode(expect, forKey: .expect)
        try c.encode(metric, forKey: .metric)
        try c.encode(tags, forKey: .tags)
        try c.encode(error, forKey: .error)  // null when absent, so the key is always there
        try c.encode(latency.milliseconds, forKey: .latency)
        try c.encode(attempts, forKey: .attempts)
        try c.encode(tokens, forKey: .tokens)
    }
}

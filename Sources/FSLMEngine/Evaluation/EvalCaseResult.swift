/// How one case of an evaluation went.
public struct EvalCaseResult: Sendable, Hashable {
    /// The case's line in the cases file.
    public var line: Int
    /// True when the case ran without error and every expected output met its metric.
    public var passed: Bool
    /// The run's outputs (empty when the case could not start).
    public var outputs: [String: String]
    public var expect: [String: String]
    public var metric: EvalMetric
    public var tags: [String]
    /// Why the case could not run or did not finish (missing inputs, a failed run, a stage
    /// that ended on a backend error or timeout); nil otherwise.
    public var error: String?
    /// The wall time of the case's run.
    public var latency: Duration
    /// Attempts made by every stage together.
    public var attempts: Int
    /// Prompt and completion tokens of every model call.
    public var tokens: Int
    /// Retries and validator failures of each stage that had any.
    public var stages: [String: StageTally]

    public init(line: Int, passed: Bool, outputs: [String: String], expect: [String: String], metric: EvalMetric, tags: [String],
                error: String?, latency: Duration, attempts: Int, tokens: Int, stages: [String: StageTally]) {
        self.line = line
        self.passed = passed
        self.outputs = outputs
        self.expect = expect
        self.metric = metric
        self.tags = tags
        self.error = error
        self.latency = latency
        self.attempts = attempts
        self.tokens = tokens
        self.stages = stages
    }

    /// Whether a case passes: no error, and every expected output meets `metric` (a missing
    /// output counts as empty).
    public static func passes(outputs: [String: String], expect: [String: String], metric: EvalMetric, error: String?) -> Bool {
        error == nil && expect.allSatisfy { metric.matches(outputs[$0.key] ?? "", expected: $0.value) }
    }
}

/// What one stage did besides succeeding at once: retries and validator failures.
public struct StageTally: Sendable, Hashable {
    /// Retries scheduled (attempts after the first, not counting a fallback).
    public var retries: Int
    /// Validators (and output-format checks) that rejected an attempt's output.
    public var validatorFailures: Int

    public init(retries: Int = 0, validatorFailures: Int = 0) {
        self.retries = retries
        self.validatorFailures = validatorFailures
    }

    static func + (a: StageTally, b: StageTally) -> StageTally {
        StageTally(retries: a.retries + b.retries, validatorFailures: a.validatorFailures + b.validatorFailures)
    }
}

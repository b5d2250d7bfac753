/// How a run ended: its status, rendered outputs, each stage's result, and the error that
/// failed it. Encodes as the object `fslm run --json` prints.
public struct RunResult: Sendable, Hashable, Encodable {
    public var status: RunStatus
    public var outputs: [String: String]
    public var stages: [String: StageResult]
    /// Why the run failed or stopped; nil when it succeeded.
    public var error: String?

    public init(status: RunStatus, outputs: [String: String], stages: [String: StageResult], error: String?) {
        self.status = status
        self.outputs = outputs
        self.stages = stages
        self.error = error
    }

    /// One stage's part of the result.
    public struct StageResult: Sendable, Hashable, Encodable {
        public var status: StageStatus
        /// Attempts made, including a fallback attempt.
        public var attempts: Int
        public var output: String?
        public var error: String?

        public init(status: StageStatus, attempts: Int, output: String?, error: String?) {
            self.status = status
            self.attempts = attempts
            self.output = output
            self.error = error
        }
    }

    enum CodingKeys: String, CodingKey { case status, outputs, stages, error }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(status, forKey: .status)
        try c.encode(outputs, forKey: .outputs)
        try c.encode(stages, forKey: .stages)
        try c.encode(error, forKey: .error)  // null when absent, so the key is always there
    }
}

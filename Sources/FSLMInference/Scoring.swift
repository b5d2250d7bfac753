/// A request to score a continuation: how likely a model finds `continuation` after `context`.
public struct ScoreRequest: Sendable, Hashable {
    public var context: String
    public var continuation: String
    public var adapter: String?

    public init(context: String, continuation: String, adapter: String? = nil) {
        self.context = context
        self.continuation = continuation
        self.adapter = adapter
    }
}

/// The log-likelihood of a continuation, for multiple-choice evaluation.
public struct ScoreResult: Sendable, Hashable {
    /// Sum of the natural-log probabilities of the continuation's tokens.
    public var logLikelihood: Double
    /// Tokens in the continuation.
    public var tokenCount: Int
    /// True when every continuation token was the model's most likely next token.
    public var isGreedy: Bool

    public init(logLikelihood: Double, tokenCount: Int, isGreedy: Bool) {
        self.logLikelihood = logLikelihood
        self.tokenCount = tokenCount
        self.isGreedy = isGreedy
    }
}

extension LanguageModel {
    /// Backends without scoring say so (see `capabilities.scoring`).
    public func score(_ request: ScoreRequest) async throws -> ScoreResult {
        throw InferenceError(.unsupported, "this backend cannot score continuations")
    }
}

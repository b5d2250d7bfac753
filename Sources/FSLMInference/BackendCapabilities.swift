/// What a backend can do, declared up front so callers never learn it from a failed call.
public struct BackendCapabilities: Sendable, Hashable {
    /// Per-request LoRA adapters.
    public var adapters: Bool
    /// Which `OutputConstraint`s are enforced while generating (others are only checked after).
    public var choicesConstraint: Bool
    public var regexConstraint: Bool
    public var jsonConstraint: Bool
    /// `stream` yields text as it is produced (otherwise one piece at the end).
    public var streaming: Bool
    /// `countTokens` returns a count.
    public var tokenCounting: Bool
    /// `score` is implemented.
    public var scoring: Bool

    public init(
        adapters: Bool = false, choicesConstraint: Bool = false, regexConstraint: Bool = false, jsonConstraint: Bool = false,
        streaming: Bool = false, tokenCounting: Bool = false, scoring: Bool = false
    ) {
        self.adapters = adapters
        self.choicesConstraint = choicesConstraint
        self.regexConstraint = regexConstraint
        self.jsonConstraint = jsonConstraint
        self.streaming = streaming
        self.tokenCounting = tokenCounting
        self.scoring = scoring
    }
}

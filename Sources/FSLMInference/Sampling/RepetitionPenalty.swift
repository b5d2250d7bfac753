/// Penalises every token already in the context (the prompt and the tokens generated so far),
/// the rule of CTRL (Keskar et al. 2019) as Hugging Face's `RepetitionPenaltyLogitsProcessor`
/// applies it. With penalty θ:
///
///     l'_i = l_i / θ   if token i is in the context and l_i > 0
///     l'_i = l_i · θ   if token i is in the context and l_i ≤ 0
///     l'_i = l_i       otherwise
///
/// so θ > 1 makes repeated tokens less likely, whatever the sign of their logit, and θ = 1
/// changes nothing. A token counts once however often it occurs, and the whole context counts
/// (no window). Ids outside the logits are ignored.
public struct RepetitionPenalty: LogitProcessor {
    /// θ, positive.
    public let penalty: Float
    /// The tokens the context starts with, restored by `reset`.
    public let promptTokens: [Int]
    /// Every distinct token of the context: the prompt tokens and the accepted tokens.
    public private(set) var context: Set<Int>

    /// A penalty of `penalty` (positive) over a context that starts as `promptTokens`.
    public init(penalty: Float, promptTokens: [Int]) {
        precondition(penalty > 0 && penalty.isFinite, "a repetition penalty must be positive, got \(penalty)")
        self.penalty = penalty
        self.promptTokens = promptTokens
        self.context = Set(promptTokens)
    }

    public func apply(_ logits: inout [Float]) {
        for token in context where logits.indices.contains(token) {
            let logit = logits[token]
            logits[token] = logit > 0 ? logit / penalty : logit * penalty
        }
    }

    public mutating func accept(_ token: Int) {
        context.insert(token)
    }

    public mutating func reset() {
        context = Set(promptTokens)
    }
}

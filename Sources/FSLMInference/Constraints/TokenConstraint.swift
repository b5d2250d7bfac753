/// A restriction on which tokens may be generated next, tracked token by token: the first step
/// of a `SamplingChain`, before any `LogitProcessor`, so that top-k and the like only choose
/// among allowed tokens.
///
/// For each generated token, call `apply` (or read `allowedTokens`), then `accept` with the
/// token generated. States:
/// - `allowedTokens()` not empty: generation may go on with one of them;
/// - empty and `isComplete`: the output is finished (for a vocabulary without end-of-sequence
///   tokens, the caller stops here);
/// - empty and not `isComplete`: impossible, no output can satisfy the constraint any more (a
///   token that was not allowed was accepted, or none ever could be).
public protocol TokenConstraint: Sendable {
    /// The token ids allowed next, ascending.
    mutating func allowedTokens() -> [Int]
    /// Masks (sets to `-infinity`) the logits of every token not allowed; ids past the
    /// vocabulary are masked too.
    mutating func apply(_ logits: inout [Float])
    /// Advances past `token`. A token that is not allowed leads to the impossible state.
    mutating func accept(_ token: Int)
    /// Whether the output so far is a whole output that satisfies the constraint.
    var isComplete: Bool { get }
    /// Returns to the start, before any token.
    mutating func reset()
}

extension TokenConstraint {
    public mutating func apply(_ logits: inout [Float]) {
        var masked = [Float](repeating: -.infinity, count: logits.count)
        for token in allowedTokens() where token < logits.count {
            masked[token] = logits[token]
        }
        logits = masked
    }
}

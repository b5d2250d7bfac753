internal import Foundation

/// Min-p sampling (Nguyen et al. 2024): masks the tokens much less likely than the most likely
/// one. With `p_i` the probabilities of `Softmax` and m the largest logit:
///
///     keep token i   ⇔   p_i ≥ minP · max_j p_j   ⇔   exp(l_i - m) ≥ minP
///
/// so the most likely token is always kept, minP = 0 keeps everything, and minP = 1 keeps only
/// the tokens tied for most likely.
public struct MinP: LogitProcessor {
    /// minP, in [0, 1].
    public let minP: Double

    /// Masks tokens with probability below `minP` (in [0, 1]) times the largest probability.
    public init(_ minP: Double) {
        precondition((0...1).contains(minP), "min-p must be between 0 and 1, got \(minP)")
        self.minP = minP
    }

    public func apply(_ logits: inout [Float]) {
        guard minP > 0 else { return }
        let weights = Softmax.weights(logits)
        for index in logits.indices where weights[index] < minP {
            logits[index] = -.infinity
        }
    }
}

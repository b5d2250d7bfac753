import FSLMInference
import Foundation
import Testing

@Suite struct LogitProcessorTests {
    // MARK: Softmax

    @Test func softmaxOfLogarithmsIsTheNormalisedWeights() {
        // exp(ln i - ln 4) = i/4: weights 0.25, 0.5, 0.75, 1; probabilities i/10.
        expectClose(Softmax.weights(oneToFour), [0.25, 0.5, 0.75, 1])
        expectClose(Softmax.probabilities(oneToFour), [0.1, 0.2, 0.3, 0.4])
        // Masked tokens get 0; two equal logits share the mass.
        expectClose(Softmax.probabilities([0, -.infinity, 0, -.infinity]), [0.5, 0, 0.5, 0])
        expectClose(Softmax.probabilities([-.infinity, -.infinity]), [0, 0])
        // +inf logits (an overflowing temperature) take all the mass, shared.
        expectClose(Softmax.probabilities([.infinity, 1, .infinity, -.infinity]), [0.5, 0, 0.5, 0])
    }

    // MARK: Repetition penalty

    @Test func repetitionPenaltyDividesPositiveAndMultipliesNegativeLogitsOfContextTokens() {
        let penalty = RepetitionPenalty(penalty: 2, promptTokens: [0, 1, 1, 7])
        var logits: [Float] = [2, -1, 0.5, 3]
        penalty.apply(&logits)
        // token 0: 2 > 0 → 2 / 2 = 1; token 1 (twice in the prompt, counted once): -1 · 2 = -2;
        // tokens 2, 3 not in the context; id 7 is past the logits and ignored.
        expectClose(logits, [1, -2, 0.5, 3])
    }

    @Test func repetitionPenaltyCountsAcceptedTokensUntilReset() {
        var penalty = RepetitionPenalty(penalty: 2, promptTokens: [0, 1])
        penalty.accept(3)
        var logits: [Float] = [2, -1, 0.5, 3]
        penalty.apply(&logits)
        // token 3 generated: 3 / 2 = 1.5.
        expectClose(logits, [1, -2, 0.5, 1.5])
        #expect(penalty.context == [0, 1, 3])

        penalty.reset()
        logits = [2, -1, 0.5, 3]
        penalty.apply(&logits)
        expectClose(logits, [1, -2, 0.5, 3])
        #expect(penalty.context == [0, 1])
    }

    @Test func repetitionPenaltyBelowOneEncouragesRepeatsAndKeepsMasks() {
        let penalty = RepetitionPenalty(penalty: 0.5, promptTokens: [0, 1, 2, 3])
        var logits: [Float] = [2, -1, 0, -.infinity]
        penalty.apply(&logits)
        // 2 / 0.5 = 4; -1 · 0.5 = -0.5; 0 · 0.5 = 0; -inf · 0.5 = -inf.
        expectClose(logits, [4, -0.5, 0, -.infinity])
    }

    // MARK: Temperature

    @Test func temperatureDividesLogits() {
        var logits: [Float] = [1, 2, -4, -.infinity]
        Temperature(2).apply(&logits)
        expectClose(logits, [0.5, 1, -2, -.infinity])
    }

    @Test func temperatureBelowOneSharpensTheDistribution() {
        // T = 0.5: p'_i ∝ p_i² = 1, 4, 9, 16 (sum 30).
        var logits = oneToFour
        Temperature(0.5).apply(&logits)
        expectClose(Softmax.probabilities(logits), [1 / 30, 4 / 30, 9 / 30, 16 / 30])
        // T = 2: p'_i ∝ √p_i = 1, √2, √3, 2 (sum 1 + √2 + √3 + 2).
        logits = oneToFour
        Temperature(2).apply(&logits)
        let total = 3 + 2.0.squareRoot() + 3.0.squareRoot()
        expectClose(Softmax.probabilities(logits), [1 / total, 2.0.squareRoot() / total, 3.0.squareRoot() / total, 2 / total])
    }

    // MARK: Top-k

    @Test func topKKeepsTheKLargestLogits() {
        var logits: [Float] = [1, 3, 2, 0]
        TopK(2).apply(&logits)
        expectClose(logits, [-.infinity, 3, 2, -.infinity])
        // After top-2 of 0.1, 0.2, 0.3, 0.4: 0.3 / 0.7 = 3/7 and 0.4 / 0.7 = 4/7.
        logits = oneToFour
        TopK(2).apply(&logits)
        expectClose(Softmax.probabilities(logits), [0, 0, 3 / 7, 4 / 7])
    }

    @Test func topKKeepsTiesWithTheKthLogitAndAtMostKTokensChangeNothing() {
        // Second largest is 1, held by tokens 0 and 2: both kept.
        var logits: [Float] = [1, 3, 1, 0]
        TopK(2).apply(&logits)
        expectClose(logits, [1, 3, 1, -.infinity])
        logits = [1, 3, 2, 0]
        TopK(4).apply(&logits)
        expectClose(logits, [1, 3, 2, 0])
        // Masked tokens rank last: k = 2 over two unmasked tokens changes nothing.
        logits = [-.infinity, 5, -.infinity, 4]
        TopK(2).apply(&logits)
        expectClose(logits, [-.infinity, 5, -.infinity, 4])
    }

    // MARK: Top-p

    @Test(arguments: [
        // Sorted: 0.4 (id 3), 0.3 (id 2), 0.2 (id 1), 0.1 (id 0); cumulative 0.4, 0.7, 0.9, 1.0.
        (0.35, [3]),  // 0.4 ≥ 0.35
        (0.65, [2, 3]),  // 0.4 < 0.65 ≤ 0.7
        (0.75, [1, 2, 3]),  // 0.7 < 0.75 ≤ 0.9
        (0.95, [0, 1, 2, 3]),  // 0.9 < 0.95 ≤ 1.0
        (0.0, [3]),  // always at least the most likely token
        (1.0, [0, 1, 2, 3]),
    ])
    func topPKeepsTheSmallestPrefixReachingP(p: Double, kept: [Int]) {
        var logits = oneToFour
        TopP(p).apply(&logits)
        #expect(unmasked(logits) == kept)
        // Kept logits are unchanged.
        for token in kept { #expect(logits[token] == oneToFour[token]) }
    }

    @Test func topPRenormalisesOverTheKeptTokensAndKeepsTies() {
        var logits = oneToFour
        TopP(0.65).apply(&logits)
        // Kept 0.3 and 0.4: 3/7 and 4/7.
        expectClose(Softmax.probabilities(logits), [0, 0, 3 / 7, 4 / 7])
        // Uniform 0.25: the prefix reaching 0.3 is two tokens, but all four tie with its last.
        logits = [0, 0, 0, 0]
        TopP(0.3).apply(&logits)
        #expect(unmasked(logits) == [0, 1, 2, 3])
        // Masked tokens stay masked: 0.5, 0, 0.5, 0 with p = 0.4 keeps both 0.5s (tied).
        logits = [0, -.infinity, 0, -.infinity]
        TopP(0.4).apply(&logits)
        #expect(unmasked(logits) == [0, 2])
    }

    // MARK: Min-p

    @Test(arguments: [
        // Largest probability 0.4; threshold minP · 0.4.
        (0.2, [0, 1, 2, 3]),  // 0.08: 0.1 ≥ 0.08, all kept
        (0.6, [2, 3]),  // 0.24: 0.2 < 0.24 ≤ 0.3
        (0.8, [3]),  // 0.32: 0.3 < 0.32
        (1.0, [3]),  // 0.4: only the most likely
        (0.0, [0, 1, 2, 3]),
    ])
    func minPDropsTokensBelowAFractionOfTheMostLikely(minP: Double, kept: [Int]) {
        var logits = oneToFour
        MinP(minP).apply(&logits)
        #expect(unmasked(logits) == kept)
    }

    @Test func minPKeepsEveryTokenTiedForMostLikely() {
        var logits: [Float] = [2, 2, 1, -.infinity]
        MinP(1).apply(&logits)
        expectClose(logits, [2, 2, -.infinity, -.infinity])
    }
}

import FSLMInference
import Foundation
import Testing

@Suite struct SamplingChainTests {
    private func names(_ chain: SamplingChain) -> [String] {
        chain.processors.map { String(describing: type(of: $0)) }
    }

    @Test func everyStepRunsInTheDocumentedOrder() throws {
        let request = GenerationRequest(
            prompt: "", temperature: 0.7, topK: 3, topP: 0.9, minP: 0.05, repetitionPenalty: 1.1, seed: 5
        )
        let chain = try SamplingChain.make(for: request, promptTokens: [1, 2])
        #expect(names(chain) == ["RepetitionPenalty", "Temperature", "TopK", "TopP", "MinP"])
        #expect(chain.sampler.generator?.seed == 5)
        #expect(chain.constraint == nil)
        #expect(chain.constraintEnforcement == .unconstrained)
    }

    @Test func neutralSettingsAreLeftOut() throws {
        let request = GenerationRequest(prompt: "", temperature: 1, topK: 0, topP: 1, minP: 0, repetitionPenalty: 1)
        #expect(names(try SamplingChain.make(for: request, promptTokens: [])) == ["Temperature"])
    }

    @Test func temperatureZeroIsGreedyWithOnlyTheRepetitionPenalty() throws {
        let request = GenerationRequest(prompt: "", temperature: 0, topK: 1, topP: 0.5, minP: 0.5, repetitionPenalty: 4, seed: 9)
        var chain = try SamplingChain.make(for: request, promptTokens: [3])
        #expect(names(chain) == ["RepetitionPenalty"])
        #expect(chain.sampler.isGreedy)
        // ln 4 / 4 = 0.347 < ln 3 = 1.099: the penalty moves the argmax from token 3 to token 2.
        #expect(chain.next(oneToFour) == 2)
        // Token 2 is now in the context too: ln 3 / 4 = 0.275, so ln 2 = 0.693 wins.
        #expect(chain.next(oneToFour) == 1)
        chain.reset()
        #expect(chain.next(oneToFour) == 2)
    }

    @Test func repetitionPenaltyRunsBeforeTopK() throws {
        // Penalised: ln 1, ln 2, ln 3, ln 4 / 4 = 0, 0.693, 1.099, 0.347; top-2 keeps 1 and 2.
        // (Top-k first would keep 2 and 3.)
        var chain = try SamplingChain.make(
            for: GenerationRequest(prompt: "", temperature: 1, topK: 2, repetitionPenalty: 4), promptTokens: [3]
        )
        var logits = oneToFour
        chain.apply(&logits)
        #expect(unmasked(logits) == [1, 2])
    }

    @Test func temperatureRunsBeforeTopP() throws {
        // T = 0.5: probabilities 1, 4, 9, 16 over 30, and 16/30 = 0.533 ≥ 0.5 keeps token 3 alone.
        // (Top-p first: 0.4 < 0.5 ≤ 0.7 would keep 2 and 3.)
        var chain = try SamplingChain.make(for: GenerationRequest(prompt: "", temperature: 0.5, topP: 0.5), promptTokens: [])
        var logits = oneToFour
        chain.apply(&logits)
        #expect(unmasked(logits) == [3])
    }

    @Test func topKRunsBeforeTopP() throws {
        // Top-3: 0.2, 0.3, 0.4 over 0.9 = 0.222, 0.333, 0.444; cumulative 0.444, 0.778 ≥ 0.75: keeps 2 and 3.
        // (Top-p first: 0.4, 0.7, 0.9 ≥ 0.75 would keep 1, 2, 3.)
        var chain = try SamplingChain.make(for: GenerationRequest(prompt: "", temperature: 1, topK: 3, topP: 0.75), promptTokens: [])
        var logits = oneToFour
        chain.apply(&logits)
        #expect(unmasked(logits) == [2, 3])
    }

    @Test func topPRunsBeforeMinP() throws {
        // Top-p 0.75: 0.4, 0.7, 0.9 keeps 1, 2, 3; min-p 0.4 (threshold 0.16) keeps them all.
        // (Min-p first keeps 1, 2, 3, renormalised 0.222, 0.333, 0.444; top-p would then keep 2 and 3.)
        var chain = try SamplingChain.make(for: GenerationRequest(prompt: "", temperature: 1, topP: 0.75, minP: 0.4), promptTokens: [])
        var logits = oneToFour
        chain.apply(&logits)
        #expect(unmasked(logits) == [1, 2, 3])
    }

    @Test func aSeededChainDrawsFromTheProcessedDistribution() throws {
        // Top-2 leaves 3/7, 4/7: token 2 for u < 3/7 = 0.4286, else 3. Seed 42 gives
        // u = 0.7416, 0.1599, 0.2786, 0.3442, 0.0380, 0.8682, 0.2184, 0.8006.
        var chain = try SamplingChain.make(for: GenerationRequest(prompt: "", temperature: 1, topK: 2, seed: 42), promptTokens: [])
        #expect((0..<8).map { _ in chain.next(oneToFour) } == [3, 2, 2, 2, 2, 3, 2, 3])
        chain.reset()
        #expect(chain.next(oneToFour) == 3)
    }

    @Test(arguments: [
        (GenerationRequest(prompt: "", temperature: -1), "temperature -1.0 is not valid: use 0 for greedy decoding or a positive number"),
        (GenerationRequest(prompt: "", temperature: .nan), "temperature nan is not valid: use 0 for greedy decoding or a positive number"),
        (GenerationRequest(prompt: "", temperature: 1, topK: -2), "topK -2 is not valid: use a positive count, or 0 for no limit"),
        (GenerationRequest(prompt: "", temperature: 1, topP: 1.5), "topP 1.5 is not valid: it must be between 0 and 1 (1 keeps every token)"),
        (GenerationRequest(prompt: "", temperature: 1, minP: -0.1), "minP -0.1 is not valid: it must be between 0 and 1 (0 keeps every token)"),
        (GenerationRequest(prompt: "", repetitionPenalty: 0), "repetitionPenalty 0.0 is not valid: it must be a positive number (1 is no penalty)"),
    ])
    func invalidSettingsAreNamed(request: GenerationRequest, message: String) {
        #expect(throws: InferenceError(.unsupported, message)) {
            _ = try SamplingChain.make(for: request, promptTokens: [])
        }
    }

    @Test func onlyChoicesAreEnforcedWhileGenerating() throws {
        let vocabulary = TokenVocabulary(tokens: ["y", "es", "no", "</s>"], endOfSequence: [3])
        let choices = try SamplingChain.make(
            for: GenerationRequest(prompt: "", constraint: .choices(["yes", "no"])), promptTokens: [], vocabulary: vocabulary
        )
        #expect(choices.constraintEnforcement == .whileGenerating)
        #expect(choices.constraint != nil)

        let noVocabulary = try SamplingChain.make(for: GenerationRequest(prompt: "", constraint: .choices(["yes"])), promptTokens: [])
        #expect(noVocabulary.constraint == nil)
        #expect(noVocabulary.constraintEnforcement == .afterGeneration(reason: "no token vocabulary was given, so the choices are only checked after generation"))

        let regex = try SamplingChain.make(
            for: GenerationRequest(prompt: "", constraint: .regex("[0-9]+")), promptTokens: [], vocabulary: vocabulary
        )
        #expect(regex.constraint == nil)
        #expect(regex.constraintEnforcement == .afterGeneration(reason: "FSLMInference enforces only choices while generating; a regex is checked after generation"))

        let json = try SamplingChain.make(for: GenerationRequest(prompt: "", constraint: .json), promptTokens: [], vocabulary: vocabulary)
        #expect(json.constraint == nil)
        #expect(json.constraintEnforcement == .afterGeneration(reason: "FSLMInference enforces only choices while generating; JSON is checked after generation"))
        #expect(OutputConstraint.choices([]).isEnforcedWhileGenerating)
        #expect(!OutputConstraint.json.isEnforcedWhileGenerating)
    }

    @Test func theConstraintMasksBeforeTheProcessorsAndTheLoopEndsItself() throws {
        // 0 "y", 1 "es", 2 "no", 3 EOS, 4 "x". The model always prefers "x", then EOS, then "no".
        let vocabulary = TokenVocabulary(tokens: ["y", "es", "no", "</s>", "x"], endOfSequence: [3])
        let logits: [Float] = [0, 1, 2, 3, 4]
        var chain = try SamplingChain.make(
            for: GenerationRequest(prompt: "", temperature: 1, topK: 1, seed: 1, constraint: .choices(["yes", "no"])),
            promptTokens: [], vocabulary: vocabulary
        )
        // Allowed first: "y" (0) and "no" (2); top-1 then keeps "no", so the draw is certain.
        // (Top-1 before the mask would keep only "x", then nothing.)
        var tokens: [Int] = []
        while let token = chain.next(logits) { tokens.append(token) }
        #expect(tokens == [2, 3])
        #expect(chain.constraint?.isComplete == true)
    }
}

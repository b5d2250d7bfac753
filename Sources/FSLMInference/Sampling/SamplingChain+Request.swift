extension SamplingChain {
    /// The chain for `request`, in this order (a step is left out when its setting is off):
    ///
    /// 1. the output constraint, when FSLMInference can enforce it (`.choices` given a
    ///    `vocabulary`); otherwise `constraintEnforcement` says why not;
    /// 2. `RepetitionPenalty(repetitionPenalty)` over `promptTokens` (off: nil or 1);
    /// 3. `Temperature(temperature)`;
    /// 4. `TopK(topK)` (off: nil or 0);
    /// 5. `TopP(topP)` (off: nil or 1);
    /// 6. `MinP(minP)` (off: nil or 0);
    /// 7. the sampler: multinomial, seeded with `seed` (nil: a seed from the system, which
    ///    `sampler.generator?.seed` tells).
    ///
    /// Temperature 0 is greedy decoding: steps 3 to 6 and the seed are skipped and the sampler is
    /// greedy; the constraint and the repetition penalty still apply, as they change which token
    /// is most likely. A positive temperature too small for a `Float` (below about 1e-45) counts
    /// as 0.
    ///
    /// Throws `InferenceError(.unsupported)` naming the setting for a temperature below 0, a
    /// negative top-k, a top-p or min-p outside [0, 1], a repetition penalty not above 0, or a
    /// value that is not a finite number.
    public static func make(
        for request: GenerationRequest, promptTokens: [Int], vocabulary: TokenVocabulary? = nil
    ) throws -> SamplingChain {
        try validate(request)
        var processors: [any LogitProcessor] = []
        if let penalty = request.repetitionPenalty, penalty != 1 {
            processors.append(RepetitionPenalty(penalty: Float(penalty), promptTokens: promptTokens))
        }
        let temperature = Float(request.temperature)
        let sampler: TokenSampler
        if temperature == 0 {
            sampler = .greedy
        } else {
            processors.append(Temperature(temperature))
            if let k = request.topK, k > 0 { processors.append(TopK(k)) }
            if let p = request.topP, p < 1 { processors.append(TopP(p)) }
            if let minP = request.minP, minP > 0 { processors.append(MinP(minP)) }
            sampler = .multinomial(seed: request.seed)
        }

        var chain = SamplingChain(processors: processors, sampler: sampler)
        if let constraint = request.constraint {
            chain.constraintEnforcement = constraint.enforcement(vocabulary: vocabulary)
            if let vocabulary {
                chain.constraint = constraint.tokenConstraint(vocabulary: vocabulary)
            }
        }
        return chain
    }

    private static func validate(_ request: GenerationRequest) throws {
        let temperature = Float(request.temperature)
        guard temperature >= 0, temperature.isFinite else {
            throw invalid("temperature \(request.temperature) is not valid: use 0 for greedy decoding or a positive number")
        }
        if let k = request.topK, k < 0 {
            throw invalid("topK \(k) is not valid: use a positive count, or 0 for no limit")
        }
        if let p = request.topP, !(0...1).contains(p) {
            throw invalid("topP \(p) is not valid: it must be between 0 and 1 (1 keeps every token)")
        }
        if let minP = request.minP, !(0...1).contains(minP) {
            throw invalid("minP \(minP) is not valid: it must be between 0 and 1 (0 keeps every token)")
        }
        if let penalty = request.repetitionPenalty {
            let value = Float(penalty)
            guard value > 0, value.isFinite else {
                throw invalid("repetitionPenalty \(penalty) is not valid: it must be a positive number (1 is no penalty)")
            }
        }
    }

    private static func invalid(_ message: String) -> InferenceError {
        InferenceError(.unsupported, message)
    }
}

import FSLMInference
import FSLMOpenAI

extension GenerationRequest {
    /// The request a served model gets for an OpenAI request's prompt and sampling fields:
    /// temperature 1 when absent (as in OpenAI's API), `guided_choice` as a choices constraint.
    /// Out-of-range fields are a 400 naming them.
    init(prompt: String, sampling s: SamplingParameters, adapter: String?) throws {
        if let t = s.temperature, !(0...100).contains(t) { throw APIError.badRequest("'temperature' must be between 0 and 100, got \(t)") }
        if let n = s.maxTokens, n < 1 { throw APIError.badRequest("'max_tokens' must be at least 1, got \(n)") }
        if let p = s.topP, !(p > 0 && p <= 1) { throw APIError.badRequest("'top_p' must be in (0, 1], got \(p)") }
        if let k = s.topK, k < -1 { throw APIError.badRequest("'top_k' must be -1, 0 or more, got \(k)") }
        if let p = s.minP, !(0...1).contains(p) { throw APIError.badRequest("'min_p' must be between 0 and 1, got \(p)") }
        if let r = s.repetitionPenalty, r <= 0 { throw APIError.badRequest("'repetition_penalty' must be above 0, got \(r)") }
        if let choices = s.guidedChoice, choices.isEmpty { throw APIError.badRequest("'guided_choice' is empty") }
        self.init(
            prompt: prompt, adapter: adapter, maxTokens: s.maxTokens, temperature: s.temperature ?? 1,
            topK: s.topK.flatMap { $0 > 0 ? $0 : nil }, topP: s.topP, minP: s.minP, repetitionPenalty: s.repetitionPenalty,
            seed: s.seed, stop: s.stop ?? [], constraint: s.guidedChoice.map { .choices($0) })
    }
}

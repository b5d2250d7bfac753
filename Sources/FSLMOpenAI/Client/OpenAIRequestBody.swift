public import FSLMInference
public import Foundation

/// The JSON body an `OpenAIModel` sends for a `GenerationRequest`.
public enum OpenAIRequestBody {
    /// The body for `request` at `endpoint` (adapter mapped to its served model name; for
    /// `chat`, the prompt as one user message). Throws `InferenceError(.unsupported)` for an
    /// adapter the endpoint does not map.
    public static func encode(_ request: GenerationRequest, endpoint: OpenAIEndpoint, stream: Bool) throws -> Data {
        var model = endpoint.model
        if let adapter = request.adapter {
            guard let served = endpoint.adapters[adapter] else {
                throw InferenceError(.unsupported, "adapter '\(adapter)' has no served model name (map it under 'adapters:')")
            }
            model = served
        }
        var sampling = SamplingParameters(
            maxTokens: request.maxTokens, temperature: request.temperature, topP: request.topP, topK: request.topK,
            minP: request.minP, repetitionPenalty: request.repetitionPenalty, seed: request.seed,
            stop: request.stop.isEmpty ? nil : request.stop)
        if case .choices(let choices) = request.constraint { sampling.guidedChoice = choices }
        let options = stream ? StreamOptions(includeUsage: true) : nil
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        switch endpoint.api {
        case .completions:
            return try encoder.encode(CompletionRequest(
                model: model, prompt: request.prompt, stream: stream, streamOptions: options, sampling: sampling))
        case .chat:
            return try encoder.encode(ChatCompletionRequest(
                model: model, messages: [ChatMessage(role: "user", content: request.prompt)], stream: stream,
                streamOptions: options, sampling: sampling))
        }
    }
}

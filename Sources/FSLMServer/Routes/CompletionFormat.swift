import FSLMInference
import FSLMOpenAI
import Foundation

/// How one generation is written for `/v1/completions` or `/v1/chat/completions`: whole, or
/// as the chunks of a stream.
struct CompletionFormat: Sendable {
    let api: OpenAIEndpoint.API
    let id: String
    let model: String
    let created: Int
    /// The request's stop strings: the one that ended a text is reported when there is one only.
    let stop: [String]

    init(api: OpenAIEndpoint.API, model: String, stop: [String]) {
        self.api = api
        self.id = (api == .chat ? "chatcmpl-" : "cmpl-") + UUID().uuidString.lowercased()
        self.model = model
        self.created = Int(Date().timeIntervalSince1970)
        self.stop = stop
    }

    /// `stop_reason`: the stop string that ended the text, when it can be told.
    private func stopReason(_ result: GenerationResult) -> String? {
        result.finishReason == .stop && stop.count == 1 ? stop[0] : nil
    }

    /// The whole answer.
    func whole(_ result: GenerationResult) -> Data {
        let usage = Usage(promptTokens: result.promptTokens, completionTokens: result.completionTokens)
        let finish = result.finishReason.wireName
        switch api {
        case .completions:
            return JSONBody.data(CompletionResponse(
                id: id, created: created, model: model,
                choices: [.init(text: result.text, finishReason: finish, stopReason: stopReason(result))], usage: usage))
        case .chat:
            return JSONBody.data(ChatCompletionResponse(
                id: id, chunk: false, created: created, model: model,
                choices: [.init(message: .init(role: "assistant", content: result.text), finishReason: finish, stopReason: stopReason(result))],
                usage: usage))
        }
    }

    /// The first chunk of a stream, before any text (chat streams announce the role).
    func opening() -> ServerSentEvent? {
        guard api == .chat else { return nil }
        return chatChunk(delta: .init(role: "assistant", content: ""), finish: nil, stopReason: nil)
    }

    /// A chunk carrying a piece of text.
    func piece(_ text: String) -> ServerSentEvent {
        switch api {
        case .completions: completionChunk(text, finish: nil, stopReason: nil)
        case .chat: chatChunk(delta: .init(content: text), finish: nil, stopReason: nil)
        }
    }

    /// The last chunks: the finish reason, then the usage when asked for.
    func closing(_ result: GenerationResult, includeUsage: Bool) -> [ServerSentEvent] {
        let finish = result.finishReason.wireName
        var events = [api == .chat
            ? chatChunk(delta: .init(), finish: finish, stopReason: stopReason(result))
            : completionChunk("", finish: finish, stopReason: stopReason(result))]
        if includeUsage {
            let usage = Usage(promptTokens: result.promptTokens, completionTokens: result.completionTokens)
            events.append(ServerSentEvent(data: String(decoding: api == .chat
                ? JSONBody.data(ChatCompletionResponse(id: id, chunk: true, created: created, model: model, choices: [], usage: usage))
                : JSONBody.data(CompletionResponse(id: id, created: created, model: model, choices: [], usage: usage)), as: UTF8.self)))
        }
        return events
    }

    private func completionChunk(_ text: String, finish: String?, stopReason: String?) -> ServerSentEvent {
        let chunk = CompletionResponse(id: id, created: created, model: model, choices: [.init(text: text, finishReason: finish, stopReason: stopReason)])
        return ServerSentEvent(data: String(decoding: JSONBody.data(chunk), as: UTF8.self))
    }

    private func chatChunk(delta: ChatCompletionResponse.Delta, finish: String?, stopReason: String?) -> ServerSentEvent {
        let chunk = ChatCompletionResponse(
            id: id, chunk: true, created: created, model: model, choices: [.init(delta: delta, finishReason: finish, stopReason: stopReason)])
        return ServerSentEvent(data: String(decoding: JSONBody.data(chunk), as: UTF8.self))
    }
}

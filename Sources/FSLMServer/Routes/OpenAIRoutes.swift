import FSLMInference
import FSLMOpenAI
import Foundation
import Hummingbird
import NIOCore

/// `GET /v1/models`, `POST /v1/completions` and `POST /v1/chat/completions`, answered by the
/// shared inference core: every served base model and adapter is a model name.
struct OpenAIRoutes: Sendable {
    let models: ServedModels
    let core: InferenceCore
    let metrics: ServerMetrics
    let maxBodyBytes: Int
    /// When the server started, as the models' `created`.
    let started = Int(Date().timeIntervalSince1970)

    func add<Context: RequestContext>(to router: Router<Context>) {
        router.get("/v1/models") { _, _ in listModels() }
        router.post("/v1/completions") { request, _ in
            let body = try await JSONBody.decode(CompletionRequest.self, from: request, limit: maxBodyBytes)
            let format = CompletionFormat(api: .completions, model: body.model, stop: body.sampling.stop ?? [])
            return try await answer(body.model, prompt: body.prompt, sampling: body.sampling, stream: body.stream,
                                    includeUsage: body.streamOptions?.includeUsage ?? false, format: format)
        }
        router.post("/v1/chat/completions") { request, _ in
            let body = try await JSONBody.decode(ChatCompletionRequest.self, from: request, limit: maxBodyBytes)
            let format = CompletionFormat(api: .chat, model: body.model, stop: body.sampling.stop ?? [])
            return try await answer(body.model, prompt: try ChatPrompt.render(body.messages), sampling: body.sampling,
                                    stream: body.stream, includeUsage: body.streamOptions?.includeUsage ?? false, format: format)
        }
    }

    func listModels() -> Response {
        JSONBody.response(ModelList(data: models.entries.map {
            ModelList.Model(id: $0.name, created: started, ownedBy: "fslm", parent: $0.parent)
        }))
    }

    /// Generates for one request, whole or streamed.
    private func answer(_ name: String, prompt: String, sampling: SamplingParameters, stream: Bool, includeUsage: Bool,
                        format: CompletionFormat) async throws -> Response {
        guard let entry = models[name] else {
            let known = models.entries.map(\.name).joined(separator: ", ")
            throw APIError.notFound("the model '\(name)' does not exist; served: \(known)")
        }
        let request = try GenerationRequest(prompt: prompt, sampling: sampling, adapter: entry.adapter)
        let model: any LanguageModel
        do { model = try await core.model(entry.key) } catch { throw APIError.server("the model '\(name)' could not be loaded: \(error)") }
        guard stream else {
            let result: GenerationResult
            do { result = try await model.generate(request) } catch { throw Self.apiError(error) }
            metrics.tokens(model: name, prompt: result.promptTokens, completion: result.completionTokens)
            return Response(status: .ok, headers: [.contentType: "application/json"],
                            body: ResponseBody(byteBuffer: ByteBuffer(bytes: format.whole(result))))
        }
        let events = model.stream(request)
        return Response(
            status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
            body: ResponseBody { [metrics] writer in
                func send(_ event: ServerSentEvent) async throws { try await writer.write(ByteBuffer(string: event.encoded)) }
                if let opening = format.opening() { try await send(opening) }
                do {
                    for try await event in events {
                        switch event {
                        case .text(let piece):
                            try await send(format.piece(piece))
                        case .finished(let result):
                            metrics.tokens(model: name, prompt: result.promptTokens, completion: result.completionTokens)
                            for closing in format.closing(result, includeUsage: includeUsage) { try await send(closing) }
                        }
                    }
                } catch {
                    // The status is sent already: the failure goes in the stream, as OpenAI's servers do.
                    let failure = Self.apiError(error)
                    try await send(ServerSentEvent(data: String(decoding: JSONBody.data(ErrorResponse(message: failure.message, type: failure.type)), as: UTF8.self)))
                }
                try await send(.done)
                try await writer.finish(nil)
            })
    }

    /// The answer a model's failure gets: 400 for what it cannot do, 422 for a broken
    /// constraint, 500 for a backend failure (which clients may retry).
    static func apiError(_ error: any Error) -> APIError {
        guard let error = error as? InferenceError else { return .server("\(error)") }
        switch error.kind {
        case .unsupported: return .badRequest(error.message)
        case .unknownModel: return .notFound(error.message)
        case .constraint: return APIError(status: .unprocessableContent, message: error.message, type: "invalid_request_error")
        case .backend: return .server(error.message)
        }
    }
}

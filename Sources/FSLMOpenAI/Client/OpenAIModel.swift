import AsyncHTTPClient
public import FSLMInference
import Foundation
import NIOCore
import NIOHTTP1

/// A `LanguageModel` behind an OpenAI-compatible HTTP server (vLLM, llama.cpp, Ollama,
/// another `fslm serve`).
///
/// Requests carry the sampling options, stop strings and, for a `choices` constraint, vLLM's
/// `guided_choice` (servers without it ignore it; the caller validates the output anyway).
/// Stop strings are also applied here, so the contract holds whatever the server does.
/// Streaming reads server-sent events. Connection errors, 429 and 5xx answers are retried
/// (see `OpenAIRetryPolicy`) on the next server; any other answer that is not a completion
/// is an `InferenceError(.backend)` quoting the server. Connections are pooled per server.
public final class OpenAIModel: LanguageModel {
    public let endpoint: OpenAIEndpoint
    let client: HTTPClient
    let rotation: ServerRotation
    /// Waits between tries (tests record the waits instead).
    let sleep: @Sendable (Duration) async throws -> Void

    /// Adapters are served model names; constraints other than choices are only checked by callers.
    public var capabilities: BackendCapabilities {
        BackendCapabilities(adapters: !endpoint.adapters.isEmpty, streaming: true)
    }

    /// A model reached through `endpoint`, waiting between tries with `sleep`; throws
    /// `InferenceError(.backend)` naming a base URL that is not an http(s) URL.
    public init(endpoint: OpenAIEndpoint, sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }) throws {
        guard !endpoint.baseURLs.isEmpty else { throw InferenceError(.backend, "no base URL given") }
        for base in endpoint.baseURLs {
            guard let url = URL(string: base), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                throw InferenceError(.backend, "base URL '\(base)' is not an http:// or https:// URL")
            }
        }
        self.endpoint = endpoint
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(
            idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: endpoint.maxConnections)
        // Connection failures reach the retry loop at once, which then moves to the next server.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(10)
        self.client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        self.rotation = ServerRotation(count: endpoint.baseURLs.count)
        self.sleep = sleep
    }

    deinit {
        let client = client
        Task { try? await client.shutdown() }
    }

    public func generate(_ request: GenerationRequest) async throws -> GenerationResult {
        try await perform(request, onText: nil)
    }

    /// Streams the server's pieces of text as they arrive, then the result.
    public func stream(_ request: GenerationRequest) -> AsyncThrowingStream<GenerationEvent, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    let result = try await self.perform(request) { continuation.yield(.text($0)) }
                    continuation.yield(.finished(result))
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    public func score(_ request: ScoreRequest) async throws -> ScoreResult {
        throw InferenceError(.unsupported, "the openai backend does not score continuations")
    }

    /// Sends `request`, retrying on the next server as the policy allows.
    /// A server that refuses `guided_choice` gets the request again without it (the caller
    /// validates choices anyway).
    func perform(_ request: GenerationRequest, onText: (@Sendable (String) -> Void)?) async throws -> GenerationResult {
        var sent = request
        var body = try ByteBuffer(bytes: OpenAIRequestBody.encode(sent, endpoint: endpoint, stream: onText != nil))
        let start = rotation.start()
        var retry = 0
        while true {
            let base = endpoint.baseURLs[(start + retry) % endpoint.baseURLs.count]
            do {
                return try await send(body, to: endpoint.url(base), request: sent, onText: onText)
            } catch let failure as RequestFailure where failure.refusesGuidedChoice && sent.constraint != nil {
                sent.constraint = nil
                body = try ByteBuffer(bytes: OpenAIRequestBody.encode(sent, endpoint: endpoint, stream: onText != nil))
            } catch let failure as RequestFailure where failure.retryable && retry < endpoint.retry.retries {
                retry += 1
                try await sleep(endpoint.retry.delay(beforeRetry: retry, retryAfter: failure.retryAfter))
            } catch let failure as RequestFailure {
                let tries = retry == 0 ? "" : " (gave up after \(retry + 1) tries)"
                throw InferenceError(.backend, failure.message + tries)
            }
        }
    }

    /// One HTTP request and its answer.
    private func send(_ body: ByteBuffer, to url: String, request: GenerationRequest,
                      onText: (@Sendable (String) -> Void)?) async throws -> GenerationResult {
        var http = HTTPClientRequest(url: url)
        http.method = .POST
        http.headers.add(name: "Content-Type", value: "application/json")
        http.headers.add(name: "Accept", value: onText == nil ? "application/json" : "text/event-stream")
        if let key = endpoint.apiKey { http.headers.add(name: "Authorization", value: "Bearer \(key)") }
        http.body = .bytes(body)
        let response: HTTPClientResponse
        do {
            response = try await client.execute(http, timeout: TimeAmount(endpoint.timeout))
        } catch {
            try Task.checkCancellation()
            throw RequestFailure("cannot reach \(url): \(Self.describe(error, timeout: endpoint.timeout))", retryable: true)
        }
        guard response.status == .ok else { throw await Self.failure(response, url: url) }
        let reader = OpenAIAnswerReader(url: url, api: endpoint.api, stop: request.stop, timeout: endpoint.timeout)
        // A server that ignores `stream: true` answers with one JSON object.
        let isJSON = response.headers.first(name: "Content-Type")?.contains("json") ?? false
        guard let onText, !isJSON else {
            let result = try await reader.readWhole(response.body)
            if !result.text.isEmpty { onText?(result.text) }
            return result
        }
        return try await reader.readStream(response.body, onText: onText)
    }

    /// The failure an answer other than 200 means, quoting the server's message.
    static func failure(_ response: HTTPClientResponse, url: String) async -> RequestFailure {
        let code = Int(response.status.code)
        let body = (try? await response.body.collect(upTo: 64 * 1024)).map { String(buffer: $0) } ?? ""
        let message = OpenAIAnswerReader.serverMessage(body)
        let retryable = code == 429 || code >= 500
        let retryAfter = response.headers.first(name: "Retry-After").flatMap { OpenAIRetryPolicy.parseRetryAfter($0) }
        let quoted = message.isEmpty ? "" : ": \(message)"
        return RequestFailure("\(url) answered \(code) \(response.status.reasonPhrase)\(quoted)", retryable: retryable, retryAfter: retryAfter, status: code)
    }

    /// An HTTP client error in words.
    static func describe(_ error: any Error, timeout: Duration) -> String {
        if let io = error as? IOError { return String(cString: strerror(io.errnoCode)).lowercased() }
        switch error as? HTTPClientError {
        case .deadlineExceeded?: return "no complete answer within \(timeout)"
        case .connectTimeout?: return "connecting timed out"
        case .remoteConnectionClosed?: return "the server closed the connection"
        default: return "\(error)"
        }
    }
}

extension TimeAmount {
    /// `duration` in NIO's unit.
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}

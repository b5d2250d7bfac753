import Hummingbird
import Logging
import NIOCore
import Synchronization

/// A stand-in for an OpenAI-compatible server on loopback: answers `/v1/completions` and
/// `/v1/chat/completions` with the next of its scripted replies (the last one repeats) and
/// records every request. For the failures real servers rarely show on demand.
final class TestDoubleServer: Sendable {
    /// One scripted answer.
    enum Reply: Sendable {
        /// A status, a body and extra headers (only `Retry-After` is sent).
        case answer(status: Int, body: String, headers: [String: String] = [:])
        /// A 200 server-sent event stream of these `data:` payloads, ended by `data: [DONE]`
        /// when `done`, else just ended.
        case events([String], done: Bool = true)
        /// A 200 stream that sends `prefix` and then breaks the connection.
        case broken(prefix: String)
    }

    /// What a request sent.
    struct Recorded: Sendable {
        var path: String
        var authorization: String?
        var body: String
    }

    private let replies: Mutex<[Reply]>
    private let recorded = Mutex<[Recorded]>([])
    private let task = Mutex<Task<Void, any Error>?>(nil)
    private(set) nonisolated(unsafe) var port = 0

    private init(replies: [Reply]) { self.replies = Mutex(replies) }

    /// A server listening on a free loopback port.
    static func start(_ replies: [Reply]) async throws -> TestDoubleServer {
        let server = TestDoubleServer(replies: replies)
        let router = Router()
        for path in ["/v1/completions", "/v1/chat/completions"] {
            router.post(RouterPath(stringLiteral: path)) { request, _ in try await server.answer(request) }
        }
        let (listening, continuation) = AsyncStream<Int>.makeStream()
        var logger = Logger(label: "test-double")
        logger.logLevel = .critical  // its stop by cancellation logs an error
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) }, logger: logger)
        server.task.withLock { $0 = Task { try await app.run() } }
        for await port in listening {
            server.port = port
            break
        }
        return server
    }

    var baseURL: String { "http://127.0.0.1:\(port)/v1" }

    var requests: [Recorded] { recorded.withLock { $0 } }

    func stop() async {
        let running = task.withLock { $0 }
        running?.cancel()
        _ = await running?.result
    }

    private func answer(_ request: Request) async throws -> Response {
        let body = try await request.body.collect(upTo: 1 << 20)
        recorded.withLock {
            $0.append(Recorded(path: request.uri.path, authorization: request.headers[.authorization], body: String(buffer: body)))
        }
        let reply = replies.withLock { replies in replies.count > 1 ? replies.removeFirst() : replies[0] }
        switch reply {
        case .answer(let status, let text, let extra):
            var headers: HTTPFields = [.contentType: "application/json"]
            if let retryAfter = extra["Retry-After"] { headers[.retryAfter] = retryAfter }
            return Response(status: .init(code: status), headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        case .events(let payloads, let done):
            let text = (payloads + (done ? ["[DONE]"] : [])).map { "data: \($0)\n\n" }.joined()
            return Response(status: .ok, headers: [.contentType: "text/event-stream"], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        case .broken(let prefix):
            return Response(status: .ok, headers: [.contentType: "text/event-stream"], body: ResponseBody { writer in
                try await writer.write(ByteBuffer(string: prefix))
                throw CancellationError()
            })
        }
    }
}

import AsyncHTTPClient
import FSLMOpenAI
import Foundation
import NIOCore
import NIOHTTP1

/// Plain HTTP requests to servers the tests start on loopback.
enum LoopbackHTTP {
    /// A client that fails at once when nothing listens (the shared one keeps trying to connect
    /// until the request's deadline). Lives as long as the test process.
    static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    /// An answer: status, headers (lowercased names) and body text.
    struct Reply: Sendable {
        var status: Int
        var headers: [String: String]
        var body: String

        /// The body's server-sent events.
        var events: [ServerSentEvent] {
            var parser = ServerSentEventParser()
            return parser.push(Array(body.utf8))
        }

        /// The body as a JSON object.
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:] }
    }

    static func get(_ url: String, headers: [String: String] = [:]) async throws -> Reply {
        try await send(url, method: .GET, body: nil, headers: headers)
    }

    static func post(_ url: String, _ body: String, headers: [String: String] = [:]) async throws -> Reply {
        try await send(url, method: .POST, body: body, headers: ["Content-Type": "application/json"].merging(headers) { $1 })
    }

    private static func send(_ url: String, method: HTTPMethod, body: String?, headers: [String: String]) async throws -> Reply {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await client.execute(request, timeout: .seconds(120))
        let text = String(buffer: try await response.body.collect(upTo: 16 << 20))
        var names: [String: String] = [:]
        for header in response.headers { names[header.name.lowercased()] = header.value }
        return Reply(status: Int(response.status.code), headers: names, body: text)
    }

    /// Polls `/metrics` of `base` (30 s at most) until `line` is among its lines.
    static func waitForMetric(_ base: String, _ line: String) async throws -> Bool {
        for _ in 0..<300 {
            if try await get(base + "/metrics").body.split(separator: "\n").contains(Substring(line)) { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }
}

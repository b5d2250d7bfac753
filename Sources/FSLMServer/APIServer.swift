public import FSLMInference
import Foundation
import Hummingbird
import Logging
import NIOCore

/// `fslm serve`: an HTTP server over one shared inference core. It answers OpenAI's
/// `/v1/models`, `/v1/completions` and `/v1/chat/completions` for the served models, runs the
/// served workflows (`/v1/workflows`), and reports `/healthz` and `/metrics`.
public struct APIServer: Sendable {
    public let configuration: ServerConfiguration
    public let models: ServedModels
    public let workflows: [String: ServedWorkflow]
    public let core: InferenceCore
    public let metrics = ServerMetrics()

    /// Workflows are served by name; two of one name keep the last.
    public init(configuration: ServerConfiguration, models: ServedModels, workflows: [ServedWorkflow], core: InferenceCore) {
        self.configuration = configuration
        self.models = models
        self.workflows = Dictionary(workflows.map { ($0.name, $0) }) { $1 }
        self.core = core
    }

    /// Serves until SIGTERM or SIGINT; then stops accepting connections, lets the requests in
    /// progress (runs and streams included) finish, and returns. `onListening` gets the bound
    /// port once connections are accepted. Throws when the address cannot be bound.
    public func run(onListening: @escaping @Sendable (Int) -> Void) async throws {
        var logger = Logger(label: "fslm-serve")
        logger.logLevel = .error
        let app = Application(
            router: router(),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "fslm"),
            onServerRunning: { [port = configuration.port] channel in onListening(channel.localAddress?.port ?? port) },
            logger: logger)
        try await app.runService()
    }

    /// Every route, behind the API key check and the limit on requests in progress.
    func router() -> Router<BasicRequestContext> {
        let router = Router()
        if let key = configuration.apiKey { router.add(middleware: BearerAuthMiddleware(key: key)) }
        router.add(middleware: RequestGateMiddleware(limit: configuration.maxConcurrentRequests, metrics: metrics))
        router.get("/healthz") { _, _ in JSONBody.response(["status": "ok"]) }
        router.get("/metrics") { [metrics] _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                     body: ResponseBody(byteBuffer: ByteBuffer(string: metrics.render())))
        }
        OpenAIRoutes(models: models, core: core, metrics: metrics, maxBodyBytes: configuration.maxBodyBytes).add(to: router)
        WorkflowRoutes(workflows: workflows, core: core, metrics: metrics, maxBodyBytes: configuration.maxBodyBytes,
                       runConcurrency: configuration.runConcurrency).add(to: router)
        return router
    }
}

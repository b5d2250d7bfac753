import Hummingbird

/// Bounds the requests in progress (a streamed answer counts until its last byte): beyond the
/// limit a request gets 429 with `Retry-After`. Records each request's status and latency in
/// the metrics, by route. `/healthz` and `/metrics` are neither bounded nor recorded.
struct RequestGateMiddleware<Context: RequestContext>: RouterMiddleware {
    let limit: Int
    let metrics: ServerMetrics

    init(limit: Int, metrics: ServerMetrics) {
        self.limit = limit
        self.metrics = metrics
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        guard path != "/healthz", path != "/metrics" else { return try await next(request, context) }
        let route = Self.route(path)
        let started = ContinuousClock.now
        let finished: @Sendable (Int) -> Void = { [metrics] status in
            metrics.leave()
            let elapsed = ContinuousClock.now - started
            metrics.requestFinished(route: route, status: status, seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        }
        guard metrics.enter(limit: limit) else {
            metrics.requestFinished(route: route, status: 429, seconds: 0)
            throw APIError.busy
        }
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            finished((error as? any HTTPResponseError)?.status.code ?? 500)
            throw error
        }
        let body = response.body
        let status = response.status.code
        response.body = ResponseBody(contentLength: body.contentLength) { writer in
            defer { finished(status) }
            try await body.write(writer)
        }
        return response
    }

    /// The route's pattern for metric labels: a workflow's name is kept, nothing else varies.
    static func route(_ path: String) -> String {
        switch path {
        case "/v1/models", "/v1/completions", "/v1/chat/completions", "/v1/workflows": path
        case _ where path.hasPrefix("/v1/workflows/") && path.hasSuffix("/runs"): "/v1/workflows/{name}/runs"
        default: "other"
        }
    }
}

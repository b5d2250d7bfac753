/// How `fslm serve` listens and what it accepts.
public struct ServerConfiguration: Sendable {
    public var host: String
    /// 0 picks a free port (reported to `onListening`).
    public var port: Int
    /// Requests must send `Authorization: Bearer KEY` when set (except `/healthz`).
    public var apiKey: String?
    /// Larger request bodies are refused with 413.
    public var maxBodyBytes: Int
    /// Requests in progress at once (streams count until they end); more get 429.
    public var maxConcurrentRequests: Int
    /// Attempts in flight at once within one workflow run.
    public var runConcurrency: Int

    public init(
        host: String = "127.0.0.1", port: Int = 8080, apiKey: String? = nil, maxBodyBytes: Int = 1 << 20,
        maxConcurrentRequests: Int = 64, runConcurrency: Int = 4
    ) {
        self.host = host
        self.port = port
        self.apiKey = apiKey
        self.maxBodyBytes = maxBodyBytes
        self.maxConcurrentRequests = maxConcurrentRequests
        self.runConcurrency = runConcurrency
    }
}

/// Where and how an `OpenAIModel` reaches its servers.
public struct OpenAIEndpoint: Sendable, Hashable {
    /// Which of the two generation endpoints requests go to.
    public enum API: String, Sendable, Hashable {
        /// `POST {base}/completions`, with the prompt as it is.
        case completions
        /// `POST {base}/chat/completions`, with the prompt as one user message.
        case chat
    }

    /// One or more equal servers, each ending where OpenAI's paths begin (`http://host:8000/v1`);
    /// requests go round-robin and a failed attempt moves on to the next server.
    public var baseURLs: [String]
    /// The served model name.
    public var model: String
    public var api: API
    /// Sent as `Authorization: Bearer KEY`; never logged.
    public var apiKey: String?
    /// A stage's adapter name to the served model name that applies it.
    public var adapters: [String: String]
    /// A limit on each HTTP request, from connecting to the end of the answer.
    public var timeout: Duration
    /// Connections kept open to each server.
    public var maxConnections: Int
    public var retry: OpenAIRetryPolicy

    public init(
        baseURLs: [String], model: String, api: API = .completions, apiKey: String? = nil, adapters: [String: String] = [:],
        timeout: Duration = .seconds(120), maxConnections: Int = 8, retry: OpenAIRetryPolicy = OpenAIRetryPolicy()
    ) {
        self.baseURLs = baseURLs.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        self.model = model
        self.api = api
        self.apiKey = apiKey
        self.adapters = adapters
        self.timeout = timeout
        self.maxConnections = maxConnections
        self.retry = retry
    }

    /// The URL requests to `baseURL` go to.
    func url(_ baseURL: String) -> String {
        baseURL + (api == .chat ? "/chat/completions" : "/completions")
    }
}

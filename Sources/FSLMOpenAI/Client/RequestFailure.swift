/// Why one HTTP request failed, and whether trying it again (on the next server) may help.
struct RequestFailure: Error {
    var message: String
    /// Connection errors, 429 and 5xx answers: the server may do better later.
    var retryable: Bool
    /// The wait the server asked for with `Retry-After`.
    var retryAfter: Duration?
    /// The HTTP status of an answer other than 200; nil when none came.
    var status: Int?

    init(_ message: String, retryable: Bool = false, retryAfter: Duration? = nil, status: Int? = nil) {
        self.message = message
        self.retryable = retryable
        self.retryAfter = retryAfter
        self.status = status
    }

    /// A server that does not know vLLM's `guided_choice` refused the request for it.
    var refusesGuidedChoice: Bool { status == 400 && message.contains("guided_choice") }
}

/// Why one HTTP request failed, and whether trying it again (on the next server) may help.
struct RequestFailure: Error {
    var message: String
    /// Connection errors, 429 and 5xx answers: the server may do better later.
    var retryable: Bool
    /// The wait the server asked for with `Retry-After`.
    var retryAfter: Duration?

    init(_ message: String, retryable: Bool = false, retryAfter: Duration? = nil) {
        self.message = message
        self.retryable = retryable
        self.retryAfter = retryAfter
    }
}

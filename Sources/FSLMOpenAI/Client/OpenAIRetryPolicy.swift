public import Foundation

/// When a failed request is tried again: connection errors, 429 and 5xx answers, after an
/// exponential backoff or the server's `Retry-After`, whichever it gives.
public struct OpenAIRetryPolicy: Sendable, Hashable {
    /// Tries after the first one.
    public var retries: Int
    /// The wait before the first retry; it doubles for each further one.
    public var initialDelay: Duration
    /// No wait is longer, whatever the backoff or `Retry-After` asks for.
    public var maxDelay: Duration

    public init(retries: Int = 3, initialDelay: Duration = .milliseconds(250), maxDelay: Duration = .seconds(30)) {
        self.retries = retries
        self.initialDelay = initialDelay
        self.maxDelay = maxDelay
    }

    /// The wait before retry number `retry` (1 for the first): `retryAfter` when the server
    /// gave one, else the backoff; at most `maxDelay`.
    public func delay(beforeRetry retry: Int, retryAfter: Duration?) -> Duration {
        let backoff = initialDelay * (1 << min(max(retry - 1, 0), 20))
        return min(retryAfter ?? backoff, maxDelay)
    }

    /// A `Retry-After` value: whole seconds, or an HTTP date (the wait until then).
    public static func parseRetryAfter(_ value: String, now: Date = Date()) -> Duration? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Int(trimmed), seconds >= 0 { return .seconds(seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: trimmed) else { return nil }
        return .milliseconds(max(0, Int(date.timeIntervalSince(now) * 1000)))
    }
}

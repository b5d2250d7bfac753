import Foundation

/// What a stage does when an attempt fails.
///
/// `attempts` *includes the first try*: `attempts: 1` means no retry, `attempts: 3` means
/// up to two retries. Between attempts the scheduler waits the backoff delay, applies
/// `vary` to the sampling options and, with `feedback`, passes the failed attempt's
/// validator messages to the prompt as `{{feedback}}`.
public struct RetryPolicy: Sendable, Hashable {
    /// Why an attempt failed, as `retry.on` names it.
    public enum Condition: String, Sendable, Hashable, CaseIterable {
        /// A validator failed.
        case invalid
        /// The attempt ran past the stage's timeout.
        case timeout
        /// The backend reported an error.
        case error
    }

    /// Total tries, including the first (>= 1).
    public var attempts: Int
    /// Failures that trigger another attempt; defaults to all.
    public var on: Set<Condition>
    public var backoff: Backoff
    /// Sampling changes applied from the second attempt on.
    public var vary: GenerationOptions
    /// Whether the previous attempt's validator messages are given to the prompt.
    public var feedback: Bool

    public init(
        attempts: Int = 1, on: Set<Condition> = Set(Condition.allCases), backoff: Backoff = Backoff(),
        vary: GenerationOptions = GenerationOptions(), feedback: Bool = false
    ) {
        self.attempts = attempts
        self.on = on
        self.backoff = backoff
        self.vary = vary
        self.feedback = feedback
    }

    /// Exponential backoff: `initial * factor^(retry-1)`, capped at `max`, spread by `jitter`.
    public struct Backoff: Sendable, Hashable {
        public var initial: Duration
        /// >= 1.
        public var factor: Double
        public var max: Duration
        /// Fraction in [0, 1] of each delay that is randomised.
        public var jitter: Double

        public init(initial: Duration = .milliseconds(100), factor: Double = 2, max: Duration = .seconds(2), jitter: Double = 0.1) {
            self.initial = initial
            self.factor = factor
            self.max = max
            self.jitter = jitter
        }

        /// The delay before retry number `retry` (1 for the first retry), without jitter.
        public func delay(beforeRetry retry: Int) -> Duration {
            let seconds = Double(initial.components.seconds) + Double(initial.components.attoseconds) / 1e18
            let capSeconds = Double(max.components.seconds) + Double(max.components.attoseconds) / 1e18
            let value = Swift.min(capSeconds, seconds * Foundation.pow(factor, Double(Swift.max(0, retry - 1))))
            return .milliseconds(Int64((value * 1000).rounded()))
        }
    }
}

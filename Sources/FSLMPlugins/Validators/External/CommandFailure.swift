import Foundation

/// The `ValidatorError`s of external validators: each names the plugin, the validator and
/// its command, says what went wrong, and ends with the end of the command's stderr:
///
///     plugin 'arith', validator 'arith.equation_holds' (validators/check.sh): exited with status 3
///     its stderr ended with:
///       check.sh: no such operator '%'
enum CommandFailure {
    static func error(_ spec: CommandValidatorSpec, _ what: String, stderr: String? = nil) -> ValidatorError {
        let command = spec.argv.first ?? "(no command)"
        var message = "plugin '\(spec.plugin)', validator '\(spec.id)' (\(command)): \(what)"
        if let stderr {
            message += "\nits stderr ended with:\n" + stderr.split(separator: "\n", omittingEmptySubsequences: false)
                .map { "  " + $0 }.joined(separator: "\n")
        }
        return ValidatorError(validator: spec.id, message: message)
    }

    /// What went wrong with a process that is gone, or nil when it exited with status 0
    /// of its own accord. `limit` is the timeout that applied; `early` ("before answering")
    /// is added to an exit or a crash.
    static func problem(with outcome: ChildProcess.Outcome, limit: Duration, early: String = "") -> String? {
        switch outcome.stopReason {
        case .timedOut?: return "did not answer within \(format(limit)); it was stopped"
        case .outputTooLarge?: return "printed more than \(format(bytes: CommandValidators.stdoutLimit)) on stdout; it was stopped"
        case .cancelled?: return "the call was cancelled; it was stopped"
        case .shutDown?: return "it was shut down"
        case .outputClosed?: return "closed its stdout without answering; it was stopped"
        case nil: break
        }
        switch outcome.termination {
        case .exited(0): return nil
        case .exited(let status): return "exited with status \(status)\(early)"
        case .signalled(let signal): return "was killed by \(name(ofSignal: signal))\(early)"
        case .unknown: return "ended, and its exit status could not be read"
        }
    }

    /// "300 ms", "2 s", "1.5 s".
    static func format(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let milliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        if milliseconds < 1000 { return "\(milliseconds) ms" }
        if milliseconds % 1000 == 0 { return "\(milliseconds / 1000) s" }
        return String(format: "%.1f s", Double(milliseconds) / 1000)
    }

    /// "1 MiB", "512 KiB", "100 bytes".
    static func format(bytes: Int) -> String {
        if bytes >= 1 << 20, bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
        if bytes >= 1 << 10, bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
        return "\(bytes) bytes"
    }

    /// "signal 11 (SIGSEGV)".
    static func name(ofSignal signal: Int32) -> String {
        let names: [Int32: String] = [1: "SIGHUP", 2: "SIGINT", 3: "SIGQUIT", 4: "SIGILL", 5: "SIGTRAP", 6: "SIGABRT",
                                      7: "SIGBUS", 8: "SIGFPE", 9: "SIGKILL", 10: "SIGUSR1", 11: "SIGSEGV",
                                      12: "SIGUSR2", 13: "SIGPIPE", 14: "SIGALRM", 15: "SIGTERM", 24: "SIGXCPU", 25: "SIGXFSZ"]
        return names[signal].map { "signal \(signal) (\($0))" } ?? "signal \(signal)"
    }
}

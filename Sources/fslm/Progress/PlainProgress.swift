import FSLMEngine
import Foundation

/// Progress as plain log lines on stderr, for when stderr is not a terminal.
struct PlainProgress: EventSink {
    func receive(_ event: RunEvent) {
        guard let line = ProgressText.line(for: event) else { return }
        Terminal.err(String(format: "[%7.3fs] ", event.elapsed.milliseconds / 1000) + line + "\n")
    }
}

/// One-line descriptions of events, shared by the plain log and the live view.
enum ProgressText {
    static func line(for event: RunEvent) -> String? {
        switch event.kind {
        case .runStarted(let workflow, _, _): return "run of '\(workflow)' started"
        case .stageStarted, .generationProgress: return nil
        case .stageSkipped(let stage, let reason): return "\(stage): skipped (\(reason))"
        case .attemptStarted(let stage, let attempt, let model, let adapter, let fallback, _):
            let target = model.map { " on \($0)" + (adapter.map { "/\($0)" } ?? "") } ?? " (text)"
            return "\(stage): attempt \(attempt)\(fallback ? " (fallback)" : "")\(target)"
        case .generationFinished(let stage, let attempt, _, let p, let c, let d, _):
            return "\(stage): attempt \(attempt) generated \(c) tokens from \(p) in \(Int(d.milliseconds)) ms"
        case .validationFailed(let stage, let attempt, let validator, let message, _):
            return "\(stage): attempt \(attempt) failed \(validator): \(message)"
        case .attemptFailed(let stage, let attempt, let reason, let message):
            return reason == "invalid" ? nil : "\(stage): attempt \(attempt) \(reason == "timeout" ? "timed out" : "failed"): \(message)"
        case .retryScheduled(let stage, let next, let delay):
            return "\(stage): retry (attempt \(next)) in \(Int(delay.milliseconds)) ms"
        case .stageFinished(let stage, let status, let attempts, let output, let error):
            var text = "\(stage): \(status.rawValue) after \(attempts) attempt\(attempts == 1 ? "" : "s")"
            if let output, status != .failed { text += ": \(quote(output))" }
            if let error, status != .succeeded { text += " (\(error))" }
            return text
        case .runFinished(let status, _, let error):
            return "run \(status.rawValue)" + (error.map { ": \($0)" } ?? "")
        }
    }

    /// A short, one-line quotation of a stage output.
    static func quote(_ text: String, limit: Int = 60) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: "⏎")
        return "\"" + (flat.count > limit ? String(flat.prefix(limit)) + "…" : flat) + "\""
    }
}

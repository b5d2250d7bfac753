import FSLMEngine
import Foundation
import Synchronization

/// A live view on a terminal: one line per stage with its state, attempt, elapsed time and
/// tokens, redrawn in place on every event and every 100 ms while the run lasts.
final class LiveProgress: EventSink, Sendable {
    struct Row: Sendable {
        var state = "waiting"
        var attempt = 0
        var started: Duration?
        var finished: Duration?
        var tokens = 0
        /// Pieces streamed by the attempt in flight (about one per token).
        var streamed = 0
        var note = ""
    }

    struct State: Sendable {
        var rows: [String: Row] = [:]
        var linesDrawn = 0
        var now: Duration = .zero
        var done = false
    }

    private let stages: [String]
    private let state = Mutex(State())
    private let started = ContinuousClock.now

    init(stages: [String]) {
        self.stages = stages
        let ticker = Thread { [weak self] in
            while let self, !self.state.withLock({ $0.done }) {
                Thread.sleep(forTimeInterval: 0.1)
                self.redraw(now: ContinuousClock.now - self.started)
            }
        }
        ticker.start()
    }

    func receive(_ event: RunEvent) {
        state.withLock { s in
            switch event.kind {
            case .stageSkipped(let stage, let reason):
                s.rows[stage, default: Row()].state = "skipped"
                s.rows[stage]!.note = reason
            case .attemptStarted(let stage, let attempt, _, _, let fallback, _):
                var row = s.rows[stage, default: Row()]
                row.state = fallback ? "fallback" : "running"
                row.attempt = attempt
                row.started = row.started ?? event.elapsed
                s.rows[stage] = row
            case .generationProgress(let stage, _, _):
                s.rows[stage, default: Row()].streamed += 1
            case .generationFinished(let stage, _, _, _, let completion, _, _):
                s.rows[stage, default: Row()].tokens += completion
                s.rows[stage]!.streamed = 0
            case .retryScheduled(let stage, let next, _):
                s.rows[stage, default: Row()].state = "retry \(next)"
            case .validationFailed(let stage, _, let validator, let message, _):
                s.rows[stage, default: Row()].note = "\(validator): \(message)"
            case .stageFinished(let stage, let status, _, let output, let error):
                var row = s.rows[stage, default: Row()]
                row.state = status.rawValue
                row.finished = event.elapsed
                row.note = status == .succeeded ? (output.map { ProgressText.quote($0) } ?? "") : (error ?? "")
                s.rows[stage] = row
            case .runFinished:
                s.done = true
            default:
                break
            }
        }
        redraw(now: ContinuousClock.now - started)
    }

    private func redraw(now: Duration) {
        state.withLock { s in
            var out = s.linesDrawn > 0 ? "\u{1B}[\(s.linesDrawn)A" : ""
            let width = stages.map(\.count).max() ?? 0
            for id in stages {
                let row = s.rows[id] ?? Row()
                let elapsed = row.started.map { ((row.finished ?? now) - $0).milliseconds / 1000 }
                var line = id.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
                line += Self.symbol(row.state) + " " + row.state.padding(toLength: 10, withPad: " ", startingAt: 0)
                line += row.attempt > 0 ? " #\(row.attempt)" : "   "
                line += elapsed.map { String(format: " %6.2fs", $0) } ?? "        "
                let shown = row.tokens + row.streamed
                line += shown > 0 ? String(format: " %5d tok", shown) : "          "
                if !row.note.isEmpty { line += "  " + row.note }
                out += "\u{1B}[2K" + String(line.prefix(160)) + "\n"
            }
            s.linesDrawn = stages.count
            // Written under the lock so the ticker and events never interleave frames.
            Terminal.err(out)
        }
    }

    private static func symbol(_ state: String) -> String {
        switch state {
        case "succeeded": "✔"
        case "failed", "cancelled": "✘"
        case "skipped": "–"
        case "invalid": "!"
        case "waiting": "·"
        default: "…"
        }
    }
}

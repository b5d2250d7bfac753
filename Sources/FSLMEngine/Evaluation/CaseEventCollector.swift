import Synchronization

/// Tallies one case's run from its events: tokens, retries and validator failures per
/// stage, and the first stage that ended on a backend error or timeout without failing the
/// run (under `on_failure: skip` or `continue`, as `--single-attempt` makes every stage).
final class CaseEventCollector: EventSink, Sendable {
    struct Tally: Sendable {
        var tokens = 0
        var stages: [String: StageTally] = [:]
        var stageError: String?
        /// Each stage's latest failed attempt: its reason and message.
        var lastFailure: [String: (reason: String, message: String)] = [:]
    }

    private let storage = Mutex(Tally())

    var tally: Tally { storage.withLock { $0 } }

    func receive(_ event: RunEvent) {
        storage.withLock { t in
            switch event.kind {
            case .generationFinished(_, _, _, let promptTokens, let completionTokens, _, _):
                t.tokens += promptTokens + completionTokens
            case .retryScheduled(let stage, _, _):
                t.stages[stage, default: StageTally()].retries += 1
            case .validationFailed(let stage, _, _, _, _):
                t.stages[stage, default: StageTally()].validatorFailures += 1
            case .attemptFailed(let stage, _, let reason, let message):
                t.lastFailure[stage] = (reason, message)
            case .stageFinished(let stage, let status, let attempts, _, _):
                guard t.stageError == nil, status == .invalid || status == .skipped,
                    let failure = t.lastFailure[stage], failure.reason != "invalid"
                else { return }
                t.stageError = "stage '\(stage)' ended \(status.rawValue) after \(attempts) attempt\(attempts == 1 ? "" : "s"): \(failure.message)"
            default:
                break
            }
        }
    }
}

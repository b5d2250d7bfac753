public import FSLMWorkflow

/// How a stage ended, or that it has not (yet) been decided.
public enum StageStatus: String, Sendable, Hashable, Codable {
    case succeeded, failed, skipped
    /// Ran out of attempts under `on_failure: continue`: its last output is kept.
    case invalid
    /// Was running or waiting to retry when the run was stopped.
    case cancelled
}

/// Whether a stage runs, given how its needs ended and what its condition says.
/// Shared by the dry-run planner and the scheduler, so both agree.
public enum StageDecision: Sendable, Hashable {
    case run
    case skip(reason: String)
    /// Not decidable yet (a need has not finished, or the condition reads unknown values).
    case undecided(reason: String)

    /// Decides for `stage` from its needs' statuses (nil = not known) and `condition`'s truth.
    ///
    /// - `trigger: all`: any need skipped or failed skips it; any unknown need leaves it undecided.
    /// - `trigger: any`: runs once all needs are known and at least one succeeded (or ended
    ///   invalid but continued); skipped when none did.
    /// - Then a false `when` skips it and an unknown one leaves it undecided.
    public static func decide(
        _ stage: Stage, needs: [String: StageStatus?], condition: () throws -> Truth
    ) rethrows -> StageDecision {
        let statuses = stage.needs.map { ($0, needs[$0] ?? nil) }
        let usable: (StageStatus) -> Bool = { $0 == .succeeded || $0 == .invalid }
        switch stage.spec.trigger {
        case .all:
            if let (id, status) = statuses.first(where: { $0.1.map { !usable($0) } ?? false }) {
                return .skip(reason: "needed stage '\(id)' \(status!.rawValue)")
            }
            if let (id, _) = statuses.first(where: { $0.1 == nil }) { return .undecided(reason: "waits for '\(id)'") }
        case .any:
            if !statuses.isEmpty {
                let anyUsable = statuses.contains { $0.1.map(usable) ?? false }
                if !anyUsable {
                    if let (id, _) = statuses.first(where: { $0.1 == nil }) { return .undecided(reason: "waits for '\(id)'") }
                    return .skip(reason: "none of its needed stages succeeded")
                }
                if let (id, _) = statuses.first(where: { $0.1 == nil }) { return .undecided(reason: "waits for '\(id)'") }
            }
        }
        guard stage.condition != nil else { return .run }
        switch try condition() {
        case .true: return .run
        case .false: return .skip(reason: "'when' is false")
        case .unknown: return .undecided(reason: "'when' depends on outputs not known yet")
        }
    }
}

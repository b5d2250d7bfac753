public import FSLMEngine
import Synchronization

/// Keeps every event it receives, for tests to inspect.
public final class InMemoryEventSink: EventSink, Sendable {
    private let storage = Mutex<[RunEvent]>([])


    /// Keeps streamed-text pieces too (off by default: most tests follow the stages, not tokens).
    public let keepsProgress: Bool

    public init(keepsProgress: Bool = false) { self.keepsProgress = keepsProgress }

    public func receive(_ event: RunEvent) {
        if case .generationProgress = event.kind, !keepsProgress { return }
        storage.withLock { $0.append(event) }
    }

    /// Every event so far, in order.
    public var events: [RunEvent] { storage.withLock { $0 } }

    /// Every event kind so far, in order.
    public var kinds: [RunEvent.Kind] { events.map(\.kind) }

    /// Short labels, `type:stage#attempt`, for asserting event order readably.
    public var labels: [String] {
        events.map { e in
            var label = e.typeName
            if let stage = e.stage { label += ":" + stage }
            switch e.kind {
            case .attemptStarted(_, let a, _, _, _, _), .attemptFailed(_, let a, _, _), .validationFailed(_, let a, _, _, _),
                .generationFinished(_, let a, _, _, _, _, _):
                label += "#\(a)"
            default: break
            }
            return label
        }
    }
}

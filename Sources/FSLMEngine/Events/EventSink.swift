/// Receives a run's events, in order. Sinks are called from the scheduler's actor, one
/// event at a time; a sink that needs to do slow work should hand it off.
public protocol EventSink: Sendable {
    func receive(_ event: RunEvent)
}

/// Forwards every event to several sinks, in order.
public struct MultiplexEventSink: EventSink {
    public var sinks: [any EventSink]

    public init(_ sinks: [any EventSink]) { self.sinks = sinks }

    public func receive(_ event: RunEvent) {
        for sink in sinks { sink.receive(event) }
    }
}

import Synchronization

/// Hands out the servers of an endpoint in turn, so equal servers share the load.
final class ServerRotation: Sendable {
    private let next = Atomic<Int>(0)
    let count: Int

    init(count: Int) { self.count = count }

    /// The server index a new request starts at; its retries take the ones after it.
    func start() -> Int {
        Int(UInt(bitPattern: next.wrappingAdd(1, ordering: .relaxed).oldValue) % UInt(count))
    }
}

import Synchronization

/// Messages for the scheduler's loop, from attempt tasks, retry timers and cancellation.
/// The loop takes everything that arrived since it last looked, at once, so results that
/// arrive together can be applied in stage declaration order.
final class Mailbox<Message: Sendable>: Sendable {
    private let messages = Mutex<[Message]>([])
    private let signal: AsyncStream<Void>.Continuation
    private let wakeups: AsyncStream<Void>

    init() {
        (wakeups, signal) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    func post(_ message: Message) {
        messages.withLock { $0.append(message) }
        signal.yield()
    }

    /// Waits until at least one message arrived, then returns all of them (oldest first).
    func takeAll() async -> [Message] {
        while true {
            let batch = messages.withLock { list -> [Message] in
                defer { list.removeAll() }
                return list
            }
            if !batch.isEmpty { return batch }
            var iterator = wakeups.makeAsyncIterator()
            _ = await iterator.next()
        }
    }
}

/// The `needs` relation of a workflow's stages, indexed once: a topological order and,
/// per stage, a bitset of every stage upstream of it, so "does `b` run before `a`?" costs
/// one bit test even for workflows with thousands of stages.
public struct DependencyIndex: Sendable {
    /// Stage ids such that every stage comes after all it needs: stages with no needs in
    /// file order, then each stage as soon as its last need is placed. Stages on or after
    /// a cycle are left out.
    public let order: [String]
    private let position: [String: Int]
    private let bits: [[UInt64]]

    /// - Parameters:
    ///   - ids: stage ids in file order.
    ///   - needs: each stage's needs; names not in `ids` are ignored.
    public init(ids: [String], needs: [String: [String]]) {
        var position: [String: Int] = [:]
        for (i, id) in ids.enumerated() where position[id] == nil { position[id] = i }
        // Kahn's algorithm: a stage becomes ready when its last need is placed.
        var remaining = ids.map { id in Set((needs[id] ?? []).compactMap { position[$0] }).count }
        var dependents = [[Int]](repeating: [], count: ids.count)
        for (i, id) in ids.enumerated() {
            for need in Set((needs[id] ?? []).compactMap({ position[$0] })) { dependents[need].append(i) }
        }
        var ready = (0..<ids.count).filter { remaining[$0] == 0 }
        var order: [Int] = []
        var head = 0
        ready.reserveCapacity(ids.count)
        while head < ready.count {
            let i = ready[head]
            head += 1
            order.append(i)
            for d in dependents[i] {
                remaining[d] -= 1
                if remaining[d] == 0 { ready.append(d) }
            }
        }
        let words = (ids.count + 63) / 64
        var bits = [[UInt64]](repeating: [UInt64](repeating: 0, count: words), count: ids.count)
        for i in order {
            for need in (needs[ids[i]] ?? []).compactMap({ position[$0] }) {
                bits[i][need / 64] |= 1 << UInt64(need % 64)
                for w in 0..<words { bits[i][w] |= bits[need][w] }
            }
        }
        self.order = order.map { ids[$0] }
        self.position = position
        self.bits = bits
    }

    /// True when `candidate` is (transitively) needed by `stage`.
    public func isUpstream(_ candidate: String, of stage: String) -> Bool {
        guard let s = position[stage], let c = position[candidate] else { return false }
        return bits[s][c / 64] & (1 << UInt64(c % 64)) != 0
    }

    /// True when every stage is in `order` (no cycle).
    public var isComplete: Bool { order.count == position.count }
}

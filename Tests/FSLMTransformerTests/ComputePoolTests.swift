import FSLMTransformer
import Synchronization
import Testing

@Suite struct ComputePoolTests {
    @Test(arguments: [1, 2, 3])
    func everyTaskRunsExactlyOnce(threads: Int) {
        let pool = ComputePool(threads: threads)
        for tasks in [0, 1, 2, 7, 100, 1000] {
            let counts = Mutex([Int](repeating: 0, count: tasks))
            pool.run(tasks: tasks) { task in counts.withLock { $0[task] += 1 } }
            let seen = counts.withLock { $0 }
            #expect(seen.allSatisfy { $0 == 1 }, "\(threads) threads, \(tasks) tasks")
        }
    }

    @Test func concurrentCallersEachFinishTheirOwnTasks() async {
        let pool = ComputePool(threads: 2)
        let totals = await withTaskGroup(of: Int.self) { group in
            for caller in 0..<4 {
                group.addTask {
                    let sum = Atomic<Int>(0)
                    for _ in 0..<50 { pool.run(tasks: 64) { sum.add($0 + caller, ordering: .relaxed) } }
                    return sum.load(ordering: .relaxed)
                }
            }
            return await group.reduce(into: [Int]()) { $0.append($1) }
        }
        // Each caller adds Σ(task + caller) over 64 tasks, 50 times.
        let expected = Set((0..<4).map { caller in 50 * (2016 + 64 * caller) })
        #expect(Set(totals) == expected)
    }
}

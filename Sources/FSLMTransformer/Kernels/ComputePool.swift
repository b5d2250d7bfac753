import Foundation
import Synchronization

/// A fixed set of compute threads that run the parts of one kernel call together with the
/// calling thread. Threads are created once; a call hands out task indices through an atomic
/// counter (no allocation, no thread creation per call). Between calls the workers spin for
/// a few tens of microseconds (a forward pass issues calls back to back), then sleep on a
/// condition variable until the next call.
///
/// One call runs at a time: a caller that finds the pool busy (another model's forward pass)
/// runs its tasks alone on its own thread, so no call ever waits for another.
public final class ComputePool: @unchecked Sendable {
    // @unchecked: `job` and `taskCount` are written only by the caller that holds `busy`,
    // before the release-increment of `generation`, and read by workers after acquiring it.

    /// The process's pool, sized by `configure(threads:)` before first use, else by
    /// `$FSLM_THREADS`, else one thread per processor.
    public static var shared: ComputePool { sharedPool.withLock { $0 ?? makeShared(threads: nil, into: &$0) } }

    /// Sets the shared pool's thread count (at least 1); a pool already started is replaced
    /// for later calls.
    public static func configure(threads: Int) {
        sharedPool.withLock { _ = makeShared(threads: threads, into: &$0) }
    }

    /// Threads that run a call, the caller included.
    public let threadCount: Int

    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private let generation = Atomic<Int>(0)
    private let nextTask = Atomic<Int>(0)
    private let runningWorkers = Atomic<Int>(0)
    private let busy = Atomic<Bool>(false)
    private var job: (@convention(c) (UnsafeRawPointer, Int) -> Void)?
    private var jobContext: UnsafeRawPointer?
    private var taskCount = 0

    /// A pool of `threads` (≥ 1): the caller plus `threads - 1` workers.
    public init(threads: Int) {
        threadCount = max(1, threads)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
        for _ in 1..<threadCount {
            let thread = Thread { self.workerLoop() }  // pools live as long as the process
            thread.name = "fslm.compute"
            thread.stackSize = 1 << 22
            thread.start()
        }
    }

    /// Runs `body(context, task)` for every task in `0..<tasks` across the pool and returns
    /// when all are done. `body` captures nothing (its arguments come through `context`), so a
    /// call allocates nothing.
    public func run(tasks: Int, context: UnsafeRawPointer, _ body: @convention(c) (UnsafeRawPointer, Int) -> Void) {
        guard tasks > 1, threadCount > 1, busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            for task in 0..<tasks { body(context, task) }
            return
        }
        job = body
        jobContext = context
        taskCount = tasks
        nextTask.store(0, ordering: .relaxed)
        runningWorkers.store(threadCount - 1, ordering: .relaxed)
        pthread_mutex_lock(mutex)
        generation.add(1, ordering: .releasing)
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(mutex)
        drain()
        var spins = 0
        while runningWorkers.load(ordering: .acquiring) > 0 {
            spins += 1
            if spins > 1 << 16 { sched_yield() }
        }
        job = nil
        jobContext = nil
        busy.store(false, ordering: .releasing)
    }

    /// Runs `body(0..<tasks)` across the pool (a closure: convenient, but its context may be
    /// allocated per call; the kernels use `run(tasks:context:_:)`).
    public func run(tasks: Int, _ body: (Int) -> Void) {
        withoutActuallyEscaping(body) { body in
            withUnsafePointer(to: body) { pointer in
                run(tasks: tasks, context: UnsafeRawPointer(pointer)) { context, task in
                    context.assumingMemoryBound(to: ((Int) -> Void).self).pointee(task)
                }
            }
        }
    }

    /// Runs tasks until none is left.
    @inline(never)
    private func drain() {
        guard let job, let context = jobContext else { return }
        let count = taskCount
        while true {
            let task = nextTask.wrappingAdd(1, ordering: .relaxed).oldValue
            if task >= count { return }
            job(context, task)
        }
    }

    private func workerLoop() {
        var seen = 0
        while true {
            var spins = 0
            while generation.load(ordering: .acquiring) == seen, spins < 40_000 { spins += 1 }
            if generation.load(ordering: .acquiring) == seen {
                pthread_mutex_lock(mutex)
                while generation.load(ordering: .acquiring) == seen { pthread_cond_wait(condition, mutex) }
                pthread_mutex_unlock(mutex)
            }
            seen = generation.load(ordering: .acquiring)
            drain()
            runningWorkers.subtract(1, ordering: .releasing)
        }
    }

    private static let sharedPool = Mutex<ComputePool?>(nil)

    private static func makeShared(threads: Int?, into pool: inout ComputePool?) -> ComputePool {
        let environment = ProcessInfo.processInfo.environment["FSLM_THREADS"].flatMap(Int.init)
        let count = threads ?? environment ?? ProcessInfo.processInfo.activeProcessorCount
        if let pool, pool.threadCount == count { return pool }
        let made = ComputePool(threads: count)
        pool = made
        return made
    }
}

import FSLMInference
import Foundation
import Synchronization

/// The compute loop of a `NativeModel`: every active generation advances by one batched
/// forward pass per step.
///
/// Requests arrive in an inbox (any thread). While there is work, one loop runs on the
/// model's serial compute queue (never on Swift's cooperative pool): it takes the inbox
/// between steps, runs score requests there and then (unbatched), admits waiting
/// generations up to `BatchPolicy.maxSequences` (reusing a cached prompt prefix when the
/// `PrefixStore` has one), runs one forward pass for all of them (`BatchPolicy`), and lets
/// each consume its logits. Finished generations leave and their caches go to the store;
/// an error or a cancellation ends its own generation only. The loop ends when nothing is
/// left, so an idle model holds no thread.
final class BatchScheduler: Sendable {
    /// A generation request with where its events go.
    struct GenerationJob: Sendable {
        var request: GenerationRequest
        /// Token ids to use instead of encoding the prompt (benchmarks).
        var promptTokens: [Int]? = nil
        var stopsAtEndOfSequence = true
        let cancelled: CancellationFlag
        let continuation: AsyncThrowingStream<GenerationEvent, any Error>.Continuation
    }

    enum Job: Sendable {
        case generate(GenerationJob)
        /// Work run between two steps (scoring).
        case run(@Sendable () -> Void)
    }

    private struct Inbox {
        var jobs: [Job] = []
        var running = false
        var paused = false

        /// Marks the loop as running and says whether the caller must start it.
        mutating func claimStart() -> Bool {
            guard !running, !paused else { return false }
            running = true
            return true
        }
    }

    /// A generation being served, with its job.
    private struct Active {
        var generation: Generation
        let job: GenerationJob
    }

    let policy = Mutex(BatchPolicy())
    let statistics = Mutex(BatchStatistics())
    /// Called after every step, on the compute queue (benchmarks).
    let stepObserver = Mutex<(@Sendable (StepRecord) -> Void)?>(nil)
    let prefixes = Mutex(PrefixStore())
    private let inbox = Mutex(Inbox())
    private let queue = DispatchQueue(label: "fslm.native.compute")

    /// Queues `job` and starts the loop for `model` if it is not running.
    func submit(_ job: Job, model: NativeModel) {
        let start = inbox.withLock { inbox in
            inbox.jobs.append(job)
            return inbox.claimStart()
        }
        if start { queue.async { self.run(model) } }
    }

    /// Holds new jobs in the inbox until `resume` (tests: to make requests join one step).
    func pause() { inbox.withLock { $0.paused = true } }

    /// Lets held jobs run, starting the loop for `model` if needed.
    func resume(model: NativeModel) {
        let start = inbox.withLock { inbox in
            inbox.paused = false
            return !inbox.jobs.isEmpty && inbox.claimStart()
        }
        if start { queue.async { self.run(model) } }
    }

    /// Jobs not yet taken by the loop.
    var queuedJobs: Int { inbox.withLock { $0.jobs.count } }

    // MARK: The loop

    private func run(_ model: NativeModel) {
        var active: [Active] = [], waiting: [GenerationJob] = []
        while true {
            let idle = active.isEmpty && waiting.isEmpty
            let jobs: [Job]? = inbox.withLock { inbox in
                if inbox.paused || inbox.jobs.isEmpty {
                    if idle { inbox.running = false; return nil }
                    return []
                }
                defer { inbox.jobs = [] }
                return inbox.jobs
            }
            guard let jobs else { return }
            for job in jobs {
                switch job {
                case .run(let body): body()
                case .generate(let generation): waiting.append(generation)
                }
            }
            admit(&waiting, into: &active, model: model)
            if !active.isEmpty { step(&active, model: model) }
        }
    }

    /// Drops the waiting generations whose consumers went away, then starts waiting ones while
    /// there is room, in arrival order.
    private func admit(_ waiting: inout [GenerationJob], into active: inout [Active], model: NativeModel) {
        waiting.removeAll { job in
            guard job.cancelled.isSet else { return false }
            job.continuation.finish(throwing: CancellationError())
            return true
        }
        let room = policy.withLock { $0.maxSequences } - active.count
        guard room > 0, !waiting.isEmpty else { return }
        let admitted = waiting.prefix(room)
        waiting.removeFirst(admitted.count)
        for job in admitted {
            do {
                let continuation = job.continuation
                var generation = try Generation(
                    model: model, request: job.request, promptTokens: job.promptTokens,
                    stopsAtEndOfSequence: job.stopsAtEndOfSequence, cancelled: job.cancelled
                ) { continuation.yield(.text($0)) }
                if let cache = prefixes.withLock({ $0.lookup(adapter: generation.adapterName, prompt: generation.prompt) }) {
                    generation.reuse(cache)
                    statistics.withLock { $0.promptTokensReused += cache.count }
                }
                active.append(Active(generation: generation, job: job))
            } catch {
                job.continuation.finish(throwing: error)
            }
        }
    }

    /// One forward pass for the active generations (as `BatchPolicy` allows), each then
    /// consuming its logits; the finished, failed and cancelled ones leave `active`.
    private func step(_ active: inout [Active], model: NativeModel) {
        let clock = ContinuousClock(), started = clock.now
        var leaving = Set<Int>()
        for i in active.indices where active[i].generation.isCancelled {
            active[i].job.continuation.finish(throwing: CancellationError())
            leaving.insert(i)
        }
        // Rows: one per decoding sequence, then prefill chunks in order from what is left.
        var members: [(index: Int, count: Int)] = []
        let decoding = active.indices.filter { !leaving.contains($0) && !active[$0].generation.isPrefilling }
        var left = policy.withLock { $0.tokensPerStep } - decoding.count
        members += decoding.map { ($0, 1) }
        for i in active.indices where !leaving.contains(i) && active[i].generation.isPrefilling && left > 0 {
            let count = min(active[i].generation.pending.count, left)
            members.append((i, count))
            left -= count
        }
        // A sequence that cannot run (its context is full) fails alone, before the pass.
        members.removeAll { member in
            do {
                try active[member.index].generation.check(model.model, running: member.count)
                return false
            } catch {
                active[member.index].job.continuation.finish(throwing: error)
                leaving.insert(member.index)
                return true
            }
        }
        if !members.isEmpty {
            let decodeRows = members.count { !active[$0.index].generation.isPrefilling }
            let prefillRows = members.reduce(0) { $0 + $1.count } - decodeRows
            forward(members, of: &active, leaving: &leaving, model: model)
            record(sequences: members.count, decodeRows: decodeRows, prefillRows: prefillRows, duration: clock.now - started)
        }
        for i in leaving.sorted(by: >) { active.remove(at: i) }
    }

    /// The forward pass of `members` (index into `active`, tokens to run) and what follows it.
    private func forward(_ members: [(index: Int, count: Int)], of active: inout [Active], leaving: inout Set<Int>, model: NativeModel) {
        var batch = members.map { member in
            ForwardSequence(
                tokens: Array(active[member.index].generation.pending.prefix(member.count)), cache: .placeholder,
                adapter: active[member.index].generation.adapter)
        }
        // The caches move into the batch and back, never copied.
        for (b, member) in members.enumerated() { swap(&batch[b].cache, &active[member.index].generation.cache) }
        let result = Result { try model.model.logits(batch: &batch) }
        for (b, member) in members.enumerated() { swap(&batch[b].cache, &active[member.index].generation.cache) }
        guard case .success(let logits) = result else {
            for member in members {
                if case .failure(let error) = result { active[member.index].job.continuation.finish(throwing: error) }
                leaving.insert(member.index)
            }
            return
        }
        for (b, member) in members.enumerated() {
            let i = member.index
            active[i].generation.advance(by: member.count)
            guard active[i].generation.pending.isEmpty else { continue }  // more of the prompt to run
            do {
                switch try active[i].generation.consume(logits[b]) {
                case .next: break
                case .finished(let result):
                    active[i].job.continuation.yield(.finished(result))
                    active[i].job.continuation.finish()
                    leaving.insert(i)
                    let generation = active[i].generation
                    prefixes.withLock { $0.insert(adapter: generation.adapterName, tokens: generation.fed, cache: generation.cache) }
                }
            } catch {
                active[i].job.continuation.finish(throwing: error)
                leaving.insert(i)
            }
        }
    }

    private func record(sequences: Int, decodeRows: Int, prefillRows: Int, duration: Duration) {
        statistics.withLock {
            $0.steps += 1
            $0.sequences += sequences
            $0.largestBatch = max($0.largestBatch, sequences)
            $0.promptTokensComputed += prefillRows
        }
        stepObserver.withLock { $0 }?(StepRecord(decodeRows: decodeRows, prefillRows: prefillRows, duration: duration))
    }
}

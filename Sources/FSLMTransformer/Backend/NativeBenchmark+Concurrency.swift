import FSLMInference
import Foundation
import Synchronization

extension NativeBenchmark {
    /// Decode speed of several generations at once through the batching scheduler, next to
    /// one generation through the same path, measured in the same run.
    public struct ConcurrentResult: Sendable, Codable, Hashable {
        public var concurrency: Int
        /// Generated tokens per second summed over the generations, over the steps in which
        /// all of them decoded together (no prefill in the step).
        public var aggregateDecodeTokensPerSecond: Statistic
        /// The same measure for one generation alone, through the same path.
        public var singleDecodeTokensPerSecond: Statistic
        /// Steps measured per repetition, with all generations decoding (median).
        public var measuredSteps: Int
    }

    /// Runs one warm-up and `repetitions` measured rounds of `concurrency` concurrent greedy
    /// generations of `generated` tokens after different `prompt`-token prompts (synthetic
    /// ids, no stop at end of text), and as many rounds of one such generation alone.
    public func runConcurrent(prompt: Int, generated: Int, repetitions: Int, concurrency: Int, adapter: String? = nil) throws -> ConcurrentResult {
        let config = model.config, cap = model.scheduler.policy.withLock { $0.maxSequences }
        guard prompt >= 1, generated >= 2, prompt + generated <= config.maxPositions else {
            throw BenchmarkError("prompt (\(prompt)) plus generated (\(generated), at least 2) tokens must fit the model's context of \(config.maxPositions)")
        }
        guard (1...cap).contains(concurrency) else {
            throw BenchmarkError("concurrency \(concurrency) is outside 1...\(cap), the sequences one batched step runs")
        }
        _ = try model.adapter(adapter)
        var round = 0
        func rates(_ count: Int) throws -> (rates: [Double], steps: [Int]) {
            var rates: [Double] = [], steps: [Int] = []
            for repetition in 0...repetitions {
                round += 1
                let records = try measureRound(
                    count: count, prompt: prompt, generated: generated, adapter: adapter, seed: round * (cap + 1))
                let full = records.filter { $0.decodeRows == count && $0.prefillRows == 0 }
                guard !full.isEmpty else {
                    throw BenchmarkError("no step had all \(count) generations decoding; raise --gen-tokens (\(generated)) or lower --prompt-tokens (\(prompt))")
                }
                guard repetition > 0 else { continue }  // the first round warms up
                rates.append(Double(count * full.count) / Self.seconds(full.reduce(Duration.zero) { $0 + $1.duration }))
                steps.append(full.count)
            }
            return (rates, steps)
        }
        let single = try rates(1), many = try rates(concurrency)
        return ConcurrentResult(
            concurrency: concurrency, aggregateDecodeTokensPerSecond: Statistic(many.rates),
            singleDecodeTokensPerSecond: Statistic(single.rates), measuredSteps: many.steps.sorted()[many.steps.count / 2])
    }

    /// `count` generations submitted together (they join the same step), run to the end;
    /// the scheduler's steps meanwhile.
    private func measureRound(count: Int, prompt: Int, generated: Int, adapter: String?, seed: Int) throws -> [StepRecord] {
        let vocabulary = model.config.vocabularySize
        let records = Mutex<[StepRecord]>([]), failure = Mutex<(any Error)?>(nil)
        let done = DispatchGroup()
        model.scheduler.stepObserver.withLock { $0 = { record in records.withLock { $0.append(record) } } }
        defer { model.scheduler.stepObserver.withLock { $0 = nil } }
        model.scheduler.pause()
        var streams: [AsyncThrowingStream<GenerationEvent, any Error>] = []  // alive until the end: a dropped stream cancels
        for i in 0..<count {
            // Synthetic ids spread over the vocabulary, different for every generation and round
            // (so no prompt prefix is reused).
            let ids = (0..<prompt).map { ($0 &* 7919 &+ 13 &+ (seed + i) &* 104_729) % vocabulary }
            let (stream, continuation) = AsyncThrowingStream<GenerationEvent, any Error>.makeStream()
            streams.append(stream)
            done.enter()
            continuation.onTermination = { termination in
                if case .finished(let error?) = termination { failure.withLock { $0 = error } }
                done.leave()
            }
            let request = GenerationRequest(prompt: "", adapter: adapter, maxTokens: generated, temperature: 0)
            model.scheduler.submit(
                .generate(.init(request: request, promptTokens: ids, stopsAtEndOfSequence: false, cancelled: CancellationFlag(), continuation: continuation)),
                model: model)
        }
        model.scheduler.resume(model: model)
        withExtendedLifetime(streams) { done.wait() }
        if let error = failure.withLock({ $0 }) { throw error }
        return records.withLock { $0 }
    }
}

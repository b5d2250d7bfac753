import Foundation

/// Speed of one native model: prefill and decode throughput and time to first token,
/// measured in-process on synthetic token ids (the tokenizer is not timed).
public struct NativeBenchmark: Sendable {
    /// One measured quantity over the repetitions.
    public struct Statistic: Sendable, Codable, Hashable {
        public var median: Double
        public var min: Double
        public var max: Double

        init(_ values: [Double]) {
            let sorted = values.sorted()
            median = sorted[sorted.count / 2]
            min = sorted.first ?? 0
            max = sorted.last ?? 0
        }
    }

    /// What a run measured.
    public struct Result: Sendable, Codable, Hashable {
        public var promptTokens: Int
        public var generatedTokens: Int
        public var repetitions: Int
        /// Prompt tokens per second in one forward pass over the whole prompt.
        public var prefillTokensPerSecond: Statistic
        /// Generated tokens per second, one forward pass per token with the KV cache.
        public var decodeTokensPerSecond: Statistic
        /// Prefill plus choosing the first token, in milliseconds.
        public var timeToFirstTokenMilliseconds: Statistic
        /// The process's peak resident memory so far, in megabytes.
        public var peakResidentMegabytes: Double
        /// Size of the weight files, in megabytes.
        public var weightMegabytes: Double
        /// Concurrent generations through the batching scheduler, when measured (`runConcurrent`).
        public var concurrent: ConcurrentResult? = nil
    }

    let model: NativeModel

    public init(model: NativeModel) { self.model = model }

    /// Runs one warm-up and `repetitions` measured generations of `generated` tokens after a
    /// `prompt`-token prompt, greedy, with the named adapter (or none).
    public func run(prompt: Int, generated: Int, repetitions: Int, adapter: String? = nil) throws -> Result {
        let config = model.config
        guard prompt >= 1, generated >= 1, prompt + generated <= config.maxPositions else {
            throw BenchmarkError("prompt (\(prompt)) plus generated (\(generated)) tokens must fit the model's context of \(config.maxPositions)")
        }
        let lora = try model.adapter(adapter)
        // Synthetic ids spread over the vocabulary (any ids are valid input).
        let ids = (0..<prompt).map { ($0 &* 7919 &+ 13) % config.vocabularySize }
        let clock = ContinuousClock()
        var prefill: [Double] = [], decode: [Double] = [], firstToken: [Double] = []
        for round in 0...repetitions {
            var cache = model.model.makeCache()
            let start = clock.now
            var logits = try model.model.forward(tokens: ids, cache: &cache, adapter: lora)
            let prefilled = clock.now
            var token = Self.argmax(logits)
            let first = clock.now
            for _ in 1..<generated {
                logits = try model.model.forward(tokens: [token], cache: &cache, adapter: lora)
                token = Self.argmax(logits)
            }
            let end = clock.now
            guard round > 0 else { continue }  // the first round warms up
            prefill.append(Double(prompt) / Self.seconds(prefilled - start))
            firstToken.append(Self.seconds(first - start) * 1000)
            decode.append(generated > 1 ? Double(generated - 1) / Self.seconds(end - first) : 0)
        }
        return Result(
            promptTokens: prompt, generatedTokens: generated, repetitions: repetitions,
            prefillTokensPerSecond: Statistic(prefill), decodeTokensPerSecond: Statistic(decode),
            timeToFirstTokenMilliseconds: Statistic(firstToken), peakResidentMegabytes: Self.peakResidentMegabytes(),
            weightMegabytes: Self.weightMegabytes(model.folder.url))
    }

    static func argmax(_ logits: [Float]) -> Int {
        var best = 0
        for i in logits.indices where logits[i] > logits[best] { best = i }
        return best
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    /// `ru_maxrss` of this process (kilobytes on Linux).
    static func peakResidentMegabytes() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }

    static func weightMegabytes(_ folder: URL) -> Double {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        let bytes = files.filter { $0.hasSuffix(".safetensors") }.compactMap {
            try? FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent($0).path)[.size] as? Int
        }.reduce(0, +)
        return Double(bytes) / 1_048_576
    }
}

/// A benchmark that cannot run as asked.
public struct BenchmarkError: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

import ArgumentParser
import FSLMTransformer
import Foundation

/// `fslm bench --model DIR`: prefill and decode speed of one native model.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure a native model's prefill and decode speed, time to first token and peak memory.",
        discussion: """
            One warm-up, then the repetitions; prints median, min and max. Synthetic token ids; greedy. With --concurrency N, \
            also N generations at once through the batching scheduler: their aggregate decode tokens/s over the steps where \
            all N decode together, next to one generation's through the same path.
            """)

    @Option(help: ArgumentHelp("A Hugging Face model folder.", valueName: "dir")) var model: String
    @Option(help: ArgumentHelp("A PEFT LoRA adapter folder to apply.", valueName: "dir")) var adapter: String?
    @Option(help: "Prompt length in tokens.") var promptTokens = 512
    @Option(help: "Tokens to generate.") var genTokens = 128
    @Option(help: "Measured repetitions (after one warm-up).") var repetitions = 3
    @Option(help: ArgumentHelp("Weight dtype: f32, f16, bf16 or q8 (converted once at load); default: as stored.", valueName: "dtype"))
    var dtype: String?
    @Option(help: "Compute threads (default: $FSLM_THREADS, else one per processor).") var threads: Int?
    @Option(help: "Also decode this many generations at once through the batching scheduler (different prompts) and report their aggregate decode tokens/s next to one generation's through the same path.")
    var concurrency: Int?
    @Flag(help: "Print the result as one JSON object.") var json = false

    func validate() throws {
        if promptTokens < 1 || genTokens < 1 { throw ValidationError("--prompt-tokens and --gen-tokens must be at least 1") }
        if repetitions < 1 { throw ValidationError("--repetitions must be at least 1") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        if let dtype, WeightMatrix.Format(rawValue: dtype) == nil {
            throw ValidationError("--dtype must be one of \(WeightMatrix.Format.allCases.map(\.rawValue).joined(separator: ", ")), not '\(dtype)'")
        }
        if let concurrency, concurrency < 1 { throw ValidationError("--concurrency must be at least 1") }
    }

    func run() throws {
        var result: NativeBenchmark.Result
        if let threads { ComputePool.configure(threads: threads) }
        do {
            let native = try NativeModel(
                folder: URL(fileURLWithPath: model), adapters: adapter.map { ["adapter": URL(fileURLWithPath: $0)] } ?? [:], weightFormat: dtype.flatMap(WeightMatrix.Format.init(rawValue:)))
            result = try NativeBenchmark(model: native).run(
                prompt: promptTokens, generated: genTokens, repetitions: repetitions, adapter: adapter == nil ? nil : "adapter")
            if let concurrency {
                result.concurrent = try NativeBenchmark(model: native).runConcurrent(
                    prompt: promptTokens, generated: genTokens, repetitions: repetitions, concurrency: concurrency,
                    adapter: adapter == nil ? nil : "adapter")
            }
        } catch {
            Terminal.err("error: \(error)\n")
            throw ExitCode(1)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            Terminal.out(String(decoding: try encoder.encode(result), as: UTF8.self) + "\n")
            return
        }
        func cell(_ text: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - text.count)) + text }
        func row(_ name: String, _ s: NativeBenchmark.Statistic, _ unit: String) -> String {
            name.padding(toLength: 20, withPad: " ", startingAt: 0)
                + [s.median, s.min, s.max].map { cell(String(format: "%.1f", $0), 10) }.joined() + "  \(unit)\n"
        }
        var out = "\(model): \(promptTokens)-token prompt, \(genTokens) generated, \(repetitions) repetitions\n"
        out += "weights \(dtype ?? "as stored"), \(ComputePool.shared.threadCount) threads, \(Kernels.activeLevel) kernels\n"
        out += String(repeating: " ", count: 20) + cell("median", 10) + cell("min", 10) + cell("max", 10) + "\n"
        out += row("prefill", result.prefillTokensPerSecond, "tokens/s")
        out += row("decode", result.decodeTokensPerSecond, "tokens/s")
        out += row("time to first token", result.timeToFirstTokenMilliseconds, "ms")
        if let concurrent = result.concurrent {
            out += row("decode ×1 batching", concurrent.singleDecodeTokensPerSecond, "tokens/s")
            out += row("decode ×\(concurrent.concurrency) aggregate", concurrent.aggregateDecodeTokensPerSecond, "tokens/s")
        }
        out += String(format: "peak resident memory %.0f MB (weights: %.1f MB)\n", result.peakResidentMegabytes, result.weightMegabytes)
        Terminal.out(out)
    }
}

import ArgumentParser
import FSLMEngine
import FSLMInference
import FSLMPlugins
import FSLMWorkflow
import Foundation

/// `fslm run FILE`: executes the workflow and prints its outputs.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a workflow and print its outputs.",
        discussion: """
            Progress goes to stderr (a live view on a terminal, log lines otherwise); outputs go \
            to stdout: the value alone when there is one output, else NAME: VALUE lines. \
            Outputs are printed only when the run succeeded (with --json, always). Exit codes: 0 succeeded, 1 invalid workflow or inputs or a failed run, 130 cancelled \
            (Ctrl-C or SIGTERM).
            """)

    @OptionGroup var workflow: WorkflowOptions
    @OptionGroup var inputOptions: InputOptions

    @Option(help: ArgumentHelp("Write every event as a JSON line to this file.", valueName: "file.jsonl"))
    var trace: String?

    @Flag(help: "Print the result as one JSON object (status, outputs, stages, error).")
    var json = false

    @Option(help: "Attempts in flight at once (default: the number of cores).")
    var maxConcurrency: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: ArgumentHelp("A limit on the whole run, e.g. 30s or 2m.", valueName: "duration"))
    var timeout: String?

    @Option(help: "Seed for retry jitter (default: random).")
    var seed: UInt64?

    @Flag(help: "No progress on stderr.")
    var quiet = false

    func validate() throws {
        if maxConcurrency < 1 { throw ValidationError("--max-concurrency must be at least 1") }
        if let timeout, Duration.parseWorkflowDuration(timeout) == nil {
            throw ValidationError("--timeout expects a duration such as 30s or 2m, got '\(timeout)'")
        }
    }

    func run() async throws {
        let (loaded, plugins) = try WorkflowLoading.load(workflow)
        let binding = InputBinder(inputs: loaded.spec.inputs).bind(pairs: try inputOptions.pairs, file: try InputFile.read(inputOptions.inputFile))
        guard binding.isComplete else {
            for problem in binding.problems { Terminal.err("error: \(problem)\n") }
            throw ExitCode(1)
        }
        var sinks: [any EventSink] = []
        if let trace {
            do { sinks.append(try JSONLTraceSink(path: trace)) } catch {
                let folder = URL(fileURLWithPath: trace).deletingLastPathComponent().path
                let why = FileManager.default.fileExists(atPath: folder) ? "it cannot be created there" : "the folder '\(folder)' does not exist"
                Terminal.err("\(trace): error: cannot write the trace file: \(why)\n")
                throw ExitCode(1)
            }
        }
        if !quiet {
            sinks.append(isatty(STDERR_FILENO) == 1 ? LiveProgress(stages: loaded.stages.map(\.id)) : PlainProgress())
        }
        var options = Scheduler.Options(maxConcurrency: maxConcurrency, timeout: timeout.flatMap(Duration.parseWorkflowDuration))
        if let seed { options.seed = seed }
        let validators = plugins.validatorRegistry { CommandValidators.make($0) }
        let scheduler = Scheduler(workflow: loaded, core: .shared, validators: validators, clock: ContinuousClock(),
                                  sink: MultiplexEventSink(sinks), options: options)
        let result = await SignalCancellation.run { await scheduler.run(inputs: binding.values) }
        await CommandValidators.shutdownAll()
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            Terminal.out(String(decoding: try encoder.encode(result), as: UTF8.self) + "\n")
        } else if result.status == .succeeded {
            // Declared outputs in their order; without `outputs:`, the final stages' outputs.
            let names = loaded.outputs.isEmpty ? loaded.stages.map(\.id).filter { result.outputs[$0] != nil } : loaded.outputs.map(\.name)
            if names.count == 1, let value = result.outputs[names[0]] {
                Terminal.out(value + "\n")
            } else {
                for name in names { Terminal.out("\(name): \(result.outputs[name] ?? "")\n") }
            }
        }
        if !json, let error = result.error { Terminal.err("error: \(error)\n") }
        switch result.status {
        case .succeeded: return
        case .failed: throw ExitCode(1)
        case .cancelled: throw ExitCode(130)
        }
    }
}

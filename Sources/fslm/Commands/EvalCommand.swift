import ArgumentParser
import FSLMEngine
import FSLMPlugins
import FSLMWorkflow
import Foundation

/// `fslm eval FILE --data cases.jsonl`: runs a workflow on every case of a file and reports
/// its accuracy, retries, validator failures, tokens and latency.
struct EvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate a workflow on a file of cases and report its accuracy.",
        discussion: """
            Each line of the cases file is {"inputs": {...}, "expect": {"OUTPUT": "..."}}, with an \
            optional "metric" (exact, contains, number) and "tags" (a list; accuracy is reported per tag). \
            A case that errors counts as failed and the evaluation goes on. The report goes to stdout; \
            a progress bar to stderr on a terminal. Exit codes: 0 the evaluation completed (whatever \
            the accuracy), 1 invalid workflow or cases, 130 cancelled (Ctrl-C or SIGTERM).
            """)

    @OptionGroup var workflow: WorkflowOptions

    @Option(help: ArgumentHelp("The cases, one JSON object per line.", valueName: "cases.jsonl"))
    var data: String

    @Option(help: ArgumentHelp(
        "How outputs are compared when a case names no metric: exact (after trimming), contains, or number (the last number in the output).",
        valueName: "metric"))
    var metric = "exact"

    @Option(help: ArgumentHelp("Another workflow to run on the same cases; the reports are shown side by side.", valueName: "other.yaml"))
    var compare: String?

    @Option(help: ArgumentHelp("Cases evaluated at once.", valueName: "n"))
    var concurrency = 1

    @Option(help: ArgumentHelp("Evaluate only the first N cases.", valueName: "n"))
    var limit: Int?

    @Flag(help: "Give every stage one attempt; a validator failure keeps the output (as on_failure: continue).")
    var singleAttempt = false

    @Flag(help: "Print the report as one JSON object ({\"workflows\": [...]} with --compare).")
    var json = false

    @Flag(help: "No progress bar on stderr.")
    var quiet = false

    func validate() throws {
        if EvalMetric(rawValue: metric) == nil { throw ValidationError("--metric expects exact, contains or number, got '\(metric)'") }
        if concurrency < 1 { throw ValidationError("--concurrency must be at least 1") }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func run() async throws {
        let metric = EvalMetric(rawValue: self.metric)!
        var loaded = [try WorkflowLoading.load(workflow)]
        if let compare {
            var other = workflow
            other.file = compare
            loaded.append(try WorkflowLoading.load(other))
        }
        var cases = try readCases()
        // In line order; a problem both workflows find (a value that is not a number) once.
        var seen: Set<EvalCaseProblem> = []
        let problems = loaded.flatMap { workflow, _ in
            EvalCase.problems(cases, workflow: workflow.spec.path, outputs: workflow.outputNames, metric: metric)
        }.filter { seen.insert($0).inserted }
        guard problems.isEmpty else {
            for problem in problems.sorted(by: { $0.line < $1.line }) { Terminal.err(problem.rendered(path: data) + "\n") }
            throw ExitCode(1)
        }
        if let limit { cases = Array(cases.prefix(limit)) }

        let evaluations = loaded.map { workflow, plugins in
            Evaluation(workflow: workflow, validators: plugins.validatorRegistry { CommandValidators.make($0) },
                       metric: metric, concurrency: concurrency, singleAttempt: singleAttempt)
        }
        let showsProgress = !quiet && isatty(STDERR_FILENO) == 1
        // One cancellable task for every workflow: a Ctrl-C between two of them counts too.
        let reports = await SignalCancellation.run { [cases] () async -> [EvalReport]? in
            var reports: [EvalReport] = []
            for evaluation in evaluations {
                let label = evaluations.count > 1 ? evaluation.workflow.spec.path : ""
                let bar = showsProgress ? ProgressBar(total: cases.count, label: label) : nil
                bar?.show(0)
                guard let report = try? await evaluation.run(cases, progress: { bar?.show($0) }) else {
                    bar?.abandon()
                    return nil
                }
                reports.append(report)
            }
            return reports
        }
        await CommandValidators.shutdownAll()
        guard let reports else {
            Terminal.err("error: the evaluation was cancelled\n")
            throw ExitCode(130)
        }

        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let data = reports.count == 1 ? try encoder.encode(reports[0]) : try encoder.encode(["workflows": reports])
            Terminal.out(String(decoding: data, as: UTF8.self) + "\n")
        } else {
            Terminal.out(EvalReport.table(reports))
        }
    }

    /// The cases of `--data`; an unreadable file or bad lines (all of them) end the command.
    private func readCases() throws -> [EvalCase] {
        var isFolder: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: data, isDirectory: &isFolder)
        // FileHandle rather than FileManager.contents, so that pipes (`<(...)`, /dev/stdin) work.
        guard exists, !isFolder.boolValue, let handle = FileHandle(forReadingAtPath: data),
            let contents = try? handle.readToEnd() ?? Data()
        else {
            let why = !exists ? "no such file" : isFolder.boolValue ? "it is a folder" : "it cannot be read"
            Terminal.err("\(data): error: cannot read the cases file: \(why)\n")
            throw ExitCode(1)
        }
        do {
            let cases = try EvalCase.decode(jsonLines: Array(contents))
            guard !cases.isEmpty else {
                Terminal.err("\(data): error: no cases (one JSON object per line)\n")
                throw ExitCode(1)
            }
            return cases
        } catch let error as EvalCasesError {
            for problem in error.problems { Terminal.err(problem.rendered(path: data) + "\n") }
            throw ExitCode(1)
        }
    }
}

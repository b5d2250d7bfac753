import FSLMTestSupport
import Foundation
import Testing

/// `fslm eval` on the scripted fixtures in `Tests/Fixtures/eval`: `stack.yaml` (an equation
/// checked by arith.equation_holds and retried once, then a sentence) and `direct.yaml` (one
/// stage), on `cases.jsonl`, ten cases of which seven pass, two error and one is answered wrong.
@Suite struct EvalCommandTests {
    static let folder = "Tests/Fixtures/eval"
    static let stack = "\(folder)/stack.yaml"
    static let direct = "\(folder)/direct.yaml"
    static let cases = "\(folder)/cases.jsonl"

    private func eval(_ arguments: [String], workflow: String = stack, data: String = cases) throws -> CLI.Outcome {
        try CLI.run(["eval", workflow, "--data", data] + arguments)
    }

    private func evalJSON(_ arguments: [String] = []) throws -> EvalJSON {
        let run = try eval(["--metric", "number", "--json"] + arguments)
        try #require(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.isEmpty, "no progress bar off a terminal: \(run.stderr)")
        return try EvalJSON.decode(run.stdout)
    }

    // MARK: - Reports

    @Test func accuracyIsPassedOverCasesAndMatchesTheResults() throws {
        let report = try evalJSON()
        #expect(report.workflow == Self.stack)
        #expect(report.cases == 10 && report.results.count == 10)
        #expect(report.passed == report.results.count(where: \.passed))
        #expect(report.accuracy == Double(report.passed) / Double(report.cases))
        #expect(report.results.map(\.line) == Array(1...10))
        #expect(report.results.map(\.passed) == [true, true, false, false, true, true, true, false, true, true])
        #expect(report.passed == 7)
        #expect(report.results.map(\.metric) == ["number", "number", "number", "number", "number", "contains", "exact", "number", "number", "number"])
        #expect(report.results[4].outputs == ["answer": "Mia has 8 stickers now."])
        #expect(report.results[8].expect == ["answer": "1000"], "a number in expect is read as its text")
        #expect(report.tokens == report.results.reduce(0) { $0 + $1.tokens } && report.tokens > 0)
        #expect(report.results.allSatisfy { $0.latencyMs >= 0 })
    }

    /// Line 3 runs out of attempts, line 8's backend fails: both count as failed, are reported,
    /// and the cases after them still run.
    @Test func erroringCasesAreReportedAndTheEvaluationGoesOn() throws {
        let report = try evalJSON()
        #expect(report.errors == 2)
        #expect(report.results.filter { $0.error != nil }.map(\.line) == [3, 8])
        #expect(report.results[2].error == "stage 'solve' failed after 2 attempts: 7 * 6 = 48 does not hold")
        #expect(report.results[7].error == "stage 'solve' failed after 1 attempt: model 'slm': backend down")
        #expect(!report.results[2].passed && !report.results[7].passed)
        #expect(report.results[8...].allSatisfy { $0.error == nil && $0.passed })

        let text = try eval(["--metric", "number"])
        #expect(text.status == 0)
        #expect(text.stdout.hasSuffix("""

            errors
              line 3: stage 'solve' failed after 2 attempts: 7 * 6 = 48 does not hold
              line 8: stage 'solve' failed after 1 attempt: model 'slm': backend down

            """), "\(text.stdout)")
    }

    @Test func retriesAndValidatorFailuresPerStage() throws {
        let report = try evalJSON()
        // 12 + 30 = 32 is rejected and retried; 7 * 6 = 36 and = 48 are both rejected.
        #expect(report.stages == ["solve": .init(retries: 2, validatorFailures: 3), "answer": .init(retries: 0, validatorFailures: 0)])
        #expect(report.results.map(\.attempts) == [2, 3, 2, 2, 2, 2, 2, 1, 2, 2])
        #expect(!report.singleAttempt)
    }

    @Test func accuracyPerTag() throws {
        let report = try evalJSON()
        #expect(report.tags == [
            "arithmetic": .init(cases: 9, passed: 6, accuracy: 6.0 / 9.0),
            "held-out": .init(cases: 4, passed: 3, accuracy: 0.75),
            "word-problem": .init(cases: 1, passed: 1, accuracy: 1),
        ])
        let text = try eval(["--metric", "number"])
        #expect(text.stdout.contains("""
            accuracy by tag
              arithmetic        66.7% (6/9)
              held-out          75.0% (3/4)
              word-problem      100.0% (1/1)
            """), "\(text.stdout)")
    }

    @Test func tableHasTheTotals() throws {
        let run = try eval(["--metric", "number"])
        #expect(run.status == 0)
        #expect(run.stdout.hasPrefix("""
            workflow            \(Self.stack)
            cases               10
            passed              7
            accuracy            70.0%
            errors              2
            tokens              
            """), "\(run.stdout)")
        for row in ["tokens per case", "latency mean", "latency p95", "retries\n  solve             2\n  answer            0",
                    "validator failures\n  solve             3\n  answer            0"] {
            #expect(run.stdout.contains(row), "\(row)")
        }
    }

    /// Without `--metric`, cases that name none are compared exactly.
    @Test func defaultMetricIsExact() throws {
        let run = try eval(["--json"])
        try #require(run.status == 0, "\(run.stderr)")
        let report = try EvalJSON.decode(run.stdout)
        #expect(report.results.map(\.metric) == ["exact", "exact", "exact", "exact", "exact", "contains", "exact", "exact", "exact", "exact"])
        #expect(report.results.filter(\.passed).map(\.line) == [6, 7])
    }

    // MARK: - Options

    /// One attempt per stage: nothing is retried, a rejected equation is kept (and counted),
    /// so 12 + 30 now fails and 7 * 6 no longer errors; the backend error is still reported.
    @Test func singleAttemptMakesNoRetries() throws {
        let report = try evalJSON(["--single-attempt"])
        #expect(report.singleAttempt)
        #expect(report.stages.values.allSatisfy { $0.retries == 0 })
        #expect(report.stages["solve"] == .init(retries: 0, validatorFailures: 2))
        #expect(report.results.map(\.passed) == [true, false, false, false, true, true, true, false, true, true])
        #expect(report.results[1].outputs == ["answer": "12 + 30 is 32."])
        #expect(report.results[2].error == nil && report.results[2].outputs == ["answer": "7 * 6 is 36."])
        #expect(report.results.filter { $0.error != nil }.map(\.line) == [8])
        #expect(report.results.allSatisfy { $0.attempts <= 2 }, "one attempt per stage")
        #expect(report.accuracy == 0.6)
    }

    @Test func compareRunsBothWorkflowsOnTheSameCases() throws {
        let run = try eval(["--metric", "number", "--compare", Self.direct, "--json"])
        try #require(run.status == 0, "\(run.stderr)")
        let reports = try EvalJSON.decodeComparison(run.stdout)
        #expect(reports.map(\.workflow) == [Self.stack, Self.direct])
        #expect(reports.map { $0.results.map(\.line) } == [Array(1...10), Array(1...10)])
        #expect(reports.map(\.passed) == [7, 6])
        for report in reports { #expect(report.accuracy == Double(report.passed) / Double(report.cases)) }
        #expect(reports[1].results.map(\.outputs)[2] == ["answer": "It is 42."])

        let text = try eval(["--metric", "number", "--compare", Self.direct])
        #expect(text.status == 0)
        let lines = text.stdout.split(separator: "\n")
        #expect(lines.first == "workflow            \(Self.stack)  \(Self.direct)")
        #expect(lines.contains("accuracy            70.0%                           60.0%"))
        #expect(lines.contains("  solve             2                               -"), "a stage only the stack has")
        #expect(text.stdout.contains("\nerrors (\(Self.stack))\n  line 3: "))
        #expect(!text.stdout.contains("errors (\(Self.direct))"))
    }

    @Test func casesAtOnceGiveTheSameResults() throws {
        let one = try evalJSON()
        let four = try evalJSON(["--concurrency", "4"])
        #expect(four.results.map(\.line) == one.results.map(\.line))
        #expect(four.results.map(\.passed) == one.results.map(\.passed))
        #expect(four.results.map(\.outputs) == one.results.map(\.outputs))
        #expect(four.results.map(\.error) == one.results.map(\.error))
        #expect(four.stages == one.stages)
    }

    @Test func limitTakesTheFirstCases() throws {
        let report = try evalJSON(["--limit", "3"])
        #expect(report.cases == 3)
        #expect(report.results.map(\.line) == [1, 2, 3])
    }

    /// A case whose inputs do not bind fails with the binder's message; the others run.
    @Test func missingInputsFailOnlyThatCase() throws {
        let run = try eval(["--metric", "number", "--json"], data: "\(Self.folder)/missing-input.jsonl")
        #expect(run.status == 0, "\(run.stderr)")
        let report = try EvalJSON.decode(run.stdout)
        #expect(report.results.map(\.passed) == [true, false, true])
        #expect(report.results[1].error == "missing input 'question'; unknown input 'q'")
        #expect(report.results[1].attempts == 0 && report.results[1].outputs.isEmpty)
    }

    // MARK: - Invalid cases, workflows and flags

    /// Every bad line is reported, at its line and column, and nothing runs.
    @Test func badLinesAreAllReportedBeforeAnythingRuns() throws {
        let data = "\(Self.folder)/bad-lines.jsonl"
        let run = try eval([], data: data)
        #expect(run.status == 1)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr == """
            \(data):2:72: error: invalid JSON: unexpected end, expected ',' or '}'
            \(data):3:71: error: invalid JSON: expected a key in quotes
            \(data):5:1: error: a case must be a JSON object, got a list
            \(data):6:1: error: unknown key 'expected' (a case has inputs, expect, metric, tags); did you mean 'expect'?
            \(data):6:1: error: a case needs 'expect', an object of output names and expected values

            """)
    }

    @Test func expectMustNameAnOutputOfEveryWorkflow() throws {
        let data = "\(Self.folder)/unknown-output.jsonl"
        let run = try eval([], data: data)
        #expect(run.status == 1)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr == "\(data):2:1: error: 'expect' names 'answr', which is not an output of \(Self.stack) (its outputs: answer); did you mean 'answer'?\n")

        let compared = try eval(["--compare", Self.direct], data: data)
        #expect(compared.status == 1)
        #expect(compared.stderr.contains("which is not an output of \(Self.direct)"), "\(compared.stderr)")
    }

    @Test func unknownMetricInACaseNamesItsLine() throws {
        let data = "\(Self.folder)/unknown-metric.jsonl"
        let run = try eval([], data: data)
        #expect(run.status == 1)
        #expect(run.stderr == "\(data):1:1: error: unknown metric 'numeric' (exact, contains or number)\n")
    }

    @Test func expectedValueMustBeANumberUnderTheNumberMetric() throws {
        let scratch = try ScratchFile("cases.jsonl")
        defer { scratch.remove() }
        try scratch.write("{\"inputs\": {\"question\": \"What is 3 + 5?\"}, \"expect\": {\"answer\": \"eight\"}}\n", to: "cases.jsonl")
        let run = try eval(["--metric", "number"], data: scratch.path)
        #expect(run.status == 1)
        #expect(run.stderr == "\(scratch.path):1:1: error: 'expect' gives 'answer' as \"eight\", which is not a number (the metric is number)\n")
        let compared = try eval(["--metric", "number", "--compare", Self.direct], data: scratch.path)
        #expect(compared.stderr == run.stderr, "reported once, not once per workflow")
        #expect(try eval([], data: scratch.path).status == 0, "fine when compared exactly")
    }

    @Test func unreadableOrEmptyCasesFiles() throws {
        let missing = try eval([], data: "\(Self.folder)/no-such-cases.jsonl")
        #expect(missing.status == 1)
        #expect(missing.stderr == "\(Self.folder)/no-such-cases.jsonl: error: cannot read the cases file: no such file\n")
        let folder = try eval([], data: Self.folder)
        #expect(folder.status == 1)
        #expect(folder.stderr == "\(Self.folder): error: cannot read the cases file: it is a folder\n")
        let empty = try eval([], data: "/dev/null")
        #expect(empty.status == 1)
        #expect(empty.stderr == "/dev/null: error: no cases (one JSON object per line)\n")
    }

    @Test func invalidWorkflowIsExitCode1() throws {
        let run = try eval([], workflow: "Tests/Fixtures/workflows/invalid/18-empty-stages.yaml")
        #expect(run.status == 1)
        #expect(run.stderr.contains("error:"), "\(run.stderr)")
        #expect(run.stdout.isEmpty)
    }

    static let usageCases = [
        UsageCase(arguments: ["--metric", "numbr"], message: "--metric expects exact, contains or number, got 'numbr'"),
        UsageCase(arguments: ["--concurrency", "0"], message: "--concurrency must be at least 1"),
        UsageCase(arguments: ["--limit", "0"], message: "--limit must be at least 1"),
    ]

    @Test(arguments: usageCases)
    func badFlagsAreUsageErrors(_ usage: UsageCase) throws {
        let run = try eval(usage.arguments)
        #expect(run.status == 64)
        #expect(run.stderr.contains(usage.message) && run.stderr.contains("Usage: fslm eval"), "\(run.stderr)")
        #expect(run.stdout.isEmpty)
    }

    @Test func dataIsRequired() throws {
        let run = try CLI.run(["eval", Self.stack])
        #expect(run.status == 64)
        #expect(run.stderr.contains("--data"), "\(run.stderr)")
    }

    // MARK: - Plugins and Ctrl-C

    /// A plugin found only through `--plugin`, whose validator marks that it started and then
    /// stalls, so the test knows a case is in flight before it sends the signal.
    static let stalling = (
        workflow: """
            version: 1
            name: stalls
            models:
              m:
                backend: scripted
                rules:
                  - replies: ["ok"]
            plugins: [stall]
            stages:
              ask:
                prompt: "Say ok."
                validate: [stall.forever]
            outputs:
              answer: "{{stages.ask.output}}"

            """,
        manifest: """
            name: stall
            validators:
              forever:
                command: [validators/forever.sh]
                timeout: 1h

            """,
        validator: """
            #!/bin/sh
            touch started
            exec sleep 3600

            """)

    @Test(arguments: StopSignal.allCases)
    func signalCancelsTheEvaluation(_ stop: StopSignal) async throws {
        let scratch = try ScratchFile("wf.yaml")
        defer { scratch.remove() }
        try scratch.write(Self.stalling.workflow, to: "wf.yaml")
        try scratch.write(Self.stalling.manifest, to: "lib/stall/plugin.yaml")
        try scratch.write(Self.stalling.validator, to: "lib/stall/validators/forever.sh", executable: true)
        try scratch.write("{\"expect\": {\"answer\": \"ok\"}}\n{\"expect\": {\"answer\": \"ok\"}}\n", to: "cases.jsonl")

        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = ["eval", "wf.yaml", "--plugin", "lib/stall", "--data", "cases.jsonl", "--json"]
        process.currentDirectoryURL = scratch.folder
        process.environment = ProcessInfo.processInfo.environment.merging(["FSLM_PLUGIN_PATH": ""]) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }

        // Validators run in their plugin's folder.
        let marker = scratch.folder.appendingPathComponent("lib/stall/started").path
        let deadline = ContinuousClock.now + .seconds(60)
        while !FileManager.default.fileExists(atPath: marker), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        try #require(FileManager.default.fileExists(atPath: marker), "the first case never reached its validator")
        stop.send(to: process)
        let status = await Deadline.run(seconds: 30) {
            process.waitUntilExit()
            return process.terminationStatus
        }
        try #require(status != nil, "still running 30 s after \(stop.testDescription)")
        #expect(process.terminationReason == .exit, "killed by the signal instead of stopping")
        #expect(status == 130)
        #expect(out.fileHandleForReading.readDataToEndOfFile().isEmpty, "no report for a cancelled evaluation")
        #expect(String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) == "error: the evaluation was cancelled\n")
    }
}

import FSLMTestSupport
import Foundation
import Testing

/// One run of an example workflow and how it must end.
struct ExampleRun: Sendable, CustomTestStringConvertible {
    var workflow: String
    /// `NAME=VALUE` for `--input`.
    var input: String
    var outputs: [String: String]
    var stages: [String: StageEnd]

    var testDescription: String { "\(workflow) --input \(input)" }
}

/// `fslm run` and `fslm trace show` on the examples in `workflows/`, as a user runs them: the
/// `--json` result, the trace, what goes to stdout and stderr.
@Suite struct RunCommandTests {
    /// The bundled stack on the bundled model, greedy (BundledStackTests checks it against transformers).
    static let stack = ExampleRun(
        workflow: "workflows/fslm-stack.yaml",
        input: "question=Mia had 14 stickers and gave 6 to a friend. How many stickers does Mia have now?",
        outputs: ["answer": "Mia has 8 stickers now."],
        stages: ["route": .ran, "plan": .ran, "compute": .ran, "convert": .skipped, "decline": .skipped, "answer": .ran, "reply": .ran])

    static let direct = ExampleRun(
        workflow: "workflows/fslm-direct.yaml",
        input: "question=How many grams are in 3 kilograms?",
        outputs: ["answer": "3 kilograms is 3000 grams."],
        stages: ["answer": .ran])

    static let retryValidate = ExampleRun(
        workflow: "workflows/retry-validate.yaml", input: "sentence=I flew from Lisbon to Oslo last winter.",
        outputs: ["city": #"{"city": "Oslo"}"#, "summary": #"Destination: {"city": "Oslo"}"#],
        stages: ["extract": .succeeded(after: 2), "confirm": .ran])

    /// The router's three branches: conversion, arithmetic, and a decline.
    static let routes = [
        ExampleRun(
            workflow: "workflows/router.yaml", input: "question=How many grams are in 3 kilograms?",
            outputs: ["answer": "There are 3000 grams in 3 kilograms.", "route": "conversion"],
            stages: ["route": .ran, "compute": .skipped, "convert": .ran, "decline": .skipped, "answer": .ran, "reply": .ran]),
        ExampleRun(
            workflow: "workflows/router.yaml", input: "question=What is 12 + 30?",
            outputs: ["answer": "12 + 30 is 42.", "route": "arithmetic"],
            // The first equation fails arith.equation_holds; the retry is right.
            stages: ["route": .ran, "compute": .succeeded(after: 2), "convert": .skipped, "decline": .skipped, "answer": .ran, "reply": .ran]),
        ExampleRun(
            workflow: "workflows/router.yaml", input: "question=Tell me a joke.",
            outputs: ["answer": "I can only answer arithmetic and unit-conversion questions.", "route": "other"],
            stages: ["route": .ran, "compute": .skipped, "convert": .skipped, "decline": .ran, "answer": .skipped, "reply": .ran]),
    ]

    static let examples = [stack, direct] + routes + [retryValidate]

    @Test func everyExampleWorkflowHasARun() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Fixtures.packageRoot.appendingPathComponent("workflows").path)
        let examples = Set(files.filter { $0.hasSuffix(".yaml") }.map { "workflows/\($0)" })
        #expect(examples == Set(Self.examples.map(\.workflow)))
    }

    // MARK: - Results

    @Test(arguments: examples)
    func exampleSucceedsWithItsOutputs(_ example: ExampleRun) throws {
        let run = try CLI.run(["run", example.workflow, "--input", example.input, "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let report = try RunReport.decode(run.stdout)
        #expect(report.status == "succeeded")
        #expect(report.error == nil)
        #expect(report.outputs == example.outputs)
        #expect(report.ends == example.stages)
    }

    /// Runs `example` with `--json --trace`; returns the result and the trace's events.
    private func runWithTrace(_ example: ExampleRun) throws -> (RunReport, [TraceEvent]) {
        let trace = try ScratchFile("trace.jsonl")
        defer { trace.remove() }
        let run = try CLI.run(["run", example.workflow, "--input", example.input, "--json", "--quiet", "--trace", trace.path])
        try #require(run.status == 0, "\(run.stderr)")
        return (try RunReport.decode(run.stdout), try TraceEvent.read(trace.url))
    }

    @Test(arguments: examples)
    func traceTellsTheSameStoryAsTheJSON(_ example: ExampleRun) throws {
        let (report, events) = try runWithTrace(example)
        #expect(events.map(\.seq) == Array(events.indices))
        #expect(Set(events.map(\.run)).count == 1, "one run id on every line")
        #expect(zip(events, events.dropFirst()).allSatisfy { $0.elapsedMs <= $1.elapsedMs }, "elapsed_ms never goes back")

        let first = try #require(events.first)
        #expect(first.type == "run_started")
        #expect(Set(first.stages ?? []) == Set(report.stages.keys))
        let last = try #require(events.last)
        #expect(last.type == "run_finished")
        #expect(last.status == report.status)
        #expect(last.outputs == report.outputs)
        #expect(last.error == report.error)

        for (id, stage) in report.stages {
            let ends = events.filter { $0.stage == id }.compactMap(\.stageEnd)
            #expect(ends == [StageEnd(status: stage.status, attempts: stage.attempts)], "stage '\(id)'")
            let started = events.filter { $0.type == "attempt_started" && $0.stage == id }
            #expect(started.compactMap(\.attempt) == (0..<stage.attempts).map { $0 + 1 }, "stage '\(id)'")
        }
    }

    /// Every first attempt's prompt in the trace is the whole prompt the dry-run renders once
    /// told each stage's actual output.
    @Test(arguments: examples)
    func traceHoldsEveryRenderedPrompt(_ example: ExampleRun) throws {
        let (report, events) = try runWithTrace(example)
        let assumed = report.stages.compactMap { id, stage in stage.output.map { ["--assume", "\(id)=\($0)"] } }
        let dryRun = try CLI.run(["dry-run", example.workflow, "--input", example.input, "--json"] + assumed.flatMap { $0 })
        try #require(dryRun.status == 0, "\(dryRun.stderr)")
        let rendered = Dictionary(uniqueKeysWithValues: try DryRunReport.decode(dryRun.stdout).steps.map { ($0.stage, $0.rendered) })

        let firstAttempts = events.filter { $0.type == "attempt_started" && $0.attempt == 1 }
        #expect(Set(firstAttempts.compactMap(\.stage)) == Set(report.stages.filter { $0.value.attempts > 0 }.keys))
        for event in firstAttempts {
            let stage = try #require(event.stage)
            #expect(event.prompt == rendered[stage], "stage '\(stage)'")
        }
    }

    @Test func retryPromptCarriesTheValidatorMessage() throws {
        let (_, events) = try runWithTrace(Self.retryValidate)
        let prompts = events.filter { $0.type == "attempt_started" && $0.stage == "extract" }.compactMap(\.prompt)
        try #require(prompts.count == 2)
        let failure = try #require(events.first { $0.type == "validation_failed" && $0.stage == "extract" })
        let message = try #require(failure.message)
        #expect(message.hasPrefix("the reply must match"), "\(message)")
        #expect(!prompts[0].contains("rejected"), "no feedback on the first attempt: \(prompts[0])")
        #expect(prompts[1].contains("Your last reply was rejected: \(message)\nJSON:"), "\(prompts[1])")
    }

    // MARK: - What goes to stdout and stderr

    @Test func oneOutputPrintsOnlyItsValue() throws {
        let example = Self.stack
        let run = try CLI.run(["run", example.workflow, "--input", example.input, "--quiet"])
        #expect(run.status == 0)
        #expect(run.stdout == "Mia has 8 stickers now.\n")
        #expect(run.stderr.isEmpty, "--quiet prints no progress: \(run.stderr)")
    }

    @Test func severalOutputsPrintNamedLinesInDeclarationOrder() throws {
        let run = try CLI.run(["run", "Tests/Fixtures/workflows/run/needs-input.yaml", "--input", "x=ex", "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == "first: ex\nsecond: why\nechoed: ex why\n")
    }

    @Test func withoutDeclaredOutputsTheFinalStagesArePrinted() throws {
        let run = try CLI.run(["run", "Tests/Fixtures/workflows/run/no-outputs.yaml", "--input", "name=Ada", "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == "greet: Hello, Ada!\nwave: *waves*\n")
    }

    @Test func progressIsPlainLinesWhenStderrIsNotATerminal() throws {
        let run = try CLI.run(["run", "workflows/router.yaml", "--input", "question=How many grams are in 3 kilograms?"])
        #expect(run.status == 0)
        #expect(run.stdout == "answer: There are 3000 grams in 3 kilograms.\nroute: conversion\n")
        let lines = run.stderr.split(separator: "\n")
        let stamped = lines.compactMap { $0.wholeMatch(of: #/\[ *\d+\.\d{3}s\] (.+)/#)?.output.1 }
        #expect(stamped.count == lines.count, "every line starts with [ seconds ]: \(run.stderr)")
        #expect(stamped.first == "run of 'router' started")
        #expect(stamped.contains("route: attempt 1 on slm/route"))
        #expect(stamped.contains("route: succeeded after 1 attempt: \"conversion\""))
        #expect(stamped.contains("compute: skipped ('when' is false)"))
        #expect(stamped.contains("reply: attempt 1 (text)"))
        #expect(stamped.last == "run succeeded")
    }

    // MARK: - fslm trace show

    @Test func traceShowDrawsTheRetriedStage() throws {
        let trace = try ScratchFile("retry.jsonl")
        defer { trace.remove() }
        let example = Self.retryValidate
        let run = try CLI.run(["run", example.workflow, "--input", example.input, "--quiet", "--trace", trace.path])
        try #require(run.status == 0, "\(run.stderr)")

        let show = try CLI.run(["trace", "show", trace.path])
        #expect(show.status == 0, "\(show.stderr)")
        #expect(show.stderr.isEmpty)
        let text = show.stdout
        #expect(text.hasPrefix("run "), "\(text)")
        #expect(text.contains(" of 'retry-validate'\n  input sentence = I flew from Lisbon to Oslo last winter.\n"), "\(text)")
        #expect(text.contains("├─ extract: succeeded, 2 attempts\n│  • attempt 1 on small\n"), "\(text)")
        #expect(text.contains("\n│      ✘ regex: the reply must match "), "\(text)")
        #expect(text.contains("\n│  • attempt 2 on small\n"), "\(text)")
        #expect(text.contains("Your last reply was rejected: the reply must match"), "\(text)")
        #expect(text.contains("└─ confirm: succeeded, 1 attempt\n"), "\(text)")
        #expect(text.hasSuffix(#"""
            output city: {"city": "Oslo"}
            output summary: Destination: {"city": "Oslo"}
            run succeeded

            """#), "\(text)")
    }

    @Test func traceShowNamesTheLineThatIsNotAnEvent() throws {
        let trace = try ScratchFile("broken.jsonl")
        defer { trace.remove() }
        let text = #"{"type": "run_started", "run": "r", "seq": 0}"# + "\nthis is not json\n"
        try text.write(to: trace.url, atomically: false, encoding: .utf8)
        let show = try CLI.run(["trace", "show", trace.path])
        #expect(show.status == 1)
        #expect(show.stderr == "\(trace.path):2: not a trace event (one JSON object with a \"type\" per line)\n")
        #expect(show.stdout.isEmpty)
    }

    @Test func traceShowOfAMissingFileFails() throws {
        let trace = try ScratchFile("never-written.jsonl")
        defer { trace.remove() }
        let show = try CLI.run(["trace", "show", trace.path])
        #expect(show.status == 1)
        #expect(show.stderr.hasPrefix(trace.path) && show.stderr.hasSuffix("cannot read the trace file\n"), "\(show.stderr)")
        #expect(show.stdout.isEmpty)
    }
}

import FSLMEngine
import FSLMTestSupport
import FSLMWorkflow
import Foundation
import Testing

/// Seeded fuzzing of the loader: thousands of broken copies of the example workflows must each
/// load without crashing or hanging, and end either in a workflow that the engine can draw and
/// dry-run, or in error diagnostics that say something, point inside the file and render.
///
/// Every case is fixed by its example's name and index (`FuzzCase`); a failure names both, the
/// seed, the operators and the start of the mutated text.
@Suite struct WorkflowFuzzTests {
    static let casesPerExample = 700
    /// The whole loop, in a debug build on a busy machine, must end well before this.
    static let deadlineSeconds = 120.0
    /// One case slower than this is reported as a near-hang.
    static let caseBudget = Duration.seconds(30)  // a hang bound, generous for a loaded machine; cases take milliseconds

    @Test func mutatedExamplesNeverCrashHangOrGoSilent() async throws {
        let examples = try FuzzCase.examples.map { (name: $0, text: try FuzzCase.original($0)) }
        let progress = FuzzProgress()
        // A crash ends the process before any report: FSLM_FUZZ_TRACE=1 names each case first.
        let trace = ProcessInfo.processInfo.environment["FSLM_FUZZ_TRACE"] != nil
        let start = ContinuousClock.now
        let outcome = await Deadline.run(seconds: Self.deadlineSeconds) {
            var outcome = FuzzOutcome()
            for example in examples {
                for index in 0..<Self.casesPerExample {
                    let fuzzCase = FuzzCase(example: example.name, index: index, original: example.text)
                    progress.set(fuzzCase)
                    // Unbuffered, so the last line written before a crash names the crashing case.
                    if trace { FileHandle.standardError.write(Data("fuzz: checking \(fuzzCase)\n".utf8)) }
                    outcome.record(fuzzCase, FuzzCheck.run(fuzzCase.mutated.text, path: fuzzCase.path))
                }
            }
            return outcome
        }
        let elapsed = ContinuousClock.now - start
        guard let outcome else {
            Issue.record("the fuzz loop took more than \(Self.deadlineSeconds) s; it was at \(progress.current)")
            return
        }
        for failure in outcome.failures.prefix(20) { Issue.record(Comment(rawValue: failure)) }
        // The count, not the list: the first 20 failures are reported in full above.
        #expect(outcome.failures.count == 0, "\(outcome.failures.count) of \(outcome.cases) cases failed")
        #expect(outcome.cases == FuzzCase.examples.count * Self.casesPerExample)
        // Some cases must still load, or the engine half of the check never runs.
        #expect(outcome.loaded > 0)
        print("fuzz: \(outcome.cases) cases (\(outcome.loaded) loaded) in \(elapsed); slowest \(outcome.slowest)")
    }

    @Test func casesAreReproducibleFromTheirSeed() {
        let seed = WorkflowMutator.seed(name: "router", index: 7)
        #expect(seed != WorkflowMutator.seed(name: "router", index: 8))
        #expect(seed != WorkflowMutator.seed(name: "fslm-stack", index: 7))
        let a = WorkflowMutator.mutate("a: 1\nb: [x, y]\n", seed: seed)
        let b = WorkflowMutator.mutate("a: 1\nb: [x, y]\n", seed: seed)
        #expect(a.bytes == b.bytes)
        #expect(a.operators == b.operators)
        #expect((1...4).contains(a.operators.count))
    }
}

/// The case being checked, for the report when the loop does not end in time.
final class FuzzProgress: @unchecked Sendable {
    private let lock = NSLock()
    private var latest: FuzzCase?

    func set(_ fuzzCase: FuzzCase) {
        lock.lock()
        latest = fuzzCase
        lock.unlock()
    }

    var current: String {
        lock.lock()
        defer { lock.unlock() }
        guard let latest else { return "no case yet" }
        return latest.report
    }
}

/// What the loop found.
struct FuzzOutcome: Sendable {
    var cases = 0
    var loaded = 0
    var failures: [String] = []
    var slowest = "none"
    private var slowestTime = Duration.zero

    mutating func record(_ fuzzCase: FuzzCase, _ result: FuzzCheck.Result) {
        cases += 1
        if result.loaded { loaded += 1 }
        if result.time > slowestTime {
            slowestTime = result.time
            slowest = "\(result.time) (\(fuzzCase))"
        }
        var problems = result.problems
        if result.time > WorkflowFuzzTests.caseBudget { problems.append("took \(result.time)") }
        guard !problems.isEmpty else { return }
        failures.append(problems.joined(separator: "\n") + "\nin \(fuzzCase.report)")
    }
}

/// Everything one mutated file must satisfy.
enum FuzzCheck {
    struct Result: Sendable {
        var problems: [String] = []
        var loaded = false
        var time = Duration.zero
    }

    /// The repository's bundled plugins, which the examples use.
    static let bundledPlugins = Fixtures.plugins(forWorkflowAt: Fixtures.packageRoot.appendingPathComponent("workflows/x.yaml").path)

    /// Loads `text` as `path` and checks the outcome.
    static func run(_ text: String, path: String) -> Result {
        var result = Result()
        let start = ContinuousClock.now
        let loaded = WorkflowLoader(plugins: bundledPlugins).load(text: text, path: path)
        guard loaded.sources[path] != nil else {
            result.problems.append("the result keeps no source for quoting lines")
            return result
        }
        for diagnostic in loaded.diagnostics {
            result.problems += problems(diagnostic, sources: loaded.sources)
        }
        result.problems += rendering(loaded.diagnostics, sources: loaded.sources)
        if let workflow = loaded.workflow {
            result.loaded = true
            if loaded.diagnostics.hasErrors { result.problems.append("a workflow came back with error diagnostics") }
            result.problems += exercise(workflow)
        } else if !loaded.diagnostics.hasErrors {
            result.problems.append("no workflow and no error diagnostic")
        }
        result.time = ContinuousClock.now - start
        return result
    }

    /// A diagnostic must say something, have an id, and point inside a file it loaded (the
    /// workflow or a plugin's template), or just past its end.
    private static func problems(_ d: Diagnostic, sources: SourceFiles) -> [String] {
        var problems: [String] = []
        let name = "diagnostic [\(d.id)] '\(d.message)'"
        if d.message.allSatisfy(\.isWhitespace) { problems.append("\(name) has an empty message") }
        if d.id.rawValue.isEmpty { problems.append("\(name) has an empty id") }
        problems += locationProblems(d.location, of: name, sources: sources)
        for note in d.notes {
            if note.message.allSatisfy(\.isWhitespace) { problems.append("a note of \(name) has an empty message") }
            problems += locationProblems(note.location, of: "a note of \(name)", sources: sources)
        }
        return problems
    }

    private static func locationProblems(_ location: FSLMWorkflow.SourceLocation?, of name: String, sources: SourceFiles) -> [String] {
        guard let location else { return [] }
        guard let lineCount = sources[location.file]?.lineCount else { return ["\(name) is in file '\(location.file)', which was not loaded"] }
        var problems: [String] = []
        if location.line < 1 || location.line > lineCount + 1 {
            problems.append("\(name) is on line \(location.line) of a file of \(lineCount) lines")
        }
        if location.column < 1 { problems.append("\(name) is at column \(location.column)") }
        return problems
    }

    /// Text and JSON rendering: text for every diagnostic, JSON that parses back to as many objects.
    private static func rendering(_ diagnostics: [Diagnostic], sources: SourceFiles) -> [String] {
        let renderer = DiagnosticRenderer(sources: sources)
        var problems: [String] = []
        for d in diagnostics where !renderer.renderText(d).contains(d.message) {
            problems.append("the text rendering of [\(d.id)] lacks its message")
        }
        let json = renderer.renderJSON(diagnostics)
        let parsed = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [Any]
        if parsed?.count != diagnostics.count {
            problems.append("the JSON rendering does not parse to \(diagnostics.count) objects:\n\(json.prefix(500))")
        }
        return problems
    }

    /// Draws the workflow three ways and dry-runs it with its inputs' examples.
    private static func exercise(_ workflow: Workflow) -> [String] {
        var problems: [String] = []
        let graph = Graph(workflow)
        for (format, drawing) in [("mermaid", graph.mermaid), ("dot", graph.dot), ("text", graph.text)]
        where drawing.isEmpty {
            problems.append("the \(format) graph is empty")
        }
        var examples: [String: JSONValue] = [:]
        for input in workflow.spec.inputs { examples[input.name] = input.example }
        let binding = InputBinder(inputs: workflow.spec.inputs).bind(pairs: [], file: examples)
        do {
            let plan = try DryRunPlanner(workflow: workflow).plan(binding: binding)
            if plan.text.isEmpty { problems.append("the dry-run plan's text is empty") }
        } catch let error as ExpressionEvaluationError {
            if error.message.isEmpty { problems.append("the dry run failed with an empty message") }
        } catch {
            problems.append("the dry run threw \(error)")
        }
        return problems
    }
}

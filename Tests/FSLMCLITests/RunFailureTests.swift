import FSLMTestSupport
import Foundation
import Testing

/// How a test stops a running `fslm run`.
enum StopSignal: String, Sendable, CaseIterable, CustomTestStringConvertible {
    case interrupt, terminate

    var testDescription: String { self == .interrupt ? "SIGINT" : "SIGTERM" }

    func send(to process: Process) {
        switch self {
        case .interrupt: process.interrupt()
        case .terminate: kill(process.processIdentifier, SIGTERM)
        }
    }
}

/// `fslm run` when things go wrong: a stage that keeps failing, a run timeout, missing
/// inputs, bad flags, a trace that cannot be written, Ctrl-C and SIGTERM.
@Suite struct RunFailureTests {
    static let folder = "Tests/Fixtures/workflows/run"

    @Test func failingStageFailsTheRun() throws {
        let text = try CLI.run(["run", "\(Self.folder)/always-error.yaml", "--quiet"])
        #expect(text.status == 1)
        #expect(text.stderr.hasPrefix("error: stage 'ask' failed after 2 attempts: ") && text.stderr.hasSuffix("backend down\n"),
                "\(text.stderr)")

        let json = try CLI.run(["run", "\(Self.folder)/always-error.yaml", "--json", "--quiet"])
        #expect(json.status == 1)
        let report = try RunReport.decode(json.stdout)
        #expect(report.status == "failed")
        #expect(report.error == String(text.stderr.dropFirst("error: ".count).dropLast()))
        #expect(report.ends == ["ask": StageEnd(status: "failed", attempts: 2), "after": .skipped])
        #expect(report.stages["ask"]?.error?.hasSuffix("backend down") == true, "\(report.stages)")
        #expect(json.stderr.isEmpty, "with --json the error is in the object: \(json.stderr)")
    }

    @Test func runTimeoutStopsAStalledStage() throws {
        let clock = ContinuousClock()
        let started = clock.now
        let json = try CLI.run(["run", "\(Self.folder)/slow.yaml", "--timeout", "200ms", "--json", "--quiet"])
        let elapsed = clock.now - started
        #expect(elapsed >= .milliseconds(200) && elapsed < .seconds(120), "the stage sleeps 600 s; the run took \(elapsed)")
        #expect(json.status == 1)
        let report = try RunReport.decode(json.stdout)
        #expect(report.status == "failed")
        #expect(report.error == "the run timed out after 200ms")
        #expect(report.ends == ["think": StageEnd(status: "cancelled", attempts: 1), "conclude": .skipped])

        let text = try CLI.run(["run", "\(Self.folder)/slow.yaml", "--timeout", "200ms", "--quiet"])
        #expect(text.status == 1)
        #expect(text.stderr == "error: the run timed out after 200ms\n")
    }

    /// Inputs are checked before anything runs: no progress, no result, no trace file.
    @Test func missingInputStopsBeforeTheRun() throws {
        let trace = try ScratchFile("trace.jsonl")
        defer { trace.remove() }
        let run = try CLI.run(["run", "\(Self.folder)/needs-input.yaml", "--json", "--trace", trace.path])
        #expect(run.status == 1)
        #expect(run.stderr == "error: missing input 'x'\n")
        #expect(run.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: trace.path))
    }

    static let usageCases = [
        UsageCase(arguments: ["--max-concurrency", "0"], message: "--max-concurrency must be at least 1"),
        UsageCase(arguments: ["--timeout", "soon"], message: "--timeout expects a duration such as 30s or 2m, got 'soon'"),
    ]

    @Test(arguments: usageCases)
    func badRunFlagsAreUsageErrors(_ usage: UsageCase) throws {
        let run = try CLI.run(["run", "\(Self.folder)/needs-input.yaml", "--input", "x=1"] + usage.arguments)
        #expect(run.status == 64)
        #expect(run.stderr.contains(usage.message) && run.stderr.contains("Usage: fslm run"), "\(run.stderr)")
        #expect(run.stdout.isEmpty)
    }

    @Test func unwritableTraceIsNamed() throws {
        let scratch = try ScratchFile("no-such-folder")
        defer { scratch.remove() }
        let path = scratch.url.appendingPathComponent("trace.jsonl").path
        let run = try CLI.run(["run", "\(Self.folder)/needs-input.yaml", "--input", "x=1", "--trace", path])
        #expect(run.status == 1)
        let folder = scratch.url.path
        #expect(run.stderr == "\(path): error: cannot write the trace file: the folder '\(folder)' does not exist\n")
        #expect(run.stdout.isEmpty, "nothing runs without its trace")
    }

    // MARK: - Ctrl-C and SIGTERM

    /// Polls `condition` every 20 ms; false when it still fails after `seconds`.
    private func eventually(within seconds: Double, _ condition: () -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while !condition() {
            if ContinuousClock.now > deadline { return false }
            try await Task.sleep(for: .milliseconds(20))
        }
        return true
    }

    @Test(arguments: StopSignal.allCases)
    func signalCancelsTheRunAndFinishesTheTrace(_ stop: StopSignal) async throws {
        let trace = try ScratchFile("trace.jsonl")
        defer { trace.remove() }
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = ["run", "\(Self.folder)/hangs.yaml", "--trace", trace.path, "--json", "--quiet"]
        process.currentDirectoryURL = Fixtures.packageRoot
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }

        let attempting = try await eventually(within: 60) { trace.contents.contains(#""type":"attempt_started""#) }
        try #require(attempting, "no attempt started: \(trace.contents)")
        stop.send(to: process)
        let status = await Deadline.run(seconds: 30) {
            process.waitUntilExit()
            return process.terminationStatus
        }
        try #require(status != nil, "still running 30 s after \(stop.testDescription)")
        #expect(process.terminationReason == .exit, "killed by the signal instead of stopping")
        #expect(status == 130)

        let report = try RunReport.decode(String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
        #expect(report.status == "cancelled")
        #expect(report.error == "the run was cancelled")
        #expect(report.ends == ["wait": StageEnd(status: "cancelled", attempts: 1)])
        #expect(err.fileHandleForReading.readDataToEndOfFile().isEmpty)

        let events = try TraceEvent.read(trace.url)
        #expect(events.map(\.type) == ["run_started", "stage_started", "attempt_started", "stage_finished", "run_finished"])
        #expect(events.last?.status == "cancelled")
        #expect(events.last?.error == "the run was cancelled")
    }
}

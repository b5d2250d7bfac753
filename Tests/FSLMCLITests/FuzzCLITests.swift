import FSLMTestSupport
import Foundation
import Testing

/// Mutated example workflows through the built `fslm validate`, as a user would hand it a broken
/// file: it must end with 0 (valid) or 1 (invalid, explained on stderr), never with a signal, a
/// usage error (64) or anything else. The files are cases of the in-process fuzz test
/// (`WorkflowFuzzTests`), written byte for byte, so some are not even UTF-8.
@Suite struct FuzzCLITests {
    /// Indices 0, 42, 84, ... of each example: 17 cases apiece, 51 in all.
    static let indices = Array(stride(from: 0, to: 700, by: 42))
    /// All the runs together, in a debug build on a busy machine, must end well before this.
    static let deadlineSeconds = 120.0

    @Test func validateExitsZeroOrOneAndExplainsFailures() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fslm-fuzz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var cases: [(fuzzCase: FuzzCase, file: String)] = []
        for example in FuzzCase.examples {
            let original = try FuzzCase.original(example)
            for index in Self.indices {
                let fuzzCase = FuzzCase(example: example, index: index, original: original)
                let file = folder.appendingPathComponent("\(example)-\(index).yaml")
                try Data(fuzzCase.mutated.bytes).write(to: file)
                cases.append((fuzzCase, file.path))
            }
        }
        let runs = cases
        let failures = await Deadline.run(seconds: Self.deadlineSeconds) {
            runs.compactMap { run -> String? in
                let problem = Self.problem(validating: run.file)
                return problem.map { "\($0)\nin \(run.fuzzCase.report)" }
            }
        }
        guard let failures else {
            Issue.record("validating \(runs.count) mutated files took more than \(Self.deadlineSeconds) s")
            return
        }
        for failure in failures.prefix(20) { Issue.record(Comment(rawValue: failure)) }
        #expect(failures.count == 0, "\(failures.count) of \(runs.count) files failed")
    }

    /// What is wrong with how `fslm validate file` ended, or nil.
    private static func problem(validating file: String) -> String? {
        let result: CLI.Outcome
        do {
            result = try CLI.run(["validate", file])
        } catch {
            return "fslm could not be started: \(error)"
        }
        let said = "stdout:\n\(result.stdout.prefix(500))\nstderr:\n\(result.stderr.prefix(500))"
        if result.signaled { return "fslm validate was killed by signal \(result.status)\n\(said)" }
        guard result.status == 0 || result.status == 1 else {
            return "fslm validate exited \(result.status), not 0 or 1\n\(said)"
        }
        if result.status == 1, result.stderr.allSatisfy(\.isWhitespace) {
            return "fslm validate exited 1 without a word on stderr\n\(said)"
        }
        return nil
    }
}

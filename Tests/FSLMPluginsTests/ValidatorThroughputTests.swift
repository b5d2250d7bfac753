import Foundation
import FSLMPlugins
import Testing

/// Calls per second of a trivial `sh` validator in `once` and `serve` mode. Not a test:
/// it runs only with `FSLM_BENCH=1` (see bench/validators.sh) and prints its numbers.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["FSLM_BENCH"] == "1", "set FSLM_BENCH=1 to run"),
       .serialized)
struct ValidatorThroughput {
    static let once = #"cat >/dev/null; echo '{"ok": true}'"#
    static let serve = #"while IFS= read -r line; do echo '{"ok": true}'; done"#

    /// Runs `calls` calls, `parallel` at a time, after a warm-up, and prints calls/s.
    func measure(_ label: String, _ validator: any Validator, calls: Int, parallel: Int) async throws {
        for _ in 0..<5 { #expect(try await validator.validate("8", in: externalContext) == .pass) }
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<parallel {
                group.addTask {
                    for _ in stride(from: worker, to: calls, by: parallel) {
                        _ = try await validator.validate("3 + 5 = 8", in: externalContext)
                    }
                }
            }
            try await group.waitForAll()
        }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("BENCH \(label): \(calls) calls in \(String(format: "%.2f", seconds)) s = \(Int(Double(calls) / seconds)) calls/s")
    }

    @Test func onceMode() async throws {
        let folder = try ScriptFolder(); defer { folder.remove() }
        let validator = CommandValidators.make(folder.spec(try folder.script("once.sh", Self.once)))
        try await measure("once, sequential", validator, calls: 500, parallel: 1)
        try await measure("once, 4 in parallel", validator, calls: 1000, parallel: 4)
    }

    @Test func serveMode() async throws {
        let folder = try ScriptFolder(); defer { folder.remove() }
        let validator = CommandValidators.make(folder.spec(try folder.script("serve.sh", Self.serve), mode: .serve))
        try await measure("serve, sequential", validator, calls: 5000, parallel: 1)
        try await measure("serve, 4 callers", validator, calls: 5000, parallel: 4)
        await CommandValidators.shutdownAll()
    }
}

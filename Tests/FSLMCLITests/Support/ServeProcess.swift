import FSLMTestSupport
import Foundation
import Synchronization

/// `fslm serve` running for a test on a free loopback port (`--port 0`; the port is read from
/// the "listening on" line). Stop it with `terminate()` or `kill()`; it is killed when dropped.
final class ServeProcess: Sendable {
    let process: Process
    let port: Int
    private let errors: Collected

    struct StartFailure: Error, CustomStringConvertible {
        var description: String
    }

    /// Text a pipe delivered so far.
    final class Collected: Sendable {
        private let text = Mutex("")
        func append(_ data: Data) { text.withLock { $0 += String(decoding: data, as: UTF8.self) } }
        var value: String { text.withLock { $0 } }
    }

    private init(process: Process, port: Int, errors: Collected) {
        self.process = process
        self.port = port
        self.errors = errors
    }

    /// Starts `fslm serve --port 0 arguments...` in `directory` and waits (60 s at most) until it listens.
    static func start(_ arguments: [String], in directory: URL = Fixtures.packageRoot,
                      environment: [String: String] = [:]) async throws -> ServeProcess {
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = ["serve", "--port", "0"] + arguments
        process.currentDirectoryURL = directory
        process.environment = ProcessInfo.processInfo.environment.merging(["FSLM_PLUGIN_PATH": ""].merging(environment) { $1 }) { $1 }
        let pipe = Pipe()
        process.standardError = pipe
        process.standardOutput = FileHandle.nullDevice
        let errors = Collected()
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty { handle.readabilityHandler = nil } else { errors.append(data) }
        }
        try process.run()
        let marker = "listening on http://127.0.0.1:"
        for _ in 0..<600 {
            let text = errors.value
            if let range = text.range(of: marker) {
                let digits = text[range.upperBound...].prefix { $0.isNumber }
                return ServeProcess(process: process, port: Int(digits)!, errors: errors)
            }
            if !process.isRunning { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        throw StartFailure(description: "fslm serve did not start: \(errors.value)")
    }

    deinit {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
    }

    /// `http://127.0.0.1:PORT`.
    var url: String { "http://127.0.0.1:\(port)" }

    /// What it printed on stderr so far.
    var stderr: String { errors.value }

    /// Sends SIGTERM and waits (60 s at most) for the exit; returns the exit status.
    func terminate() async throws -> Int32 {
        process.terminate()
        return try await waitForExit()
    }

    /// Ends it at once with SIGKILL, as a crash would.
    func kill() async throws {
        Foundation.kill(process.processIdentifier, SIGKILL)
        _ = try await waitForExit()
    }

    private func waitForExit() async throws -> Int32 {
        for _ in 0..<600 where process.isRunning { try await Task.sleep(for: .milliseconds(100)) }
        if process.isRunning {
            Foundation.kill(process.processIdentifier, SIGKILL)
            throw StartFailure(description: "fslm serve did not exit within 60 s: \(stderr)")
        }
        return process.terminationStatus
    }
}

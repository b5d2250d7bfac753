public import Foundation

/// Runs the built `fslm` binary, as a user would, and captures what it printed.
public enum CLI {
    /// What one run of the binary produced.
    public struct Outcome: Sendable {
        /// The exit status, or the signal's number when `signaled`.
        public var status: Int32
        /// True when a signal (a crash, an abort) ended the process rather than an exit.
        public var signaled: Bool
        public var stdout: String
        public var stderr: String
    }

    /// The binary next to the test runner (same build folder), or `$FSLM_BINARY`.
    public static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["FSLM_BINARY"] { return URL(fileURLWithPath: path) }
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var dir = runner.deletingLastPathComponent()
        // On some platforms the runner sits inside a bundle: walk up to the build folder.
        for _ in 0..<4 where !FileManager.default.fileExists(atPath: dir.appendingPathComponent("fslm").path) {
            dir = dir.deletingLastPathComponent()
        }
        return dir.appendingPathComponent("fslm")
    }

    /// Runs `fslm arguments...` in `directory` (default: the package root) with `stdin`.
    public static func run(_ arguments: [String], in directory: URL = Fixtures.packageRoot, stdin: String? = nil,
                           environment: [String: String] = [:]) throws -> Outcome {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        // Read both pipes to the end before waiting, so a full pipe cannot block the child.
        let group = DispatchGroup()
        nonisolated(unsafe) var errData = Data()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, signaled: process.terminationReason == .uncaughtSignal,
                       stdout: String(decoding: outData, as: UTF8.self),
                       stderr: String(decoding: errData, as: UTF8.self))
    }
}

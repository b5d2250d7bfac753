import Foundation

/// A plugin validator run as a command, one process per call (`mode: once`).
///
/// Each call starts `spec.argv` (without a shell, with fslm's environment) in the plugin
/// folder, writes the request line to its stdin and closes stdin, and reads its stdout to
/// the end; see `CommandValidatorProtocol` for the JSON. The call passes or fails only on a
/// well-formed verdict from a process that exited with status 0. Everything else throws a
/// `ValidatorError` naming the plugin, the validator and the command, ending with the last
/// lines of the command's stderr:
/// - the file is missing, not executable, or not found on `PATH`;
/// - the process exits with another status or is killed by a signal (a crash);
/// - it does not exit within `spec.timeout`, counted from the start (it is stopped:
///   SIGTERM to its process group, SIGKILL half a second later);
/// - it prints more than 1 MiB on stdout (it is stopped);
/// - stdout is empty or not a verdict.
///
/// When the process exits, whatever remains of its process group is killed; the process is
/// always reaped and every descriptor closed. Cancelling the calling task stops the
/// process and throws `CancellationError`. Calls may run concurrently, each with its own
/// process. `spec.mode` is not consulted: `CommandValidators.make` picks the type.
public struct ExternalCommandValidator: Validator {
    public let spec: CommandValidatorSpec
    public var id: String { spec.id }

    public init(_ spec: CommandValidatorSpec) {
        self.spec = spec
    }

    public func validate(_ output: String, in context: ValidationContext) async throws -> Verdict {
        try Task.checkCancellation()
        let child: ChildProcess
        do {
            let path = try Spawn.resolve(spec.argv.first ?? "", in: spec.workingDirectory)
            child = try ChildProcess(path: path, argv: spec.argv, directory: spec.workingDirectory,
                                     input: CommandValidatorProtocol.request(output: output, context: context, params: spec.params),
                                     closeInput: true, deadline: .now + spec.timeout,
                                     stdoutLimit: CommandValidators.stdoutLimit)
        } catch {
            throw CommandFailure.error(spec, "cannot run: \(error.description)")
        }
        let outcome = await withTaskCancellationHandler {
            await child.finished()
        } onCancel: {
            child.stop(.cancelled)
        }
        if outcome.stopReason == .cancelled { throw CancellationError() }
        if let problem = CommandFailure.problem(with: outcome, limit: spec.timeout) {
            throw CommandFailure.error(spec, problem, stderr: outcome.stderr)
        }
        switch CommandValidatorProtocol.verdict(from: outcome.stdout) {
        case .success(let verdict): return verdict
        case .failure(let problem): throw CommandFailure.error(spec, problem.description, stderr: outcome.stderr)
        }
    }
}

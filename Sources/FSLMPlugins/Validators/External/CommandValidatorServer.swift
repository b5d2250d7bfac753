public import FSLMWorkflow

/// One long-lived validator process answering requests as JSON lines (`mode: serve`).
///
/// The process is started on the first call, in the plugin folder, and kept for the
/// following ones. Each request is one line on its stdin (see `CommandValidatorProtocol`);
/// the process must answer each with exactly one JSON line on stdout, in order. stderr is
/// drained all the time and its end shown in errors.
///
/// - *One request in flight*: calls are served one at a time, first come first served;
///   the others wait their turn (the timeout counts from sending, not from queueing).
///   A validator wanting parallelism uses `mode: once`.
/// - *Failures*: when the process dies before answering, does not answer within the
///   timeout, prints more than 1 MiB without a newline, or answers with something that is
///   not a verdict, that call throws a `ValidatorError` and the process is stopped (SIGTERM
///   to its process group, SIGKILL half a second later) and reaped. Output nobody asked
///   for, found when the next request is due, is an error too.
/// - *Restarts*: the next call starts a fresh process. A process found dead *between*
///   calls is replaced silently: no request was lost.
/// - *Shutdown*: `shutdown()` closes the process's stdin, waits half a second for it to
///   exit, then stops it; later calls throw. Releasing the last reference to the server
///   stops the process too.
/// - Cancelling a waiting call withdraws it; cancelling a call in flight stops the process
///   (the next call starts a new one). Both throw `CancellationError`.
public actor CommandValidatorServer: Validator {
    /// What the process is started from; its `timeout` and `params` apply to `validate`.
    public nonisolated let spec: CommandValidatorSpec
    public nonisolated var id: String { spec.id }

    private var child: ChildProcess?
    private var isShutDown = false
    private var busy = false
    private var waiting: [(ticket: UInt64, turn: CheckedContinuation<Bool, Never>)] = []
    private var nextTicket: UInt64 = 0

    public init(_ spec: CommandValidatorSpec) {
        self.spec = spec
    }

    deinit {
        child?.stop(.shutDown)
    }

    /// The current process's id, or nil when none is running.
    public var processID: Int32? {
        guard let child, !child.hasEnded else { return nil }
        return child.pid
    }

    public func validate(_ output: String, in context: ValidationContext) async throws -> Verdict {
        try await validate(output, in: context, timeout: spec.timeout, params: spec.params)
    }

    /// Judges `output` with this server's process, sending `params` and allowing `timeout`.
    public func validate(_ output: String, in context: ValidationContext,
                         timeout: Duration, params: JSONValue?) async throws -> Verdict {
        try await takeTurn()
        defer { passTurn() }
        try Task.checkCancellation()
        guard !isShutDown else { throw CommandFailure.error(spec, "the server has been shut down") }
        let child = try running()
        if child.hasUnreadOutput {
            retire(child)
            throw CommandFailure.error(spec, "printed output no request asked for (one line per request); it was stopped",
                                       stderr: child.stderrText)
        }
        child.send(CommandValidatorProtocol.request(output: output, context: context, params: params),
                   deadline: .now + timeout)
        let event = await withTaskCancellationHandler {
            await child.nextLine()
        } onCancel: {
            child.stop(.cancelled)
        }
        switch event {
        case .line(let line):
            child.setDeadline(nil)
            switch CommandValidatorProtocol.verdict(from: line) {
            case .success(let verdict): return verdict
            case .failure(let problem):
                retire(child)
                throw CommandFailure.error(spec, "\(problem.description); it was stopped", stderr: child.stderrText)
            }
        case .closed:
            // Usually it has exited already; if it lives on without stdout, stop it.
            child.setDeadline(.now + .milliseconds(200), reason: .outputClosed)
            let outcome = await child.finished()
            if self.child === child { self.child = nil }
            if outcome.stopReason == .cancelled { throw CancellationError() }
            if isShutDown { throw CommandFailure.error(spec, "the server was shut down before it answered", stderr: outcome.stderr) }
            let problem = CommandFailure.problem(with: outcome, limit: timeout, early: " before answering")
                ?? "exited with status 0 before answering"
            throw CommandFailure.error(spec, problem, stderr: outcome.stderr)
        }
    }

    /// Stops the process (closing its stdin first and giving it half a second to exit) and
    /// refuses later calls. A call in flight gets a `ValidatorError`.
    public func shutdown() async {
        isShutDown = true
        CommandValidators.forget(self)
        guard let child else { return }
        self.child = nil
        child.closeInput()
        child.setDeadline(.now + ChildProcess.terminationGrace, reason: .shutDown)
        _ = await child.finished()
    }

    /// The live process, started if there is none or the last one has ended.
    private func running() throws(ValidatorError) -> ChildProcess {
        if let child {
            if !child.hasEnded { return child }
            retire(child)
        }
        do {
            let path = try Spawn.resolve(spec.argv.first ?? "", in: spec.workingDirectory)
            let started = try ChildProcess(path: path, argv: spec.argv, directory: spec.workingDirectory, input: [],
                                           closeInput: false, deadline: nil, stdoutLimit: CommandValidators.stdoutLimit)
            child = started
            return started
        } catch {
            throw CommandFailure.error(spec, "cannot run: \(error.description)")
        }
    }

    /// Stops `child` and forgets it; its thread reaps it in the background.
    private func retire(_ child: ChildProcess) {
        child.stop(.shutDown)
        if self.child === child { self.child = nil }
    }

    // MARK: - One call at a time

    private func takeTurn() async throws {
        guard busy else {
            busy = true
            return
        }
        let ticket = nextTicket
        nextTicket += 1
        let granted = await withTaskCancellationHandler {
            await withCheckedContinuation { turn in waiting.append((ticket, turn)) }
        } onCancel: {
            Task { await self.withdraw(ticket) }
        }
        if !granted { throw CancellationError() }
    }

    private func passTurn() {
        if waiting.isEmpty {
            busy = false
        } else {
            waiting.removeFirst().turn.resume(returning: true)
        }
    }

    private func withdraw(_ ticket: UInt64) {
        guard let index = waiting.firstIndex(where: { $0.ticket == ticket }) else { return }
        waiting.remove(at: index).turn.resume(returning: false)
    }
}

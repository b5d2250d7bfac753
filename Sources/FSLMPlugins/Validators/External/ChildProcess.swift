import Foundation
import Glibc
import Synchronization

/// A running validator process, serviced by a thread of its own (`ChildProcess+Driver`).
///
/// The thread owns every descriptor: it writes queued input to stdin, reads stdout into a
/// buffer (at most `stdoutLimit` unconsumed bytes, beyond which the process is stopped),
/// drains stderr continuously into a `StderrTail` (so a chatty process never blocks on a
/// full pipe), and notices the exit through a pidfd. Other threads talk to it through
/// `state` and wake it through a pipe; async callers wait on continuations it resumes.
///
/// Lifetime guarantees:
/// - *Deadline*: past `deadline` the process is stopped (`StopReason.timedOut`).
/// - *Stopping* sends SIGTERM to the whole process group, SIGKILL after
///   `terminationGrace`, and closes stdin.
/// - *Exit*: when the process exits, whatever is left in its process group is killed, the
///   process is reaped (it is never left a zombie), and stdout and stderr are read to their
///   end for at most `drainGrace` (a descendant that left the group cannot hold them open).
///   Then every descriptor is closed and `finished()` returns.
///
/// So once the process is stopped or exits, `finished()` returns within
/// `terminationGrace + drainGrace`, whatever the process does.
final class ChildProcess: Sendable {
    /// Why fslm stopped the process.
    enum StopReason: Sendable, Equatable {
        case timedOut, cancelled, outputTooLarge, shutDown
        /// It closed stdout but did not exit.
        case outputClosed
    }

    /// How the process ended.
    enum Termination: Sendable, Equatable {
        case exited(Int32)
        case signalled(Int32)
        /// The status was lost (something else reaped the process, or SIGCHLD is ignored).
        case unknown
    }

    /// Everything known once the process is gone and its descriptors are closed.
    struct Outcome: Sendable {
        var termination: Termination
        /// Stdout not consumed through `nextLine()`.
        var stdout: [UInt8]
        var stopReason: StopReason?
        /// The end of stderr, if anything was printed there.
        var stderr: String?
    }

    /// The next line of stdout (without its `\n`), or `closed` when stdout ended without
    /// one. A last line without `\n` before the end of stdout counts as a line.
    enum LineEvent: Sendable, Equatable {
        case line([UInt8])
        case closed
    }

    static let terminationGrace: Duration = .milliseconds(500)
    static let drainGrace: Duration = .milliseconds(500)

    let pid: pid_t
    let fds: Spawn.Started
    let wake: (read: Int32, write: Int32)
    let stdoutLimit: Int
    let state: Mutex<State>

    struct State {
        var input: [UInt8] = []
        var inputOffset = 0
        var closeInputWhenWritten = false
        var stdout: [UInt8] = []
        var stdoutClosed = false
        var stderr = StderrTail()
        var deadline: ContinuousClock.Instant?
        var deadlineReason = StopReason.timedOut
        var stopReason: StopReason?
        var killAt: ContinuousClock.Instant?
        var termination: Termination?
        var done = false
        var lineWaiter: CheckedContinuation<LineEvent, Never>?
        var finishWaiters: [CheckedContinuation<Outcome, Never>] = []

        var outcome: Outcome {
            Outcome(termination: termination ?? .unknown, stdout: stdout, stopReason: stopReason, stderr: stderr.text)
        }
    }

    /// Starts `path` (resolved by `Spawn.resolve`) with `argv` in `directory`, writes
    /// `input` to its stdin (closing it afterwards if `closeInput`), and stops it at
    /// `deadline` unless it has exited by then.
    init(path: String, argv: [String], directory: URL, input: [UInt8], closeInput: Bool,
         deadline: ContinuousClock.Instant?, stdoutLimit: Int) throws(Spawn.Failure) {
        guard let wake = Shims.pipe() else {
            throw Spawn.Failure(description: "\(path): cannot create a pipe: \(String(cString: strerror(errno)))")
        }
        for fd in [wake.read, wake.write] { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        let started: Spawn.Started
        do {
            started = try Spawn.start(path: path, argv: argv, directory: directory)
        } catch {
            _ = close(wake.read)
            _ = close(wake.write)
            throw error
        }
        self.pid = started.pid
        self.fds = started
        self.wake = wake
        self.stdoutLimit = stdoutLimit
        var initial = State()
        initial.input = input
        initial.closeInputWhenWritten = closeInput
        initial.deadline = deadline
        self.state = Mutex(initial)
        let thread = Thread { [self] in drive() }
        thread.name = "fslm validator \(started.pid)"
        thread.stackSize = 256 * 1024
        thread.start()
    }

    /// Queues `bytes` for stdin and sets the deadline (nil: none).
    func send(_ bytes: [UInt8], deadline: ContinuousClock.Instant?) {
        state.withLock { s in
            if s.inputOffset == s.input.count {
                s.input = bytes
                s.inputOffset = 0
            } else {
                s.input.append(contentsOf: bytes)
            }
            s.deadline = deadline
            s.deadlineReason = .timedOut
            poke(s)
        }
    }

    /// Sets the deadline (nil: none) and the reason reported when it passes.
    func setDeadline(_ deadline: ContinuousClock.Instant?, reason: StopReason = .timedOut) {
        state.withLock { s in
            s.deadline = deadline
            s.deadlineReason = reason
            poke(s)
        }
    }

    /// Closes stdin once the queued input is written.
    func closeInput() {
        state.withLock { s in
            s.closeInputWhenWritten = true
            poke(s)
        }
    }

    /// Stops the process for `reason` (see the type's notes). Does nothing once the process
    /// has exited or is already being stopped, so the first reason is the one reported.
    func stop(_ reason: StopReason) {
        state.withLock { s in beginStopping(&s, reason, now: .now) }
    }

    /// True once the process exited, closed its stdout or is being stopped: it can answer
    /// nothing more.
    var hasEnded: Bool {
        state.withLock { s in s.termination != nil || s.stdoutClosed || s.stopReason != nil }
    }

    /// The end of stderr so far.
    var stderrText: String? {
        state.withLock { s in s.stderr.text }
    }

    /// True when stdout holds bytes nobody has taken.
    var hasUnreadOutput: Bool {
        state.withLock { s in !s.stdout.isEmpty }
    }

    /// The next line of stdout (see `LineEvent`). One caller at a time.
    func nextLine() async -> LineEvent {
        await withCheckedContinuation { continuation in
            let ready: LineEvent? = state.withLock { s in
                if let event = Self.takeLine(&s) { return event }
                s.lineWaiter = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    /// Waits until the process has been reaped and its descriptors closed.
    func finished() async -> Outcome {
        await withCheckedContinuation { continuation in
            let outcome: Outcome? = state.withLock { s in
                if s.done { return s.outcome }
                s.finishWaiters.append(continuation)
                return nil
            }
            if let outcome { continuation.resume(returning: outcome) }
        }
    }

    // MARK: - Shared with the driver

    /// Wakes the driver so it looks at `state` again. Call with the lock held: the driver
    /// closes the wake pipe under it once done.
    func poke(_ s: State) {
        guard !s.done else { return }
        var byte: UInt8 = 1
        _ = write(wake.write, &byte, 1)
    }

    /// SIGTERM to the process group now, SIGKILL after the grace. With the lock held; the
    /// group id cannot have been reused while the leader is unreaped (`termination == nil`).
    func beginStopping(_ s: inout State, _ reason: StopReason, now: ContinuousClock.Instant) {
        guard s.termination == nil, s.stopReason == nil else { return }
        s.stopReason = reason
        s.deadline = nil
        s.closeInputWhenWritten = true
        s.input = []
        s.inputOffset = 0
        _ = kill(-pid, SIGTERM)
        s.killAt = now + Self.terminationGrace
        poke(s)
    }

    /// A complete line from the buffer, or `closed` when stdout ended; nil when the caller
    /// must wait.
    static func takeLine(_ s: inout State) -> LineEvent? {
        if let newline = s.stdout.firstIndex(of: UInt8(ascii: "\n")) {
            var line = Array(s.stdout[..<newline])
            s.stdout.removeSubrange(...newline)
            if line.last == UInt8(ascii: "\r") { line.removeLast() }
            return .line(line)
        }
        guard s.stdoutClosed else { return nil }
        if s.stdout.isEmpty || s.stopReason == .outputTooLarge { return .closed }
        defer { s.stdout = [] }
        return .line(s.stdout)
    }
}

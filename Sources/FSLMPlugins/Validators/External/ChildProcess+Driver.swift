import Glibc
import Synchronization

/// The thread that services a `ChildProcess`: one `poll` loop over the wake pipe, stdin,
/// stdout, stderr and the pidfd, with the deadline and the SIGKILL time as its timeout.
/// It alone reads, writes and closes the process's descriptors.
extension ChildProcess {
    /// Where a descriptor stands in the loop.
    private struct Open {
        var stdin = true, stdout = true, stderr = true
        var reaped = false
        var drainUntil: ContinuousClock.Instant?
    }

    func drive() {
        // A write to a stdin whose reader is gone fails with EPIPE instead of killing fslm;
        // the SIGPIPE stays pending on this thread and dies with it.
        var pipeSignal = sigset_t()
        sigemptyset(&pipeSignal)
        sigaddset(&pipeSignal, SIGPIPE)
        pthread_sigmask(SIG_BLOCK, &pipeSignal, nil)

        var open = Open()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 1)
        defer { buffer.deallocate() }
        let hasPidfd = fds.pidfd >= 0

        while true {
            let now = ContinuousClock.now
            // Timers, and what the others asked for.
            let (wantsWrite, closeStdin, wakeAt) = state.withLock { s in
                if let deadline = s.deadline, now >= deadline {
                    s.deadline = nil
                    beginStopping(&s, s.deadlineReason, now: now)
                }
                if let killAt = s.killAt, now >= killAt {
                    if s.termination == nil { _ = kill(-pid, SIGKILL) }
                    s.killAt = nil
                }
                let written = s.inputOffset >= s.input.count
                let wakeAt = [s.deadline, s.killAt, open.drainUntil].compactMap { $0 }.min()
                return (!written, written && s.closeInputWhenWritten, wakeAt)
            }
            if closeStdin && open.stdin { closeStdinNow(&open) }
            if let drainUntil = open.drainUntil, now >= drainUntil {
                if open.stdout { closeStdout(&open) }
                if open.stderr { _ = close(fds.stderr); open.stderr = false }
            }
            if open.reaped && !open.stdout && !open.stderr {
                finish(&open)
                return
            }

            var polled = [pollfd(fd: wake.read, events: Int16(POLLIN), revents: 0)]
            let stdinSlot = open.stdin && wantsWrite ? append(&polled, fds.stdin, POLLOUT) : nil
            let stdoutSlot = open.stdout ? append(&polled, fds.stdout, POLLIN) : nil
            let stderrSlot = open.stderr ? append(&polled, fds.stderr, POLLIN) : nil
            let pidSlot = hasPidfd && !open.reaped ? append(&polled, fds.pidfd, POLLIN) : nil
            var timeout: Int32 = wakeAt.map { Self.milliseconds(until: $0, from: now) } ?? -1
            if !hasPidfd && !open.reaped { timeout = timeout < 0 ? 20 : min(timeout, 20) }

            let ready = poll(&polled, nfds_t(polled.count), timeout)
            if ready < 0 {
                // EINTR, or (never seen) no memory: look again shortly.
                if errno != EINTR { usleep(10_000) }
                continue
            }
            func fired(_ slot: Int?) -> Bool { slot.map { polled[$0].revents != 0 } ?? false }

            if fired(0) { drainWake() }
            if fired(stdinSlot) { writeStdin(&open) }
            if fired(stdoutSlot) { readStdout(&open, into: buffer) }
            if fired(stderrSlot) { readStderr(&open, into: buffer) }
            if !open.reaped && (fired(pidSlot) || (!hasPidfd && hasExited())) { reap(&open) }
        }
    }

    private func append(_ polled: inout [pollfd], _ fd: Int32, _ events: Int32) -> Int {
        polled.append(pollfd(fd: fd, events: Int16(events), revents: 0))
        return polled.count - 1
    }

    private static func milliseconds(until instant: ContinuousClock.Instant, from now: ContinuousClock.Instant) -> Int32 {
        let left = now.duration(to: instant)
        if left <= .zero { return 0 }
        let (seconds, attoseconds) = left.components
        return Int32(clamping: seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
    }

    private func drainWake() {
        var scratch = [UInt8](repeating: 0, count: 64)
        while read(wake.read, &scratch, scratch.count) > 0 {}
    }

    private func closeStdinNow(_ open: inout Open) {
        _ = close(fds.stdin)
        open.stdin = false
    }

    private func writeStdin(_ open: inout Open) {
        let failed = state.withLock { s -> Bool in
            let pending = s.input.count - s.inputOffset
            guard pending > 0 else { return false }
            let written = s.input.withUnsafeBytes { write(fds.stdin, $0.baseAddress! + s.inputOffset, pending) }
            if written > 0 { s.inputOffset += written; return false }
            if written < 0 && (errno == EAGAIN || errno == EINTR) { return false }
            // The process does not read (EPIPE): its answer, or its exit, will tell.
            s.input = []
            s.inputOffset = 0
            return true
        }
        if failed { closeStdinNow(&open) }
    }

    private func readStdout(_ open: inout Open, into buffer: UnsafeMutableRawBufferPointer) {
        let count = read(fds.stdout, buffer.baseAddress, buffer.count)
        if count < 0 && (errno == EAGAIN || errno == EINTR) { return }
        guard count > 0 else {
            closeStdout(&open)
            return
        }
        let (waiter, event, tooMuch) = state.withLock { s in
            s.stdout.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[..<count]))
            var waiter: CheckedContinuation<LineEvent, Never>?, event: LineEvent?
            if s.lineWaiter != nil, let line = Self.takeLine(&s) {
                waiter = s.lineWaiter
                s.lineWaiter = nil
                event = line
            }
            let tooMuch = s.stdout.count > stdoutLimit
            if tooMuch { beginStopping(&s, .outputTooLarge, now: .now) }
            return (waiter, event, tooMuch)
        }
        if let waiter, let event { waiter.resume(returning: event) }
        if tooMuch { closeStdout(&open) }
    }

    /// Stops reading stdout; a waiting `nextLine()` gets what is left.
    private func closeStdout(_ open: inout Open) {
        _ = close(fds.stdout)
        open.stdout = false
        let (waiter, event) = state.withLock { s in
            s.stdoutClosed = true
            guard let waiter = s.lineWaiter else { return (nil, nil) as (CheckedContinuation<LineEvent, Never>?, LineEvent?) }
            s.lineWaiter = nil
            return (waiter, Self.takeLine(&s) ?? .closed)
        }
        if let waiter, let event { waiter.resume(returning: event) }
    }

    private func readStderr(_ open: inout Open, into buffer: UnsafeMutableRawBufferPointer) {
        let count = read(fds.stderr, buffer.baseAddress, buffer.count)
        if count < 0 && (errno == EAGAIN || errno == EINTR) { return }
        guard count > 0 else {
            _ = close(fds.stderr)
            open.stderr = false
            return
        }
        state.withLock { s in s.stderr.append(UnsafeRawBufferPointer(rebasing: buffer[..<count])) }
    }

    /// Whether the process has exited, without reaping it (for systems without pidfds).
    private func hasExited() -> Bool {
        var info = siginfo_t()
        return waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_signo == SIGCHLD
    }

    /// The process has exited: kill what is left of its group (the zombie leader keeps the
    /// group id ours), reap it, and give stdout and stderr `drainGrace` to reach their end.
    private func reap(_ open: inout Open) {
        state.withLock { s in
            _ = kill(-pid, SIGKILL)
            var status: Int32 = 0
            var result: pid_t
            repeat { result = waitpid(pid, &status, 0) } while result < 0 && errno == EINTR
            if result != pid {
                s.termination = .unknown
            } else if status & 0x7f == 0 {
                s.termination = .exited((status >> 8) & 0xff)
            } else {
                s.termination = .signalled(status & 0x7f)
            }
            s.deadline = nil
            s.killAt = nil
        }
        open.reaped = true
        if fds.pidfd >= 0 { _ = close(fds.pidfd) }
        if open.stdin { closeStdinNow(&open) }
        open.drainUntil = .now + Self.drainGrace
    }

    /// Closes the rest and hands the outcome to everyone waiting.
    private func finish(_ open: inout Open) {
        let (lineWaiter, finishWaiters, outcome) = state.withLock { s in
            s.done = true
            s.stdoutClosed = true
            _ = close(wake.read)
            _ = close(wake.write)
            let waiter = s.lineWaiter
            s.lineWaiter = nil
            let event = waiter == nil ? nil : Self.takeLine(&s)
            let finishWaiters = s.finishWaiters
            s.finishWaiters = []
            return (waiter.map { ($0, event ?? .closed) }, finishWaiters, s.outcome)
        }
        if let (waiter, event) = lineWaiter { waiter.resume(returning: event) }
        for waiter in finishWaiters { waiter.resume(returning: outcome) }
    }
}

import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Starting a validator's process: finding the executable and `posix_spawn`ing it with its
/// stdin, stdout and stderr connected to pipes, in its own process group, in the plugin
/// folder, with default signal handling and no other inherited file descriptors.
enum Spawn {
    /// The pipes and ids of a started process; the parent's ends are non-blocking and
    /// close-on-exec.
    struct Started {
        var pid: pid_t
        var stdin: Int32
        var stdout: Int32
        var stderr: Int32
        /// A descriptor that becomes readable when the process exits, or -1 where
        /// `pidfd_open` is unavailable.
        var pidfd: Int32
    }

    /// Why a process could not be started; `description` completes "cannot run …".
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The file `argv0` names: an absolute path, a path relative to `directory` when it
    /// contains a `/`, otherwise the first executable file of that name on `PATH`.
    static func resolve(_ argv0: String, in directory: URL) throws(Failure) -> String {
        if argv0.isEmpty { throw Failure(description: "the command is empty") }
        if argv0.contains("/") {
            let path = argv0.hasPrefix("/") ? argv0 : directory.appendingPathComponent(argv0).path
            if let problem = problem(with: path) { throw Failure(description: "\(path) \(problem)") }
            return path
        }
        let searchPath = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        var notExecutable: String?
        for dir in searchPath.split(separator: ":", omittingEmptySubsequences: false) {
            let candidate = (dir.isEmpty ? directory.path : String(dir)) + "/" + argv0
            switch problem(with: candidate) {
            case nil: return candidate
            case "is not executable"?: notExecutable = notExecutable ?? candidate
            default: continue
            }
        }
        if let notExecutable { throw Failure(description: "\(notExecutable) is not executable (chmod +x?)") }
        throw Failure(description: "'\(argv0)' was not found on PATH (\(searchPath))")
    }

    /// Why `path` cannot be executed, or nil when it can.
    private static func problem(with path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else {
            return errno == ENOENT || errno == ENOTDIR ? "does not exist" : "cannot be read: \(String(cString: strerror(errno)))"
        }
        guard info.st_mode & S_IFMT == S_IFREG else { return "is not a file" }
        guard access(path, X_OK) == 0 else { return "is not executable" }
        return nil
    }

    /// Starts `path` with `argv` in `directory`. Everything opened is closed again when
    /// it fails.
    static func start(path: String, argv: [String], directory: URL) throws(Failure) -> Started {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw Failure(description: "\(path): its working directory \(directory.path) does not exist")
        }
        var opened: [Int32] = []
        func pipePair() throws(Failure) -> (read: Int32, write: Int32) {
            guard let pair = Shims.pipe() else {
                opened.forEach { _ = close($0) }
                throw Failure(description: "\(path): cannot create a pipe: \(String(cString: strerror(errno)))")
            }
            opened += [pair.read, pair.write]
            return pair
        }
        let input = try pipePair(), output = try pipePair(), errors = try pipePair()

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, input.read, 0)
        posix_spawn_file_actions_adddup2(&actions, output.write, 1)
        posix_spawn_file_actions_adddup2(&actions, errors.write, 2)
        Shims.closeFrom(&actions, 3)
        guard Shims.chdir(&actions, directory.path) else {
            opened.forEach { _ = close($0) }
            throw Failure(description: "\(path): this system cannot start a process in another directory")
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Its own process group (so a timeout stops its children too), no blocked
        // signals, and default handling of every signal (fslm's ignored ones included).
        var noSignals = sigset_t(), allSignals = sigset_t()
        sigemptyset(&noSignals)
        sigfillset(&allSignals)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        var pid = pid_t()
        let cArgs = argv.map { strdup($0) } + [nil]
        defer { cArgs.forEach { free($0) } }
        // ETXTBSY: a process being spawned elsewhere in fslm still holds the file open for
        // writing from before its exec (the file was just written); that passes at once.
        var result = posix_spawn(&pid, path, &actions, &attributes, cArgs, environ)
        for attempt in 1...8 where result == ETXTBSY {
            usleep(useconds_t(1000 * attempt))
            result = posix_spawn(&pid, path, &actions, &attributes, cArgs, environ)
        }
        [input.read, output.write, errors.write].forEach { _ = close($0) }
        guard result == 0 else {
            [input.write, output.read, errors.read].forEach { _ = close($0) }
            let reason = String(cString: strerror(result))
            throw Failure(description: result == ENOEXEC ? "\(path): \(reason) (a script needs a #! line)" : "\(path): \(reason)")
        }
        for fd in [input.write, output.read, errors.read] {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        }
        return Started(pid: pid, stdin: input.write, stdout: output.read, stderr: errors.read, pidfd: Shims.pidfd(pid))
    }
}

/// GNU and Linux calls Swift's Glibc module does not declare, looked up at run time so a
/// libc without them still works (with the fallbacks noted).
enum Shims {
    private typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>?, Int32) -> Int32
    private typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, UnsafePointer<CChar>?) -> Int32
    private typealias AddClosefrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32
    private typealias PidfdOpen = @convention(c) (pid_t, UInt32) -> Int32

    private static func lookUp<F>(_ name: String, as type: F.Type) -> F? {
        dlsym(dlopen(nil, RTLD_NOW), name).map { unsafeBitCast($0, to: type) }
    }

    private static let pipe2 = lookUp("pipe2", as: Pipe2.self)
    private static let addChdir = lookUp("posix_spawn_file_actions_addchdir_np", as: AddChdir.self)
    private static let addClosefrom = lookUp("posix_spawn_file_actions_addclosefrom_np", as: AddClosefrom.self)
    private static let pidfdOpen = lookUp("pidfd_open", as: PidfdOpen.self)

    /// A close-on-exec pipe whose ends are numbered 3 or higher (so `dup2` onto 0–2 in the
    /// child always clears close-on-exec), or nil with `errno` set.
    static func pipe() -> (read: Int32, write: Int32)? {
        var fds: [Int32] = [-1, -1]
        if let pipe2 {
            guard pipe2(&fds, O_CLOEXEC) == 0 else { return nil }
        } else {
            // Without pipe2 a process spawned meanwhile may inherit the ends; closefrom
            // below (or exec) still keeps them out of validators.
            guard Glibc.pipe(&fds) == 0 else { return nil }
            fds.forEach { _ = fcntl($0, F_SETFD, FD_CLOEXEC) }
        }
        for i in fds.indices where fds[i] < 3 {
            let moved = fcntl(fds[i], F_DUPFD_CLOEXEC, 3)
            close(fds[i])
            fds[i] = moved
        }
        guard fds.allSatisfy({ $0 >= 0 }) else { fds.filter { $0 >= 0 }.forEach { _ = close($0) }; return nil }
        return (fds[0], fds[1])
    }

    /// Closes every descriptor from `lowest` up in the child, where supported (glibc 2.34);
    /// fslm's own descriptors are close-on-exec anyway.
    static func closeFrom(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ lowest: Int32) {
        _ = addClosefrom?(actions, lowest)
    }

    /// Makes the child change to `directory`; false where unsupported (glibc before 2.29).
    static func chdir(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ directory: String) -> Bool {
        guard let addChdir else { return false }
        return addChdir(actions, directory) == 0
    }

    /// A descriptor readable once `pid` exits, or -1 (Linux before 5.3, glibc before 2.36).
    static func pidfd(_ pid: pid_t) -> Int32 {
        pidfdOpen?(pid, 0) ?? -1
    }
}

import Foundation
import Synchronization

/// Makes `Validator`s from the external validators plugins declare.
///
/// `once` specs give an `ExternalCommandValidator` (a process per call). `serve` specs give
/// a `ServedCommandValidator` backed by the one `CommandValidatorServer` kept for that
/// command: specs with the same id, plugin, argv and working directory share a process,
/// whatever their timeout and parameters (both travel with each call). Servers live until
/// `shutdownAll()` or their own `shutdown()`; a later `make` then starts a new one.
public enum CommandValidators {
    /// The most a validator may print on stdout: its whole answer in `once` mode, one line
    /// in `serve` mode.
    public static let stdoutLimit = 1 << 20

    public static func make(_ spec: CommandValidatorSpec) -> any Validator {
        switch spec.mode {
        case .once: return ExternalCommandValidator(spec)
        case .serve: return ServedCommandValidator(spec, server: server(for: spec))
        }
    }

    /// The shared server for `spec`'s command, started on its first call.
    public static func server(for spec: CommandValidatorSpec) -> CommandValidatorServer {
        servers.withLock { servers in
            let key = Key(spec)
            if let server = servers[key] { return server }
            let server = CommandValidatorServer(spec)
            servers[key] = server
            return server
        }
    }

    /// Shuts every shared server down (see `CommandValidatorServer.shutdown()`), in
    /// parallel; call it before exiting.
    public static func shutdownAll() async {
        let all = servers.withLock { servers in Array(servers.values) }
        await withTaskGroup(of: Void.self) { group in
            for server in all { group.addTask { await server.shutdown() } }
        }
    }

    /// Drops `server` from the shared ones (it was shut down).
    static func forget(_ server: CommandValidatorServer) {
        servers.withLock { servers in
            let key = Key(server.spec)
            if servers[key] === server { servers[key] = nil }
        }
    }

    private static let servers = Mutex<[Key: CommandValidatorServer]>([:])

    /// What identifies a server's process.
    private struct Key: Hashable {
        var id: String, plugin: String, argv: [String], directory: String

        init(_ spec: CommandValidatorSpec) {
            id = spec.id
            plugin = spec.plugin
            argv = spec.argv
            directory = spec.workingDirectory.standardizedFileURL.path
        }
    }
}

/// A `serve`-mode validator: calls go to a shared `CommandValidatorServer` with this
/// spec's timeout and parameters.
public struct ServedCommandValidator: Validator {
    public let spec: CommandValidatorSpec
    public let server: CommandValidatorServer
    public var id: String { spec.id }

    public init(_ spec: CommandValidatorSpec, server: CommandValidatorServer) {
        self.spec = spec
        self.server = server
    }

    public func validate(_ output: String, in context: ValidationContext) async throws -> Verdict {
        try await server.validate(output, in: context, timeout: spec.timeout, params: spec.params)
    }
}

public import Foundation
public import FSLMWorkflow

/// How to run a validator that a plugin provides as an executable; plugin manifests build
/// one per external validator and `CommandValidators.make` turns it into a `Validator`.
public struct CommandValidatorSpec: Sendable {
    /// The qualified name, `plugin.validator` (e.g. `arith.equation_holds`).
    public var id: String
    /// The plugin's name, for messages.
    public var plugin: String
    /// The command, run without a shell. `argv[0]` is an absolute path, a path relative to
    /// `workingDirectory` when it contains a `/`, or a name looked up on `PATH`.
    public var argv: [String]
    /// Where the command runs: the plugin folder.
    public var workingDirectory: URL
    /// The limit on one call: in `once` mode from start to exit, in `serve` mode from
    /// sending a request to reading its answer.
    public var timeout: Duration
    /// `once`: a process per call; `serve`: one long-lived process answering JSON lines.
    public var mode: Mode
    /// The parameters the workflow gives the validator, passed along with every request.
    public var params: JSONValue?

    public enum Mode: String, Sendable { case once, serve }

    public init(id: String, plugin: String, argv: [String], workingDirectory: URL,
                timeout: Duration, mode: Mode, params: JSONValue?) {
        self.id = id
        self.plugin = plugin
        self.argv = argv
        self.workingDirectory = workingDirectory
        self.timeout = timeout
        self.mode = mode
        self.params = params
    }
}

public import FSLMWorkflow
public import Foundation

/// Everything needed to build a plugin validator that runs an external program, as
/// `PluginSet.validatorRegistry(makeCommandValidator:)` hands it over.
public struct CommandValidatorSpec: Sendable, Hashable {
    /// `plugin.validator`, e.g. `arith.equation_holds`.
    public var id: String
    /// The plugin's name.
    public var plugin: String
    /// The program and its arguments, run without a shell. A first element given as a
    /// relative path (`validators/check.sh`) is made absolute against the plugin folder;
    /// a bare name (`python3`) is left for a PATH lookup.
    public var argv: [String]
    /// The plugin folder, where the program runs.
    public var workingDirectory: URL
    /// How long one verdict may take (5s unless the manifest says otherwise).
    public var timeout: Duration
    public var mode: CommandValidatorMode
    /// The parameters the workflow gives the validator (`{arith.equation_holds: {tolerance: 0}}`);
    /// nil when it gives none.
    public var params: JSONValue?

    public init(id: String, plugin: String, argv: [String], workingDirectory: URL, timeout: Duration,
                mode: CommandValidatorMode, params: JSONValue? = nil) {
        self.id = id
        self.plugin = plugin
        self.argv = argv
        self.workingDirectory = workingDirectory
        self.timeout = timeout
        self.mode = mode
        self.params = params
    }
}

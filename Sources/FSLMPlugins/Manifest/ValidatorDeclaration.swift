public import FSLMWorkflow

/// How an external validator command runs.
public enum CommandValidatorMode: String, Sendable, Hashable, CaseIterable {
    /// One process per output: one JSON request on stdin, one JSON verdict on stdout.
    case once
    /// One long-lived process answering one JSON line per request line.
    case serve
}

/// One entry of a manifest's `validators:`.
public struct ValidatorDeclaration: Sendable, Hashable {
    /// What the validator runs.
    public enum Kind: Sendable, Hashable {
        /// A built-in kind (`length`, `regex`, ...) with its parameters as an object
        /// (`{max: 120}`, `{pattern: "^a"}`); see `BuiltinParameters` for the keys of each kind.
        case builtin(String, params: JSONValue)
        /// An external executable, run without a shell; `argv[0]` is as written in the manifest.
        case command(argv: [String], timeout: Duration, mode: CommandValidatorMode)
    }

    /// Outputs the validator must pass and must fail, for `fslm plugins test`.
    public struct Examples: Sendable, Hashable {
        public var pass: [Located<String>]
        public var fail: [Located<String>]

        public init(pass: [Located<String>] = [], fail: [Located<String>] = []) {
            self.pass = pass
            self.fail = fail
        }
    }

    /// The validator's name inside its plugin (`equation_holds`).
    public var name: String
    public var description: String?
    public var kind: Kind
    public var examples: Examples
    /// Where the name was written in the manifest.
    public var location: SourceLocation

    public init(name: String, description: String? = nil, kind: Kind, examples: Examples = Examples(), location: SourceLocation) {
        self.name = name
        self.description = description
        self.kind = kind
        self.examples = examples
        self.location = location
    }

    /// A command's timeout when the manifest gives none.
    public static let defaultTimeout: Duration = .seconds(5)
}

import ArgumentParser

/// The workflow file a command reads, and extra plugin folders.
struct WorkflowOptions: ParsableArguments {
    @Argument(help: "The workflow file (YAML).", completion: .file(extensions: ["yaml", "yml"]))
    var file: String

    @OptionGroup var plugins: PluginOptions
}

/// Plugin folders given on the command line (searched before $FSLM_PLUGIN_PATH, the
/// workflow's `plugins/` folder and the bundled plugins).
struct PluginOptions: ParsableArguments {
    @Option(name: .customLong("plugin"), help: ArgumentHelp("A plugin folder to use (repeatable; searched first).", valueName: "dir"))
    var folders: [String] = []
}

/// Inputs given on the command line or in a JSON file.
struct InputOptions: ParsableArguments {
    @Option(name: .customLong("input"), help: ArgumentHelp("An input value, as NAME=VALUE (repeatable).", valueName: "name=value"))
    var inputs: [String] = []

    @Option(name: .customLong("input-file"), help: ArgumentHelp("A JSON object of input values.", valueName: "file.json"))
    var inputFile: String?

    /// `--input` values split at the first `=`.
    var pairs: [(String, String)] {
        get throws {
            try inputs.map { try Self.split($0, option: "--input", form: "NAME=VALUE") }
        }
    }

    func validate() throws {
        _ = try pairs
    }

    /// Splits `name=value`; a missing `=` or empty name is a usage error naming `form`.
    static func split(_ text: String, option: String, form: String) throws -> (String, String) {
        guard let eq = text.firstIndex(of: "="), eq != text.startIndex else {
            throw ValidationError("\(option) expects \(form), got '\(text)'")
        }
        return (String(text[..<eq]), String(text[text.index(after: eq)...]))
    }
}

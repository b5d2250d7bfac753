import ArgumentParser

/// The workflow file a command reads.
struct WorkflowOptions: ParsableArguments {
    @Argument(help: "The workflow file (YAML).", completion: .file(extensions: ["yaml", "yml"]))
    var file: String
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
            try inputs.map { try Self.split($0, option: "--input") }
        }
    }

    func validate() throws {
        _ = try pairs
    }

    /// Splits `name=value`; a missing `=` or empty name is a usage error, which shows `form`.
    static func split(_ text: String, option: String, form: String = "NAME=VALUE") throws -> (String, String) {
        guard let eq = text.firstIndex(of: "="), eq != text.startIndex else {
            throw ValidationError("\(option) expects \(form), got '\(text)'")
        }
        return (String(text[..<eq]), String(text[text.index(after: eq)...]))
    }
}

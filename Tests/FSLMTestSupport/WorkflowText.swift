public import FSLMWorkflow

/// Loads workflow text in memory, for tests of decoding and checks.
public enum WorkflowText {
    /// Loads `text` as the file `path` with no plugins.
    public static func load(_ text: String, path: String = "test.yaml", plugins: any PluginCatalog = EmptyPluginCatalog()) -> WorkflowLoader.Result {
        WorkflowLoader(plugins: plugins).load(text: text, path: path)
    }

    /// A minimal valid header (version, one scripted model, one input) followed by `stages`.
    public static func withStages(_ stages: String, inputs: String = "  question: string\n") -> String {
        """
        version: 1
        name: t
        inputs:
        \(inputs)models:
          m:
            backend: scripted
            rules:
              - replies: ["ok"]
        stages:
        \(stages)
        """
    }
}

extension Array where Element == Diagnostic {
    /// `line:col: severity: message [id]` per diagnostic, for readable test failures.
    public var summary: [String] {
        map { d in "\(d.location.map { "\($0.line):\($0.column)" } ?? "-"): \(d.severity.rawValue): \(d.message) [\(d.id)]" }
    }

    /// The diagnostics with this id.
    public func with(_ id: DiagnosticID) -> [Diagnostic] { filter { $0.id == id } }
}

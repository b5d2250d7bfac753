import Foundation

/// Loads a workflow file end to end: YAML, decoding, checks. The single entry point
/// for the CLI and for embedders.
public struct WorkflowLoader: Sendable {
    public var plugins: any PluginCatalog
    public var yamlLimits: YAMLLoader.Limits

    public init(plugins: any PluginCatalog = EmptyPluginCatalog(), yamlLimits: YAMLLoader.Limits = .init()) {
        self.plugins = plugins
        self.yamlLimits = yamlLimits
    }

    /// Everything learned from one file.
    public struct Result: Sendable {
        /// The checked workflow; nil when any diagnostic is an error.
        public var workflow: Workflow?
        /// The decoded spec, when the file was YAML at all.
        public var spec: WorkflowSpec?
        /// Sorted by location.
        public var diagnostics: [Diagnostic]
        /// The file's text, for quoting lines in diagnostics.
        public var sources: SourceFiles
    }

    /// Loads and checks the workflow at `path`.
    public func load(path: String) -> Result {
        let yaml = YAMLLoader(limits: yamlLimits).load(fileAt: path)
        return finish(yaml, path: path)
    }

    /// Loads and checks workflow `text` as if read from `path`.
    public func load(text: String, path: String) -> Result {
        finish(YAMLLoader(limits: yamlLimits).load(text: text, path: path), path: path)
    }

    private func finish(_ yaml: YAMLLoadResult, path: String) -> Result {
        var sources = plugins.sources
        if let source = yaml.source { sources.add(source) }
        guard yaml.source != nil, !yaml.diagnostics.hasErrors else {
            return Result(workflow: nil, spec: nil, diagnostics: yaml.diagnostics.sortedByLocation(), sources: sources)
        }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let (spec, decodeDiagnostics) = WorkflowDecoder(source: yaml.source).decode(yaml.root, path: path, directory: directory)
        var diagnostics = yaml.diagnostics + decodeDiagnostics
        // Checks run even after decoding errors, on what did decode, so one pass reports all.
        let (checked, checkDiagnostics) = WorkflowChecker(plugins: plugins).check(spec)
        diagnostics += checkDiagnostics
        let workflow = decodeDiagnostics.hasErrors ? nil : checked
        return Result(workflow: workflow, spec: spec, diagnostics: diagnostics.sortedByLocation(), sources: sources)
    }
}

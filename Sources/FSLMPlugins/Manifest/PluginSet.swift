public import FSLMWorkflow

/// The plugins found on a search path: the catalog the workflow checker uses, and the
/// source of plugin validators for runs (`validatorRegistry`).
///
/// ```swift
/// let search = PluginSearchPath(pluginFolders: options.plugins, workflowPath: path, bundled: bundledPlugins)
/// let plugins = PluginSet(searchPath: search)
/// let result = WorkflowLoader(plugins: plugins).load(path: path)
/// ```
public struct PluginSet: PluginCatalog {
    /// The plugins in use: for each name, the first found, in search order.
    public let plugins: [Plugin]
    /// Plugins hidden by an earlier one of the same name in an earlier place.
    public let shadowed: [(Plugin, by: Plugin)]
    /// Problems of the search itself: a `--plugin` folder without `plugin.yaml`, two plugins
    /// of one name in one place. Each plugin's own problems are in its `diagnostics`.
    public let searchDiagnostics: [Diagnostic]
    /// The places searched, in order.
    public let search: PluginSearchPath
    public let sources: SourceFiles
    private let indexByName: [String: Int]
    private let duplicates: [String: [Diagnostic]]

    /// Finds and loads every plugin on `searchPath` (see `PluginSearchPath` for the order).
    public init(searchPath: PluginSearchPath, yamlLimits: YAMLLoader.Limits = .init()) {
        let found = PluginDiscovery(searchPath, yamlLimits: yamlLimits)
        plugins = found.plugins
        shadowed = found.shadowed
        searchDiagnostics = found.diagnostics
        search = searchPath
        sources = found.sources
        duplicates = found.duplicates
        indexByName = Dictionary(found.plugins.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The plugin in use under `name`.
    public func plugin(named name: String) -> Plugin? { indexByName[name].map { plugins[$0] } }

    /// The names of the plugins in use, in search order.
    public var names: [String] { plugins.map(\.name) }

    /// `arith.route` → (`arith`, `route`); nil without a dot.
    private func split(_ qualifiedName: String) -> (plugin: Plugin, name: String)? {
        guard let dot = qualifiedName.firstIndex(of: "."), let plugin = plugin(named: String(qualifiedName[..<dot])) else { return nil }
        return (plugin, String(qualifiedName[qualifiedName.index(after: dot)...]))
    }

    // MARK: - PluginCatalog

    public func hasPlugin(_ name: String) -> Bool { indexByName[name] != nil }

    public func template(_ qualifiedName: String) -> PromptTemplate? {
        split(qualifiedName).flatMap { $0.plugin.templates[$0.name] }
    }

    /// True for every validator the manifest declares, even one with errors (those are
    /// reported with the plugin, not again as unknown).
    public func hasValidator(_ qualifiedName: String) -> Bool {
        split(qualifiedName).map { $0.plugin.manifest.declaredValidatorNames.contains($0.name) } ?? false
    }

    public var templateNames: [String] {
        plugins.flatMap { p in p.manifest.declaredTemplateNames.map { "\(p.name).\($0)" } }.sorted()
    }

    public var validatorNames: [String] {
        plugins.flatMap { p in p.manifest.declaredValidatorNames.map { "\(p.name).\($0)" } }.sorted()
    }

    /// The plugin's own problems and any duplicate of its name in its place.
    public func diagnostics(forPlugin name: String) -> [Diagnostic] {
        guard let plugin = plugin(named: name) else { return [] }
        return (plugin.diagnostics + duplicates[name, default: []]).sortedByLocation()
    }

    public var searchPath: [String] { search.descriptions }
}

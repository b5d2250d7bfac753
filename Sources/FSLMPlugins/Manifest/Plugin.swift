public import FSLMWorkflow
public import Foundation

/// A loaded plugin: its folder, decoded manifest, compiled templates and every problem found.
///
/// Loading never fails outright; a broken plugin carries its diagnostics (in its manifest or
/// template files, quotable through `sources`) and whatever parts of it did load.
public struct Plugin: Sendable {
    /// The manifest's file name inside a plugin folder.
    public static let manifestFileName = "plugin.yaml"

    /// The folder as the search named it (relative stays relative); diagnostics use it.
    public var path: String
    /// The folder as an absolute URL.
    public var folder: URL
    /// `path/plugin.yaml`.
    public var manifestPath: String
    public var manifest: PluginManifest
    /// Templates by name, compiled and bound to the plugin's templates as partials.
    public var templates: [String: PromptTemplate]
    /// The manifest and template files, for quoting in diagnostics.
    public var sources: SourceFiles
    /// Problems in the manifest and templates, sorted by location.
    public var diagnostics: [Diagnostic]

    public init(path: String, manifest: PluginManifest, templates: [String: PromptTemplate] = [:],
                sources: SourceFiles = SourceFiles(), diagnostics: [Diagnostic] = []) {
        self.path = path
        self.folder = FilePaths.url(path)
        self.manifestPath = FilePaths.join(path, Self.manifestFileName)
        self.manifest = manifest
        self.templates = templates
        self.sources = sources
        self.diagnostics = diagnostics
    }

    /// The name workflows use: the manifest's `name` (the folder's name when it has none).
    public var name: String { manifest.name }

    /// True when any diagnostic is an error.
    public var hasErrors: Bool { diagnostics.hasErrors }

    /// Loads the plugin in folder `path` (as the user named it): reads and decodes
    /// `plugin.yaml`, then reads and compiles the templates it lists.
    public static func load(folder path: String, yamlLimits: YAMLLoader.Limits = .init()) -> Plugin {
        let folderName = FilePaths.url(path).lastPathComponent
        let manifestPath = FilePaths.join(path, manifestFileName)
        let yaml = YAMLLoader(limits: yamlLimits).load(fileAt: manifestPath)
        var sources = SourceFiles()
        if let source = yaml.source { sources.add(source) }
        var diagnostics = yaml.diagnostics
        var manifest = PluginManifest(name: folderName)
        if yaml.source != nil, !yaml.diagnostics.hasErrors {
            let decoded = ManifestDecoder(source: yaml.source, folder: path).decode(yaml.root, path: manifestPath, fallbackName: folderName)
            manifest = decoded.0
            diagnostics += decoded.1
        }
        let library = PluginTemplateLibrary(manifest: manifest, folder: path)
        for file in library.files { sources.add(file) }
        diagnostics += library.diagnostics
        return Plugin(path: path, manifest: manifest, templates: library.templates, sources: sources,
                      diagnostics: diagnostics.sortedByLocation())
    }
}

import FSLMWorkflow
import Foundation

/// Finds and loads the plugins of a search path: the first place holding a name wins,
/// later ones are shadowed, and two plugins of one name in the same place are an error.
///
/// A folder of plugins is scanned one level deep for `*/plugin.yaml` (hidden folders
/// skipped, in name order); one that is absent or unreadable is skipped silently. A
/// `--plugin DIR` without a `plugin.yaml` is an error.
struct PluginDiscovery {
    /// The winners, in search order.
    var plugins: [Plugin] = []
    var shadowed: [(Plugin, by: Plugin)] = []
    /// Problems of the search: `--plugin` folders without a manifest, duplicate names.
    var diagnostics: [Diagnostic] = []
    /// Duplicate-name errors about each winner, by name.
    var duplicates: [String: [Diagnostic]] = [:]
    /// Every file loaded, including those of shadowed and duplicate plugins.
    var sources = SourceFiles()

    init(_ searchPath: PluginSearchPath, yamlLimits: YAMLLoader.Limits) {
        var winnerIndex: [String: Int] = [:]
        var loadedFolders: Set<String> = []
        for place in searchPath.places {
            var inPlace: [String: Plugin] = [:]
            for folder in pluginFolders(in: place) where loadedFolders.insert(FilePaths.url(folder).path).inserted {
                let plugin = Plugin.load(folder: folder, yamlLimits: yamlLimits)
                for path in [plugin.manifestPath] + plugin.manifest.templates.values.map({ FilePaths.join(folder, $0.value) }) {
                    if let file = plugin.sources[path] { sources.add(file) }
                }
                if let first = inPlace[plugin.name] {
                    let diagnostic = Self.duplicate(plugin, first: first, in: place)
                    diagnostics.append(diagnostic)
                    if let i = winnerIndex[plugin.name], plugins[i].path == first.path { duplicates[plugin.name, default: []].append(diagnostic) }
                    continue
                }
                inPlace[plugin.name] = plugin
                if let i = winnerIndex[plugin.name] {
                    shadowed.append((plugin, by: plugins[i]))
                } else {
                    winnerIndex[plugin.name] = plugins.count
                    plugins.append(plugin)
                }
            }
        }
    }

    /// The plugin folders of `place`: itself for `--plugin`, else its subfolders with a manifest.
    private mutating func pluginFolders(in place: PluginSearchPath.Place) -> [String] {
        if place.isPluginFolder {
            if FilePaths.entry(at: FilePaths.join(place.path, Plugin.manifestFileName)) == .file { return [place.path] }
            diagnostics.append(Self.notAPlugin(place))
            return []
        }
        guard FilePaths.entry(at: place.path) == .directory,
            let names = try? FileManager.default.contentsOfDirectory(atPath: place.path)
        else { return [] }
        return names.sorted().filter { !$0.hasPrefix(".") }.map { FilePaths.join(place.path, $0) }.filter {
            FilePaths.entry(at: FilePaths.join($0, Plugin.manifestFileName)) == .file
        }
    }

    private static func notAPlugin(_ place: PluginSearchPath.Place) -> Diagnostic {
        let entry = FilePaths.entry(at: place.path)
        guard entry == .directory else {
            return .error(.missingFile, "--plugin \(place.path): \(entry == .missing ? "no such folder" : "not a folder")", at: nil,
                          notes: [.init("--plugin names one plugin's folder, the one holding its plugin.yaml")])
        }
        let inside = ((try? FileManager.default.contentsOfDirectory(atPath: place.path)) ?? []).sorted().filter {
            !$0.hasPrefix(".") && FilePaths.entry(at: FilePaths.join(FilePaths.join(place.path, $0), Plugin.manifestFileName)) == .file
        }
        let note = inside.isEmpty
            ? "--plugin names one plugin's folder, the one holding its plugin.yaml"
            : "it holds plugin folders (\(inside.joined(separator: ", "))): pass one of them to --plugin, or add '\(place.path)' to $\(PluginSearchPath.environmentVariable)"
        return .error(.missingFile, "--plugin \(place.path): the folder has no \(Plugin.manifestFileName)", at: nil, notes: [.init(note)])
    }

    private static func duplicate(_ plugin: Plugin, first: Plugin, in place: PluginSearchPath.Place) -> Diagnostic {
        func location(_ p: Plugin) -> SourceLocation { p.manifest.nameLocation ?? SourceLocation(file: p.manifestPath, line: 1, column: 1) }
        return .error(.duplicatePlugin, "two plugins in \(place) are named '\(plugin.name)'", at: location(plugin),
                      notes: [.init("the first is here, in '\(first.path)'; the one found first is used", at: location(first))])
    }
}

public import Foundation

/// Where plugins are looked for, in order; the first place holding a plugin of a name wins.
///
/// 1. each `--plugin DIR` (DIR is one plugin's folder),
/// 2. each folder in `$FSLM_PLUGIN_PATH` (colon-separated; each holds plugin folders),
/// 3. the `plugins/` folder next to the workflow file,
/// 4. the bundled `plugins/` folder of the fslm checkout or installation.
///
/// A place listed twice (the same folder, however written) is searched once, at its first position,
/// and a plugin folder reached from two places is loaded once, from the first.
public struct PluginSearchPath: Sendable, Hashable {
    /// The environment variable listing folders of plugins.
    public static let environmentVariable = "FSLM_PLUGIN_PATH"

    /// Why a place is searched.
    public enum Origin: String, Sendable, Hashable {
        /// `--plugin DIR`: DIR is a plugin's folder, and must hold a `plugin.yaml`.
        case option
        /// A folder from `$FSLM_PLUGIN_PATH`.
        case environment
        /// The `plugins/` folder next to the workflow file.
        case workflowFolder
        /// The `plugins/` folder shipped with fslm.
        case bundled
    }

    /// One place to look.
    public struct Place: Sendable, Hashable, CustomStringConvertible {
        public var origin: Origin
        /// The folder as the user (or the CLI) named it.
        public var path: String

        public init(_ origin: Origin, _ path: String) {
            self.origin = origin
            self.path = path
        }

        /// True when the place is one plugin's folder; otherwise it holds plugin folders.
        public var isPluginFolder: Bool { origin == .option }

        /// `--plugin ./my-plugin`, `$FSLM_PLUGIN_PATH: /opt/x`, `workflow folder: workflows/plugins`, `bundled: /repo/plugins`.
        public var description: String {
            switch origin {
            case .option: "--plugin \(path)"
            case .environment: "$\(PluginSearchPath.environmentVariable): \(path)"
            case .workflowFolder: "workflow folder: \(path)"
            case .bundled: "bundled: \(path)"
            }
        }
    }

    /// The places, in search order, without repeats.
    public private(set) var places: [Place]

    /// Searches `places` in order (a place repeated is kept at its first position only).
    public init(places: [Place]) {
        var seen: Set<String> = []
        self.places = places.filter { seen.insert("\($0.isPluginFolder) \(FilePaths.url($0.path).path)").inserted }
    }

    /// The standard search: `pluginFolders` (each `--plugin`), the folders of
    /// `$FSLM_PLUGIN_PATH` in `environment`, `plugins/` next to `workflowPath`, and `bundled`
    /// (the bundled `plugins/` folder itself, which the CLI finds from its executable).
    public init(pluginFolders: [String] = [], environment: [String: String] = ProcessInfo.processInfo.environment,
                workflowPath: String? = nil, bundled: URL? = nil) {
        var places = pluginFolders.map { Place(.option, $0) }
        let variable = environment[Self.environmentVariable] ?? ""
        places += variable.split(separator: ":").filter { !$0.isEmpty }.map { Place(.environment, String($0)) }
        if let workflowPath {
            let directory = (workflowPath as NSString).deletingLastPathComponent
            places.append(Place(.workflowFolder, FilePaths.join(directory, "plugins")))
        }
        if let bundled { places.append(Place(.bundled, bundled.path)) }
        self.init(places: places)
    }

    /// The places as people read them, for "not found" messages and `fslm plugins list`.
    public var descriptions: [String] { places.map(\.description) }
}

/// Every plugin in `plugins:` must be found, once, and be free of errors; a broken
/// plugin's own diagnostics (in its manifest or templates) are reported with the workflow's.
struct PluginListCheck: WorkflowCheck {
    func run(_ c: CheckContext) {
        var seen: Set<String> = []
        for plugin in c.spec.plugins {
            guard seen.insert(plugin.value).inserted else {
                c.report(.warning(.invalidValue, "plugin '\(plugin.value)' is listed twice", at: plugin.location))
                continue
            }
            guard c.plugins.hasPlugin(plugin.value) else {
                let path = c.plugins.searchPath
                c.report(.error(.unknownPlugin, "plugin '\(plugin.value)' was not found", at: plugin.location,
                                notes: [.init(path.isEmpty ? "no plugin folders were searched" : "looked in: \(path.joined(separator: ", "))")]))
                continue
            }
            c.diagnostics += c.plugins.diagnostics(forPlugin: plugin.value)
        }
    }
}

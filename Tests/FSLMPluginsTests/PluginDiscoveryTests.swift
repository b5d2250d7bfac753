import FSLMPlugins
import FSLMTestSupport
import FSLMWorkflow
import Foundation
import Testing

@Suite struct PluginDiscoveryTests {
    /// `arith` in every place (versions name the place), plus one plugin only each place has.
    func everyPlace(_ tmp: TempFolder) throws -> PluginSearchPath {
        try tmp.writeSimplePlugin("option/arith", name: "arith", version: "option")
        try tmp.writeSimplePlugin("env1/arith", name: "arith", version: "env1")
        try tmp.writeSimplePlugin("env1/env-only", name: "env-only")
        try tmp.writeSimplePlugin("env2/arith", name: "arith", version: "env2")
        try tmp.writeSimplePlugin("project/workflows/plugins/arith", name: "arith", version: "workflow")
        try tmp.writeSimplePlugin("project/workflows/plugins/local", name: "local")
        try tmp.writeSimplePlugin("fslm/plugins/arith", name: "arith", version: "bundled")
        try tmp.writeSimplePlugin("fslm/plugins/common", name: "common")
        try tmp.write("project/workflows/wf.yaml", "version: 1\n")
        return PluginSearchPath(pluginFolders: [tmp.path("option/arith")],
                                environment: environment(pluginPath: [tmp.path("env1"), tmp.path("env2")]),
                                workflowPath: tmp.path("project/workflows/wf.yaml"),
                                bundled: URL(fileURLWithPath: tmp.path("fslm/plugins")))
    }

    @Test func searchOrderAndShadowing() throws {
        let tmp = try TempFolder()
        let set = PluginSet(searchPath: try everyPlace(tmp))
        #expect(set.searchPath == [
            "--plugin \(tmp.path("option/arith"))",
            "$FSLM_PLUGIN_PATH: \(tmp.path("env1"))",
            "$FSLM_PLUGIN_PATH: \(tmp.path("env2"))",
            "workflow folder: \(tmp.path("project/workflows/plugins"))",
            "bundled: \(tmp.path("fslm/plugins"))",
        ])
        #expect(set.names == ["arith", "env-only", "local", "common"])
        #expect(set.plugin(named: "arith")?.manifest.version == "option")
        #expect(set.shadowed.map { "\($0.0.manifest.version ?? "") by \($0.by.manifest.version ?? "")" }
                == ["env1 by option", "env2 by option", "workflow by option", "bundled by option"])
        #expect(set.searchDiagnostics.isEmpty)
        #expect(set.hasPlugin("common") && set.hasPlugin("local") && !set.hasPlugin("nope"))
    }

    @Test func eachPlaceOutranksTheNext() throws {
        let tmp = try TempFolder()
        let all = try everyPlace(tmp)
        func winner(_ places: [PluginSearchPath.Place]) -> String? {
            PluginSet(searchPath: PluginSearchPath(places: places)).plugin(named: "arith")?.manifest.version
        }
        #expect(winner(all.places) == "option")
        #expect(winner(Array(all.places.dropFirst())) == "env1")
        #expect(winner(Array(all.places.dropFirst(2))) == "env2")
        #expect(winner(Array(all.places.dropFirst(3))) == "workflow")
        #expect(winner(Array(all.places.dropFirst(4))) == "bundled")
    }

    @Test func workflowFolderOfABareFileName() {
        let search = PluginSearchPath(environment: [:], workflowPath: "wf.yaml")
        #expect(search.descriptions == ["workflow folder: plugins"])
        let nested = PluginSearchPath(environment: environment(pluginPath: ["/opt/x", "", "/opt/x"]), workflowPath: "workflows/wf.yaml",
                                      bundled: URL(fileURLWithPath: "/repo/plugins"))
        #expect(nested.descriptions == ["$FSLM_PLUGIN_PATH: /opt/x", "workflow folder: workflows/plugins", "bundled: /repo/plugins"])
    }

    @Test func duplicateNamesInOnePlaceAreAnError() throws {
        let tmp = try TempFolder()
        try tmp.writeSimplePlugin("place/a", name: "twin", version: "a")
        try tmp.writeSimplePlugin("place/b", name: "twin", version: "b")
        try tmp.writeSimplePlugin("later/twin", name: "twin", version: "later")
        let set = PluginSet(searchPath: PluginSearchPath(environment: environment(pluginPath: [tmp.path("place"), tmp.path("later")])))
        #expect(tmp.summary(set.searchDiagnostics) == [
            "place/b/plugin.yaml:1:7: error: two plugins in $FSLM_PLUGIN_PATH: \(tmp.path("place")) are named 'twin' [duplicate-plugin]",
        ])
        let note = try #require(set.searchDiagnostics.first?.notes.first)
        #expect(tmp.place(note.location) == "place/a/plugin.yaml:1:7")
        #expect(set.plugin(named: "twin")?.manifest.version == "a")
        #expect(set.diagnostics(forPlugin: "twin").map(\.id) == [.duplicatePlugin])
        #expect(set.shadowed.map { $0.0.manifest.version } == ["later"])
        #expect(set.sources[tmp.path("place/b/plugin.yaml")] != nil)
    }

    @Test func absentFoldersAreSkippedButAMissingPluginOptionIsAnError() throws {
        let tmp = try TempFolder()
        try tmp.writeSimplePlugin("plugins/one", name: "one")
        try tmp.writeSimplePlugin("plugins/two", name: "two")
        try tmp.write("plugins/notes.txt", "not a plugin")
        try tmp.makeFolder("plugins/empty")
        try tmp.writeSimplePlugin("plugins/.hidden", name: "hidden")
        let search = PluginSearchPath(pluginFolders: [tmp.path("plugins"), tmp.path("nowhere")],
                                      environment: environment(pluginPath: [tmp.path("absent"), tmp.path("plugins/notes.txt")]),
                                      workflowPath: tmp.path("wf.yaml"), bundled: URL(fileURLWithPath: tmp.path("gone")))
        let set = PluginSet(searchPath: search)
        #expect(set.names == ["one", "two"])
        #expect(set.searchDiagnostics.map(\.message) == [
            "--plugin \(tmp.path("plugins")): the folder has no plugin.yaml",
            "--plugin \(tmp.path("nowhere")): no such folder",
        ])
        #expect(set.searchDiagnostics.map(\.id) == [.missingFile, .missingFile])
        #expect(set.searchDiagnostics[0].notes.map(\.message) == [
            "it holds plugin folders (one, two): pass one of them to --plugin, or add '\(tmp.path("plugins"))' to $FSLM_PLUGIN_PATH",
        ])
    }

    @Test func aFolderReachedTwiceIsLoadedOnce() throws {
        let tmp = try TempFolder()
        try tmp.writeSimplePlugin("plugins/arith", name: "arith")
        let search = PluginSearchPath(pluginFolders: [tmp.path("plugins/arith")],
                                      environment: environment(pluginPath: [tmp.path("plugins"), tmp.path("plugins/../plugins")]),
                                      workflowPath: tmp.path("wf.yaml"))
        #expect(search.places.count == 2)  // the --plugin folder, and "plugins" once (env twice, workflow folder)
        let set = PluginSet(searchPath: search)
        #expect(set.names == ["arith"])
        #expect(set.shadowed.isEmpty)
    }

    @Test func theCatalogAnswersTheChecker() throws {
        let tmp = try TempFolder()
        try tmp.writePlugin("plugins/arith", """
            name: arith
            templates:
              route: route.mustache
            validators:
              short: { kind: length, max: 5 }
              broken: { kind: length, min: 9, max: 1 }
            """, files: ["route.mustache": "Question: {{inputs.question}}\nKind:"])
        let set = PluginSet(searchPath: PluginSearchPath(environment: [:], workflowPath: tmp.path("wf.yaml")))
        #expect(set.hasValidator("arith.short"))
        #expect(set.hasValidator("arith.broken"))  // declared; its error is reported with the plugin
        #expect(!set.hasValidator("arith.nope") && !set.hasValidator("nope.short") && !set.hasValidator("short"))
        #expect(set.validatorNames == ["arith.broken", "arith.short"])
        #expect(set.diagnostics(forPlugin: "arith").map(\.id) == [.pluginManifest])
        #expect(set.diagnostics(forPlugin: "nope").isEmpty)

        let workflow = WorkflowText.withStages("""
              route:
                prompt: { template: arith.route }
                validate: [arith.short]
            """).replacingOccurrences(of: "name: t\n", with: "name: t\nplugins: [arith]\n")
        let result = WorkflowText.load(workflow, path: tmp.path("wf.yaml"), plugins: set)
        #expect(tmp.summary(result.diagnostics) == [
            "plugins/arith/plugin.yaml:6:3: error: validator 'broken': 'length' has min 9 greater than max 1 [plugin-manifest]",
        ])
        #expect(result.sources[tmp.path("plugins/arith/plugin.yaml")] != nil)
    }
}

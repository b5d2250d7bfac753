import ArgumentParser
import FSLMPlugins
import FSLMWorkflow
import Foundation

/// `fslm plugins list | show NAME | check [NAME] | new NAME`.
struct PluginsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugins",
        abstract: "Find, inspect, check and create plugins.",
        discussion: """
            Plugins are looked up, first match wins, in each --plugin folder, the folders of \
            $FSLM_PLUGIN_PATH, ./plugins (the current folder stands in for a workflow's), and the \
            plugins bundled with fslm.
            """,
        subcommands: [List.self, Show.self, Check.self, New.self])

    /// The plugins seen from the current folder.
    static func plugins(_ options: PluginOptions) -> PluginSet {
        PluginLoading.pluginSet(folders: options.folders, workflowPath: "./workflow.yaml")
    }

    /// Prints the search's own problems (a `--plugin` folder without a manifest, two plugins of
    /// one name in one place) to stderr; true when any is an error.
    static func reportSearchProblems(_ set: PluginSet) -> Bool {
        Terminal.err(DiagnosticRenderer(sources: set.sources).renderText(set.searchDiagnostics))
        return set.searchDiagnostics.hasErrors
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the plugins found and where they come from.")
        @OptionGroup var options: PluginOptions

        func run() throws {
            let set = PluginsCommand.plugins(options)
            let failed = PluginsCommand.reportSearchProblems(set)
            Terminal.out("Search path:\n" + set.searchPath.map { "  \($0)\n" }.joined())
            Terminal.out(set.plugins.isEmpty ? "No plugins found.\n" : "Plugins:\n")
            for plugin in set.plugins {
                let version = plugin.manifest.version.map { " \($0)" } ?? ""
                let state = plugin.hasErrors ? "  (has errors: run 'fslm plugins check \(plugin.name)')" : ""
                Terminal.out("  \(plugin.name)\(version)  \(plugin.path)\(state)\n")
                if let description = plugin.manifest.description { Terminal.out("      \(description)\n") }
            }
            for (plugin, winner) in set.shadowed {
                Terminal.out("  (\(plugin.name) at \(plugin.path) is shadowed by \(winner.path))\n")
            }
            if failed { throw ExitCode(1) }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a plugin's templates and validators.")
        @OptionGroup var options: PluginOptions
        @Argument(help: "The plugin's name.") var name: String

        func run() throws {
            let set = PluginsCommand.plugins(options)
            let failed = PluginsCommand.reportSearchProblems(set)
            guard let plugin = set.plugin(named: name) else {
                let guess = EditDistance.suggestion(for: name, among: set.names).map { "; did you mean '\($0)'?" } ?? ""
                Terminal.err("error: no plugin named '\(name)'\(guess)\n")
                throw ExitCode(1)
            }
            var out = "\(plugin.name)\(plugin.manifest.version.map { " \($0)" } ?? "")  \(plugin.path)\n"
            if let description = plugin.manifest.description { out += "  \(description)\n" }
            out += "Templates:\n"
            for name in plugin.manifest.declaredTemplateNames {
                let variables = Set((plugin.templates[name]?.variablesIncludingPartials ?? []).map { $0.path.joined(separator: ".") })
                out += "  \(plugin.name).\(name)  \(plugin.manifest.templates[name]?.value ?? "")"
                out += variables.isEmpty ? "\n" : "  uses: \(variables.sorted().joined(separator: ", "))\n"
            }
            out += "Validators:\n"
            for name in plugin.manifest.declaredValidatorNames {
                guard let v = plugin.manifest.validators[name] else { continue }
                let how: String
                switch v.kind {
                case .builtin(let kind, _): how = "built-in \(kind)"
                case .command(let argv, let timeout, let mode): how = "command \(argv.joined(separator: " ")) (\(mode.rawValue), timeout \(timeout.workflowDescription))"
                }
                out += "  \(plugin.name).\(name)  \(how)\n"
                if let description = v.description { out += "      \(description)\n" }
            }
            Terminal.out(out)
            if failed { throw ExitCode(1) }
        }
    }

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check plugins: manifests and templates parse, and every validator behaves as its examples say.",
            discussion: "Exits 1 when anything is wrong.")
        @OptionGroup var options: PluginOptions
        @Argument(help: "Plugins to check (default: all found).") var names: [String] = []

        func run() async throws {
            let set = PluginsCommand.plugins(options)
            var failed = PluginsCommand.reportSearchProblems(set)
            var chosen: [Plugin] = []
            var seen: Set<String> = []
            for name in names where seen.insert(name).inserted {
                if let plugin = set.plugin(named: name) { chosen.append(plugin) } else {
                    let guess = EditDistance.suggestion(for: name, among: set.names).map { "; did you mean '\($0)'?" } ?? ""
                    Terminal.err("error: no plugin named '\(name)'\(guess)\n")
                    failed = true
                }
            }
            if names.isEmpty { chosen = set.plugins }
            let checker = PluginExamplesCheck(registry: set.validatorRegistry { CommandValidators.make($0) })
            for plugin in chosen {
                Terminal.err(DiagnosticRenderer(sources: set.sources).renderText(plugin.diagnostics))
                let results = await checker.run(plugin)
                let bad = results.filter { $0.problem != nil }
                for r in bad {
                    Terminal.err("\(r.location): error: \(r.validator) on \(r.shouldPass ? "passing" : "failing") example \(r.quotedExample): \(r.problem!)\n")
                }
                let ok = !plugin.hasErrors && bad.isEmpty
                failed = failed || !ok
                let summary = "\(plugin.manifest.templates.count) template\(plugin.manifest.templates.count == 1 ? "" : "s"), "
                    + "\(plugin.manifest.validators.count) validator\(plugin.manifest.validators.count == 1 ? "" : "s"), "
                    + "\(results.count - bad.count)/\(results.count) examples as declared"
                Terminal.out("\(ok ? "ok" : "FAILED")  \(plugin.name): \(summary)\n")
            }
            await CommandValidators.shutdownAll()
            if failed { throw ExitCode(1) }
        }
    }

    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a working plugin skeleton: a manifest, a template and an external validator with examples.")
        @Argument(help: "The new plugin's name.") var name: String
        @Option(help: "The folder to create it in.") var dir = "plugins"

        func run() throws {
            do {
                let files = try PluginScaffold.create(name: name, in: dir)
                let folder = (dir as NSString).appendingPathComponent(name)
                Terminal.out("Created \(folder):\n" + files.map { "  \($0)\n" }.joined())
                Terminal.out("Check it with: fslm plugins check --plugin \(folder) \(name)\n")
            } catch {
                Terminal.err("error: \(error)\n")
                throw ExitCode(1)
            }
        }
    }
}
